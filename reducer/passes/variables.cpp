// variables: replace a field reached through an object — `agent->pipe_`,
// `child->pipe_`, `registry.items` — by a variable of the same type that is
// visible there: a global declared before the function, or a
// local declared before it in an enclosing block. When both named the same
// object (a field set from that local), the path to it can go, and with it
// the classes that held it. Arithmetic and bool types are left to the values
// and expressions passes.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"

namespace minrepro::reducer {
namespace {

struct Variable {
  std::string name, type;  // the canonical type's spelling
  unsigned visible_from = 0, visible_to = 0;  // where its name can be used
  CXCursor cursor;
};

std::string canonical(CXType t) {
  return ast::type_spelling(clang_getCanonicalType(t));
}

bool arithmetic(CXType t) {
  CXType c = clang_getCanonicalType(t);
  return (c.kind >= CXType_Bool && c.kind <= CXType_LongDouble) || c.kind == CXType_Enum ||
         c.kind == CXType_Invalid || c.kind == CXType_Unexposed || c.kind == CXType_Dependent;
}

}  // namespace

std::vector<Chunk> substitute_variables(const PassInput& in) {
  if (!in.tu) return {};
  auto macros = ast::macro_expansions(in.tu);
  std::vector<Variable> vars;
  // Globals: at the translation unit's top level, visible after their declaration.
  ast::children(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    auto r = ast::extent(c);
    if (clang_getCursorKind(c) != CXCursor_VarDecl || !r || arithmetic(clang_getCursorType(c))) return;
    vars.push_back({ast::spelling(c), canonical(clang_getCursorType(c)), r->end, ~0u, c});
  });
  // Locals: visible from their declaration to the end of their block.
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor block) {
    if (clang_getCursorKind(block) != CXCursor_CompoundStmt) return true;
    auto b = ast::extent(block);
    ast::children(block, [&](CXCursor s) {
      if (clang_getCursorKind(s) != CXCursor_DeclStmt || !b) return;
      auto r = ast::extent(s);
      ast::children(s, [&](CXCursor v) {
        if (r && clang_getCursorKind(v) == CXCursor_VarDecl && !arithmetic(clang_getCursorType(v)))
          vars.push_back({ast::spelling(v), canonical(clang_getCursorType(v)), r->end, b->end, v});
      });
    });
    return true;
  });
  std::vector<Chunk> out;
  if (vars.empty()) return out;
  ast::visit_code(in.tu, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    CXCursor ref = clang_getCursorReferenced(c);
    if (k != CXCursor_MemberRefExpr || clang_getCursorKind(ref) != CXCursor_FieldDecl) return;
    CXType t = clang_getCursorType(c);
    auto r = ast::extent_outside(c, macros);
    if (!r || arithmetic(t)) return;
    std::string type = canonical(t);
    for (auto& v : vars)
      if (v.type == type && v.visible_from <= r->begin && r->end <= v.visible_to &&
          !clang_equalCursors(v.cursor, ref) && !v.name.empty())
        out.push_back({{r->begin, r->end, v.name}});
  });
  return out;
}

}  // namespace minrepro::reducer
