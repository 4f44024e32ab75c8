// The bug-report bundle (--report) and the toolchain matrix, through the real binary:
// report.md has every section and a right diagnosis, repro.sh reproduces on its own
// (and says so only when the symptom shows), the matrix prints a well-formed table.
#include <doctest/doctest.h>

#include <algorithm>

#include "helpers.hpp"
#include "oracle/build.hpp"
#include "runners/process.hpp"

using namespace minrepro;
using minrepro::test::TempDir;

namespace {

runners::RunResult reduce(std::vector<std::string> args) {
  return runners::run(test::tool_spec(MINREPRO_REDUCE_BINARY, std::move(args)));
}

// repro.sh as a user runs it: `bash repro.sh` in the bundle directory.
runners::RunResult repro(const std::filesystem::path& dir) {
  auto spec = test::tool_spec("/bin/bash", {"repro.sh"});
  spec.cwd = dir;
  spec.deadline_s = 60;
  return runners::run(spec);
}

const char* kStaticJoin = R"(#include <condition_variable>
#include <mutex>
#include <thread>

struct Worker {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread t{[this] {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [this] { return stop; });
  }};
  ~Worker() { t.join(); }  // nobody sets stop or notifies cv
} g_worker;

int main() { return 0; }
)";

const char* kFixed = R"(#include <thread>

int main() {
  std::thread t([] {});
  t.join();
  return 0;
}
)";

// A local whose destructor takes 0.6 s: the exit begins at the end of main's body.
const char* kLocalDelay = R"(#include <chrono>
#include <thread>

struct Flusher {
  ~Flusher() { std::this_thread::sleep_for(std::chrono::milliseconds(600)); }
};

int main() {
  Flusher f;
  return 0;
}
)";

std::string line_starting(const std::string& text, const std::string& prefix) {
  size_t at = text.find("\n" + prefix);
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

size_t bars(const std::string& line) {
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
  return n;
}

}  // namespace

