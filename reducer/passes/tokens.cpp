// The token rule (reducer/tokens.hpp) and the `tokens` pass: the last-resort
// text pass, removing single tokens and pairs of adjacent tokens. Directive
// lines are left to the includes/lines passes: half a directive never helps.
#include "reducer/tokens.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace minrepro::reducer {
namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Longest first, so the first match is the longest.
constexpr std::array<std::string_view, 27> kPunct = {
    "<<=", ">>=", "<=>", "->*", "...", "::", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
    "!=",  "&&",  "||",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", ".*", "##"};

class Lexer {
 public:
  explicit Lexer(const std::string& t) : t_(t) {}

  std::vector<Token> run() {
    while (skip_blank()) {
      unsigned b = p_;
      lex_one();
      bool starts_directive = !directive_ && line_blank_ && t_[b] == '#';
      if (starts_directive) directive_ = true;
      out_.push_back({b, p_, directive_});
      line_blank_ = false;
    }
    return std::move(out_);
  }

 private:
  const std::string& t_;
  unsigned p_ = 0;
  bool directive_ = false, line_blank_ = true;
  std::vector<Token> out_;

  char at(unsigned i) const { return i < t_.size() ? t_[i] : '\0'; }

  // Skips whitespace, comments and escaped newlines; tracks line starts (a
  // newline ends a directive). False at the end of the text.
  bool skip_blank() {
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == '\\' && (at(p_ + 1) == '\n' || (at(p_ + 1) == '\r' && at(p_ + 2) == '\n'))) {
        p_ += at(p_ + 1) == '\n' ? 2 : 3;
      } else if (c == '\n') {
        ++p_;
        directive_ = false;
        line_blank_ = true;
      } else if (space(c)) {
        ++p_;
      } else if (c == '/' && at(p_ + 1) == '/') {
        while (p_ < t_.size() && t_[p_] != '\n') ++p_;
      } else if (c == '/' && at(p_ + 1) == '*') {
        auto e = t_.find("*/", p_ + 2);
        p_ = e == std::string::npos ? t_.size() : e + 2;
      } else {
        return true;
      }
    }
    return false;
  }

  void lex_one() {
    char c = t_[p_];
    if (header_name_expected() && c == '<') return header_name();
    if (ident_start(c)) return identifier();
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && std::isdigit(static_cast<unsigned char>(at(p_ + 1)))))
      return number();
    if (c == '"' || c == '\'') return quoted(c);
    for (auto op : kPunct)
      if (t_.compare(p_, op.size(), op) == 0) {
        p_ += op.size();
        return;
      }
    ++p_;
  }

  // `# include <...>`: the last two tokens were '#' and include/include_next/import.
  bool header_name_expected() const {
    if (!directive_ || out_.size() < 2 || t_[out_[out_.size() - 2].begin] != '#') return false;
    auto& k = out_.back();
    std::string_view w(t_.data() + k.begin, k.end - k.begin);
    return w == "include" || w == "include_next" || w == "import";
  }

  void header_name() {
    unsigned e = p_;
    while (e < t_.size() && t_[e] != '>' && t_[e] != '\n') ++e;
    p_ = t_[e] == '>' ? e + 1 : p_ + 1;  // no '>' on the line: just the '<'
  }

  void identifier() {
    unsigned b = p_;
    while (p_ < t_.size() && ident_char(t_[p_])) ++p_;
    std::string_view w(t_.data() + b, p_ - b);
    char q = at(p_);
    bool raw = !w.empty() && w.back() == 'R';
    static const char* kPrefixes[] = {"L", "u", "U", "u8", "R", "LR", "uR", "UR", "u8R"};
    for (const char* pre : kPrefixes)
      if (w == pre && (q == '"' || (q == '\'' && !raw))) return raw ? raw_string() : quoted(q);
  }

  void number() {
    while (p_ < t_.size()) {
      char c = t_[p_];
      char n = at(p_ + 1);
      if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') && (n == '+' || n == '-')) p_ += 2;
      else if (c == '\'' && ident_char(n)) p_ += 2;
      else if (ident_char(c) || c == '.') ++p_;
      else break;
    }
  }

  // A string or character literal with escapes, then any ud-suffix. An
  // unterminated literal ends at the end of its line.
  void quoted(char q) {
    ++p_;
    while (p_ < t_.size() && t_[p_] != q && t_[p_] != '\n') p_ += t_[p_] == '\\' ? 2 : 1;
    if (p_ < t_.size() && t_[p_] == q) ++p_;
    p_ = std::min<unsigned>(p_, t_.size());
    while (p_ < t_.size() && ident_char(t_[p_])) ++p_;
  }

  // R"delim( ... )delim"
  void raw_string() {
    size_t open = t_.find('(', p_);
    if (open == std::string::npos || open - p_ > 17) return quoted('"');
    std::string close = ")" + t_.substr(p_ + 1, open - p_ - 1) + "\"";
    auto e = t_.find(close, open);
    p_ = e == std::string::npos ? t_.size() : e + close.size();
    while (p_ < t_.size() && ident_char(t_[p_])) ++p_;
  }
};

