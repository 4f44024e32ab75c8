// repro.toml: a good file, and each error kind with its line:column.
#include <doctest/doctest.h>

#include "helpers.hpp"
#include "oracle/config.hpp"

using namespace minrepro::oracle;
using minrepro::test::TempDir;

namespace {
std::string error_of(const std::string& toml) {
  TempDir d;
  auto c = load_config(d.write("repro.toml", toml));
  return c ? "" : c.error().message;
}
}  // namespace

TEST_CASE("a good file sets every table") {
  TempDir d;
  auto c = load_config(d.write("repro.toml", R"(
[toolchain]
cxx = "clang++"
flags = ["-std=c++20", "-pthread"]
ldflags = ["-latomic"]
[oracle]
kind = "delayed-exit"
exit_begins = "main-return"
min_delay = 0.25
timeout = 5.0
runs = 5
min_hits = 3
early_delay = true
[limits]
memory_mb = 512
cpu_s = 10
output_kb = 64
processes = 32
[reduce]
jobs = 2
passes = ["lines"]
)"));
  REQUIRE(c.ok());
  CHECK(c->toolchain.cxx == "clang++");
  CHECK(c->toolchain.flags.size() == 2);
  CHECK(c->toolchain.ldflags[0] == "-latomic");
  CHECK(c->oracle.kind == Kind::DelayedExit);
  CHECK(c->oracle.exit_begins == ExitBegins::MainReturn);
  CHECK(c->oracle.min_delay == 0.25);
  CHECK(c->oracle.runs == 5);
  CHECK(c->oracle.min_hits == 3);
  CHECK(c->oracle.early_delay);
  CHECK(c->limits.memory_mb == 512);
  CHECK(c->limits.processes == 32);
  CHECK(c->reduce.jobs == 2);
  CHECK(c->reduce.passes == std::vector<std::string>{"lines"});
}

TEST_CASE("defaults match DESIGN.md") {
  Config c;
  CHECK(c.toolchain.cxx == "g++");
  CHECK(c.oracle.kind == Kind::ExitHang);
  CHECK(c.oracle.exit_begins == ExitBegins::MainEnd);
  CHECK(c.oracle.hang_after == 1.0);
  CHECK(c.oracle.min_delay == 0.5);
  CHECK(c.oracle.timeout == 10.0);
  CHECK(c.limits.memory_mb == 2048);
  CHECK(c.limits.output_kb == 1024);
}

TEST_CASE("syntax error names line and column") {
  auto e = error_of("[oracle]\nkind = \"exit-hang\n");
  CHECK(e.find("repro.toml:2:") != std::string::npos);
}

TEST_CASE("unknown key names the key and its position") {
  auto e = error_of("[oracle]\nkind = \"exit-hang\"\nhang_aftr = 2.0\n");
  CHECK(e.find("repro.toml:3:1") != std::string::npos);
  CHECK(e.find("oracle.hang_aftr") != std::string::npos);
}

TEST_CASE("unknown table") {
  auto e = error_of("[orcale]\nkind = \"exit-hang\"\n");
  CHECK(e.find("repro.toml:1:") != std::string::npos);
  CHECK(e.find("orcale") != std::string::npos);
}

TEST_CASE("wrong type names the value's position") {
  auto e = error_of("[oracle]\nhang_after = \"long\"\n");
  CHECK(e.find("repro.toml:2:14") != std::string::npos);
  CHECK(e.find("must be a number") != std::string::npos);
}

TEST_CASE("bad values") {
  CHECK(error_of("[oracle]\nkind = \"slow\"\n").find("repro.toml:2:8: 'oracle.kind' unknown oracle 'slow'") !=
        std::string::npos);
  CHECK(error_of("[oracle]\nruns = 0\n").find("repro.toml:2:8") != std::string::npos);
  CHECK(error_of("[oracle]\nexit_begins = \"later\"\n").find("main-end") != std::string::npos);
  CHECK(error_of("[oracle]\nruns = 2\nmin_hits = 3\n").find("min_hits") != std::string::npos);
  CHECK(error_of("[toolchain]\nflags = \"-O2\"\n").find("array of strings") != std::string::npos);
}

TEST_CASE("oracle names") {
  OracleConfig o;
  CHECK(set_oracle_kind(o, "crash").ok());
  CHECK(o.kind == Kind::Crash);
  CHECK(set_oracle_kind(o, "script:./t.sh").ok());
  CHECK(o.script == "./t.sh");
  CHECK_FALSE(set_oracle_kind(o, "exit_hang").ok());
  CHECK(parse_signal("SIGSEGV") == 11);
  CHECK(parse_signal("ABRT") == 6);
  CHECK(parse_signal("SIGNOPE") == -1);
}
