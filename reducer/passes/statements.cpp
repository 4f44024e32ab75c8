// statements: remove statements from blocks, outer ones first; a compound
// statement that is the body of if/for/while becomes an empty block. A
// declaration of one variable initialized by a call, `T v = f(x);`, may also
// become the call alone, `f(x);`: the variable goes, the call's effects stay
// (and `inline` can then take the call).
#include <algorithm>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {
namespace {

// `T v = f(x);` -> `f(x);` as an edit of the statement [b, e), when `decl` is that.
std::optional<Edit> keep_call(const std::string& text, CXCursor decl, unsigned b, unsigned e) {
  std::vector<CXCursor> vars;
  ast::children(decl, [&](CXCursor k) { vars.push_back(k); });
  if (vars.size() != 1 || clang_getCursorKind(vars[0]) != CXCursor_VarDecl) return std::nullopt;
  CXCursor init = clang_getNullCursor();
  ast::children(vars[0], [&](CXCursor k) {
    if (clang_isExpression(clang_getCursorKind(k))) init = k;
  });
  init = ast::peel(init);
  CXCursor callee = clang_getCursorReferenced(init);
  auto r = ast::extent(init);
  if (clang_getCursorKind(init) != CXCursor_CallExpr || clang_getCursorKind(callee) == CXCursor_Constructor || !r)
    return std::nullopt;
  unsigned eq = r->begin;
  while (eq > b && std::isspace(static_cast<unsigned char>(text[eq - 1]))) --eq;
  if (eq <= b || text[eq - 1] != '=') return std::nullopt;  // `T v(f(x))` or `T v{...}`: leave it
  b = std::min(passes::skip_space(text, b), e);  // keep the indentation
  return Edit{b, e, text.substr(r->begin, r->end - r->begin) + ";" + (text[e - 1] == '\n' ? "\n" : "")};
}

}  // namespace

std::vector<Chunk> remove_statements(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_CompoundStmt) return true;
    ast::children(c, [&](CXCursor s) {
      if (!clang_isStatement(clang_getCursorKind(s)) && !clang_isExpression(clang_getCursorKind(s)) &&
          clang_getCursorKind(s) != CXCursor_DeclStmt)
        return;
      unsigned b, e;
      if (!passes::decl_range(s, in.text, b, e)) return;
      out.push_back({{b, e, ""}});
      if (clang_getCursorKind(s) == CXCursor_DeclStmt)
        if (auto call = keep_call(in.text, s, b, e)) out.push_back({*call});
    });
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
