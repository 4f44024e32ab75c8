#include "oracle/config.hpp"

#include <signal.h>
#include <string.h>

#include <cstdio>
#include <functional>
#include <map>
#include <toml++/toml.h>

namespace minrepro::oracle {
namespace {

std::string where(const std::filesystem::path& file, const toml::source_region& src) {
  return file.string() + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

// One table's keys: each setter reads its node or returns an error text.
using Setter = std::function<std::string(const toml::node&)>;

std::string want_string(const toml::node& n, std::string& out) {
  if (!n.is_string()) return "must be a string";
  out = *n.value<std::string>();
  return {};
}

std::string fmt_number(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string want_number(const toml::node& n, double& out, double lo, double hi) {
  if (!n.is_number()) return "must be a number";
  double v = *n.value<double>();
  if (v < lo || v > hi)
    return "must be between " + fmt_number(lo) + " and " + fmt_number(hi);
  out = v;
  return {};
}

template <class Int>
std::string want_int(const toml::node& n, Int& out, long lo, long hi) {
  if (!n.is_integer()) return "must be an integer";
  long v = *n.value<long>();
  if (v < lo || v > hi) return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
  out = static_cast<Int>(v);
  return {};
}

std::string want_bool(const toml::node& n, bool& out) {
  if (!n.is_boolean()) return "must be true or false";
  out = *n.value<bool>();
  return {};
}

std::string want_strings(const toml::node& n, std::vector<std::string>& out) {
  const toml::array* a = n.as_array();
  if (!a) return "must be an array of strings";
  std::vector<std::string> v;
  for (auto& e : *a) {
    if (!e.is_string()) return "must be an array of strings";
    v.push_back(*e.value<std::string>());
  }
  out = v;
  return {};
}

}  // namespace

int parse_signal(const std::string& text) {
  if (text.empty()) return 0;
  if (isdigit(static_cast<unsigned char>(text[0]))) {
    int v = atoi(text.c_str());
    return v > 0 && v < NSIG ? v : -1;
  }
  std::string name = text.rfind("SIG", 0) == 0 ? text.substr(3) : text;
  for (int s = 1; s < NSIG; ++s)
    if (const char* abbrev = sigabbrev_np(s); abbrev && name == abbrev) return s;
  return -1;
}

Status set_oracle_kind(OracleConfig& oracle, const std::string& name) {
  static const std::map<std::string, Kind> kinds = {{"exit-hang", Kind::ExitHang},
                                                    {"delayed-exit", Kind::DelayedExit},
                                                    {"hang", Kind::Hang},
                                                    {"crash", Kind::Crash}};
  if (name.rfind("script:", 0) == 0) {
    oracle.kind = Kind::Script;
    oracle.script = name.substr(7);
    if (oracle.script.empty()) return Error{"oracle script: needs a path, e.g. script:./test.sh"};
    return Ok{};
  }
  auto it = kinds.find(name);
  if (it == kinds.end())
    return Error{"unknown oracle '" + name +
                 "': use exit-hang, delayed-exit, hang, crash or script:PATH"};
  oracle.kind = it->second;
  return Ok{};
}

std::string kind_name(const OracleConfig& oracle) {
  switch (oracle.kind) {
    case Kind::ExitHang: return "exit-hang";
    case Kind::DelayedExit: return "delayed-exit";
    case Kind::Hang: return "hang";
    case Kind::Crash: return "crash";
    case Kind::Script: return "script:" + oracle.script;
  }
  return "?";
}

Status validate(const Config& c) {
  const OracleConfig& o = c.oracle;
  if (o.min_hits > o.runs)
    return Error{"min_hits (" + std::to_string(o.min_hits) + ") is larger than runs (" +
                 std::to_string(o.runs) + "): lower --min-hits or raise --runs"};
  if (o.kind == Kind::ExitHang && o.hang_after >= o.timeout)
    return Error{"hang_after must be shorter than timeout"};
  if (o.kind == Kind::DelayedExit && o.min_delay >= o.timeout)
    return Error{"min_delay must be shorter than timeout"};
  if (c.toolchain.cxx.empty()) return Error{"toolchain.cxx is empty: name a C++ compiler"};
  return Ok{};
}

Expected<Config> load_config(const std::filesystem::path& path, Config c) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return Error{where(path, e.source()) + ": " + std::string(e.description()) +
                 " (fix the TOML syntax there)"};
  }
  std::string oracle_kind;
  std::string exit_begins;
  std::string signal_name;
  std::map<std::string, std::map<std::string, Setter>> tables;
  auto& tc = tables["toolchain"];
  tc["cxx"] = [&](auto& n) { return want_string(n, c.toolchain.cxx); };
  tc["flags"] = [&](auto& n) { return want_strings(n, c.toolchain.flags); };
  tc["ldflags"] = [&](auto& n) { return want_strings(n, c.toolchain.ldflags); };
  tc["compile_timeout"] = [&](auto& n) { return want_number(n, c.toolchain.compile_timeout, 1, 3600); };
  auto& orc = tables["oracle"];
  orc["kind"] = [&](auto& n) { return want_string(n, oracle_kind); };
  orc["exit_begins"] = [&](auto& n) { return want_string(n, exit_begins); };
  orc["hang_after"] = [&](auto& n) { return want_number(n, c.oracle.hang_after, 0.05, 3600); };
  orc["min_delay"] = [&](auto& n) { return want_number(n, c.oracle.min_delay, 0.01, 3600); };
  orc["timeout"] = [&](auto& n) { return want_number(n, c.oracle.timeout, 0.1, 86400); };
  orc["runs"] = [&](auto& n) { return want_int(n, c.oracle.runs, 1, 1000); };
  orc["min_hits"] = [&](auto& n) { return want_int(n, c.oracle.min_hits, 1, 1000); };
  orc["early_delay"] = [&](auto& n) { return want_bool(n, c.oracle.early_delay); };
  orc["early_verdict"] = [&](auto& n) { return want_bool(n, c.oracle.early_verdict); };
  orc["signature"] = [&](auto& n) { return want_bool(n, c.oracle.signature); };
  orc["signal"] = [&](auto& n) { return want_string(n, signal_name); };
  auto& lim = tables["limits"];
  lim["memory_mb"] = [&](auto& n) { return want_int(n, c.limits.memory_mb, 16, 1 << 20); };
  lim["cpu_s"] = [&](auto& n) { return want_int(n, c.limits.cpu_s, 1, 86400); };
  lim["output_kb"] = [&](auto& n) { return want_int(n, c.limits.output_kb, 1, 1 << 20); };
  lim["processes"] = [&](auto& n) { return want_int(n, c.limits.processes, 1, 1 << 20); };
  lim["file_mb"] = [&](auto& n) { return want_int(n, c.limits.file_mb, 1, 1 << 20); };
  auto& red = tables["reduce"];
  red["jobs"] = [&](auto& n) { return want_int(n, c.reduce.jobs, 0, 1024); };
  red["passes"] = [&](auto& n) { return want_strings(n, c.reduce.passes); };

