// The declaration-level passes on small sources: exact candidates for single chunks.
#include <doctest/doctest.h>

#include "pass_helpers.hpp"

using namespace minrepro;
using namespace minrepro::reducer;
using test::candidates;
using test::compiles;
using test::has;

namespace minrepro::reducer {
std::vector<Chunk> remove_includes(const PassInput&);
std::vector<Chunk> remove_top_level_decls(const PassInput&);
std::vector<Chunk> unwrap_namespaces(const PassInput&);
std::vector<Chunk> remove_class_members(const PassInput&);
std::vector<Chunk> empty_function_bodies(const PassInput&);
std::vector<Chunk> remove_statements(const PassInput&);
std::vector<Chunk> remove_lines(const PassInput&);
}  // namespace minrepro::reducer

TEST_CASE("includes: each #include line is one chunk; works without an AST") {
  std::string src = "#include <vector>\n  #  include \"x.h\"\nint main() {}\n";
  auto c = candidates(remove_includes, src, false);
  CHECK(c.size() == 2);
  CHECK(has(c, "  #  include \"x.h\"\nint main() {}\n"));
  CHECK(has(c, "#include <vector>\nint main() {}\n"));
}

TEST_CASE("top-level-decls: whole declarations with their ';', macros, namespaces") {
  std::string src =
      "#define TWICE(x) \\\n  ((x) * 2)\n"
      "struct A { int v; };\n"
      "namespace n {\nint f() { return 1; }\n}\n"
      "int g = 3;\n"
      "int main() { return 0; }\n";
  auto c = candidates(remove_top_level_decls, src);
  CHECK(has(c, "#define TWICE(x) \\\n  ((x) * 2)\nnamespace n {\nint f() { return 1; }\n}\nint g = 3;\n"
               "int main() { return 0; }\n"));  // struct A with its ';'
  CHECK(has(c, "struct A { int v; };\nnamespace n {\nint f() { return 1; }\n}\nint g = 3;\nint main() { return 0; }\n"));
  CHECK(has(c, "#define TWICE(x) \\\n  ((x) * 2)\nstruct A { int v; };\nnamespace n {\n}\nint g = 3;\n"
               "int main() { return 0; }\n"));  // f inside the namespace
  CHECK(has(c, "#define TWICE(x) \\\n  ((x) * 2)\nstruct A { int v; };\nint g = 3;\nint main() { return 0; }\n"));
}

TEST_CASE("namespaces: unwrapped, contents kept, its qualifiers and using-directives gone") {
  auto c = candidates(unwrap_namespaces, "namespace n { int f(); }\nint main() {}\n");
  REQUIRE(c.size() == 1);
  CHECK(c[0] == " int f(); \nint main() {}\n");
  c = candidates(unwrap_namespaces, "namespace n { int f() { return 1; } }\nusing namespace n;\n"
                                    "int main() { return n::f() + n :: f(); }\n");
  REQUIRE(c.size() == 1);
  CHECK(c[0] == " int f() { return 1; } \nint main() { return f() +  f(); }\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("class-members: a field goes with its constructor initializers; the result compiles") {
  std::string src =
      "struct S {\n"
      "  S(int a, int b) : x(a), y{b} {}\n"
      "  int x;\n"
      "  int y;\n"
      "  void m() {}\n"
      "};\n"
      "int main() { S s(1, 2); s.m(); }\n";
  auto c = candidates(remove_class_members, src);
  CHECK(has(c, "struct S {\n  S(int a, int b) : y{b} {}\n  int y;\n  void m() {}\n};\n"
               "int main() { S s(1, 2); s.m(); }\n"));
  CHECK(has(c, "struct S {\n  S(int a, int b) : x(a) {}\n  int x;\n  void m() {}\n};\n"
               "int main() { S s(1, 2); s.m(); }\n"));
  for (auto& cand : c)
    if (cand.find("S(int a, int b)") != std::string::npos && cand.find("void m") != std::string::npos)
      CHECK_MESSAGE(compiles(cand), cand);
}

TEST_CASE("function-bodies: {} for void, a minimal return otherwise, {} for main") {
  std::string src = "void f() { int x = 1; (void)x; }\nint g() { return 42; }\nint main() { f(); return g(); }\n";
  auto c = candidates(empty_function_bodies, src);
  CHECK(has(c, "void f() {}\nint g() { return 42; }\nint main() { f(); return g(); }\n"));
  CHECK(has(c, "void f() { int x = 1; (void)x; }\nint g() { return {}; }\nint main() { f(); return g(); }\n"));
  CHECK(has(c, "void f() { int x = 1; (void)x; }\nint g() { return 42; }\nint main() {}\n"));
  for (auto& cand : c) CHECK_MESSAGE(compiles(cand), cand);
}

TEST_CASE("statements: each statement of a block, outer first") {
  std::string src = "int main() {\n  int a = 1;\n  if (a) {\n    a = 2;\n  }\n  return a;\n}\n";
  auto c = candidates(remove_statements, src);
  CHECK(has(c, "int main() {\n  int a = 1;\n  return a;\n}\n"));
  CHECK(has(c, "int main() {\n  int a = 1;\n  if (a) {\n  }\n  return a;\n}\n"));
  CHECK(has(c, "int main() {\n  int a = 1;\n  if (a) {\n    a = 2;\n  }\n}\n"));
}

TEST_CASE("lines: every non-blank line") {
  auto c = candidates(remove_lines, "a\n\nb\n", false);
  CHECK(c == std::vector<std::string>{"\nb\n", "a\n\n"});
}
