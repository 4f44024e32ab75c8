// statics: the steps from a class used as one object (a registry reached
// through `instance()`) to plain globals, each a chunk of its own:
//   T f;                      -> static inline T f;   (a field; its constructor initializers go)
//   obj.s, p->s, get().s      -> Class::s             (s a static member: the object is not evaluated)
//   class X { statics only }; -> namespace X { ... }  (access specifiers go)
// Then `instance()` has no caller left, and the namespaces pass takes the
// namespace away with its `X::` qualifiers.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"

#include <set>

namespace minrepro::reducer {
namespace {

// A class at namespace scope (or nested in one), named, not a template.
std::optional<std::string> class_qualifier(CXCursor cls) {
  if (!passes::is_class(cls) || !ast::in_main_file(cls)) return std::nullopt;
  return passes::qualifier(cls);
}

bool is_static_member(CXCursor ref) {
  CXCursorKind k = clang_getCursorKind(ref);
  if (k == CXCursor_CXXMethod) return clang_CXXMethod_isStatic(ref);
  return k == CXCursor_VarDecl && passes::is_class(clang_getCursorSemanticParent(ref));
}

// `class X { ... };` -> `namespace X { ... }` when every member is static (or
// a type); nullopt otherwise. A class body sees all its members, a namespace
// only those declared before: the types go first, then the variables, then
// the functions (one calling a later one still fails to compile).
std::optional<Chunk> as_namespace(CXCursor cls, const std::string& text) {
  CXCursorKind parent = clang_getCursorKind(clang_getCursorSemanticParent(cls));
  if ((parent != CXCursor_TranslationUnit && parent != CXCursor_Namespace) || !clang_isCursorDefinition(cls) ||
      !class_qualifier(cls))
    return std::nullopt;
  auto r = ast::extent(cls);
  if (!r || text[r->end - 1] != '}') return std::nullopt;
  unsigned semi = passes::skip_space(text, r->end);
  if (semi >= text.size() || text[semi] != ';') return std::nullopt;
  std::string types, variables, functions;
  bool ok = true;
  ast::children(cls, [&](CXCursor m) {
    unsigned b, e;
    if (!ok || !passes::decl_range(m, text, b, e)) return void(ok = false);
    std::string member = text.substr(b, e - b);
    if (member.empty() || member.back() != '\n') member += "\n";
    switch (clang_getCursorKind(m)) {
      case CXCursor_CXXAccessSpecifier: return;
      case CXCursor_CXXMethod:
        ok = clang_CXXMethod_isStatic(m) != 0;
        functions += member;
        return;
      case CXCursor_VarDecl: variables += member; return;
      case CXCursor_ClassDecl: case CXCursor_StructDecl: case CXCursor_EnumDecl:
      case CXCursor_TypedefDecl: case CXCursor_TypeAliasDecl:
        types += member;
        return;
      default: ok = false;  // a field, constructor, base, friend, member template...
    }
  });
  if (!ok) return std::nullopt;
  return Chunk{{r->begin, semi + 1, "namespace " + ast::spelling(cls) + " {\n" + types + variables + functions + "}"}};
}

}  // namespace

std::vector<Chunk> make_static(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> fields, accesses, namespaces;
  std::set<unsigned> field_starts;
  auto macros = ast::macro_expansions(in.tu);
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_FieldDecl && !clang_Cursor_isBitField(c) &&
        class_qualifier(clang_getCursorSemanticParent(c))) {
      auto r = ast::extent_outside(c, macros);
      Chunk chunk{{r ? r->begin : 0, r ? r->begin : 0, "static inline "}};
      // One declaration of several fields (`int a, b;`) is one edit.
      if (r && field_starts.insert(r->begin).second && passes::remove_initializers(in.tu, c, in.text, chunk))
        fields.push_back(std::move(chunk));
    } else if (k == CXCursor_MemberRefExpr) {
      CXCursor ref = clang_getCursorReferenced(c);
      CXCursor base = clang_getNullCursor();
      ast::children(c, [&](CXCursor b) { base = b; });
      if (clang_Cursor_isNull(base) || !is_static_member(ref)) return true;
      auto q = class_qualifier(clang_getCursorSemanticParent(ref));
      auto m = ast::extent_outside(c, macros), b = ast::extent_outside(base, macros);
      if (!q || !m || !b) return true;
      std::string name = ast::spelling(ref);
      auto at = static_cast<unsigned>(m->end - name.size());
      if (b->begin < at && in.text.compare(at, name.size(), name) == 0) accesses.push_back({{b->begin, at, *q}});
    } else if (passes::is_class(c)) {
      if (auto chunk = as_namespace(c, in.text)) namespaces.push_back(std::move(*chunk));
    }
    return true;
  });
  std::vector<Chunk> out = std::move(namespaces);
  out.insert(out.end(), fields.begin(), fields.end());
  out.insert(out.end(), accesses.begin(), accesses.end());
  return out;
}

}  // namespace minrepro::reducer
