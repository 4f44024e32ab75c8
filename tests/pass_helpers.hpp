// Helpers for the pass tests: candidates of a pass, and whether text compiles.
#pragma once
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::test {

// Every candidate the pass proposes, one chunk applied at a time.
inline std::vector<std::string> candidates(reducer::PassFn pass, const std::string& text, bool parse = true) {
  TempDir dir;
  auto path = dir.write("case.cpp", text);
  CXTranslationUnit tu = parse ? ast::thread_parser({"-std=c++17"}, true).parse(path, text) : nullptr;
  std::vector<std::string> out;
  for (const reducer::Chunk& c : pass(reducer::PassInput{text, tu})) out.push_back(reducer::apply_chunks(text, {&c}));
  return out;
}

// `text` with the first `from` replaced by `to`.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

inline bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

inline bool compiles(const std::string& text) {
  TempDir dir;
  auto path = dir.write("c.cpp", text);
  // In the background, as the oracle's own compilers run: a suite beside it
  // that builds programs is not starved of the CPU.
  std::string cmd = "chrt --idle 0 g++ -std=c++17 -fsyntax-only '" + path.string() + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace minrepro::test
