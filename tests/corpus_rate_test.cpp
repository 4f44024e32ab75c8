// Every corpus case reproduces at its documented rate under the real
// `reduce check --runs 20` (repro.toml beside the case is read as usual).
//
// A deterministic case must reproduce in at least 19 of 20 runs. A racy case
// says so in its repro.toml with a comment line of its own:
//
//     # expected_rate = 0.4
//
// (a comment because oracle/config.cpp rejects unknown tables and keys). The
// observed count over 20 runs must then lie in the binomial band of that rate:
// counts in either tail with probability below 0.1% fail (0.4: 2..15 of 20,
// 0.5: 3..17). A racy case may set `[oracle] runs`/`min_hits` as usual;
// `--runs 20` replaces its `runs` here. Directories without a case.cpp (a case
// being written) are skipped with a message. Four cases run at a time: a run
// mostly waits (for a hang to show, or a delay to end), so two cores are
// far from busy.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "runners/process.hpp"

using namespace minrepro;

namespace {

constexpr int kRuns = 20;
constexpr int kWorkers = 4;
constexpr int kMinHitsDeterministic = 19;
constexpr double kTail = 0.001;  // per side

struct CaseRun {
  std::string name;
  std::optional<double> expected_rate;
  runners::RunResult result;
  double seconds = 0;
  int hits = -1, runs = -1;
};

// `# expected_rate = P` on a line of its own (comments are the only place
// for it: oracle/config.cpp rejects unknown tables and keys).
std::optional<double> expected_rate(const std::filesystem::path& toml) {
  std::istringstream in(test::slurp(toml));
  for (std::string line; std::getline(in, line);) {
    double p;
    if (std::sscanf(line.c_str(), " # expected_rate = %lf", &p) == 1) return p;
  }
  return std::nullopt;
}

// The last "result: ... (N/M runs)" line of `reduce check`.
void parse_result(CaseRun& c) {
  static const std::regex re(R"(result: (?:not )?reproduced \((\d+)/(\d+) runs\))");
  for (auto it = std::sregex_iterator(c.result.out.begin(), c.result.out.end(), re); it != std::sregex_iterator();
       ++it) {
    c.hits = std::stoi((*it)[1].str());
    c.runs = std::stoi((*it)[2].str());
  }
}

double binomial_pmf(int n, int k, double p) {
  if (p <= 0) return k == 0 ? 1 : 0;
  if (p >= 1) return k == n ? 1 : 0;
  double log_c = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
  return std::exp(log_c + k * std::log(p) + (n - k) * std::log1p(-p));
}

// The counts k with P(X <= k) > tail and P(X >= k) > tail, X ~ Binomial(n, p).
std::pair<int, int> binomial_band(int n, double p, double tail) {
  std::vector<double> pmf(n + 1);
  for (int k = 0; k <= n; ++k) pmf[k] = binomial_pmf(n, k, p);
  int lo = 0, hi = n;
  for (double below = 0; lo < n && (below += pmf[lo]) <= tail;) ++lo;
  for (double above = 0; hi > 0 && (above += pmf[hi]) <= tail;) --hi;
  return {lo, hi};
}

std::string tail_lines(const std::string& s, size_t n) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

TEST_CASE("binomial band") {
  CHECK(binomial_band(20, 0.4, kTail) == std::pair<int, int>{2, 15});
  CHECK(binomial_band(20, 1.0, kTail).first == 20);
  CHECK(binomial_band(20, 0.5, kTail) == std::pair<int, int>{3, 17});
}

TEST_CASE("expected_rate comment") {
  test::TempDir d;
  CHECK(expected_rate(d.write("a.toml", "# expected_rate = 0.4\n[oracle]\nkind = \"exit-hang\"\n")) == 0.4);
  CHECK(expected_rate(d.write("b.toml", "[oracle]\n  #expected_rate=0.25\n")) == 0.25);
  CHECK(!expected_rate(d.write("c.toml", "# racy, about half the runs\n[oracle]\nruns = 5\n")));
}

TEST_CASE("every corpus case reproduces at its rate (reduce check --runs 20)") {
  const auto corpus = std::filesystem::path(MINREPRO_SOURCE_DIR) / "corpus";
  std::vector<CaseRun> cases;
  std::vector<std::filesystem::path> dirs;
  for (auto& e : std::filesystem::directory_iterator(corpus))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (auto& dir : dirs) {
    if (!std::filesystem::exists(dir / "case.cpp")) {
      MESSAGE("skipped " << dir.filename().string() << ": no case.cpp");
      continue;
    }
    CaseRun c;
    c.name = dir.filename().string();
    if (std::filesystem::exists(dir / "repro.toml")) c.expected_rate = expected_rate(dir / "repro.toml");
    cases.push_back(std::move(c));
  }
  REQUIRE(!cases.empty());

  const auto started = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < cases.size();) {
      auto& c = cases[i];
      auto t0 = std::chrono::steady_clock::now();
      c.result = runners::run(test::tool_spec(
          MINREPRO_REDUCE_BINARY,
          {"check", "--runs", std::to_string(kRuns), (corpus / c.name / "case.cpp").string()}));
      c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      parse_result(c);
    }
  };
  std::vector<std::thread> others;
  for (int i = 1; i < kWorkers; ++i) others.emplace_back(worker);
  worker();
  for (auto& t : others) t.join();
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (auto& c : cases) {
    std::ostringstream line;
    line << c.name << ": " << c.hits << "/" << c.runs << " in " << c.seconds << " s";
    std::pair<int, int> band{kMinHitsDeterministic, kRuns};
    if (c.expected_rate) {
      band = binomial_band(kRuns, *c.expected_rate, kTail);
      line << " (racy: expected_rate " << *c.expected_rate << ", band " << band.first << ".." << band.second << ")";
    }
    MESSAGE(line.str());
    INFO(c.name, ": ", c.result.describe_end(), "\n", c.result.err, tail_lines(c.result.out, 12));
    CHECK_MESSAGE(c.result.exited, "reduce check did not finish");
    CHECK_MESSAGE(c.result.exit_code != 2, "reduce check rejected its input");
    if (c.runs != kRuns) {
      FAIL_CHECK("no 'result: ... (N/" << kRuns << " runs)' line");
      continue;
    }
    if (c.expected_rate) {
      CHECK_MESSAGE((*c.expected_rate > 0 && *c.expected_rate <= 1), "expected_rate must be in (0, 1]");
      CHECK_MESSAGE((c.hits >= band.first && c.hits <= band.second), c.hits, "/", kRuns,
                    " is outside the binomial band ", band.first, "..", band.second, " of rate ", *c.expected_rate);
    } else {
      CHECK_MESSAGE(c.hits >= kMinHitsDeterministic, c.hits, "/", kRuns, " reproduced; a deterministic case needs ",
                    kMinHitsDeterministic, " (a racy case says '# expected_rate = P' in its repro.toml)");
    }
  }
  MESSAGE(cases.size(), " corpus cases in ", total, " s");
}
