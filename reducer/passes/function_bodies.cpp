// function-bodies: replace a function's body by {} (or by a minimal return
// for non-void functions, so the result stays valid C++ without -w).
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

namespace {
bool is_function(CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_Destructor || k == CXCursor_FunctionTemplate || k == CXCursor_ConversionFunction ||
         k == CXCursor_LambdaExpr;
}

std::string minimal_body(CXCursor fn) {
  CXCursorKind k = clang_getCursorKind(fn);
  if (k == CXCursor_Constructor || k == CXCursor_Destructor || k == CXCursor_LambdaExpr) return "{}";
  CXType result = clang_getCursorResultType(fn);
  if (result.kind == CXType_Void || result.kind == CXType_Invalid) return "{}";
  if (result.kind == CXType_LValueReference) return "";  // no honest minimal return
  return "{ return {}; }";
}
}  // namespace

std::vector<Chunk> empty_function_bodies(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (!is_function(clang_getCursorKind(c))) return true;
    CXCursor body = ast::body_of(c);
    if (clang_Cursor_isNull(body)) return true;
    auto r = ast::extent(body);
    std::string repl = minimal_body(c);
    if (!r || repl.empty() || in.text.compare(r->begin, r->end - r->begin, repl) == 0) return true;
    if (ast::spelling(c) == "main" && clang_getCursorKind(c) == CXCursor_FunctionDecl) repl = "{}";
    out.push_back({{r->begin, r->end, repl}});
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
