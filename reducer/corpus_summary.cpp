// The corpus files: a reduction's --summary, a case's result.json, the corpus
// summary.json (Boost.JSON) and summary.md.
#include <time.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "reducer/corpus.hpp"
#include "reducer/session.hpp"

namespace minrepro::corpus {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Indented JSON with plain decimals (Boost.JSON writes 12.3 as 1.23E1).
void pretty(std::string& out, const json::value& v, int indent) {
  auto pad = [&](int n) { out.append(n, ' '); };
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (auto& [key, x] : v.get_object()) {
      out += first ? "" : ",\n";
      first = false;
      pad(indent + 2);
      out += json::serialize(json::value(key)) + ": ";
      pretty(out, x, indent + 2);
    }
    out += "\n";
    pad(indent);
    out += "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (auto& x : v.get_array()) {
      out += first ? "" : ",\n";
      first = false;
      pad(indent + 2);
      pretty(out, x, indent + 2);
    }
    out += "\n";
    pad(indent);
    out += "]";
  } else if (v.is_double()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", std::round(v.get_double() * 100) / 100);
    out += buf;
  } else {
    out += json::serialize(v);
  }
}

Status write_json(const fs::path& file, const json::value& v) {
  std::string text;
  pretty(text, v, 0);
  return reducer::write_atomically(file, text + "\n");
}

Expected<json::object> read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read (is it a corpus output?)"};
  std::stringstream ss;
  ss << in.rdbuf();
  json::error_code ec;
  json::value v = json::parse(ss.str(), ec);
  if (ec || !v.is_object())
    return Error{file.string() + ": not valid JSON (" + (ec ? ec.message() : "not an object") + ")"};
  return std::move(v.get_object());
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

double num(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return double(v->get_int64());
  if (v->is_uint64()) return double(v->get_uint64());
  return v->is_double() ? v->get_double() : 0;
}

long whole(const json::object& o, std::string_view key) { return std::lround(num(o, key)); }