TEST_CASE("check --report: every section, a diagnosis naming join and the destructor, a repro.sh that reproduces") {
  TempDir d;
  auto file = d.write("hang.cpp", kStaticJoin);
  auto out = d.path / "bundle";
  auto r = reduce({"check", "--hang-after", "0.3", "--report-runs", "4", "--report", out.string(), file.string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("diagnosis: the main thread is blocked in std::thread::join") != std::string::npos);

  std::string md = test::slurp(out / "report.md");
  INFO(md);
  for (const char* section :
       {"## The case", "## Build and run", "## Toolchain", "## Symptom timeline", "## Reproduction rate",
        "## Threads at the hang", "## Backtraces", "## Open file descriptors"})
    CHECK(md.find(section) != std::string::npos);
  std::string diagnosis = line_starting(md, "**Diagnosis:**");
  CHECK(diagnosis.find("std::thread::join") != std::string::npos);
  CHECK(diagnosis.find("Worker::~Worker") != std::string::npos);
  CHECK(diagnosis.find("exit handlers") != std::string::npos);
  CHECK(diagnosis.find("condition variable") != std::string::npos);
  CHECK(md.find("```cpp\n" + std::string(kStaticJoin)) != std::string::npos);
  CHECK(md.find("g++ -std=c++17 -pthread -O0 -Werror=return-type case.cpp -o case") != std::string::npos);
  CHECK(md.find("reduce check --oracle exit-hang --hang-after 0.3") != std::string::npos);
  CHECK(md.find("| compiler | `g++ (") != std::string::npos);
  CHECK(md.find("| C library | glibc 2.") != std::string::npos);
  CHECK(md.find("| kernel | Linux ") != std::string::npos);
  CHECK(md.find("**exit began**") != std::string::npos);
  CHECK(md.find("**still alive 0.3") != std::string::npos);  // a full run, not the early verdict
  CHECK(md.find("/4 runs reproduced") != std::string::npos);
  CHECK(md.find("untimed-wait") != std::string::npos);
  CHECK(md.find("Worker::~Worker()") != std::string::npos);  // in the backtrace
  CHECK(md.find("| 0 | `/dev/null`") != std::string::npos);
  CHECK(test::slurp(out / "case.cpp") == kStaticJoin);

  auto sh = repro(out);
  INFO(sh.out, sh.err);
  CHECK(sh.exit_code == 0);
  CHECK(sh.out.find("SYMPTOM SHOWN (exit-hang)") != std::string::npos);
  CHECK(sh.descendants_killed == 0);  // the script killed its program itself
  CHECK(std::filesystem::exists(out / "case.cpp"));
}

TEST_CASE("repro.sh of a fixed program exits 1; a delayed exit in a local's destructor is measured") {
  TempDir d;
  auto fixed = d.path / "fixed";
  auto r = reduce({"check", "--hang-after", "0.3", "--report-runs", "1", "--report", fixed.string(),
                   d.write("fixed.cpp", kFixed).string()});
  CHECK(r.exit_code == 1);
  CHECK(test::slurp(fixed / "report.md").find("**Diagnosis:** not reproduced") != std::string::npos);
  auto sh = repro(fixed);
  INFO(sh.out, sh.err);
  CHECK(sh.exit_code == 1);
  CHECK(sh.out.find("symptom not shown") != std::string::npos);
  CHECK(sh.descendants_killed == 0);

  auto delayed = d.path / "delayed";
  r = reduce({"check", "--oracle", "delayed-exit", "--min-delay", "0.3", "--report-runs", "1", "--report",
              delayed.string(), d.write("delay.cpp", kLocalDelay).string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  std::string md = test::slurp(delayed / "report.md");
  std::string diagnosis = line_starting(md, "**Diagnosis:**");
  CHECK(diagnosis.find("exit takes 0.") != std::string::npos);
  CHECK(diagnosis.find("sleeps in std::this_thread::sleep_for called from Flusher::~Flusher while main's locals") !=
        std::string::npos);
  CHECK(md.find("## Threads during the delay") != std::string::npos);
  sh = repro(delayed);
  INFO(sh.out, sh.err);
  CHECK(sh.exit_code == 0);
  CHECK(sh.out.find("exit began (main-end)") != std::string::npos);
  CHECK(sh.out.find("SYMPTOM SHOWN (delayed-exit)") != std::string::npos);
}

TEST_CASE("matrix: a Markdown table with a row per configuration; --report adds it to report.md") {
  TempDir d;
  auto file = d.write("hang.cpp", kStaticJoin);
  auto out = d.path / "bundle";
  auto r = reduce({"matrix", "--hang-after", "0.3", "--runs", "1", "--std", "c++17", "--opt", "O0,O2", "--report",
                   out.string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  std::vector<std::string> table;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("|", 0) == 0) table.push_back(line);
  bool clang = !oracle::find_program("clang++").empty();
  REQUIRE(table.size() == (clang ? 6u : 4u));  // header, rule, a row per compiler and -O level
  CHECK(table[0].find("| compiler") == 0);
  CHECK(table[1].find("| ---") == 0);
  for (auto& row : table) CHECK(bars(row) == 7);
  CHECK(table[2].find("| g++ 12") == 0);
  CHECK(table[2].find("| -O0 ") != std::string::npos);
  CHECK(table[3].find("| -O2 ") != std::string::npos);
  for (size_t i = 2; i < table.size(); ++i) {
    CHECK(table[i].find("| c++17 ") != std::string::npos);
    CHECK(table[i].find("| reproduced 1/1 ") != std::string::npos);
    CHECK(table[i].find("join in exit-handlers") != std::string::npos);
  }
  if (clang) CHECK(table[4].find("| clang++ ") == 0);
  CHECK(r.out.find("- reproduced in") != std::string::npos);
  CHECK(test::slurp(out / "report.md").find("## Toolchain matrix") != std::string::npos);

  auto bad = reduce({"matrix", "--opt", "O9", file.string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "reduce: --opt: 'O9' is not an optimization level (O0, O1, O2, O3, Os, Og)\n");
  bad = reduce({"check", "--report", d.path.string(), d.write("case.cpp", kFixed).string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("would overwrite the input") != std::string::npos);
}
