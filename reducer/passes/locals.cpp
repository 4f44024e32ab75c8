// locals: move a local variable of a function to namespace scope, in front
// of the function (C-Reduce's local-to-global): `T v = e;` becomes a global
// `T v;` and the statement `v = e;`. What reads it from elsewhere (an atexit
// handler, a destructor) can then name it, and the `variables` pass can put
// it where a longer expression reached the same object. Not for `auto`,
// references, `static`/`const`/`constexpr` locals, constructor-style
// initializers or several declarators; a type that only exists in the
// function fails to compile and is rejected.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"

namespace minrepro::reducer {
namespace {

// The chunk for the one-variable declaration statement `decl` of a function
// whose top-level declaration begins at `top`.
std::optional<Chunk> hoist(CXCursor decl, unsigned top, const std::string& text,
                           const std::vector<ast::Range>& macros) {
  std::vector<CXCursor> vars;
  ast::children(decl, [&](CXCursor v) { vars.push_back(v); });
  if (vars.size() != 1 || clang_getCursorKind(vars[0]) != CXCursor_VarDecl) return std::nullopt;
  CXCursor var = vars[0];
  CXType type = clang_getCursorType(var);
  if (type.kind == CXType_LValueReference || type.kind == CXType_RValueReference || type.kind == CXType_Auto ||
      clang_isConstQualifiedType(type))
    return std::nullopt;
  auto d = ast::extent_outside(decl, macros);
  unsigned name = passes::name_offset(var);
  std::string v = ast::spelling(var);
  if (!d || name <= d->begin || name >= d->end || text.compare(name, v.size(), v) != 0) return std::nullopt;
  std::string head = text.substr(d->begin, name - d->begin);  // `T `, `T *`, `const T& `...
  for (const char* word : {"static", "auto", "constexpr", "thread_local", "extern", "register"})
    if (head.find(word) != std::string::npos) return std::nullopt;
  unsigned after = name + static_cast<unsigned>(v.size());
  std::string rest = text.substr(after, d->end - after);  // `;`, ` = e;`, `[512];`, `(a);`, `{a};`
  size_t eq = rest.find('=');
  std::string declarator_tail = rest.substr(0, eq == std::string::npos ? rest.size() : eq);
  declarator_tail.erase(declarator_tail.find_last_not_of(" \t\n;") + 1);
  if (declarator_tail.find_first_of("({") != std::string::npos) return std::nullopt;
  std::string global = head + v + declarator_tail + ";\n";
  if (eq == std::string::npos) return Chunk{{top, top, global}, {d->begin, d->end, ""}};
  std::string init = rest.substr(eq);  // `= e;`
  if (!declarator_tail.empty() || init.find('{') == 1) return std::nullopt;  // an array's or a braced list
  return Chunk{{top, top, global}, {d->begin, after, v}};
}

}  // namespace

std::vector<Chunk> move_locals(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  auto macros = ast::macro_expansions(in.tu);
  // Functions at namespace scope and methods of classes there: the global
  // goes in front of the outermost declaration.
  std::function<void(CXCursor)> visit_top = [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    CXCursorKind k = clang_getCursorKind(top);
    if (k == CXCursor_Namespace) return ast::children(top, visit_top);
    if (k == CXCursor_ClassTemplate || k == CXCursor_FunctionTemplate ||
        k == CXCursor_ClassTemplatePartialSpecialization)
      return;
    auto r = ast::extent(top);
    if (!r || ast::overlaps_any(macros, r->begin, r->begin + 1)) return;
    passes::walk(top, [&](CXCursor c) {
      CXCursorKind ck = clang_getCursorKind(c);
      bool nested_type = (ck == CXCursor_ClassDecl || ck == CXCursor_StructDecl || ck == CXCursor_UnionDecl) &&
                         !clang_equalCursors(c, top);
      if (ck == CXCursor_LambdaExpr || nested_type || ck == CXCursor_FunctionTemplate) return false;
      if (ck != CXCursor_CompoundStmt) return true;
      ast::children(c, [&](CXCursor s) {
        if (clang_getCursorKind(s) != CXCursor_DeclStmt) return;
        if (auto chunk = hoist(s, r->begin, in.text, macros)) out.push_back(std::move(*chunk));
      });
      return true;
    });
  };
  ast::children(clang_getTranslationUnitCursor(in.tu), visit_top);
  return out;
}

}  // namespace minrepro::reducer
