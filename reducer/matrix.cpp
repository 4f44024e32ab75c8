// `reduce matrix`: the oracle over a toolchain matrix (compilers, -std levels,
// -O levels, libstdc++/libc++), printed as a Markdown table for a bug report.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>

#include "oracle/oracle.hpp"
#include "reducer/commands.hpp"
#include "reducer/describe.hpp"
#include "reducer/report.hpp"
#include "runners/process.hpp"

namespace minrepro {
namespace {
namespace fs = std::filesystem;

struct Compiler {
  std::string name;   // as given: g++, clang++, /opt/x/bin/g++
  std::string label;  // "g++ 12.2.0"
  bool clang = false;
  bool libcxx = false;  // -stdlib=libc++ builds and links a hello world
};

struct Config {
  const Compiler* compiler;
  std::string std, opt, stdlib;
};

// A private scratch directory for the compiler probes, removed at scope exit.
struct Scratch {
  fs::path path;
  Scratch() {
    std::string t = (fs::temp_directory_path() / "minrepro-matrix-XXXXXX").string();
    if (mkdtemp(t.data())) path = t;
  }
  ~Scratch() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

std::string strip_dash(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

// The given levels, or c++17 and c++20 plus the case's own.
Expected<std::vector<std::string>> std_levels(const std::vector<std::string>& given, const std::string& own) {
  if (given.empty()) {
    std::vector<std::string> out = {"c++17", "c++20"};
    if (!own.empty() && own != "c++17" && own != "c++20") out.push_back(own);
    return out;
  }
  static const std::regex level("(c|gnu)\\+\\+[0-9][0-9a-z]");
  std::vector<std::string> out;
  for (auto& g : given) {
    std::string s = strip_dash(g, "-std=");
    if (!std::regex_match(s, level)) return Error{"--std: '" + g + "' is not a C++ standard (e.g. c++17,c++20)"};
    out.push_back(s);
  }
  return out;
}

// The given levels, or -O0 and -O2 plus the case's own.
Expected<std::vector<std::string>> opt_levels(const std::vector<std::string>& given, const std::string& own) {
  if (given.empty()) {
    std::vector<std::string> out = {"-O0", "-O2"};
    if (!own.empty() && own != "-O0" && own != "-O2") out.push_back(own);
    return out;
  }
  static const std::set<std::string> known = {"O0", "O1", "O2", "O3", "Os", "Og", "Oz", "Ofast"};
  std::vector<std::string> out;
  for (auto& g : given) {
    std::string s = strip_dash(g, "-");
    if (!known.count(s)) return Error{"--opt: '" + g + "' is not an optimization level (O0, O1, O2, O3, Os, Og)"};
    out.push_back("-" + s);
  }
  return out;
}

bool builds(const std::string& cxx, std::vector<std::string> args, const fs::path& dir, const std::string& source,
            std::string* error) {
  std::ofstream(dir / "probe.cpp") << source;
  runners::RunSpec spec;
  spec.program = oracle::find_program(cxx);
  args.insert(args.end(), {"probe.cpp", "-o", "probe"});
  spec.args = std::move(args);
  spec.cwd = dir;
  spec.deadline_s = 60;
  spec.limits.memory_mb = 8192;
  spec.limits.processes = 4096;
  auto r = runners::run(spec);
  if (!r.exited_ok() && error) {
    std::string e = r.err.empty() ? r.describe_end() : r.err;
    size_t at = e.find("error");
    if (at == std::string::npos) at = 0;
    *error = e.substr(at, e.find('\n', at) - at);
  }
  return r.exited_ok();
}

// The cell text of a Markdown table: one line, no bare '|'.
std::string cell(std::string s) {
  for (char& c : s)
    if (c == '\n') c = ' ';
  for (size_t at = s.find('|'); at != std::string::npos; at = s.find('|', at + 2)) s.insert(at, "\\");
  return s.size() > 100 ? s.substr(0, 97) + "..." : s;
}

// Characters, not bytes: compiler messages quote with ‘’.
size_t columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(rows[0].size(), 3);
  for (auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], columns(r[i]));
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) out += "| " + r[i] + std::string(width[i] - columns(r[i]), ' ') + " ";
    out += "|\n";
  };
  line(rows[0]);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (size_t i = 1; i < rows.size(); ++i) line(rows[i]);
  return out;
}

