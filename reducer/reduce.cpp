// `reduce`: calibrate, reduce to a fixpoint, format, confirm.
#include <algorithm>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "oracle/ast.hpp"
#include "oracle/oracle.hpp"
#include "reducer/commands.hpp"
#include "reducer/corpus.hpp"
#include "reducer/describe.hpp"
#include "reducer/engine.hpp"
#include "reducer/progress.hpp"
#include "reducer/report.hpp"
#include "reducer/session.hpp"
#include "reducer/tidy.hpp"
#include "reducer/values.hpp"
#include "reducer/tokens.hpp"
#include "runners/process.hpp"

namespace minrepro {
namespace {

using reducer::PassInfo;
using reducer::PassStats;

std::string g_failure;  // the last error, for --summary

int fail(const std::string& message, int status = kBadInput) {
  std::cerr << "reduce: " << message << "\n";
  g_failure = message;
  return status;
}

Expected<std::vector<PassInfo>> select_passes(const std::vector<std::string>& names) {
  const auto& all = reducer::all_passes();
  if (names.empty()) return all;
  std::vector<PassInfo> out;
  for (auto& n : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](const PassInfo& p) { return n == p.name; });
    if (it == all.end()) {
      std::string known;
      for (auto& p : all) known += std::string(known.empty() ? "" : ", ") + p.name;
      return Error{"unknown pass '" + n + "' (known: " + known + ")"};
    }
    out.push_back(*it);
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string rate(int hits, int runs) { return std::to_string(hits) + "/" + std::to_string(runs); }

void print_summary(const std::vector<PassStats>& stats, double total_s) {
  std::fprintf(stderr, "\n%-16s %6s %7s %7s %6s %8s %8s %8s\n", "pass", "rounds", "tests", "cached", "kept",
               "tokens-", "bytes-", "time");
  for (auto& s : stats)
    if (s.rounds)
      std::fprintf(stderr, "%-16s %6d %7d %7d %6d %8ld %8ld %7.1fs\n", s.name.c_str(), s.rounds, s.tests,
                   s.cache_hits, s.accepted, s.tokens_removed, s.bytes_removed, s.seconds);
  std::fprintf(stderr, "total %.1fs\n", total_s);
}

// --stats: where the time went.
void print_time_breakdown(const oracle::OracleStats& s, long pchs, long stale, double total_s, int jobs) {
  auto sec = [](long us) { return double(us) / 1e6; };
  double busy = sec(s.parse_us) + sec(s.build_us) + sec(s.run_us);
  std::fprintf(stderr, "\nwhere the time went (summed over %d jobs; wall %.1fs, %.1f core-seconds available):\n",
               jobs, total_s, total_s * jobs);
  std::fprintf(stderr, "  checks            %ld (rejected by libclang before compiling: %ld; for a new warning: %ld)\n",
               s.checks.load(), s.precheck_rejects.load(), s.warning_rejects.load());
  std::fprintf(stderr, "  libclang parsing  %7.1fs\n", sec(s.parse_us));
  std::fprintf(stderr, "  compile + link    %7.1fs  (%ld builds, %ld failed, %ld cached; %ld precompiled headers)\n",
               sec(s.build_us), s.builds.load(), s.build_failures.load(), s.build_cache_hits.load(), pchs);
  std::fprintf(stderr, "  running           %7.1fs  (%ld runs, %ld decided early from /proc, %ld given up before exit)\n",
               sec(s.run_us), s.runs.load(), s.early_verdicts.load(), s.early_rejects.load());
  std::fprintf(stderr, "  idle cores/other  %7.1fs\n", std::max(0.0, total_s * jobs - busy));
  std::fprintf(stderr, "  stale tests       %ld stopped early (another candidate won while they ran)\n", stale);
}

}  // namespace

// The reduction; `sum` collects what --summary reports.
static int reduce_one(const cli::Options& o, corpus::ReduceSummary& sum) {
  auto start = std::chrono::steady_clock::now();
  auto input = cli::read_source(o.input);
  if (!input) return fail(input.error().message);
  auto passes = select_passes(o.config.reduce.passes);
  if (!passes) return fail(passes.error().message);
  std::error_code ec;
  if (std::filesystem::exists(o.output, ec) &&
      std::filesystem::equivalent(o.output, o.input, ec))
    return fail("the output " + o.output.string() + " is the input; choose another -o");
  // Candidates compile with -Wall -Wextra -Wpedantic: a candidate that adds a
  // warning of a new kind (other than leftovers the tidy step removes) is broken
  // code, not a smaller program -- `int fds[0];` for `int fds[2];` before a
  // pipe2() that writes two ints is only a -Wpedantic warning. Not when the
  // user's flags turn warnings into errors or off.
  oracle::Config config = o.config;
  auto& flags = config.toolchain.flags;
  bool guard_warnings = std::none_of(flags.begin(), flags.end(), [](const std::string& f) {
    return f == "-Werror" || f == "-w" || f.rfind("-Wno-error", 0) == 0;
  });
  if (guard_warnings) flags.insert(flags.end(), {"-Wall", "-Wextra", "-Wpedantic"});
  auto created = oracle::Oracle::create(config, o.input.filename().string());
  if (!created) return fail(created.error().message);
  oracle::Oracle& oracle = **created;
  reducer::Progress progress(o.quiet);
  for (auto& note : runners::sandbox_notes()) progress.note("note: " + note);

  static oracle::Oracle* g_oracle;
  static reducer::Engine* g_engine;
  g_oracle = &oracle;
  g_engine = nullptr;
  on_interrupt([] {
    if (g_engine) g_engine->stop();
    g_oracle->cancel();
  });

  // Calibrate: does the original reproduce, how reliably, at what cost. With a
  // second job, the checks that only the calibration needs run beside it and
  // each other (they mostly wait on the programs): a reduction then starts
  // some 5 s sooner.
  const oracle::OracleConfig& oc = o.config.oracle;
  int jobs = o.config.reduce.jobs > 0 ? o.config.reduce.jobs : std::max(1u, std::thread::hardware_concurrency());
  auto beside = [&](auto check) {
    return std::async(jobs > 1 ? std::launch::async : std::launch::deferred, std::move(check));
  };
  oracle::CheckOptions calib;
  calib.runs = std::max(3, oc.runs);
  calib.min_hits = 1;
  progress.note("calibrating: " + describe_oracle(oc));
  // Nothing is written before the calibration ends: a Ctrl-C during it says so.
  auto stopped_calibrating = [] {
    std::cerr << "reduce: interrupted while checking the original; nothing written\n";
    return kInterrupted;
  };
  // A reduction must not come to rely on uninitialized stack memory: an
  // emptied constructor leaves a member unset, and what a run happens to find
  // there (under the probe: a long sleep) is no bug the user can rebuild.
  // Candidates are built with the memory set to a pattern, when the original
  // reproduces that way too; the confirmation uses the user's flags again.
  std::atomic<bool> refused{false};  // the original does not build or reproduce: the guard's check stops
  // The original is parsed here first, so that the checks beside find it
  // parsed: a parse worker forked while another thread allocates can inherit
  // a held allocator lock (ASan's) and never answer.
  if (oracle::is_exit_kind(oc.kind)) oracle.parsed(*input);
  std::future<oracle::Verdict> guarded;
  if (oracle.uninit_guard_supported())
    guarded = beside([&] {
      oracle::CheckOptions g = calib;
      g.stop_when_decided = true;
      g.uninit_guard = true;
      g.abandon = &refused;
      return oracle.check(*input, g);
    });
  oracle::Verdict v0 = oracle.check(*input, calib);
  refused = !v0.built || v0.hits == 0;
  if (interrupted()) return stopped_calibrating();
  sum.original_hits = v0.hits, sum.original_runs = v0.runs, sum.oracle_runs = v0.runs;
  if (!v0.built)
    return fail(o.input.string() + " does not compile: " + v0.why.substr(v0.why.find(':') + 2) +
                " (fix it, or set --cxx/--cxxflags)");
  if (v0.hits == 0) {
    sum.outcome = "does-not-reproduce";
    print_verdict(std::cerr, v0, false);
    return fail(o.input.string() + " does not reproduce (" + rate(0, v0.runs) + " runs: " + v0.why +
                "); check the oracle and its thresholds with `reduce check`");
  }
  double run_s = 0;
  for (auto& ev : v0.evidence) run_s += ev.run.wall_s;
  progress.note("original: reproduced " + rate(v0.hits, v0.runs) + ", build " + std::to_string(v0.build.seconds).substr(0, 4) +
                " s, run " + std::to_string(run_s / v0.runs).substr(0, 4) + " s; signature: " + v0.signature.describe());
  if (v0.hits < v0.runs && oc.runs == 1)
    progress.note("warning: the original is flaky (" + rate(v0.hits, v0.runs) +
                  "); consider --runs 5 --min-hits 2 so reduction does not chase luck");
  if (guarded.valid()) {
    oracle::Verdict vg = guarded.get();
    if (interrupted()) return stopped_calibrating();
    if (vg.reproduced) oracle.set_uninit_guard(true);
    else progress.note("warning: the original does not reproduce with -ftrivial-auto-var-init=pattern (" + vg.why +
                       "): it may read uninitialized memory; candidates are built without that guard");
  }
  // Candidates whose threads all wait on futexes before their exit began (a
  // notify or a set_value removed) are given up on at once, not at the
  // timeout -- unless the original's do that too for a while (a timer
  // signal's handler may post a semaphore). Beside the perturbed runs.
  bool early_reject = oc.early_verdict && oracle::is_exit_kind(oc.kind);
  std::future<oracle::Verdict> early_check;
  if (early_reject)
    early_check = beside([&] {
      oracle::CheckOptions once = calib;
      once.runs = once.min_hits = 1;
      once.early_reject = true;
      return oracle.check(*input, once);
    });
  // Perturbed re-runs (a deterministic original only): each new thread starts
  // 50 ms late, or the thread that created one goes on 50 ms late, or the exit
  // begins 50 ms late; when the original waits for child processes, also every
  // write of a child process is 50 ms late. A candidate that needs main to
  // outrun a thread (the wait for "worker idle" removed: 5 of 5 while
  // reducing, 3 of 10 at the confirmation), a thread not to outrun main (a
  // condition variable's predicate removed in detached-mutex-static: main then
  // waits forever for a notify that came first), or the shell's output to get
  // through before main's exit closes the pipe (pclose-grandchild-pipe: main
  // reading one line of three), stops hanging. Each perturbation the original
  // does not survive twice is left out. The runs go at once, as a candidate's
  // perturbed re-runs do.
  using Perturb = oracle::CheckOptions::Perturb;
  std::vector<std::pair<Perturb, const char*>> kinds = {{Perturb::ThreadStart, "threads start"},
                                                        {Perturb::CreatorResume, "threads' creators go on"},
                                                        {Perturb::ExitBegin, "the exit begins"}};
  if (!v0.signature.children.empty()) kinds.push_back({Perturb::ChildWrite, "child processes write"});
  std::vector<Perturb> perturbations;
  if (v0.hits == v0.runs && oc.runs == 1) {
    oracle::CheckOptions perturbed = calib;
    for (auto& kind : kinds) perturbed.perturb_each.insert(perturbed.perturb_each.end(), {kind.first, kind.first});
    perturbed.runs = perturbed.min_hits = static_cast<int>(perturbed.perturb_each.size());
    perturbed.concurrent_runs = jobs > 1;
    oracle::Verdict vp = oracle.check(*input, perturbed);
    if (interrupted()) return stopped_calibrating();
    for (size_t i = 0; i < kinds.size(); ++i) {
      std::string why;
      for (size_t r : {2 * i, 2 * i + 1})
        if (why.empty() && (r >= vp.evidence.size() || !vp.evidence[r].reproduced))
          why = r < vp.evidence.size() ? vp.evidence[r].why : vp.why;
      if (why.empty()) perturbations.push_back(kinds[i].first);
      else progress.note(std::string("note: the original does not reproduce when ") + kinds[i].second +
                         " 50 ms late (" + why + "); candidates are not re-run that way");
    }
  }
  if (early_check.valid()) {
    oracle::Verdict ve = early_check.get();
    if (interrupted()) return stopped_calibrating();
    if (!ve.reproduced && !ve.evidence.empty() && ve.evidence.back().stalled) {
      early_reject = false;
      progress.note("note: the original's threads all waited on futexes before its exit began (" + ve.why +
                    "); candidates are not given up on early");
    }
  }
  // One run of a check, under a perturbation (or none), one at a time.
  auto one_run = [](oracle::CheckOptions co, Perturb p) {
    co.runs = co.min_hits = 1;
    co.concurrent_runs = false;
    co.perturb = p;
    return co;
  };
  oracle::Signature expect = v0.signature;
  std::set<std::string> allowed_warnings = reducer::leftover_warnings();
  for (auto& w : oracle::warnings_in(v0.build.diagnostics)) allowed_warnings.insert(w.kind);
  sum.signature = expect.describe();
  // libclang rejects most broken candidates in ~50 ms instead of a compiler run;
  // only when it accepts the original (no compiler-specific extensions). It
  // also rejects a candidate with a warning libclang knows by the same name
  // and the compiler would add (`x;` left of a statement, `T t();`): the
  // build would be rejected for it.
  std::vector<std::string> strict;
  if (guard_warnings)
    for (const char* kind : {"-Wunused-value", "-Wunused-result", "-Wmissing-field-initializers", "-Wvexing-parse",
                             "-Wempty-body"})
      if (!allowed_warnings.count(kind)) strict.push_back(std::string("-Werror=") + (kind + 2));
  if (!oracle.enable_precheck(*input, strict)) progress.note("note: libclang reports errors in the original; every candidate goes to the compiler");
  // A candidate whose exit has not begun long after the original's did is not
  // the same bug: do not wait the whole timeout for it.
  double began = 0, ended = 0;
  for (auto& ev : v0.evidence) {
    if (ev.exit_began) began = std::max(began, *ev.exit_began);
    if (ev.ended) ended = std::max(ended, *ev.ended);
  }
  // A delayed exit needs the longer timeout only once its exit has begun.
  if (began > 0) {
    double begin_by = std::max(2.0, 4 * began + 1.0);
    double limit = std::max(begin_by, 2 * ended);
    if (limit < oc.timeout) {
      oracle.tighten_timeout(limit);
      progress.note("timeout per run: " + std::to_string(limit).substr(0, 4) + " s (exit began by " +
                    std::to_string(began).substr(0, 5) + " s in the original)");
    }
    if (begin_by < std::min(limit, oc.timeout)) {
      oracle.tighten_begin_timeout(begin_by);
      progress.note("exit must begin within " + std::to_string(begin_by).substr(0, 4) + " s");
    }
  }

  // A delayed exit must keep a margin over min_delay while reducing: a
  // candidate whose delay sits right at the threshold (two 250 ms sleeps for
  // a 0.5 s min_delay) passes some runs and fails others, and the result
  // then reproduces less often than the original. Required: 20% over
  // min_delay, or half way to the shortest delay the original showed.
  std::optional<double> reduce_min_delay;
  if (oc.kind == oracle::Kind::DelayedExit) {
    double shortest = 0;
    for (auto& ev : v0.evidence)
      if (ev.reproduced && ev.ended && ev.exit_began && (shortest == 0 || *ev.ended - *ev.exit_began < shortest))
        shortest = *ev.ended - *ev.exit_began;
    if (shortest > oc.min_delay) {
      reduce_min_delay = std::min(1.2 * oc.min_delay, (oc.min_delay + shortest) / 2);
      progress.note("while reducing, a candidate's exit must take " + std::to_string(*reduce_min_delay).substr(0, 5) +
                    " s (the original's took " + std::to_string(shortest).substr(0, 5) + " s)");
    }
  }

  // Where to start: the original, or a previous result with --resume.
  std::string current = *input;
  if (o.resume && std::filesystem::exists(o.output)) {
    auto prev = cli::read_source(o.output);
    // Three runs (or --runs): a starting point must reproduce as reliably as
    // the original did. A result cut short by the budget was not confirmed,
    // and one seen on the corpus had turned a deterministic hang into a race
    // (1 run in 3); resuming from it would build on the race.
    oracle::CheckOptions co;
    co.expect = oc.signature ? &expect : nullptr;
    co.min_delay = reduce_min_delay;
    co.runs = std::max(3, oc.runs);
    co.min_hits = v0.hits == v0.runs ? co.runs : std::max(1, oc.min_hits);
    co.stop_when_decided = true;
    oracle::Verdict vp;
    if (prev) vp = oracle.check(*prev, co);
    // And once under each perturbation, as a candidate is: a budget-cut
    // fork-child-exit-deadlock result that needed a thread to lock a mutex
    // before the fork passed 3 plain runs, and then no candidate built on it
    // could pass (4,541 tests, none kept).
    for (auto p : perturbations) {
      if (!prev || !vp.reproduced) break;
      vp = oracle.check(*prev, one_run(co, p));
      if (!vp.reproduced) vp.why = "perturbed: " + vp.why;
    }
    if (prev && vp.reproduced) {
      current = *prev;
      progress.note("resuming from " + o.output.string());
    } else {
      progress.note("warning: " + o.output.string() + " does not reproduce (" + (prev ? vp.why : "unreadable") +
                    "); starting from the input");
    }
  }
  if (auto st = reducer::write_atomically(o.output, current); !st) return fail(st.error().message);

  // A candidate is kept only when it reproduces the same bug, and then again
  // four more times: an edit that turns a deterministic hang into a race (one
  // seen in the corpus reproduces 2 times in 5) then gets through about 1% of
  // the time instead of 16% with one re-run. Most candidates fail the first
  // check, so this costs little.
  auto test = [&](const std::string& candidate, const std::atomic<bool>* abandon = nullptr,
                  const std::function<void()>* promising = nullptr) {
    oracle::CheckOptions co;
    co.abandon = abandon;
    co.stop_when_decided = true;
    co.expect = oc.signature ? &expect : nullptr;
    co.backtraces = oc.signature;
    co.min_delay = reduce_min_delay;
    co.allowed_warnings = guard_warnings ? &allowed_warnings : nullptr;
    co.early_reject = early_reject;
    // MINREPRO_TRACE=1: why each candidate was rejected, on stderr.
    static const bool trace = std::getenv("MINREPRO_TRACE") != nullptr;
    auto verdict = [&](const oracle::CheckOptions& opts, const char* stage) {
      oracle::Verdict v = oracle.check(candidate, opts);
      if (trace && !v.reproduced && !(abandon && *abandon))
        std::fprintf(stderr, "trace: %zu-byte candidate rejected (%s, %d/%d): %s\n", candidate.size(), stage, v.hits, v.runs, v.why.c_str());
      return v.reproduced;
    };
    if (!verdict(co, "first run")) return false;
    // Most candidates that get this far pass the re-runs too: the engine may
    // test the next ones on top of this one meanwhile.
    if (promising) (*promising)();
    oracle::CheckOptions again = co;
    again.runs = 4 * std::max(1, oc.runs);
    again.min_hits = 4 * oc.min_hits;
    // The first run saw the whole delayed exit; the re-runs only need to see
    // exit last past min_delay with the same signature.
    again.early_delay = true;
    // At once: the runs mostly block or sleep, and a re-run under different
    // load than the first run is a better test for a race.
    again.concurrent_runs = true;
    if (v0.hits == v0.runs && oc.runs == 1) {
      // A deterministic original: first the perturbed re-runs, one for each
      // perturbation, at once (a 50 ms shift is far more than the jitter they
      // cause each other), apart from the plain re-runs. With fewer than two
      // perturbations, plain runs alone make up two re-runs apart from the
      // rest: four at once load the machine, and a race that only wins under
      // load (pclose-grandchild-pipe: main reading one line of the shell's
      // three) then passes them all; alone it hung 1 time in 3. At least one
      // plain re-run goes with the others at once (five re-runs with four
      // perturbations).
      if (!perturbations.empty()) {
        oracle::CheckOptions shifted = again;
        shifted.runs = shifted.min_hits = static_cast<int>(perturbations.size());
        shifted.perturb_each = perturbations;
        if (!verdict(shifted, "perturbed re-runs")) return false;
      }
      for (size_t i = perturbations.size(); i < 2; ++i)
        if (!verdict(one_run(again, Perturb::None), "re-run alone")) return false;
      again.runs = again.min_hits = std::max(1, 4 - static_cast<int>(std::max<size_t>(2, perturbations.size())));
    }
    return verdict(again, "re-runs");
  };
  reducer::Engine engine(
      [&](const std::string& c, const reducer::TestContext& ctx) { return test(c, &ctx.abandoned, &ctx.promising); },
      jobs);
  g_engine = &engine;

  reducer::ProgressState ps;
  ps.original_bytes = input->size();
  ps.original_tokens = reducer::count_tokens(*input);
  std::vector<std::string> history;  // every accepted result, oldest first
  auto on_improve = [&](const std::string& text) {
    history.push_back(text);
    reducer::write_atomically(o.output, text);
    ps.bytes = text.size();
    ps.tokens = reducer::count_tokens(text);
    ps.tests = engine.total_tests();
    ps.cache_hits = engine.total_cache_hits();
    progress.update(ps);
  };
  on_improve(current);

  std::vector<PassStats> stats(passes->size());
  for (size_t i = 0; i < passes->size(); ++i) stats[i].name = (*passes)[i].name;
  auto parse_path = oracle.workdir() / "parse" / o.input.filename();
  // A pass's (or step's) round: its chunks through the engine; whether the text changed.
  auto start_round = [&](PassStats& st) {
    ps.pass = st.name;
    progress.update(ps, true);
    ++st.rounds;
    return ast::thread_parser(o.config.toolchain.flags, true).parse(parse_path, current);
  };
  auto reduce_with = [&](const std::vector<reducer::Chunk>& chunks, PassStats& st) {
    if (chunks.empty()) return false;
    std::string before = current;
    current = engine.reduce(current, chunks, st, on_improve);
    st.tokens_removed += long(reducer::count_tokens(before)) - long(reducer::count_tokens(current));
    return current != before;
  };
  auto run_pass = [&](size_t i) {
    CXTranslationUnit tu = start_round(stats[i]);
    reduce_with((*passes)[i].fn({current, tu}), stats[i]);
  };
  // The values step (reducer/values.hpp): one instrumented build and run show
  // which integer and bool expressions were constant; the engine then tries
  // them as literals. A compile error in the instrumented build (a constant
  // expression context) drops the sites on that line and tries again.
  auto values_step = [&](PassStats& st) {
    CXTranslationUnit tu = start_round(st);
    auto sites = reducer::value_sites({current, tu});
    std::set<unsigned> skip;
    oracle::Observation seen;
    for (int attempt = 0; attempt < 4 && !sites.empty() && !engine.stopped(); ++attempt) {
      seen = oracle.observe(reducer::instrument_values(current, sites, skip), "MINREPRO_VALUES");
      if (seen.built) break;
      size_t known = skip.size();
      for (auto line : oracle::error_lines(seen.diagnostics)) skip.insert(line);
      if (skip.size() == known) break;
    }
    return seen.built && reduce_with(reducer::value_chunks(sites, reducer::parse_values(seen.text), skip), st);
  };
  // The values step is the pass list's entry without a text function.
  auto values = std::find_if(passes->begin(), passes->end(), [](const PassInfo& p) { return !p.fn; });
  std::optional<size_t> values_pass;
  if (values != passes->end() && oc.kind != oracle::Kind::Script) values_pass = size_t(values - passes->begin());
  int values_left = 3;  // a value may add bytes (n -> 12u): a count, not the size, bounds the rounds it starts
  for (int round = 1; round <= 50 && !engine.stopped(); ++round) {
    size_t before = current.size();
    for (size_t i = 0; i < passes->size() && !engine.stopped(); ++i)
      if (!(*passes)[i].late) run_pass(i);
    // The values step once after the first round too, stuck or not: a
    // constant computed by code the passes cannot remove while it is used
    // (atexit-backoff's delays parsed from a config string) frees that code
    // for the next rounds instead of the last ones.
    if (round == 1 && values_pass && !engine.stopped()) values_step(stats[*values_pass]);
    if (current.size() < before) continue;
    // The AST passes are stuck. First the cheap values step (one build and
    // run): constants seen at run time may free what computed them, and the
    // AST passes go again.
    if (values_pass && values_left-- > 0 && !engine.stopped() && values_step(stats[*values_pass])) continue;
    // Then the slow text fallbacks, and go on while they find something.
    for (size_t i = 0; i < passes->size() && !engine.stopped(); ++i)
      if ((*passes)[i].late && (*passes)[i].fn) run_pass(i);
    if (current.size() >= before) break;
  }

  // Tidy: remove the unused parameters and variables the reduction left.
  if (guard_warnings && !engine.stopped()) {
    PassStats& tidy = stats.emplace_back();
    tidy.name = "tidy";
    ps.pass = "tidy";
    progress.update(ps, true);
    // Unused parameters first, all at once and outside the engine's cache: a
    // verdict that flakes under load gets two retries instead of leaving the
    // warning in the result.
    std::vector<oracle::Warning> unused_params;
    for (auto& w : oracle.warnings(current))
      if (w.kind == "-Wunused-parameter") unused_params.push_back(w);
    if (auto chunks = reducer::warning_fixes(current, unused_params); !chunks.empty()) {
      std::vector<const reducer::Chunk*> all;
      for (auto& c : chunks) all.push_back(&c);
      std::string candidate = reducer::apply_chunks(current, all);
      bool kept = false;
      for (int attempt = 0; attempt < 3 && !kept && !engine.stopped(); ++attempt) ++tidy.tests, kept = test(candidate);
      if (kept) {
        tidy.tokens_removed += long(reducer::count_tokens(current)) - long(reducer::count_tokens(candidate));
        ++tidy.accepted;
        current = candidate;
        on_improve(current);
      }
    }
    for (int round = 0; round < 3 && !engine.stopped(); ++round) {
      auto chunks = reducer::warning_fixes(current, oracle.warnings(current), round % 2 == 1);
      ++tidy.rounds;
      if (chunks.empty()) break;
      if (!reduce_with(chunks, tidy) && round > 0) break;
    }
  }
  if (!engine.stopped()) {
    ps.pass = "clang-format";
    progress.update(ps, true);
    // Without the original's comments, which now describe code that is gone;
    // formatted only, should the comments matter after all (`__LINE__`).
    std::vector<std::string> sources = {reducer::strip_comments(current)};
    if (sources[0] != current) sources.push_back(current);  // no comments: the same candidate again
    for (const std::string& from : sources) {
      std::string formatted = reducer::clang_format(from, oracle.workdir());
      // Two retries, as for tidy: a verdict that flakes under load must not leave the result unformatted.
      bool kept = false;
      for (int attempt = 0; attempt < 3 && formatted != current && !kept && !engine.stopped(); ++attempt)
        kept = test(formatted);
      if (kept) {
        current = formatted;
        on_improve(current);
        break;
      }
    }
  }
  progress.finish();
  sum.tests = engine.total_tests(), sum.oracle_runs = oracle.stats().runs;
  g_engine = nullptr;
  auto stop_interrupted = [&](const std::string& what) {
    sum.oracle_runs = oracle.stats().runs;
    if (o.stats)
      print_time_breakdown(oracle.stats(), oracle.pchs_built(), engine.total_abandoned(), seconds_since(start), jobs);
    std::cerr << "reduce: interrupted" << what << " is in " << o.output.string() << "\n";
    return kInterrupted;
  };
  if (interrupted() || engine.stopped()) return stop_interrupted("; the best result so far");

  // Confirm: the result must reproduce the same bug at the original's rate. A
  // deterministic original needs 10 of 10: an edit can turn the bug into a
  // race that wins most of the time (a removed notify in the corpus gave 4/5)
  // and pass a candidate's five runs. A race (the original also ended
  // cleanly) must stay one, over 20 runs: shutdown-race-flaky's lost notify
  // (half the runs) reduced to a worker nobody notifies at all, which hangs
  // every time with the same signature: another bug. Then step back through
  // the accepted results (1, 2, 4, ... back; the original last) to the newest
  // that does.
  oracle.set_uninit_guard(false);
  bool deterministic = v0.hits == v0.runs, racing = !deterministic && v0.clean > 0;
  auto at_rate = [&](const oracle::Verdict& v) {
    return deterministic ? v.hits == v.runs : !racing || (v.hits > 0 && v.clean > 0);
  };
  oracle::CheckOptions confirm;
  confirm.runs = std::max(deterministic ? 10 : racing ? 20 : 5, v0.runs);
  confirm.min_hits = 1;
  confirm.expect = oc.signature ? &expect : nullptr;
  oracle::Verdict vf = oracle.check(current, confirm);
  if (!at_rate(vf) && !interrupted()) {
    progress.note("the result reproduced " + rate(vf.hits, vf.runs) +
                  (deterministic ? ", the original every time: stepping back to the newest earlier result that "
                                   "reproduces " + rate(vf.runs, vf.runs)
                                 : ", the original " + rate(v0.hits, v0.runs) + " and ended cleanly in " +
                                       rate(v0.clean, v0.runs) + " (a race): stepping back to the newest earlier "
                                       "result that does both"));
    for (size_t back = 1; !interrupted(); back *= 2) {
      size_t i = history.size() > back ? history.size() - 1 - back : 0;
      oracle::Verdict v = oracle.check(history[i], confirm);
      if (at_rate(v) || i == 0) {
        current = history[i], vf = v;
        reducer::write_atomically(o.output, current);
        progress.note(at_rate(v) ? "stepped back " + std::to_string(history.size() - 1 - i) + " results to " +
                                             std::to_string(reducer::count_tokens(current)) + " tokens (" +
                                             rate(v.hits, v.runs) + ")"
                                       : "warning: even the starting point reproduces " + rate(v.hits, v.runs) +
                                             (racing && v.clean == 0 ? " and never ended cleanly" : "") +
                                             "; consider --runs/--min-hits");
        break;
      }
    }
  }
  // Interrupted while confirming: the result stands, unconfirmed.
  if (interrupted()) return stop_interrupted(" while confirming; the result (not confirmed)");
  sum.confirmed_hits = vf.hits, sum.confirmed_runs = vf.runs, sum.oracle_runs = oracle.stats().runs;
  double total = seconds_since(start);
  if (!o.quiet) print_summary(stats, total);
  if (o.stats) print_time_breakdown(oracle.stats(), oracle.pchs_built(), engine.total_abandoned(), total, jobs);
  size_t tokens = reducer::count_tokens(current);
  std::cerr << "reduced " << o.input.string() << ": " << ps.original_tokens << " -> " << tokens << " tokens, "
            << input->size() << " -> " << current.size() << " bytes, " << engine.total_tests() << " tests in "
            << std::to_string(total).substr(0, std::to_string(total).find('.') + 2) << " s\n";
  std::cerr << "confirmed: reproduced " << rate(vf.hits, vf.runs) << " (original " << rate(v0.hits, v0.runs)
            << "); signature: " << vf.signature.describe() << "\n";
  std::cerr << "wrote " << o.output.string() << "\n";
  if (!o.report_dir.empty() && vf.hits > 0)  // --report: the bundle of the confirmed result
    if (auto st = report::write_bundle(oracle, o, current, vf, oc.signature ? &expect : nullptr, std::cerr); !st)
      return fail(st.error().message);
  double r0 = double(v0.hits) / v0.runs, rf = vf.runs ? double(vf.hits) / vf.runs : 0;
  if (vf.hits == 0 || rf + 0.34 < r0)
    return fail("the result reproduces less often than the original (" + rate(vf.hits, vf.runs) + " vs " +
                    rate(v0.hits, v0.runs) + "); rerun with --runs/--min-hits",
                kNotReproduced);
  return kReproduced;
}

// --summary FILE: the numbers of the run as JSON, written atomically whatever the outcome.
int run_reduce(const cli::Options& o) {
  auto start = std::chrono::steady_clock::now();
  corpus::ReduceSummary sum;
  sum.oracle = oracle::kind_name(o.config.oracle);
  int status = reduce_one(o, sum);
  if (o.summary.empty()) return status;
  // Sizes from the files: the output holds the best so far, even after Ctrl-C.
  if (auto in = cli::read_source(o.input))
    sum.original_bytes = long(in->size()), sum.original_tokens = long(reducer::count_tokens(*in));
  if (auto out = sum.original_hits > 0 ? cli::read_source(o.output) : Error{""})
    sum.final_bytes = long(out->size()), sum.final_tokens = long(reducer::count_tokens(*out));
  sum.exit_status = status;
  sum.seconds = seconds_since(start);
  if (sum.outcome.empty())
    sum.outcome = status == kReproduced      ? "reduced"
                  : status == kInterrupted   ? "interrupted"
                  : status == kNotReproduced ? "less-often"
                                             : "error";
  if (status != kReproduced) sum.message = g_failure;
  if (auto st = corpus::write_reduce_summary(o.summary, sum); !st) return fail(st.error().message);
  return status;
}

}  // namespace minrepro
