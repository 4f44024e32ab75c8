// The source instrumentation behind the `main-end` marker: main's body is done
// when control reaches a `return` of main itself or its closing brace, and the
// destructors of main's locals are about to run. Placed with libclang; never
// inside lambdas or local classes. Only the compiled copy is instrumented.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace minrepro::oracle {

struct Instrumented {
  std::string text;
  bool found_main = false;
  int returns = 0;  // `return X;` statements of main that were wrapped
  bool parse_errors = false;  // libclang found errors: g++ will very likely reject it too
  std::string first_error;
  bool crashed = false;  // libclang crashed on it (in a separate process): no instrumented text
};

// `path` names the file for libclang and for the `#line` directive that keeps
// compiler diagnostics on the user's line numbers.
Instrumented instrument_main_end(const std::string& text, const std::filesystem::path& path,
                                 const std::vector<std::string>& compiler_flags);

}  // namespace minrepro::oracle