oracle::Oracle* g_current = nullptr;

// What the matrix varies, taken out of the case's flags; the rest is kept for every configuration.
struct CaseFlags {
  std::vector<std::string> base;
  std::string std, opt;  // the case's own: "c++17", "-O0" (may be empty)
  bool libcxx = false;   // -stdlib=libc++: only clang configurations are possible
};

CaseFlags split_flags(const std::vector<std::string>& flags) {
  CaseFlags c;
  for (auto& f : flags) {
    if (f.rfind("-std=", 0) == 0)
      c.std = f.substr(5);
    else if (f.rfind("-O", 0) == 0)
      c.opt = f;
    else if (f.rfind("-stdlib=", 0) == 0)
      c.libcxx = f == "-stdlib=libc++";
    else
      c.base.push_back(f);
  }
  return c;
}

// The compilers that can build the case's flags: as given, or the configured one
// plus g++ and clang++ when installed (each once). Why others were left out goes to `notes`.
std::vector<Compiler> find_compilers(const cli::Options& o, const CaseFlags& cf, const fs::path& scratch,
                                     std::vector<std::string>& notes) {
  std::vector<std::string> names = o.compilers;
  if (names.empty()) names = {o.config.toolchain.cxx, "g++", "clang++"};
  std::vector<Compiler> out;
  std::set<fs::path> seen;
  for (auto& name : names) {
    fs::path path = oracle::find_program(name);
    if (path.empty()) {
      if (!o.compilers.empty() || name == o.config.toolchain.cxx) notes.push_back(name + ": not installed");
      continue;
    }
    std::error_code ec;
    if (!seen.insert(fs::canonical(path, ec)).second) continue;
    std::string version = report::compiler_version_line(name);
    Compiler c{name, fs::path(name).filename().string() + " " + report::short_version(version),
               version.find("clang") != std::string::npos, false};
    if (cf.libcxx && !c.clang) {
      notes.push_back(c.label + ": skipped, the case's flags ask for -stdlib=libc++");
      continue;
    }
    std::vector<std::string> args = cf.base;
    if (cf.libcxx) args.push_back("-stdlib=libc++");
    std::string error;
    if (!builds(name, args, scratch, "int main() {}\n", &error)) {
      notes.push_back(c.label + ": skipped, the case's flags do not work with it (" + error + ")");
      continue;
    }
    if (c.clang && !cf.libcxx) {
      args.push_back("-stdlib=libc++");
      c.libcxx = builds(name, args, scratch, "#include <iostream>\nint main() { std::cout << \"hi\\n\"; }\n", &error);
      if (!c.libcxx)
        notes.push_back("libc++ with " + c.label + ": not installed (a hello world does not build: " + error + ")");
    }
    out.push_back(c);
  }
  return out;
}

// Every combination a compiler accepts: a -std level it does not know is skipped with a note.
std::vector<Config> configurations(const std::vector<Compiler>& compilers, const CaseFlags& cf,
                                   const std::vector<std::string>& stds, const std::vector<std::string>& opts,
                                   const fs::path& scratch, std::vector<std::string>& notes) {
  std::vector<Config> out;
  for (auto& c : compilers) {
    std::vector<std::string> libs = {"libstdc++"};
    if (cf.libcxx)
      libs = {"libc++"};
    else if (c.libcxx)
      libs.push_back("libc++");
    for (auto& s : stds) {
      std::vector<std::string> args = cf.base;
      args.push_back("-std=" + s);
      if (!builds(c.name, args, scratch, "int main() {}\n", nullptr)) {
        notes.push_back(c.label + ": skipped -std=" + s + " (not a standard it knows)");
        continue;
      }
      for (auto& lib : libs)
        for (auto& opt : opts) out.push_back({&c, s, opt, lib});
    }
  }
  return out;
}

