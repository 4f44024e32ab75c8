// variables: replace a field reached through an object — `agent->pipe_`,
// `child->pipe_`, `registry.items` — by a variable of the same type:
//   - one visible there: a global declared before the function, or a local
//     declared before it in an enclosing block;
//   - a local of another function, moved to namespace scope for it
//     (C-Reduce's local-to-global): `T v = e;` becomes a global `T v;` in
//     front of both functions and the statement `v = e;`.
// When both named the same object (a field set from that local), the path to
// it can go, and with it the classes that held it. Arithmetic and bool types
// are left to the values and expressions passes. A local moves only for an
// access it replaces: moved alone it would only add tokens. Not for `auto`,
// references, `static`/`const` locals, constructor-style initializers or
// several declarators.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"

namespace minrepro::reducer {
namespace {

struct Variable {
  std::string name, type;                     // the canonical type's spelling
  unsigned visible_from = 0, visible_to = 0;  // where its name can be used
  CXCursor cursor;
  // A local that can move to namespace scope: its global declaration, the
  // edit that turns its declaration into an assignment (or removes it), and
  // where its function's top-level declaration begins.
  std::string global;
  Edit assign;
  unsigned top = 0;
};

std::string canonical(CXType t) { return ast::type_spelling(clang_getCanonicalType(t)); }

bool arithmetic(CXType t) {
  CXType c = clang_getCanonicalType(t);
  return (c.kind >= CXType_Bool && c.kind <= CXType_LongDouble) || c.kind == CXType_Enum ||
         c.kind == CXType_Invalid || c.kind == CXType_Unexposed || c.kind == CXType_Dependent;
}

// Fills v.global and v.assign when the one-variable declaration statement
// `decl` can move to namespace scope.
bool movable(CXCursor decl, CXCursor var, const std::string& text, const std::vector<ast::Range>& macros,
             Variable& v) {
  CXType type = clang_getCursorType(var);
  if (type.kind == CXType_LValueReference || type.kind == CXType_RValueReference || type.kind == CXType_Auto ||
      clang_isConstQualifiedType(type))
    return false;
  auto d = ast::extent_outside(decl, macros);
  unsigned name = passes::name_offset(var);
  if (!d || name <= d->begin || name >= d->end || text.compare(name, v.name.size(), v.name) != 0) return false;
  std::string head = text.substr(d->begin, name - d->begin);  // `T `, `T *`...
  for (const char* word : {"static", "auto", "constexpr", "thread_local", "extern", "register"})
    if (head.find(word) != std::string::npos) return false;
  auto after = static_cast<unsigned>(name + v.name.size());
  std::string rest = text.substr(after, d->end - after);  // `;`, ` = e;`, `[512];`, `(a);`, `{a};`
  size_t eq = rest.find('=');
  std::string tail = rest.substr(0, eq == std::string::npos ? rest.size() : eq);
  tail.erase(tail.find_last_not_of(" \t\n;") + 1);
  if (tail.find_first_of("({") != std::string::npos) return false;
  v.global = head + v.name + tail + ";\n";
  if (eq == std::string::npos) {
    v.assign = {d->begin, d->end, ""};
    return true;
  }
  if (!tail.empty() || passes::skip_space(rest, static_cast<unsigned>(eq + 1)) == rest.find('{')) return false;
  v.assign = {d->begin, after, v.name};
  return true;
}

}  // namespace

std::vector<Chunk> substitute_variables(const PassInput& in) {
  if (!in.tu) return {};
  auto macros = ast::macro_expansions(in.tu);
  std::vector<Variable> vars;
  std::vector<ast::Range> tops;  // the translation unit's declarations
  ast::children(clang_getTranslationUnitCursor(in.tu), [&](CXCursor top) {
    auto t = ast::in_main_file(top) ? ast::extent(top) : std::nullopt;
    if (!t) return;
    tops.push_back(*t);
    // A global: visible after its declaration.
    if (clang_getCursorKind(top) == CXCursor_VarDecl && !arithmetic(clang_getCursorType(top)))
      vars.push_back({ast::spelling(top), canonical(clang_getCursorType(top)), t->end, ~0u, top, "", {}, 0});
    // Locals: visible from their declaration to the end of their block.
    passes::walk(top, [&](CXCursor block) {
      CXCursorKind k = clang_getCursorKind(block);
      if (k == CXCursor_ClassTemplate || k == CXCursor_FunctionTemplate || k == CXCursor_LambdaExpr) return false;
      if (k != CXCursor_CompoundStmt) return true;
      auto b = ast::extent(block);
      ast::children(block, [&](CXCursor s) {
        std::vector<CXCursor> decls;
        if (clang_getCursorKind(s) == CXCursor_DeclStmt) ast::children(s, [&](CXCursor d) { decls.push_back(d); });
        auto r = ast::extent(s);
        for (CXCursor d : decls) {
          if (!b || !r || clang_getCursorKind(d) != CXCursor_VarDecl || arithmetic(clang_getCursorType(d))) continue;
          Variable v{ast::spelling(d), canonical(clang_getCursorType(d)), r->end, b->end, d, "", {}, 0};
          if (decls.size() == 1 && movable(s, d, in.text, macros, v)) v.top = t->begin;
          vars.push_back(std::move(v));
        }
      });
      return true;
    });
  });
  std::vector<Chunk> out;
  if (vars.empty()) return out;
  auto top_of = [&](unsigned at) {
    for (auto& t : tops)
      if (t.begin <= at && at < t.end) return t.begin;
    return at;
  };
  ast::visit_code(in.tu, [&](CXCursor c) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_getCursorKind(c) != CXCursor_MemberRefExpr || clang_getCursorKind(ref) != CXCursor_FieldDecl) return;
    CXType t = clang_getCursorType(c);
    auto r = ast::extent_outside(c, macros);
    if (!r || arithmetic(t)) return;
    std::string type = canonical(t);
    for (auto& v : vars) {
      if (v.type != type || v.name.empty() || clang_equalCursors(v.cursor, ref)) continue;
      Edit use{r->begin, r->end, v.name};
      if (v.visible_from <= r->begin && r->end <= v.visible_to) {
        out.push_back({use});
      } else if (!v.global.empty() && (r->end <= v.assign.begin || r->begin >= v.visible_to)) {
        unsigned at = std::min(v.top, top_of(r->begin));
        out.push_back({{at, at, v.global}, v.assign, use});
      }
    }
  });
  return out;
}

}  // namespace minrepro::reducer
