// unwrap: replace a control statement by what it controls, the statement's
// own parts going with it:
//   if (c) A else B           -> A | B
//   while (c) A, for (...) A  -> A      (once; a loop variable it uses fails to compile)
//   do A while (c);           -> A
//   try A catch (...) B       -> A
//   { A }                     -> A      (a block nested in a block)
//   [&] { A }();              -> A      (a lambda called where it is written, without a return)
// A branch that is a block gives its contents. This is what deleting
// statements cannot do: keep the body of a try or a loop and drop the frame
// around it (C-Reduce's simplify-if, generalised). The frame must be clear of
// macro expansions; what it keeps may hold some.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
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

// `[...] { A }();` as a statement: the lambda's body, and the statement's end
// past its `;`. Not when the body returns (it would return from the caller).
std::optional<CXCursor> called_lambda(CXCursor s, const std::string& text, unsigned& end) {
  CXCursor call = ast::peel(s);
  if (clang_getCursorKind(call) != CXCursor_CallExpr) return std::nullopt;
  CXCursor callee = clang_getNullCursor();
  ast::children(call, [&](CXCursor k) {
    if (clang_Cursor_isNull(callee)) callee = ast::peel(k);
  });
  auto c = ast::extent(call), l = ast::extent(callee);
  if (clang_getCursorKind(callee) != CXCursor_LambdaExpr || !c || !l) return std::nullopt;
  std::string args = text.substr(l->end, c->end - l->end);  // `()`, no arguments
  std::erase_if(args, [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
  if (args != "()") return std::nullopt;
  CXCursor body = ast::body_of(callee);
  auto b = clang_Cursor_isNull(body) ? std::nullopt : ast::extent(body);
  if (!b) return std::nullopt;
  for (auto& t : tokenize(text.substr(b->begin, b->end - b->begin)))
    if (text.compare(b->begin + t.begin, t.end - t.begin, "return") == 0 && t.end - t.begin == 6) return std::nullopt;
  end = passes::skip_space(text, end);
  if (end >= text.size() || text[end] != ';') return std::nullopt;
  ++end;
  return body;
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