// One configuration: the result cell and the signature (or why not) cell.
std::pair<std::string, std::string> run_config(const cli::Options& o, const CaseFlags& cf, const Config& k,
                                               const std::string& text, int runs) {
  oracle::Config c = o.config;
  c.toolchain.cxx = k.compiler->name;
  c.toolchain.flags = cf.base;
  c.toolchain.flags.insert(c.toolchain.flags.end(), {"-std=" + k.std, k.opt});
  if (k.stdlib == "libc++") c.toolchain.flags.push_back("-stdlib=libc++");
  auto created = oracle::Oracle::create(c, o.input.filename().string());
  if (!created) return {"error", created.error().message};
  g_current = created->get();
  oracle::CheckOptions co;
  co.runs = runs;
  co.min_hits = 1;
  auto v = (*created)->check(text, co);
  g_current = nullptr;
  std::string rate = std::to_string(v.hits) + "/" + std::to_string(v.runs);
  if (!v.built) return {"does not compile", v.build.first_errors(1)};
  if (v.hits > 0) return {"reproduced " + rate, v.signature.describe()};
  return {"not reproduced " + rate, v.why};
}

}  // namespace

int run_matrix(const cli::Options& o) {
  auto fail = [](const std::string& m) {
    std::cerr << "reduce: " << m << "\n";
    return kBadInput;
  };
  auto text = cli::read_source(o.input);
  if (!text) return fail(text.error().message);
  if (o.config.oracle.kind == oracle::Kind::Script)
    return fail("matrix: the script oracle builds the case itself; use exit-hang, delayed-exit, hang or crash");
  CaseFlags cf = split_flags(o.config.toolchain.flags);
  auto stds = std_levels(o.stds, cf.std);
  if (!stds) return fail(stds.error().message);
  auto opts = opt_levels(o.opts, cf.opt);
  if (!opts) return fail(opts.error().message);
  int runs = o.runs_given ? o.config.oracle.runs : std::max(3, o.config.oracle.runs);
  Scratch scratch;
  if (scratch.path.empty()) return fail("cannot create a scratch directory in " + fs::temp_directory_path().string());
  std::vector<std::string> notes;
  auto compilers = find_compilers(o, cf, scratch.path, notes);
  if (compilers.empty())
    return fail("matrix: no usable compiler (" + (notes.empty() ? std::string("none found") : notes.back()) + ")");
  auto configs = configurations(compilers, cf, *stds, *opts, scratch.path, notes);

  std::string setup = describe_oracle(o.config.oracle) + "; " + std::to_string(runs) + " run" + (runs == 1 ? "" : "s") +
                      " per configuration";
  std::cout << "minrepro matrix: " << o.input.string() << " (" << setup << ")\n\n";
  on_interrupt([] {
    if (g_current) g_current->cancel();
  });
  std::vector<std::vector<std::string>> rows = {{"compiler", "std", "opt", "stdlib", "result", "signature or error"}};
  int reproduced = 0;
  for (size_t i = 0; i < configs.size() && !interrupted(); ++i) {
    const Config& k = configs[i];
    auto [result, detail] = run_config(o, cf, k, *text, runs);
    reproduced += result.rfind("reproduced", 0) == 0;
    rows.push_back({k.compiler->label, k.std, k.opt, k.stdlib, result, cell(detail)});
    if (!o.quiet)
      std::cerr << "[" << i + 1 << "/" << configs.size() << "] " << k.compiler->label << " " << k.std << " " << k.opt
                << " " << k.stdlib << ": " << result << "\n";
  }
  if (interrupted()) return kInterrupted;
  std::string body = table(rows) + "\n";
  std::string shared;
  for (auto& f : cf.base) shared += " " + report::shell_quote(f);
  notes.insert(notes.begin(), "every configuration also had the case's flags:" + (shared.empty() ? " (none)" : shared));
  for (auto& n : notes) body += "- " + n + "\n";
  body +=
      "- reproduced in " + std::to_string(reproduced) + " of " + std::to_string(configs.size()) + " configurations\n";
  std::cout << body;
  if (!o.report_dir.empty()) {
    std::string section = "`reduce matrix`: " + setup + ".\n\n" + body;
    if (auto st = report::add_section(o.report_dir, "Toolchain matrix", section, oracle::kind_name(o.config.oracle));
        !st)
      return fail(st.error().message);
    std::cout << "report: added the matrix to " << (o.report_dir / "report.md").string() << "\n";
  }
  return reproduced > 0 ? kReproduced : kNotReproduced;
}

}  // namespace minrepro
