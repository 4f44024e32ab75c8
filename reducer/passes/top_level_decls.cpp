// top-level-decls: remove declarations at namespace scope (including inside
// namespaces) and macro definitions, largest first. Macro-produced
// declarations are de-duplicated by range.
#include <algorithm>
#include <set>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

namespace {
bool is_decl(CXCursorKind k) { return clang_isDeclaration(k) && k != CXCursor_Namespace; }
}  // namespace

std::vector<Chunk> remove_top_level_decls(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  std::set<std::pair<unsigned, unsigned>> seen;
  std::function<void(CXCursor)> scan = [&](CXCursor scope) {
    ast::children(scope, [&](CXCursor c) {
      if (!ast::in_main_file(c)) return;
      CXCursorKind k = clang_getCursorKind(c);
      if (k == CXCursor_Namespace) {
        scan(c);
      } else if (is_decl(k) || k == CXCursor_StaticAssert) {
        unsigned b, e;
        if (passes::decl_range(c, in.text, b, e) && seen.insert({b, e}).second)
          out.push_back({{b, e, ""}});
      }
    });
  };
  scan(clang_getTranslationUnitCursor(in.tu));
  // Macro definitions, found in the text: libclang hides the ones in the
  // precompiled preamble. From the '#' through any backslash-continued lines.
  passes::for_each_directive(in.text, "define", [&](unsigned b, unsigned e) {
    if (seen.insert({b, e}).second) out.push_back({{b, e, ""}});
  });
  // Namespaces themselves, as whole units.
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_Namespace) return false;
    unsigned b, e;
    if (passes::decl_range(c, in.text, b, e) && seen.insert({b, e}).second) out.push_back({{b, e, ""}});
    return true;
  });
  std::stable_sort(out.begin(), out.end(), [](const Chunk& a, const Chunk& b) {
    return a[0].end - a[0].begin > b[0].end - b[0].begin;
  });
  return out;
}

}  // namespace minrepro::reducer
