// The main-end instrumentation, placed with libclang.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "oracle/instrument.hpp"

using namespace minrepro::oracle;

namespace {
const std::vector<std::string> kFlags = {"-std=c++17", "-pthread"};
Instrumented inst(const std::string& src) {
  minrepro::test::TempDir d;
  return instrument_main_end(src, d.write("case.cpp", ""), kFlags);
}
size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("returns of main are wrapped and the closing brace gets a call") {
  auto r = inst("int f() { return 3; }\nint main(int argc, char**) {\n  if (argc > 2) return 1;\n  return f();\n}\n");
  CHECK(r.found_main);
  CHECK(r.returns == 2);
  CHECK(r.text.find("return __repro_main_end(1);") != std::string::npos);
  CHECK(r.text.find("return __repro_main_end(f());") != std::string::npos);
  CHECK(r.text.find("int f() { return 3; }") != std::string::npos);  // other functions untouched
  CHECK(r.text.find("__repro_main_end_void();}") != std::string::npos);
  CHECK(r.text.find("#line 1 \"case.cpp\"") != std::string::npos);
}

TEST_CASE("returns inside lambdas and local classes are left alone") {
  auto r = inst(
      "int main() {\n"
      "  auto l = [] { return 5; };\n"
      "  struct Local { int g() { return 6; } };\n"
      "  return l() + Local().g();\n"
      "}\n");
  CHECK(r.returns == 1);
  CHECK(r.text.find("return 5;") != std::string::npos);
  CHECK(r.text.find("return 6;") != std::string::npos);
  CHECK(count(r.text, "__repro_main_end(") == 2);  // declaration + the one return
}

TEST_CASE("no main: only the declarations are added") {
  auto r = inst("int helper() { return 1; }\n");
  CHECK_FALSE(r.found_main);
  CHECK(r.text.find("int helper() { return 1; }") != std::string::npos);
}

TEST_CASE("main inside a namespace is not the program's main") {
  auto r = inst("namespace n { int main() { return 1; } }\nint main() { return n::main(); }\n");
  CHECK(r.returns == 1);
  CHECK(r.text.find("int main() { return 1; }") != std::string::npos);
}

#include "oracle/pch.hpp"

TEST_CASE("the leading include block, after the instrumentation header") {
  std::string src = "#include <vector>\n// why\n\n#include \"x.h\"\nint main() {}\n";
  CHECK(leading_include_block(src) == "#include <vector>\n// why\n\n#include \"x.h\"\n");
  CHECK(leading_include_block(inst(src).text) == "#include <vector>\n// why\n\n#include \"x.h\"\n");
  CHECK(leading_include_block("int x;\n#include <vector>\n").empty());
  CHECK(leading_include_block("// only a comment\nint x;\n").empty());
}
