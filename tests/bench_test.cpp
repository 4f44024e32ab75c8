// The benchmark's smoke test: `bench/compare --quick` runs all three reducers
// on the small case and writes a well-formed table. Nothing here is timed.
#include <doctest/doctest.h>

#include <regex>

#include "helpers.hpp"

using namespace minrepro;
using minrepro::test::slurp;

namespace {
std::vector<std::string> table_rows(const std::string& md) {
  std::vector<std::string> rows;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("| quick |", 0) == 0) rows.push_back(line);
  return rows;
}
}  // namespace

TEST_CASE("bench/compare --quick runs minrepro, C-Vise and C-Reduce and writes the table") {
  test::TempDir out;
  auto spec = test::tool_spec(MINREPRO_SOURCE_DIR "/bench/compare",
                              {"--quick", "--budget", "10", "--confirm", "2", "--reduce", MINREPRO_REDUCE_BINARY,
                               "--out", out.path.string()});
  auto r = runners::run(spec);
  INFO(r.err);
  REQUIRE(r.exited_ok());

  std::string md = slurp(out.path / "compare.md");
  CHECK(md.find("| case | tool | tokens (orig → final) | bytes | wall s | oracle calls |") != std::string::npos);
  auto rows = table_rows(md);
  REQUIRE(rows.size() == 3);
  const char* tools[] = {"minrepro", "cvise", "creduce"};
  std::regex row(R"(\| quick \| (\w+) \| (\d+) → (\d+) \| \d+ \| [\d.]+( \(budget\))? \| \d+ \| (yes|no) \| (\d+)/2 \| .+ \|)");
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i]);
    std::smatch m;
    REQUIRE(std::regex_match(rows[i], m, row));
    CHECK(m[1] == tools[i]);
    CHECK(std::stoi(m[3]) <= std::stoi(m[2]));
  }
  // minrepro's best-so-far was accepted by its own oracle: it still shows the original bug.
  CHECK(rows[0].substr(rows[0].size() - 7) == "| yes |");

  std::string json = slurp(out.path / "compare.json");
  CHECK(json.find("\"rows\"") != std::string::npos);
  CHECK(json.find("\"totals\"") != std::string::npos);
  for (auto* t : tools) {
    CHECK(json.find(std::string("\"tool\": \"") + t + "\"") != std::string::npos);
    // each row's final text is kept outside work/, under the name its row gives
    CHECK(json.find(std::string("\"result\": \"results/quick.") + t + ".cpp\"") != std::string::npos);
    CHECK(slurp(out.path / "results" / (std::string("quick.") + t + ".cpp")).size() > 0);
  }
  // --render prints the table of a compare.json: the same as compare.md.
  auto rendered = runners::run(test::tool_spec(MINREPRO_SOURCE_DIR "/bench/compare",
                                               {"--render", (out.path / "compare.json").string()}));
  REQUIRE(rendered.exited_ok());
  CHECK(rendered.out == md);

  // --resume keeps every row and runs nothing that is already there.
  auto again = runners::run(test::tool_spec(MINREPRO_SOURCE_DIR "/bench/compare",
                                            {"--quick", "--budget", "10", "--reduce", MINREPRO_REDUCE_BINARY,
                                             "--out", out.path.string(), "--resume"}));
  INFO(again.err);
  REQUIRE(again.exited_ok());
  CHECK(again.err.find("quick: minrepro: kept from") != std::string::npos);
  CHECK(again.err.find("quick: cvise ...") == std::string::npos);
  CHECK(table_rows(slurp(out.path / "compare.md")) == rows);
  CHECK(slurp(out.path / "compare.md").find("Totals over the 1 cases every tool ran:") != std::string::npos);

  // --rejudge confirms the kept results again (the original too) and runs no reducer.
  auto judged = runners::run(test::tool_spec(MINREPRO_SOURCE_DIR "/bench/compare",
                                             {"--quick", "--confirm", "2", "--reduce", MINREPRO_REDUCE_BINARY, "--out",
                                              out.path.string(), "--resume", "--rejudge"}));
  INFO(judged.err);
  REQUIRE(judged.exited_ok());
  CHECK(judged.err.find("quick: minrepro: judged again: yes -> yes") != std::string::npos);
  CHECK(judged.err.find("quick: creduce: judged again: ") != std::string::npos);
  CHECK(judged.err.find("quick: cvise ...") == std::string::npos);
  CHECK(slurp(out.path / "compare.json").find("\"original_rate\": \"4/4\"") != std::string::npos);
  auto rejudged = table_rows(slurp(out.path / "compare.md"));
  REQUIRE(rejudged.size() == 3);
  CHECK(rejudged[0] == rows[0]);  // minrepro's result reproduces every time: the same row
  auto no_resume = runners::run(test::tool_spec(MINREPRO_SOURCE_DIR "/bench/compare",
                                                {"--quick", "--out", out.path.string(), "--rejudge"}));
  CHECK(no_resume.exit_code == 2);
  CHECK(no_resume.err.find("--rejudge needs --resume") != std::string::npos);
}
