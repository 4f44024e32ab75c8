#include "reducer/passes/functions.hpp"

#include <algorithm>

namespace minrepro::reducer::passes {
namespace {

// One key per function: instantiations and redeclarations map to the template
// or first declaration written in the source.
CXCursor key_of(CXCursor c) {
  for (int i = 0; i < 4; ++i) {
    CXCursor t = clang_getSpecializedCursorTemplate(c);
    if (clang_Cursor_isNull(t) || clang_equalCursors(t, c)) break;
    c = t;
  }
  return clang_getCanonicalCursor(c);
}

}  // namespace

bool is_function(CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_FunctionTemplate;
}

void walk_deep(CXCursor root, const std::function<void(CXCursor)>& f) {
  ast::children(root, [&](CXCursor c) {
    f(c);
    walk_deep(c, f);
  });
}

FunctionIndex::FunctionIndex(CXTranslationUnit tu) {
  ast::children(clang_getTranslationUnitCursor(tu), [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    visit(top);
    walk_deep(top, [&](CXCursor c) { visit(c); });
  });
}

Function& FunctionIndex::at(CXCursor c) {
  CXCursor k = key_of(c);
  auto& bucket = by_hash[clang_hashCursor(k)];
  for (auto& f : bucket)
    if (clang_equalCursors(f.key, k)) return f;
  bucket.push_back({k, {}, {}, 0, false});
  return bucket.back();
}

void FunctionIndex::visit(CXCursor c) {
  CXCursorKind k = clang_getCursorKind(c);
  CXCursor ref = clang_getCursorReferenced(c);
  bool ref_fn = !clang_Cursor_isNull(ref) && is_function(clang_getCursorKind(ref));
  if (ref_fn && !ast::in_main_file(c)) {
    at(ref).unsafe = true;  // inside a macro expansion
  } else if (is_function(k)) {
    at(c).decls.push_back(c);
  } else if (k == CXCursor_CallExpr && ref_fn) {
    at(ref).calls.push_back(c);
  } else if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
    if (ref_fn) ++at(ref).refs;
    if (clang_Cursor_isNull(ref)) unresolved_names.push_back(ast::spelling(c));
  } else if (k == CXCursor_OverloadedDeclRef) {
    unresolved_names.push_back(ast::spelling(c));
    for (unsigned i = 0, n = clang_getNumOverloadedDecls(c); i < n; ++i)
      if (is_function(clang_getCursorKind(clang_getOverloadedDecl(c, i)))) at(clang_getOverloadedDecl(c, i)).unsafe = true;
  } else if (k == CXCursor_MacroExpansion) {
    if (auto r = ast::extent(c)) macros.push_back(*r);
  }
}

std::vector<const Function*> FunctionIndex::in_order() const {
  std::vector<const Function*> fns;
  for (auto& [h, bucket] : by_hash)
    for (auto& f : bucket)
      if (!f.decls.empty()) fns.push_back(&f);
  std::sort(fns.begin(), fns.end(), [](const Function* a, const Function* b) {
    auto ra = ast::extent(a->decls[0]), rb = ast::extent(b->decls[0]);
    return (ra ? ra->begin : 0) < (rb ? rb->begin : 0);
  });
  return fns;
}

bool FunctionIndex::overloaded(const Function& f, const std::string& name) const {
  CXCursor parent = clang_getCursorSemanticParent(f.key);
  int n = 0;
  for (auto& [h, bucket] : by_hash)
    for (auto& g : bucket)
      if (!g.decls.empty() && ast::spelling(g.key) == name && clang_equalCursors(clang_getCursorSemanticParent(g.key), parent))
        ++n;
  return n > 1;
}

std::vector<CXCursor> params_of(CXCursor decl) {
  std::vector<CXCursor> out;
  ast::children(decl, [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_ParmDecl) out.push_back(c);
  });
  return out;
}

bool has_default_arg(CXCursor parm) {
  bool found = false;
  ast::children(parm, [&](CXCursor c) { found = found || clang_isExpression(clang_getCursorKind(c)); });
  return found;
}

CXCursor definition_of(const Function& f) {
  for (CXCursor d : f.decls)
    if (clang_isCursorDefinition(d)) return d;
  return clang_getNullCursor();
}

}  // namespace minrepro::reducer::passes
