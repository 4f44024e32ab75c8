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

TEST_CASE("libclang sees the compiler's -Werror= flags: a removed return is an error before any build") {
  minrepro::test::TempDir d;
  auto path = d.write("case.cpp", "");
  std::string src = "int f(int x) { if (x) return 1; }\nint main() { return f(0); }\n";
  CHECK_FALSE(instrument_main_end(src, path, kFlags).parse_errors);
  auto r = instrument_main_end(src, path, {"-std=c++17", "-pthread", "-Werror=return-type", "-Wall"});
  CHECK(r.parse_errors);
  CHECK(r.first_error.find("return") != std::string::npos);
}

#include "oracle/pch.hpp"

TEST_CASE("the leading include block, after the instrumentation header") {
  std::string src = "#include <vector>\n// why\n\n#include \"x.h\"\nint main() {}\n";
  CHECK(leading_include_block(src) == "#include <vector>\n// why\n\n#include \"x.h\"\n");
  CHECK(leading_include_block(inst(src).text) == "#include <vector>\n// why\n\n#include \"x.h\"\n");
  CHECK(leading_include_block("int x;\n#include <vector>\n").empty());
  CHECK(leading_include_block("// only a comment\nint x;\n").empty());
}

#include <unistd.h>

namespace {
// This process's live children (the parse worker of this thread is one).
std::vector<pid_t> children() {
  std::vector<pid_t> out;
  for (auto [pid, parent] : minrepro::test::live_processes())
    if (parent == getpid()) out.push_back(pid);
  return out;
}
}  // namespace

TEST_CASE("candidates are parsed in one worker process, replaced after libclang crashes") {
  minrepro::test::TempDir d;
  auto path = d.write("case.cpp", "");
  CHECK(instrument_main_end("int main() { return 1; }\n", path, kFlags).returns == 1);
  auto first = children();  // the worker, and the session's guardian
  CHECK(instrument_main_end("int main() { return 2; }\n", path, kFlags).returns == 1);
  CHECK(children() == first);  // the same worker
  auto crashed = instrument_main_end(minrepro::test::kCrashesLibclang, path, kFlags);
  CHECK(crashed.parse_errors);
  CHECK(instrument_main_end("int main() { return 3; }\n", path, kFlags).returns == 1);
  auto now = children();
  CHECK(now.size() == first.size());
  CHECK(now != first);
}

TEST_CASE("a parse worker's precompiled preamble goes with the worker, even when it is killed") {
  namespace fs = std::filesystem;
  minrepro::test::TempDir d;
  auto path = d.write("case.cpp", "");
  auto tmp_dirs = [&] {
    std::vector<fs::path> out;
    for (auto& e : fs::directory_iterator(d.path))
      if (e.path().filename().string().rfind("parse-tmp-", 0) == 0) out.push_back(e.path());
    return out;
  };
  const std::vector<std::string> flags = {"-std=c++17", "-pthread", "-DOWN_WORKER"};  // a worker of its own
  CHECK(instrument_main_end("#include <vector>\nint main() { return std::vector<int>(2).size(); }\n", path, flags)
            .found_main);
  auto dirs = tmp_dirs();
  REQUIRE(dirs.size() == 1);
  int pch = 0;
  for (auto& e : fs::directory_iterator(dirs[0])) pch += e.path().filename().string().rfind("preamble-", 0) == 0;
  CHECK(pch >= 1);  // libclang wrote it there, not to /tmp
  // The crash below kills the worker (SIGKILL: libclang disposes nothing).
  CHECK(instrument_main_end(minrepro::test::kCrashesLibclang, path, flags).parse_errors);
  CHECK_FALSE(fs::exists(dirs[0]));
  CHECK(tmp_dirs().empty());
}

TEST_CASE("the parse worker holds none of the caller's files") {
  // A pipe opened before the worker starts (another flag set: a new worker)
  // must reach EOF once the caller closes its write end.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  minrepro::test::TempDir d;
  CHECK(instrument_main_end("int main() {}\n", d.write("case.cpp", ""), {"-std=c++20"}).found_main);
  close(fds[1]);
  char c;
  CHECK(read(fds[0], &c, 1) == 0);
  close(fds[0]);
}
