// unwrap: replace a control statement by what it controls, the statement's
// own parts going with it:
//   if (c) A else B           -> A | B
//   while (c) A, for (...) A  -> A      (once; a loop variable it uses fails to compile)
//   do A while (c);           -> A
//   try A catch (...) B       -> A
//   { A }                     -> A      (a block nested in a block)
//   [&] { A }();              -> A      (a lambda called where it is written, without a return)
//   T v = [&] { A; return E; }();  -> A; T v = E;   (also `return [&] {...}();`)
// A branch that is a block gives its contents. This is what deleting
// statements cannot do: keep the body of a try or a loop and drop the frame
// around it (C-Reduce's simplify-if, generalised). The frame must be clear of
// macro expansions; what it keeps may hold some.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

// What unwrapping `s` may keep, by the kind of statement; empty when nothing.
std::vector<CXCursor> kept_parts(CXCursor s) {
  std::vector<CXCursor> kids;
  ast::children(s, [&](CXCursor k) { kids.push_back(k); });
  if (kids.empty()) return {};
  switch (clang_getCursorKind(s)) {
    case CXCursor_IfStmt:  // the condition first, then the branches
      return {kids.begin() + 1, kids.end()};
    case CXCursor_WhileStmt:
    case CXCursor_ForStmt:
    case CXCursor_CXXForRangeStmt:
      return {kids.back()};
    case CXCursor_DoStmt:
    case CXCursor_CXXTryStmt:
      return {kids.front()};
    case CXCursor_CompoundStmt:
      return {s};
    default: return {};
  }
}

// What a kept part leaves: a block's contents, or the statement itself.
std::optional<ast::Range> kept_range(CXCursor part, const std::string& text) {
  auto r = ast::extent(part);
  if (!r || clang_getCursorKind(part) != CXCursor_CompoundStmt) return r;
  if (r->end - r->begin < 2 || text[r->begin] != '{' || text[r->end - 1] != '}') return std::nullopt;
  return ast::Range{r->begin + 1, r->end - 1};
}

