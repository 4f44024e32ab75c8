// strings: shorten the contents of string literals — the whole contents, a
// `;`-separated clause (a shell command's, a format's), or a word. The token
// count stays the same; what shrinks is what the program does: a popen()
// command that prints three lines before the one main waits for, reduced to
// that line, lets the loop reading them go too. Text-based (works when
// libclang fails); directive lines, raw strings and escape sequences are left
// whole.
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

// The removable pieces of the contents [begin, end): clauses ending in `;`
// (with the blanks after), then words (with the blanks after). A backslash
// and the character it escapes are never split.
void pieces(const std::string& text, unsigned begin, unsigned end, std::vector<Chunk>& out) {
  auto piece_ends = [&](auto is_end) {
    unsigned start = begin;
    for (unsigned i = begin; i < end;) {
      unsigned next = text[i] == '\\' ? std::min(i + 2, end) : i + 1;
      if (is_end(i, next)) {
        while (next < end && blank(text[next])) ++next;
        if (next - start < end - begin) out.push_back({{start, next, ""}});
        start = next;
      }
      i = next;
    }
    if (start < end && start > begin) out.push_back({{start, end, ""}});
  };
  piece_ends([&](unsigned i, unsigned) { return text[i] == ';'; });
  piece_ends([&](unsigned i, unsigned next) { return !blank(text[i]) && (next >= end || blank(text[next])); });
}

}  // namespace

std::vector<Chunk> shorten_strings(const PassInput& in) {
  std::vector<Chunk> wholes, parts;
  const std::string& t = in.text;
  for (const Token& tok : tokenize(t)) {
    if (tok.directive) continue;
    size_t open = t.find('"', tok.begin);
    if (open >= tok.end || t[tok.begin] == '\'') continue;
    // A prefix (u8, L, u, U) is fine; a raw string's R is not.
    if (open > tok.begin && t[open - 1] == 'R') continue;
    size_t close = t.rfind('"', tok.end - 1);
    if (close <= open + 1) continue;
    auto b = static_cast<unsigned>(open + 1), e = static_cast<unsigned>(close);
    wholes.push_back({{b, e, ""}});
    pieces(t, b, e, parts);
  }
  wholes.insert(wholes.end(), parts.begin(), parts.end());
  return wholes;
}

}  // namespace minrepro::reducer