  for (auto& [name, node] : root) {
    auto t = tables.find(std::string(name.str()));
    if (t == tables.end())
      return Error{where(path, name.source()) + ": unknown table [" + std::string(name.str()) +
                   "] (known: toolchain, oracle, limits, reduce)"};
    const toml::table* tbl = node.as_table();
    if (!tbl)
      return Error{where(path, node.source()) + ": '" + std::string(name.str()) + "' must be a table"};
    for (auto& [key, value] : *tbl) {
      std::string full = t->first + "." + std::string(key.str());
      auto s = t->second.find(std::string(key.str()));
      if (s == t->second.end()) return Error{where(path, key.source()) + ": unknown key '" + full + "'"};
      std::string problem = s->second(value);
      if (!problem.empty()) return Error{where(path, value.source()) + ": '" + full + "' " + problem};
    }
  }
  auto value_where = [&](const char* table, const char* key) {
    return where(path, root[table][key].node()->source()) + ": 'oracle." + key + "' ";
  };
  if (!oracle_kind.empty())
    if (auto st = set_oracle_kind(c.oracle, oracle_kind); !st)
      return Error{value_where("oracle", "kind") + st.error().message};
  if (!exit_begins.empty()) {
    if (exit_begins == "main-end") c.oracle.exit_begins = ExitBegins::MainEnd;
    else if (exit_begins == "main-return") c.oracle.exit_begins = ExitBegins::MainReturn;
    else return Error{value_where("oracle", "exit_begins") + "must be \"main-end\" or \"main-return\""};
  }
  if (!signal_name.empty()) {
    c.oracle.signal = parse_signal(signal_name);
    if (c.oracle.signal < 0)
      return Error{value_where("oracle", "signal") + "is not a signal name (e.g. \"SIGSEGV\")"};
  }
  if (auto st = validate(c); !st) return Error{path.string() + ": " + st.error().message};
  return c;
}

}  // namespace minrepro::oracle

namespace minrepro {
std::string format_number(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace minrepro