bool fuses(char a, char b) {
  static const char* kOp = "+-*/%&|^<>=!:.#";
  if (ident_char(a) && ident_char(b)) return true;
  return std::strchr(kOp, a) && std::strchr(kOp, b) && a && b;
}

unsigned skip_space_back(const std::string& t, unsigned p) {
  while (p > 0 && space(t[p - 1])) --p;
  return p;
}
unsigned skip_space(const std::string& t, unsigned p) {
  while (p < t.size() && space(t[p])) ++p;
  return p;
}

}  // namespace

std::vector<Token> tokenize(const std::string& text) { return Lexer(text).run(); }

size_t count_tokens(const std::string& text) { return tokenize(text).size(); }

std::string strip_comments(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  // Between two tokens there is only whitespace and comments.
  auto gap = [&](unsigned b, unsigned e) {
    for (unsigned i = b; i < e;) {
      if (text.compare(i, 2, "//") == 0) {
        while (i < e && text[i] != '\n') ++i;
      } else if (text.compare(i, 2, "/*") == 0) {
        size_t close = text.find("*/", i + 2);
        unsigned end = close == std::string::npos || close + 2 > e ? e : unsigned(close + 2);
        auto lines = std::count(text.begin() + i, text.begin() + end, '\n');
        out += lines ? std::string(size_t(lines), '\n') : " ";
        i = end;
      } else {
        out += text[i++];
      }
    }
  };
  unsigned p = 0;
  for (const Token& t : tokenize(text)) {
    gap(p, t.begin);
    out.append(text, t.begin, t.end - t.begin);
    p = t.end;
  }
  gap(p, unsigned(text.size()));
  return out;
}

Edit cut(const std::string& text, unsigned begin, unsigned end) {
  bool glue = begin > 0 && end < text.size() && fuses(text[begin - 1], text[end]);
  return {begin, end, glue ? " " : ""};
}

std::optional<Edit> cut_list_item(const std::string& text, unsigned begin, unsigned end) {
  unsigned before = skip_space_back(text, begin);
  unsigned after = skip_space(text, end);
  char prev = before > 0 ? text[before - 1] : '\0';
  char next = after < text.size() ? text[after] : '\0';
  if (prev == ',') return Edit{before - 1, end, ""};
  if (next == ',') return Edit{begin, skip_space(text, after + 1), ""};
  if (prev == ':' && (before < 2 || text[before - 2] != ':') && next == '{')
    return Edit{skip_space_back(text, before - 1), end, ""};
  if (std::strchr("(<{[", prev) && prev && std::strchr(")>}]", next) && next) return Edit{begin, end, ""};
  return std::nullopt;
}

std::vector<Chunk> remove_tokens(const PassInput& in) {
  auto toks = tokenize(in.text);
  std::vector<Chunk> pairs, singles;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].directive) continue;
    singles.push_back({cut(in.text, toks[i].begin, toks[i].end)});
    if (i + 1 < toks.size() && !toks[i + 1].directive)
      pairs.push_back({cut(in.text, toks[i].begin, toks[i + 1].end)});
  }
  // Pairs first: the engine tries bigger removals before smaller ones.
  pairs.insert(pairs.end(), singles.begin(), singles.end());
  return pairs;
}

}  // namespace minrepro::reducer
