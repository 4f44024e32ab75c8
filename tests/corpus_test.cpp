// An end-to-end reduction of a real corpus case with the most productive AST
// pass (the full pass list takes minutes per case; every case's results are
// measured outside the suite, by bench/compare, and `make demo` reduces
// global-dtor-cv-join; reduce_test's own case is a join in an exit handler):
// the result is smaller, compiles without -Wall warnings, and `reduce check`
// still shows the original's signature. The input is untouched.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "runners/process.hpp"

using namespace minrepro;
using minrepro::test::slurp;
using minrepro::test::TempDir;

namespace {

runners::RunResult tool(const std::string& program, const std::vector<std::string>& args) {
  return runners::run(test::tool_spec(program, args));
}

long tokens(const std::filesystem::path& p) {
  auto r = tool(MINREPRO_REDUCE_BINARY, {"tokens", p.string()});
  return std::stol(r.out);
}

void reduce_corpus_case(const std::string& name, const std::string& signature, const std::string& threshold) {
  auto dir = std::filesystem::path(MINREPRO_SOURCE_DIR) / "corpus" / name;
  TempDir d;
  auto input = dir / "case.cpp";
  std::string before = slurp(input);
  auto out = d.path / "case.min.cpp";
  auto r = tool(MINREPRO_REDUCE_BINARY, {"--quiet", "-j", "2", threshold.substr(0, threshold.find('=')),
                                         threshold.substr(threshold.find('=') + 1), "--passes",
                                         "function-bodies",
                                         "-o", out.string(), input.string()});
  INFO(name, r.err);
  CHECK(r.exit_code == 0);
  CHECK(slurp(input) == before);
  REQUIRE(std::filesystem::exists(out));
  CHECK(tokens(out) * 10 < tokens(input) * 9);  // a real reduction, even with one pass
  auto cc = tool("/usr/bin/g++", {"-std=c++17", "-pthread", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", out.string()});
  CHECK_MESSAGE(cc.exit_code == 0, cc.err);
  auto check = tool(MINREPRO_REDUCE_BINARY, {"check", "--config", (dir / "repro.toml").string(), "--runs", "3",
                                             out.string()});
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("signature: " + signature) != std::string::npos);
}

}  // namespace

TEST_CASE("corpus: local of main joining a thread that waits on a future") {
  reduce_corpus_case("local-dtor-join", "join in main-locals, other threads blocked", "--hang-after=0.5");
}
