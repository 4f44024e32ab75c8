// aliases: replace a type alias (`using X = T;` at namespace scope) by its
// type at every use and drop the alias, as one chunk, when that makes the
// text no longer: what is left of a callback type after a reduction is often
// one alias used once.
#include <cctype>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

std::vector<Chunk> inline_aliases(const PassInput& in) {
  if (!in.tu) return {};
  auto macros = ast::macro_expansions(in.tu);
  std::vector<CXCursor> aliases;
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_TypeAliasDecl) aliases.push_back(c);
    return k == CXCursor_Namespace || k == CXCursor_TranslationUnit;
  });
  std::vector<Chunk> out;
  for (CXCursor alias : aliases) {
    auto r = ast::extent_outside(alias, macros);
    unsigned b, e;
    if (!r || !passes::decl_range(alias, in.text, b, e)) continue;
    std::string decl = in.text.substr(r->begin, r->end - r->begin);
    size_t eq = decl.find('=');
    if (eq == std::string::npos) continue;
    std::string type = decl.substr(eq + 1);
    while (!type.empty() && (type.back() == ';' || std::isspace(static_cast<unsigned char>(type.back())))) type.pop_back();
    while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front()))) type.erase(0, 1);
    if (type.empty()) continue;
    Chunk chunk = {{b, e, ""}};
    long growth = -long(e - b);
    bool ok = true;
    passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
      if (clang_getCursorKind(c) == CXCursor_TypeRef && clang_equalCursors(clang_getCursorReferenced(c), alias)) {
        auto u = ast::extent_outside(c, macros);
        if (!u || (u->begin >= b && u->end <= e)) return ok = ok && u.has_value(), true;
        for (auto& done : chunk)
          if (done.begin == u->begin) return true;  // a use the walk meets twice
        chunk.push_back({u->begin, u->end, type});
        growth += long(type.size()) - long(u->end - u->begin);
      }
      return true;
    });
    if (ok && growth <= 0) out.push_back(std::move(chunk));
  }
  return out;
}

}  // namespace minrepro::reducer
