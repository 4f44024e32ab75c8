// The `params` pass: remove one parameter of a function defined in the main
// file, from every declaration of it and, in the same chunk, the matching
// argument at every call site.
//
// Only functions whose every use is a call we can see and edit: skipped are
// main, virtual functions, operators, copy/move and one-parameter
// constructors (those also convert implicitly, invisibly), variadic functions,
// functions with default arguments, overloaded names, functions whose address
// is taken (a reference that is not a call) or whose name appears in an
// unresolved (dependent) call, and calls inside macros. Known gap: a
// constructor called from a dependent `T(...)` in a template is not seen.
//
// A parameter still used in the body becomes a local `T name{};` when T is a
// scalar or pointer (so the body still compiles); other used parameters, or
// ones used outside the body (constructor initializers), are not removed.
#include <algorithm>
#include <unordered_map>

#include "oracle/ast.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

bool is_function(CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_FunctionTemplate;
}

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

// Pre-order over everything below `root`, including cursors spelled in a
// macro expansion: passes::walk skips those, and a call we do not see is a
// call we would break.
void walk_deep(CXCursor root, const std::function<void(CXCursor)>& f) {
  ast::children(root, [&](CXCursor c) {
    f(c);
    walk_deep(c, f);
  });
}

struct Function {
  CXCursor key;
  std::vector<CXCursor> decls, calls;
  int refs = 0;          // DeclRefExpr/MemberRefExpr naming it
  bool unsafe = false;   // in an overload set, used in a way we cannot edit
};

// Everything the walk learns about the functions of the main file.
struct Index {
  std::unordered_map<unsigned, std::vector<Function>> by_hash;
  std::vector<std::string> unresolved_names;
  std::vector<ast::Range> macros;

  Function& at(CXCursor c) {
    CXCursor k = key_of(c);
    auto& bucket = by_hash[clang_hashCursor(k)];
    for (auto& f : bucket)
      if (clang_equalCursors(f.key, k)) return f;
    bucket.push_back({k, {}, {}, 0, false});
    return bucket.back();
  }

  void visit(CXCursor c) {
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
};

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

bool in_macro(const Index& ix, ast::Range r) {
  for (auto& m : ix.macros)
    if (m.begin < r.end && r.begin < m.end) return true;
  return false;
}

CXCursor definition_of(const Function& f) {
  for (CXCursor d : f.decls)
    if (clang_isCursorDefinition(d)) return d;
  return clang_getNullCursor();
}

bool overloaded(const Index& ix, const Function& f, const std::string& name) {
  CXCursor parent = clang_getCursorSemanticParent(f.key);
  int n = 0;
  for (auto& [h, bucket] : ix.by_hash)
    for (auto& g : bucket)
      if (!g.decls.empty() && ast::spelling(g.key) == name && clang_equalCursors(clang_getCursorSemanticParent(g.key), parent))
        ++n;
  return n > 1;
}

// The function-level reasons to leave a function alone (see the top comment).
bool eligible(const Index& ix, const Function& f, CXCursor def) {
  std::string name = ast::spelling(def);
  CXCursorKind k = clang_getCursorKind(def);
  if (f.unsafe || !ast::in_main_file(f.key) || name.rfind("operator", 0) == 0) return false;
  if (name == "main" && clang_getCursorKind(clang_getCursorSemanticParent(def)) == CXCursor_TranslationUnit) return false;
  if (clang_CXXMethod_isVirtual(def) || clang_CXXMethod_isDefaulted(def) || clang_Cursor_isVariadic(def)) return false;
  if (k == CXCursor_Constructor && (clang_CXXConstructor_isCopyConstructor(def) || clang_CXXConstructor_isMoveConstructor(def) ||
                                    params_of(def).size() < 2))
    return false;
  // Constructors are called without naming them, other functions through one reference per call.
  if (k == CXCursor_Constructor ? f.refs != 0 : f.refs != static_cast<int>(f.calls.size())) return false;
  for (auto& u : ix.unresolved_names)
    if (u == name) return false;
  return !overloaded(ix, f, name);
}

// Each declaration's parameter ranges (all the same count, no defaults) and
// each call's argument ranges (as many as parameters, outside macros).
bool collect_lists(const Index& ix, const Function& f, size_t& n, std::vector<std::vector<ast::Range>>& lists) {
  n = params_of(f.decls[0]).size();
  for (CXCursor d : f.decls) {
    auto ps = params_of(d);
    if (ps.size() != n) return false;
    lists.emplace_back();
    for (CXCursor p : ps) {
      auto r = ast::extent(p);
      if (!r || r->empty() || has_default_arg(p)) return false;
      lists.back().push_back(*r);
    }
  }
  for (CXCursor call : f.calls) {
    auto whole = ast::extent(call);
    if (!whole || in_macro(ix, *whole) || clang_Cursor_getNumArguments(call) != static_cast<int>(n)) return false;
    lists.emplace_back();
    for (unsigned i = 0; i < n; ++i) {
      auto r = ast::extent(clang_Cursor_getArgument(call, i));
      if (!r || r->empty()) return false;
      lists.back().push_back(*r);
    }
  }
  return true;
}

bool scalar(CXType t) {
  CXTypeKind k = clang_getCanonicalType(t).kind;
  return (k >= CXType_FirstBuiltin && k <= CXType_LastBuiltin && k != CXType_Void) || k == CXType_Pointer ||
         k == CXType_Enum || k == CXType_MemberPointer;
}

// Where the parameter is used: none, only inside `body`, or elsewhere too.
enum class Use { none, body, outside };
Use use_of(CXCursor def, CXCursor parm, ast::Range body) {
  Use u = Use::none;
  walk_deep(def, [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr && clang_equalCursors(clang_getCursorReferenced(c), parm)) {
      auto r = ast::in_main_file(c) ? ast::extent(c) : std::nullopt;  // not in a macro
      bool inside = r && r->begin >= body.begin && r->end <= body.end;
      if (u != Use::outside) u = inside ? Use::body : Use::outside;
    }
  });
  return u;
}

