// return-void: a function that returns a value returns nothing instead. Its
// return type becomes `void` and each `return E;` in its body (not in nested
// lambdas) either `return;` or, keeping E's effects, `E; return;` — two
// chunks. Whatever only fed the returned value can then go (C-Reduce's
// return-void). Callers that use the value stop compiling, so the engine
// rejects those. Only a return type spelled between the specifiers and the
// function's unqualified name is rewritten; out-of-line members, trailing
// return types and conversion operators are left alone.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"

namespace minrepro::reducer {

std::vector<Chunk> return_void(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  auto macros = ast::macro_expansions(in.tu);
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor fn) {
    CXCursorKind k = clang_getCursorKind(fn);
    if (k != CXCursor_FunctionDecl && k != CXCursor_CXXMethod && k != CXCursor_FunctionTemplate) return true;
    CXCursor body = ast::body_of(fn);
    auto whole = ast::extent_outside(fn, macros);
    std::string fname = ast::spelling(fn);
    if (clang_Cursor_isNull(body) || !whole || fname == "main" || fname.rfind("operator", 0) == 0) return true;
    unsigned name = passes::name_offset(fn);
    if (name <= whole->begin || name >= whole->end) return true;
    // Not a qualified name, `auto` or a macro.
    auto type = passes::declared_type(in.text, whole->begin, name);
    std::string spelled = type ? in.text.substr(type->begin, type->end - type->begin) : "";
    if (!type || spelled == "void" || spelled == "auto" || spelled.ends_with("::")) return true;
    std::vector<CXCursor> rets = passes::returns_in(body, true);
    Chunk bare = {{type->begin, type->end, "void"}}, kept = bare;
    for (CXCursor r : rets) {
      auto rr = ast::extent_outside(r, macros);
      if (!rr || in.text.compare(rr->begin, 6, "return") != 0) return true;
      std::string value = in.text.substr(rr->begin + 6, rr->end - rr->begin - 6);
      bare.push_back({rr->begin, rr->end, "return"});
      kept.push_back({rr->begin, rr->end, value + "; return"});
    }
    out.push_back(std::move(bare));
    if (!rets.empty()) out.push_back(std::move(kept));
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