bool flag(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

json::object to_json(const CaseResult& r) {
  return {{"name", r.name},
          {"oracle", r.oracle},
          {"status", r.status},
          {"budget_hit", r.budget_hit},
          {"resumed", r.resumed},
          {"original_tokens", r.original_tokens},
          {"final_tokens", r.final_tokens},
          {"original_bytes", r.original_bytes},
          {"final_bytes", r.final_bytes},
          {"seconds", r.seconds},
          {"tests", r.tests},
          {"oracle_runs", r.oracle_runs},
          {"rate", r.rate},
          {"original_rate", r.original_rate},
          {"signature", r.signature},
          {"input_hash", r.input_hash},
          {"config_hash", r.config_hash},
          {"tool_hash", r.tool_hash},
          {"produced_at", r.produced_at},
          {"message", r.message}};
}

CaseResult case_from_json(const json::object& o) {
  CaseResult r;
  r.name = str(o, "name");
  r.oracle = str(o, "oracle");
  r.status = str(o, "status");
  r.budget_hit = flag(o, "budget_hit");
  r.resumed = int(whole(o, "resumed"));
  r.original_tokens = whole(o, "original_tokens");
  r.final_tokens = whole(o, "final_tokens");
  r.original_bytes = whole(o, "original_bytes");
  r.final_bytes = whole(o, "final_bytes");
  r.seconds = num(o, "seconds");
  r.tests = whole(o, "tests");
  r.oracle_runs = whole(o, "oracle_runs");
  r.rate = str(o, "rate");
  r.original_rate = str(o, "original_rate");
  r.signature = str(o, "signature");
  r.input_hash = str(o, "input_hash");
  r.config_hash = str(o, "config_hash");
  r.tool_hash = str(o, "tool_hash");
  r.produced_at = str(o, "produced_at");
  r.message = str(o, "message");
  return r;
}

// Problems first: they are what a nightly reader looks for.
int rank(const std::string& status) {
  static const std::map<std::string, int> order = {
      {"no-longer-reproduces", 0}, {"error", 1}, {"timeout", 2}, {"interrupted", 3}};
  auto it = order.find(status);
  return it == order.end() ? 4 : it->second;
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string fmt_time(double s) {
  char buf[32];
  if (s < 100) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else std::snprintf(buf, sizeof buf, "%ld min %02ld s", long(s) / 60, long(s) % 60);
  return buf;
}

}  // namespace

Status write_reduce_summary(const fs::path& file, const ReduceSummary& s) {
  json::object o{{"tool", "minrepro"},
                 {"version", MINREPRO_VERSION},
                 {"oracle", s.oracle},
                 {"outcome", s.outcome},
                 {"exit_status", s.exit_status},
                 {"original_tokens", s.original_tokens},
                 {"original_bytes", s.original_bytes},
                 {"final_tokens", s.final_tokens},
                 {"final_bytes", s.final_bytes},
                 {"tests", s.tests},
                 {"oracle_runs", s.oracle_runs},
                 {"original_hits", s.original_hits},
                 {"original_runs", s.original_runs},
                 {"confirmed_hits", s.confirmed_hits},
                 {"confirmed_runs", s.confirmed_runs},
                 {"seconds", s.seconds},
                 {"signature", s.signature},
                 {"message", s.message}};
  return write_json(file, o);
}

Expected<ReduceSummary> read_reduce_summary(const fs::path& file) {
  auto o = read_json(file);
  if (!o) return o.error();
  ReduceSummary s;
  s.oracle = str(*o, "oracle");
  s.outcome = str(*o, "outcome");
  s.exit_status = int(whole(*o, "exit_status"));
  s.original_tokens = whole(*o, "original_tokens");
  s.original_bytes = whole(*o, "original_bytes");
  s.final_tokens = whole(*o, "final_tokens");
  s.final_bytes = whole(*o, "final_bytes");
  s.tests = whole(*o, "tests");
  s.oracle_runs = whole(*o, "oracle_runs");
  s.original_hits = int(whole(*o, "original_hits"));
  s.original_runs = int(whole(*o, "original_runs"));
  s.confirmed_hits = int(whole(*o, "confirmed_hits"));
  s.confirmed_runs = int(whole(*o, "confirmed_runs"));
  s.seconds = num(*o, "seconds");
  s.signature = str(*o, "signature");
  s.message = str(*o, "message");
  return s;
}

Status write_case_result(const fs::path& file, const CaseResult& r) { return write_json(file, to_json(r)); }

Expected<CaseResult> read_case_result(const fs::path& file) {
  auto o = read_json(file);
  if (!o) return o.error();
  return case_from_json(*o);
}

Status write_summary(const fs::path& out_dir, const Summary& s) {
  json::object counts;
  for (auto& c : s.cases) counts[c.status] = counts.contains(c.status) ? counts[c.status].as_int64() + 1 : 1;
  json::array cases, merged;
  for (auto& c : s.cases) cases.push_back(to_json(c));
  for (auto& m : s.merged_from) merged.push_back(json::string(m));
  json::value shard = nullptr;
  if (s.shard.count) shard = json::object{{"index", s.shard.index}, {"count", s.shard.count}};
  json::object o{{"tool", "minrepro"},
                 {"version", s.version},
                 {"tool_hash", s.tool_hash},
                 {"corpus", s.corpus},
                 {"started", s.started},
                 {"finished", s.finished.empty() ? json::value(nullptr) : json::value(s.finished)},
                 {"interrupted", s.interrupted},
                 {"shard", shard},
                 {"budget_s", s.budget_s},
                 {"jobs", s.jobs},
                 {"merged_from", merged},
                 {"counts", counts},
                 {"cases", cases}};
  if (auto st = write_json(out_dir / "summary.json", o); !st) return st;
  return reducer::write_atomically(out_dir / "summary.md", markdown(s));
}

Expected<Summary> read_summary(const fs::path& file) {
  auto o = read_json(file);
  if (!o) return o.error();
  if (str(*o, "tool") != "minrepro" || !o->contains("cases"))
    return Error{file.string() + ": not a minrepro corpus summary"};
  Summary s;
  s.version = str(*o, "version");
  s.tool_hash = str(*o, "tool_hash");
  s.corpus = str(*o, "corpus");
  s.started = str(*o, "started");
  s.finished = str(*o, "finished");
  s.interrupted = flag(*o, "interrupted");
  if (auto* sh = o->if_contains("shard"); sh && sh->is_object())
    s.shard = {int(whole(sh->get_object(), "index")), int(whole(sh->get_object(), "count"))};
  s.budget_s = num(*o, "budget_s");
  s.jobs = int(whole(*o, "jobs"));
  if (auto* m = o->if_contains("merged_from"); m && m->is_array())
    for (auto& x : m->get_array())
      if (x.is_string()) s.merged_from.emplace_back(x.get_string());
  if (auto* cs = o->if_contains("cases"); cs && cs->is_array())
    for (auto& x : cs->get_array())
      if (x.is_object()) s.cases.push_back(case_from_json(x.get_object()));
  return s;
}

std::string markdown(const Summary& s) {
  std::vector<const CaseResult*> rows;
  for (auto& c : s.cases) rows.push_back(&c);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const CaseResult* a, const CaseResult* b) { return rank(a->status) < rank(b->status); });
  std::map<std::string, int> counts;
  for (auto& c : s.cases) ++counts[c.status];
  std::ostringstream md;
  md << "# minrepro corpus summary\n\n";
  md << "minrepro " << s.version << ", corpus `" << s.corpus << "`";
  if (s.shard.count) md << ", shard " << s.shard.describe();
  if (!s.merged_from.empty()) md << ", merged from " << s.merged_from.size() << " summaries";
  md << ", started " << s.started << ", "
     << (s.finished.empty() ? "still running" : "finished " + s.finished) << (s.interrupted ? " (interrupted)" : "")
     << "\n\n";
  md << "**" << s.cases.size() << (s.cases.size() == 1 ? " case" : " cases");
  std::string sep = ": ";
  for (auto& [status, n] : counts) md << sep << n << " " << status, sep = ", ";
  md << "**\n\n";
  md << "| case | oracle | tokens | time | tests | reproduced | status |\n";
  md << "| --- | --- | --- | ---: | ---: | --- | --- |\n";
  for (auto* c : rows) {
    bool has_result = c->final_tokens > 0;
    std::string status = c->status == "no-longer-reproduces" || c->status == "error" || c->status == "timeout"
                             ? "**" + c->status + "**"
                             : c->status;
    if (c->budget_hit) status += " (budget hit)";
    if (c->resumed) status += " (resumed" + (c->resumed > 1 ? " " + std::to_string(c->resumed) + "×" : "") + ")";
    md << "| `" << cell(c->name) << "` | " << (c->oracle.empty() ? "–" : cell(c->oracle)) << " | " << c->original_tokens << " → "
       << (has_result ? std::to_string(c->final_tokens) : "–") << " | " << fmt_time(c->seconds) << " | " << c->tests
       << " | " << (!c->rate.empty() ? c->rate : c->original_rate.empty() ? "–" : c->original_rate + " (original)")
       << " | " << status << " |\n";
  }
  bool any_message = false;
  for (auto* c : rows) {
    if (c->message.empty()) continue;
    if (!any_message) md << "\n";
    any_message = true;
    md << "- `" << c->name << "` (" << c->status << "): " << c->message << "\n";
  }
  return md.str();
}

Expected<std::set<std::string>> parse_fail_on(const std::string& list) {
  static const std::set<std::string> known = {"reduced", "cached", "no-longer-reproduces",
                                              "error",   "timeout", "interrupted"};
  std::set<std::string> out;
  if (list == "none") return out;
  std::stringstream ss(list);
  for (std::string w; std::getline(ss, w, ',');) {
    if (!known.count(w))
      return Error{"--fail-on: unknown status '" + w +
                   "' (none, or a list of: no-longer-reproduces, error, timeout, interrupted, reduced, cached)"};
    out.insert(w);
  }
  if (out.empty())
    return Error{"--fail-on: give none or a list of statuses (default " + std::string(kDefaultFailOn) + ")"};
  return out;
}

int exit_status(const Summary& s, const std::set<std::string>& fail_on) {
  for (auto& c : s.cases)
    if (fail_on.count(c.status)) return 1;
  return 0;
}

std::string now_utc() {
  time_t t = time(nullptr);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace minrepro::corpus
