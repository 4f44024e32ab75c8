// macros: expand the main file's own macro at every use and drop its
// #define, as one chunk, when that makes the text no longer. The expanded code
// is then open to the AST passes, which skip macro expansions: a FATAL() that
// is `do { ... } while (0)` can be unwrapped, its call simplified. Arguments
// are substituted textually for the parameters; macros that stringize or
// paste (#, ##) or take variadic arguments are left alone.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {
namespace {

struct Macro {
  unsigned begin = 0, end = 0;  // the #define directive, its newline included
  bool function_like = false;
  std::vector<std::string> params;
  std::string body;
};

// `#define NAME body` or `#define NAME(a, b) body`, continuation lines joined.
std::optional<std::pair<std::string, Macro>> parse_define(const std::string& text, unsigned begin, unsigned end) {
  std::string d = text.substr(begin, end - begin);
  std::string joined;
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '\\' && i + 1 < d.size() && d[i + 1] == '\n') {
      joined += ' ', ++i;
      continue;
    }
    joined += d[i];
  }
  size_t i = joined.find("define");
  if (i == std::string::npos) return std::nullopt;
  i += 6;
  while (i < joined.size() && (joined[i] == ' ' || joined[i] == '\t')) ++i;
  size_t n = i;
  while (n < joined.size() && passes::ident_char(joined[n])) ++n;
  if (n == i) return std::nullopt;
  Macro m{begin, end, false, {}, {}};
  std::string name = joined.substr(i, n - i);
  if (n < joined.size() && joined[n] == '(') {
    m.function_like = true;
    size_t close = joined.find(')', n);
    if (close == std::string::npos) return std::nullopt;
    std::string list = joined.substr(n + 1, close - n - 1);
    std::string p;
    for (char c : list + ",") {
      if (c == ',') {
        if (!p.empty()) m.params.push_back(p);
        p.clear();
      } else if (!std::isspace(static_cast<unsigned char>(c))) {
        p += c;
      }
    }
    n = close + 1;
  }
  // Runs of blanks (the padding before the backslashes) become one space.
  for (char c : joined.substr(n)) {
    bool blank = std::isspace(static_cast<unsigned char>(c));
    if (!blank) m.body += c;
    else if (!m.body.empty() && m.body.back() != ' ') m.body += ' ';
  }
  if (!m.body.empty() && m.body.back() == ' ') m.body.pop_back();
  if (m.body.find('#') != std::string::npos || m.body.find("//") != std::string::npos ||
      m.body.find("/*") != std::string::npos)
    return std::nullopt;
  for (auto& p : m.params)
    if (p.find("...") != std::string::npos || !passes::ident_char(p[0])) return std::nullopt;
  return std::make_pair(name, m);
}

// The arguments of a use `NAME(a, (b, c))`: split at top-level commas.
std::optional<std::vector<std::string>> arguments(const std::string& use) {
  size_t open = use.find('(');
  if (open == std::string::npos || use.back() != ')') return std::nullopt;
  std::vector<std::string> args(1);
  int depth = 0;
  for (size_t i = open + 1; i + 1 < use.size(); ++i) {
    char c = use[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      args.emplace_back();
      continue;
    }
    args.back() += c;
  }
  if (args.size() == 1 && args[0].find_first_not_of(" \t\n") == std::string::npos) args.clear();
  return args;
}

// The body with each parameter replaced by its argument (whole identifiers).
std::string substitute(const Macro& m, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < m.body.size();) {
    if (!passes::ident_char(m.body[i]) || (i > 0 && passes::ident_char(m.body[i - 1]))) {
      out += m.body[i++];
      continue;
    }
    size_t j = i;
    while (j < m.body.size() && passes::ident_char(m.body[j])) ++j;
    std::string word = m.body.substr(i, j - i);
    auto p = std::find(m.params.begin(), m.params.end(), word);
    out += p == m.params.end() ? word : args[size_t(p - m.params.begin())];
    i = j;
  }
  return out;
}

}  // namespace

std::vector<Chunk> expand_macros(const PassInput& in) {
  if (!in.tu) return {};
  std::map<std::string, Macro> macros;
  passes::for_each_directive(in.text, "define", [&](unsigned b, unsigned e) {
    if (auto m = parse_define(in.text, b, e)) macros.insert_or_assign(m->first, m->second);
  });
  std::map<std::string, Chunk> chunks;
  std::set<std::string> broken;
  ast::children(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_MacroExpansion || !ast::in_main_file(c)) return;
    std::string name = ast::spelling(c);
    auto m = macros.find(name);
    auto r = ast::extent(c);
    if (m == macros.end() || broken.count(name)) return;
    std::string use = r ? in.text.substr(r->begin, r->end - r->begin) : "";
    std::optional<std::vector<std::string>> args = std::vector<std::string>{};
    if (m->second.function_like) args = arguments(use);
    if (args && args->empty() && m->second.params.size() == 1) args->push_back("");  // FATAL(): one empty argument
    if (!r || r->begin < m->second.end || !args || args->size() != m->second.params.size()) {
      broken.insert(name);  // a use it cannot expand: the #define has to stay
      return;
    }
    chunks[name].push_back({r->begin, r->end, substitute(m->second, *args)});
  });
  std::vector<Chunk> out;
  for (auto& [name, uses] : chunks) {
    if (broken.count(name)) continue;
    const Macro& m = macros.at(name);
    long growth = -long(m.end - m.begin);
    for (auto& e : uses) growth += long(e.replacement.size()) - long(e.end - e.begin);
    if (growth > 0) continue;
    uses.insert(uses.begin(), {m.begin, m.end, ""});
    out.push_back(std::move(uses));
  }
  return out;
}

}  // namespace minrepro::reducer
