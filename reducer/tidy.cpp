#include "reducer/tidy.hpp"

#include <cctype>

namespace minrepro::reducer {

const std::set<std::string>& leftover_warnings() {
  static const std::set<std::string> kinds = {"-Wunused-parameter", "-Wunused-variable",
                                              "-Wunused-but-set-variable", "-Wunused-but-set-parameter",
                                              "-Wunused-function", "-Wunused-local-typedefs"};
  return kinds;
}

namespace {
// The byte offset of 1-based (line, column), or npos.
size_t offset_of(const std::string& text, int line, int column) {
  size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return pos;
    ++pos;
  }
  size_t at = pos + size_t(column - 1);
  size_t eol = text.find('\n', pos);
  return at < (eol == std::string::npos ? text.size() : eol) ? at : std::string::npos;
}

}  // namespace

std::vector<Chunk> warning_fixes(const std::string& text, const std::vector<oracle::Warning>& warnings,
                                 bool keep_initializer) {
  std::vector<Chunk> out;
  for (auto& w : warnings) {
    size_t at = offset_of(text, w.line, w.column);
    if (at == std::string::npos) continue;
    if (w.kind == "-Wunused-parameter" || w.kind == "-Wunused-but-set-parameter") {
      size_t end = at;
      while (end < text.size() && passes::ident_char(text[end])) ++end;
      if (end > at && (at == 0 || !passes::ident_char(text[at - 1])))
        out.push_back({Edit{unsigned(at), unsigned(end), ""}});
    } else if (w.kind == "-Wunused-variable" || w.kind == "-Wunused-but-set-variable") {
      size_t begin = text.rfind('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      size_t end = text.find('\n', at);
      end = end == std::string::npos ? text.size() : end + 1;
      std::string line = text.substr(begin, end - begin);
      // Only a line that is one whole declaration: `T name = init;`.
      bool one_declaration = line.find(';') == line.rfind(';') && line.find(';') != std::string::npos &&
                             line.find('{') == std::string::npos && line.find('}') == std::string::npos;
      if (!one_declaration) continue;
      if (!keep_initializer) {
        out.push_back({Edit{unsigned(begin), unsigned(end), ""}});
        continue;
      }
      size_t first = text.find_first_not_of(" \t", begin), eq = text.find(" = ", at);
      if (eq != std::string::npos && eq < end) out.push_back({Edit{unsigned(first), unsigned(eq + 3), ""}});
    }
  }
  return out;
}

}  // namespace minrepro::reducer
