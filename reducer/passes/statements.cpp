// statements: remove statements from blocks, outer ones first; a compound
// statement that is the body of if/for/while becomes an empty block.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

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
      if (passes::decl_range(s, in.text, b, e)) out.push_back({{b, e, ""}});
    });
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