// Whether parameter `parm` of `def` can go; a parameter still used in the
// body is kept alive as a local at the top of the body (an edit added to
// `chunk`), when that compiles.
bool keep_alive(const std::string& text, CXCursor def, CXCursor parm, Chunk& chunk) {
  CXCursor body_cursor = ast::body_of(def);
  std::optional<ast::Range> body = clang_Cursor_isNull(body_cursor) ? std::nullopt : ast::extent(body_cursor);
  if (!body || body->empty()) return false;
  Use u = use_of(def, parm, *body);
  if (u == Use::none) return true;
  auto r = ast::extent(parm);
  std::string decl = text.substr(r->begin, r->end - r->begin);
  if (u == Use::outside || !scalar(clang_getCursorType(parm)) || decl.find('(') != std::string::npos) return false;
  chunk.push_back({body->begin + 1, body->begin + 1, " " + decl + "{};"});
  return true;
}

void add_chunks(const std::string& text, const Index& ix, const Function& f, std::vector<Chunk>& out) {
  CXCursor def = definition_of(f);
  size_t n = 0;
  std::vector<std::vector<ast::Range>> lists;
  if (clang_Cursor_isNull(def) || !eligible(ix, f, def) || !collect_lists(ix, f, n, lists)) return;
  auto def_params = params_of(def);
  for (size_t i = 0; i < n; ++i) {
    Chunk chunk;
    bool ok = keep_alive(text, def, def_params[i], chunk);
    for (size_t l = 0; ok && l < lists.size(); ++l) {
      auto e = cut_list_item(text, lists[l][i].begin, lists[l][i].end);
      if (e) chunk.push_back(*e);
      ok = e.has_value();
    }
    if (ok) out.push_back(std::move(chunk));
  }
}

}  // namespace

std::vector<Chunk> remove_params(const PassInput& in) {
  if (!in.tu) return {};
  Index ix;
  ast::children(clang_getTranslationUnitCursor(in.tu), [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    ix.visit(top);
    walk_deep(top, [&](CXCursor c) { ix.visit(c); });
  });
  // Functions in the order of their first declaration.
  std::vector<const Function*> fns;
  for (auto& [h, bucket] : ix.by_hash)
    for (auto& f : bucket)
      if (!f.decls.empty()) fns.push_back(&f);
  std::sort(fns.begin(), fns.end(), [](const Function* a, const Function* b) {
    auto ra = ast::extent(a->decls[0]), rb = ast::extent(b->decls[0]);
    return (ra ? ra->begin : 0) < (rb ? rb->begin : 0);
  });
  std::vector<Chunk> chunks;
  for (auto* f : fns) add_chunks(in.text, ix, *f, chunks);
  return chunks;
}

}  // namespace minrepro::reducer
