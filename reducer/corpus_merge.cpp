// `reduce corpus merge OUT1 OUT2 ... [--out MERGED]`: the summaries of a
// corpus run's shards joined into one, as if one job had run them all.
#include <algorithm>
#include <iostream>
#include <map>

#include "reducer/commands.hpp"
#include "reducer/corpus.hpp"

namespace minrepro::corpus {
namespace {
namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<fs::path> inputs;
  fs::path out;  // empty: summary.md to stdout
  std::set<std::string> fail_on;
  bool quiet = false, help = false;
};

Expected<MergeOptions> parse_merge(const std::vector<std::string>& args) {
  MergeOptions o;
  o.fail_on = *parse_fail_on(kDefaultFailOn);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "--out" || a == "-o" || a == "--fail-on") {
      if (i + 1 >= args.size()) return Error{a + ": needs a value (see --help)"};
      if (a == "--fail-on") {
        auto f = parse_fail_on(args[++i]);
        if (!f) return f.error();
        o.fail_on = *f;
      } else {
        o.out = args[++i];
      }
    } else if (a.size() > 1 && a[0] == '-') {
      return Error{"corpus merge: unknown option '" + a + "' (see --help)"};
    } else {
      o.inputs.emplace_back(a);
    }
  }
  if (!o.help && o.inputs.empty())
    return Error{"corpus merge: name the shard outputs: reduce corpus merge OUT1 OUT2 ... [--out MERGED]"};
  return o;
}

// One result, whichever shard holds it: a `cached` result is the `reduced` one it carries.
bool same_result(const CaseResult& a, const CaseResult& b) {
  auto norm = [](const std::string& s) { return s == "cached" ? std::string("reduced") : s; };
  return norm(a.status) == norm(b.status) && a.input_hash == b.input_hash && a.config_hash == b.config_hash &&
         a.tool_hash == b.tool_hash && a.final_tokens == b.final_tokens && a.final_bytes == b.final_bytes;
}

std::string missing_shards(const std::vector<Shard>& shards) {
  std::string missing;
  for (int k = 1; k <= shards.front().count; ++k)
    if (std::none_of(shards.begin(), shards.end(), [&](const Shard& s) { return s.index == k; }))
      missing += (missing.empty() ? "" : ", ") + Shard{k, shards.front().count}.describe();
  return missing;
}

// Each case's files (case.min.cpp, reduce.log, result.json) next to the merged summary.
void copy_case_dirs(const fs::path& from, const fs::path& to, const std::vector<CaseResult>& cases) {
  std::error_code ec;
  if (fs::equivalent(from, to, ec)) return;
  for (auto& c : cases)
    if (fs::is_directory(from / c.name, ec))
      fs::copy(from / c.name, to / c.name, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
}

}  // namespace

int run_merge(const std::vector<std::string>& args) {
  auto fail = [](const std::string& message) {
    std::cerr << "reduce: " << message << "\n";
    return int(kBadInput);
  };
  auto o = parse_merge(args);
  if (!o) return fail(o.error().message);
  if (o->help) {
    std::cout << "usage: reduce corpus merge OUT1 OUT2 ... [--out MERGED] [--fail-on LIST] [--quiet]\n";
    return 0;
  }
  Summary merged;
  std::map<std::string, std::pair<CaseResult, fs::path>> by_name;
  std::vector<Shard> shards;
  std::vector<std::pair<fs::path, Summary>> parts;
  for (auto& in : o->inputs) {
    fs::path file = fs::is_directory(in) ? in / "summary.json" : in;
    auto s = read_summary(file);
    if (!s) return fail(s.error().message);
    for (auto& c : s->cases) {
      auto [it, fresh] = by_name.try_emplace(c.name, c, in);
      if (fresh) continue;
      if (!same_result(it->second.first, c))
        return fail("case '" + c.name + "' is in " + it->second.second.string() + " (" + it->second.first.status +
                    ") and in " + in.string() + " (" + c.status +
                    ") with different results; merge the shards of one run");
      if (!o->quiet)
        std::cerr << "reduce: note: case '" << c.name << "' is in both " << it->second.second.string() << " and "
                  << in.string() << " (same result, kept once)\n";
    }
    if (s->shard.count) shards.push_back(s->shard);
    if (merged.version.empty()) merged = *s, merged.cases.clear(), merged.merged_from.clear(), merged.shard = {};
    if (merged.tool_hash != s->tool_hash) merged.tool_hash = "mixed";
    merged.started = std::min(merged.started, s->started);
    merged.finished = s->finished.empty() || merged.finished.empty() ? "" : std::max(merged.finished, s->finished);
    merged.interrupted = merged.interrupted || s->interrupted;
    merged.merged_from.push_back(file.string());
    parts.emplace_back(in, std::move(*s));
  }
  for (auto& [name, entry] : by_name) merged.cases.push_back(entry.first);
  if (!o->quiet && !shards.empty()) {
    bool one_count =
        std::all_of(shards.begin(), shards.end(), [&](const Shard& s) { return s.count == shards[0].count; });
    if (!one_count) std::cerr << "reduce: note: the summaries come from different shard counts\n";
    else if (auto missing = missing_shards(shards); !missing.empty())
      std::cerr << "reduce: note: shard " << missing << " not among the merged summaries\n";
  }
  if (o->out.empty()) {
    std::cout << markdown(merged);
  } else {
    std::error_code ec;
    fs::create_directories(o->out, ec);
    for (auto& [dir, s] : parts)
      if (fs::is_directory(dir)) copy_case_dirs(dir, o->out, s.cases);
    if (auto st = write_summary(o->out, merged); !st) return fail(st.error().message);
    if (!o->quiet)
      std::cerr << "reduce: merged " << merged.cases.size() << " cases into " << (o->out / "summary.json").string()
                << " and summary.md\n";
  }
  return exit_status(merged, o->fail_on);
}

}  // namespace minrepro::corpus
