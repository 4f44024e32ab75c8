// The real `reduce` binary: exit statuses, one-line errors, check output.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "runners/process.hpp"

using namespace minrepro;
using minrepro::test::TempDir;

namespace {

runners::RunResult reduce(std::vector<std::string> args) {
  return runners::run(test::tool_spec(MINREPRO_REDUCE_BINARY, std::move(args)));
}

// A bad-input answer: exit 2, one line on stderr, no stack trace.
void check_bad_input(const runners::RunResult& r, const std::string& mention) {
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(mention) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("reduce: ", 0) == 0);
}

const char* kHang = R"(#include <thread>
#include <future>
std::promise<void> never;
struct W { std::thread t{[] { never.get_future().wait(); }}; ~W() { t.join(); } } w;
int main() { return 0; }
)";

}  // namespace

TEST_CASE("bad input is one line and exit status 2") {
  TempDir d;
  check_bad_input(reduce({"check", "--oracle", "exit-hang", (d.path / "nope.cpp").string()}), "no such file");
  check_bad_input(reduce({"check", d.write("empty.cpp", "  \n").string()}), "empty");
  check_bad_input(reduce({"check", d.write("bin.cpp", std::string("\x7f" "ELF\0\0\1", 7)).string()}), "binary");
  auto ok = d.write("ok.cpp", kHang).string();
  check_bad_input(reduce({"check", "--oracle", "exit-hnag", ok}), "unknown oracle 'exit-hnag'");
  check_bad_input(reduce({"check", "--cxx", "no-such-c++", ok}), "compiler 'no-such-c++' not found");
  check_bad_input(reduce({"check", "--hang-after", "soon", ok}), "--hang-after");
  check_bad_input(reduce({"check", "--runs", "2", "--min-hits", "3", ok}), "min_hits");
  check_bad_input(reduce({"check", "--frobnicate", ok}), "unknown option");
  check_bad_input(reduce({"check", "--config", d.write("bad.toml", "[oracle]\nkind = 3\n").string(), ok}),
                  "bad.toml:2:8");
  check_bad_input(reduce({"check", "--config", d.write("syntax.toml", "[oracle\n").string(), ok}), "syntax.toml:1:");
  check_bad_input(reduce({"check", "--oracle", "script:/nonexistent.sh", ok}), "not an executable");
}

TEST_CASE("code that does not compile: not reproduced, compiler errors shown") {
  TempDir d;
  auto r = reduce({"check", d.write("broken.cpp", "int main() { return nope; }\n").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("compiler errors:") != std::string::npos);
  CHECK(r.out.find("nope") != std::string::npos);
}

TEST_CASE("a reproducing case: exit 0, timeline, threads, signature; --runs counts") {
  TempDir d;
  auto file = d.write("hang.cpp", kHang).string();
  auto r = reduce({"check", "--oracle", "exit-hang", "--hang-after", "0.5", "--runs", "2", file});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("REPRODUCED") != std::string::npos);
  CHECK(r.out.find("main-enter") != std::string::npos);
  CHECK(r.out.find("<- exit began") != std::string::npos);
  CHECK(r.out.find("<- exiting thread") != std::string::npos);
  CHECK(r.out.find("signature: join in exit-handlers") != std::string::npos);
  CHECK(r.out.find("result: reproduced (2/2 runs)") != std::string::npos);
  auto bt = reduce({"check", "--backtrace", "--hang-after", "0.5", file});
  CHECK(bt.out.find("backtrace of thread") != std::string::npos);
  CHECK(bt.out.find("join") != std::string::npos);
}

TEST_CASE("a case that does not reproduce exits 1") {
  TempDir d;
  auto r = reduce({"check", "--hang-after", "0.3", d.write("fine.cpp", "int main() { return 0; }\n").string()});
  INFO(r.describe_end(), r.err, r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("result: not reproduced (0/1 runs)") != std::string::npos);
}

TEST_CASE("script oracle: the C-Reduce contract") {
  TempDir d;
  auto script = d.write("t.sh", "#!/bin/sh\ngrep -q needle \"$1\"\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  auto yes = reduce({"check", "--oracle", "script:" + script.string(), d.write("a.cpp", "// needle\n").string()});
  CHECK(yes.exit_code == 0);
  auto no = reduce({"check", "--oracle", "script:" + script.string(), d.write("b.cpp", "// hay\n").string()});
  CHECK(no.exit_code == 1);
}

TEST_CASE("--help and --version") {
  auto h = reduce({"--help"});
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("exit-hang") != std::string::npos);
  CHECK(reduce({"--version"}).out.rfind("minrepro ", 0) == 0);
}
