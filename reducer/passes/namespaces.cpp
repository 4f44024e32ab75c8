// namespaces: replace `namespace X { ... }` by its contents; its qualifiers
// `X::` go with it, and `using namespace X;`. A namespace opened twice keeps
// the other block's uses: the candidate then fails to compile and is rejected
// cheaply.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

namespace {

// The edits removing `X::` (or `using namespace X;`) wherever X names `ns`.
void uses_of(CXTranslationUnit tu, CXCursor ns, const std::string& text, const std::vector<ast::Range>& macros,
             Chunk& chunk) {
  CXCursor canonical = clang_getCanonicalCursor(ns);
  passes::walk(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_UsingDirective) {
      bool names_it = false;
      ast::children(c, [&](CXCursor k) {
        names_it |= clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(k)), canonical) != 0;
      });
      unsigned b, e;
      if (names_it && passes::decl_range(c, text, b, e)) chunk.push_back({b, e, ""});
      return !names_it;
    }
    if (clang_getCursorKind(c) != CXCursor_NamespaceRef ||
        !clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(c)), canonical))
      return true;
    auto r = ast::extent_outside(c, macros);
    unsigned colons = r ? passes::skip_space(text, r->end) : 0;
    if (r && text.compare(colons, 2, "::") == 0) chunk.push_back({r->begin, colons + 2, ""});
    return true;
  });
}

}  // namespace

std::vector<Chunk> unwrap_namespaces(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  auto macros = ast::macro_expansions(in.tu);
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_Namespace) return false;
    auto r = ast::extent(c);
    if (!r) return true;
    size_t open = in.text.find('{', r->begin);
    if (open == std::string::npos || open >= r->end || in.text[r->end - 1] != '}') return true;
    // `namespace X {` -> nothing, and the closing brace -> nothing.
    Chunk chunk{{r->begin, static_cast<unsigned>(open + 1), ""}, {r->end - 1, r->end, ""}};
    if (!ast::spelling(c).empty()) uses_of(in.tu, c, in.text, macros, chunk);
    out.push_back(std::move(chunk));
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
