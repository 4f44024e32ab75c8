// A thin layer over libclang's C API: parse candidate text as a file with the
// candidate's own flags (reparsing with a precompiled preamble while the
// includes stay the same), and turn cursors into byte ranges of the main file.
// Shared by the oracle's instrumentation and the reducer's passes.
#pragma once
#include <clang-c/Index.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace minrepro::ast {

struct Range {
  unsigned begin = 0, end = 0;  // byte offsets in the main file, [begin, end)
  bool operator==(const Range&) const = default;
  bool empty() const { return end <= begin; }
};

// The compiler flags libclang understands (language, defines, include paths,
// warnings made errors: -Werror=return-type rejects a candidate whose return
// statement was removed before the compiler runs); optimisation, other
// warnings and link flags are dropped.
std::vector<std::string> clang_flags(const std::vector<std::string>& compiler_flags);

class Parser {
 public:
  // `detailed`: keep macro expansions in the AST (passes need them; the oracle does not).
  explicit Parser(std::vector<std::string> flags, bool detailed = false);
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses `text` as the file `path` (which should exist on disk: the preamble
  // is only reused for a real file). Returns null when libclang gives up.
  // The TU stays valid until the next parse() on this Parser.
  CXTranslationUnit parse(const std::filesystem::path& path, const std::string& text);
  // Parses `directives` (a file's leading block of directives and comments)
  // with one declaration after it, unless the last warm-up had the same
  // block: a later reparse of a file starting with that block, here or in a
  // fork of this process, finds its precompiled preamble ready.
  void warm(const std::filesystem::path& path, const std::string& directives);
  // Whether the last parse had errors.
  bool had_errors() const { return errors_; }
  std::string first_error() const { return first_error_; }
  // Whether libclang ever gave up on a parse or reparse here: after a crash
  // it recovered from, its heap may be corrupted.
  bool ever_failed() const { return ever_failed_; }

 private:
  CXIndex index_;
  std::vector<std::string> flags_;
  bool detailed_;
  std::string path_;
  CXTranslationUnit tu_ = nullptr;
  std::string text_;  // kept alive while libclang may read it
  bool errors_ = false;
  bool ever_failed_ = false;
  std::string first_error_;
  std::optional<std::string> warmed_;
};

// One Parser per thread, flag set and detail level.
Parser& thread_parser(const std::vector<std::string>& compiler_flags, bool detailed = false);

// The cursor's extent as main-file byte offsets; nullopt when any end lies in
// another file or only inside a macro definition.
std::optional<Range> extent(CXCursor c);
// Where macros are expanded in the main file (needs a detailed parse).
std::vector<Range> macro_expansions(CXTranslationUnit tu);
std::string spelling(CXCursor c);
std::string type_spelling(CXType t);
bool in_main_file(CXCursor c);

// Visits the direct children of `c`; recurse for deeper walks.
void children(CXCursor c, const std::function<void(CXCursor)>& f);

// Pre-order over the run-time code of the main file's declarations: every
// cursor inside a function body (lambdas included) or a constructor's member
// and base initializers. Cursors located in a macro expansion are visited too
// (their children may be plain code); `extent_outside` keeps edits out of the
// macros themselves.
void visit_code(CXTranslationUnit tu, const std::function<void(CXCursor)>& f);
// Whether [begin, end) overlaps any of `ranges`.
bool overlaps_any(const std::vector<Range>& ranges, unsigned begin, unsigned end);
// The cursor's extent when it overlaps none of `macros`.
std::optional<Range> extent_outside(CXCursor c, const std::vector<Range>& macros);

// The expression under libclang's unexposed wrappers (conversions, cleanups)
// that have exactly one child; `c` itself when it is not such a wrapper.
CXCursor peel(CXCursor c);

// A function's (or lambda's) body: its compound-statement child, or a null cursor.
CXCursor body_of(CXCursor function);

// The global-namespace definition of main(), or a null cursor.
CXCursor find_main(CXTranslationUnit tu);

}  // namespace minrepro::ast