std::string without_space(std::string s) {
  std::erase_if(s, [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
  return s;
}

// The body of `call` when it calls a lambda written in place, with no
// arguments; a null cursor otherwise.
CXCursor lambda_body(CXCursor call, const std::string& text) {
  if (clang_getCursorKind(call) != CXCursor_CallExpr) return clang_getNullCursor();
  CXCursor callee = clang_getNullCursor();
  ast::children(call, [&](CXCursor k) {
    if (clang_Cursor_isNull(callee)) callee = ast::peel(k);
  });
  auto c = ast::extent(call), l = ast::extent(callee);
  if (clang_getCursorKind(callee) != CXCursor_LambdaExpr || !c || !l ||
      without_space(text.substr(l->end, c->end - l->end)) != "()")
    return clang_getNullCursor();
  return ast::body_of(callee);
}

// `[...] { A }();` as a statement: the lambda's body, and the statement's end
// past its `;`. Not when the body returns (it would return from the caller).
std::optional<CXCursor> called_lambda(CXCursor s, const std::string& text, unsigned& end) {
  CXCursor body = lambda_body(ast::peel(s), text);
  auto b = clang_Cursor_isNull(body) ? std::nullopt : ast::extent(body);
  if (!b) return std::nullopt;
  for (auto& t : tokenize(text.substr(b->begin, b->end - b->begin)))
    if (text.compare(b->begin + t.begin, t.end - t.begin, "return") == 0 && t.end - t.begin == 6) return std::nullopt;
  end = passes::skip_space(text, end);
  if (end >= text.size() || text[end] != ';') return std::nullopt;
  ++end;
  return body;
}

// `T v = [&] { S; return E; }();` (or `return [&] {...}();`) -> `S; T v = E;`:
// the body goes in front of the statement and its returned value takes the
// call's place. Only when the lambda captures by reference (or nothing) and
// its one return is its last statement.
std::optional<Chunk> hoisted_lambda(CXCursor s, const std::string& text, const std::vector<ast::Range>& macros) {
  CXCursor call = passes::value_call(s);
  CXCursor body = clang_Cursor_isNull(call) ? call : lambda_body(call, text);
  if (clang_Cursor_isNull(body)) return std::nullopt;
  auto st = ast::extent(s), c = ast::extent(call), b = ast::extent(body);
  if (!st || !c || !b || ast::overlaps_any(macros, st->begin, st->end)) return std::nullopt;
  std::string captures = without_space(text.substr(c->begin, text.find(']', c->begin) + 1 - c->begin));
  if (captures != "[&]" && captures != "[]" && captures != "[this]" && captures != "[&,this]") return std::nullopt;
  auto ret = passes::final_return(body);
  if (!ret || clang_Cursor_isNull(*ret)) return std::nullopt;
  CXCursor value = passes::returned_value(*ret);
  auto r = ast::extent(*ret), v = clang_Cursor_isNull(value) ? std::nullopt : ast::extent(value);
  if (!r || !v) return std::nullopt;
  return Chunk{{st->begin, st->begin, text.substr(b->begin + 1, r->begin - b->begin - 1)},
               {c->begin, c->end, text.substr(v->begin, v->end - v->begin)}};
}

// The breaks and continues in `c` that leave (or restart) the loop around it:
// nested loops are their own, a switch takes the breaks, lambdas and classes
// are another function.
void loop_exits(CXCursor c, bool in_switch, int& breaks, int& continues) {
  ast::children(c, [&](CXCursor k) {
    switch (clang_getCursorKind(k)) {
      case CXCursor_BreakStmt: breaks += !in_switch; return;
      case CXCursor_ContinueStmt: ++continues; return;
      case CXCursor_WhileStmt: case CXCursor_ForStmt: case CXCursor_CXXForRangeStmt: case CXCursor_DoStmt:
      case CXCursor_LambdaExpr: case CXCursor_ClassDecl: case CXCursor_StructDecl:
        return;
      case CXCursor_SwitchStmt: return loop_exits(k, true, breaks, continues);
      default: return loop_exits(k, in_switch, breaks, continues);
    }
  });
}

// `while (c) { A; break; }` -> `if (c) { A; }`: the body's last statement is
// the loop's only break and nothing continues it, so it runs at most once.
std::optional<Chunk> loop_once(CXCursor s, const std::string& text, const std::vector<ast::Range>& macros) {
  if (clang_getCursorKind(s) != CXCursor_WhileStmt) return std::nullopt;
  CXCursor body = clang_getNullCursor(), last = clang_getNullCursor();
  ast::children(s, [&](CXCursor k) { body = k; });
  if (clang_getCursorKind(body) != CXCursor_CompoundStmt) return std::nullopt;
  ast::children(body, [&](CXCursor k) { last = k; });
  int breaks = 0, continues = 0;
  loop_exits(body, false, breaks, continues);
  auto w = ast::extent(s), b = ast::extent(last);
  if (clang_getCursorKind(last) != CXCursor_BreakStmt || breaks != 1 || continues || !w || !b ||
      text.compare(w->begin, 5, "while") != 0 || ast::overlaps_any(macros, w->begin, w->end))
    return std::nullopt;
  unsigned end = passes::skip_space(text, b->end);
  if (end >= text.size() || text[end] != ';') return std::nullopt;
  return Chunk{{w->begin, w->begin + 5, "if"}, {b->begin, end + 1, ""}};
}

// `if (c) A [else B]` and `while (c) A` -> `c;`: what the condition does
// (once), without what it guards. `if (!c)` gives `c;` (a `!` whose value is
// dropped is a warning), `if (T v = c)` gives `c;`. Only for a condition with
// a call in it: anything else has no effect as a statement.
std::optional<Chunk> condition_only(CXCursor s, const std::string& text, const std::vector<ast::Range>& macros) {
  CXCursorKind kind = clang_getCursorKind(s);
  if (kind != CXCursor_IfStmt && kind != CXCursor_WhileStmt) return std::nullopt;
  CXCursor cond = clang_getNullCursor();
  ast::children(s, [&](CXCursor k) {
    if (clang_Cursor_isNull(cond)) cond = k;
  });
  if (clang_getCursorKind(cond) == CXCursor_VarDecl) {
    CXCursor init = clang_getNullCursor();
    ast::children(cond, [&](CXCursor k) { init = k; });
    cond = init;
  }
  if (clang_Cursor_isNull(cond) || !clang_isExpression(clang_getCursorKind(cond))) return std::nullopt;
  auto w = ast::extent(s), c = ast::extent(cond);
  if (!w || !c || ast::overlaps_any(macros, w->begin, w->end)) return std::nullopt;
  if (text[c->begin] == '!' && clang_getCursorKind(cond) == CXCursor_UnaryOperator)
    ast::children(cond, [&](CXCursor k) { c = ast::extent(k); });
  bool calls = clang_getCursorKind(cond) == CXCursor_CallExpr;
  passes::walk_deep(cond, [&](CXCursor k) { calls |= clang_getCursorKind(k) == CXCursor_CallExpr; });
  if (!c || !calls) return std::nullopt;
  unsigned after = passes::skip_space(text, w->end);
  bool has_semi = after < text.size() && text[after] == ';';
  return Chunk{{w->begin, w->end, text.substr(c->begin, c->end - c->begin) + (has_semi ? "" : ";")}};
}

}  // namespace

std::vector<Chunk> unwrap_statements(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  auto macros = ast::macro_expansions(in.tu);
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor block) {
    if (clang_getCursorKind(block) != CXCursor_CompoundStmt) return true;
    ast::children(block, [&](CXCursor s) {
      auto whole = ast::extent(s);
      if (!whole) return;
      auto parts = kept_parts(s);
      if (auto body = called_lambda(s, in.text, whole->end)) parts = {*body};
      if (auto hoisted = hoisted_lambda(s, in.text, macros)) out.push_back(std::move(*hoisted));
      if (auto once = loop_once(s, in.text, macros)) out.push_back(std::move(*once));
      if (auto cond = condition_only(s, in.text, macros)) out.push_back(std::move(*cond));
      // The frame around the kept part goes; the part itself may hold macros.
      for (CXCursor part : parts) {
        auto kept = kept_range(part, in.text);
        if (!kept || kept->begin < whole->begin || kept->end > whole->end || *kept == *whole ||
            ast::overlaps_any(macros, whole->begin, kept->begin) || ast::overlaps_any(macros, kept->end, whole->end))
          continue;
        Chunk frame;
        if (whole->begin < kept->begin) frame.push_back({whole->begin, kept->begin, ""});
        if (kept->end < whole->end) frame.push_back({kept->end, whole->end, ""});
        out.push_back(std::move(frame));
      }
    });
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
