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
#include "oracle/ast.hpp"
#include "reducer/passes/functions.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

using passes::Function;
using Index = passes::FunctionIndex;
using passes::params_of;

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
  return !ix.overloaded(f, name);
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
      if (!r || r->empty() || passes::has_default_arg(p)) return false;
      lists.back().push_back(*r);
    }
  }
  for (CXCursor call : f.calls) {
    auto whole = ast::extent(call);
    if (!whole || ast::overlaps_any(ix.macros, whole->begin, whole->end) || clang_Cursor_getNumArguments(call) != static_cast<int>(n)) return false;
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
  passes::walk_deep(def, [&](CXCursor c) {
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
  CXCursor def = passes::definition_of(f);
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
  Index ix(in.tu);
  std::vector<Chunk> chunks;
  for (auto* f : ix.in_order()) add_chunks(in.text, ix, *f, chunks);
  return chunks;
}

}  // namespace minrepro::reducer
