// return-void: a function that returns a value returns nothing instead. Its
// return type becomes `void` and each `return E;` in its body (not in nested
// lambdas) either `return;` or, keeping E's effects, `E; return;` — two
// chunks. Whatever only fed the returned value can then go (C-Reduce's
// return-void). Callers that use the value stop compiling, so the engine
// rejects those. Only a return type spelled between the specifiers and the
// function's unqualified name is rewritten; out-of-line members, trailing
// return types and conversion operators are left alone.
#include <cctype>
#include <set>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {
namespace {

// The return type's range in [begin, name): what follows the leading
// `template <...>`, attributes and specifiers. Nullopt when there is none to
// rewrite (a qualified name, `auto`, a macro).
std::optional<ast::Range> return_type(const std::string& text, unsigned begin, unsigned name) {
  static const std::set<std::string> specifiers = {"static", "inline",  "constexpr", "consteval", "virtual",
                                                   "extern", "friend",  "explicit",  "noexcept"};
  unsigned i = begin;
  auto skip_space = [&] {
    while (i < name && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  auto skip_group = [&](char open, char close) {  // at `open`: past its matching `close`
    int depth = 0;
    for (; i < name; ++i) {
      if (text[i] == open) ++depth;
      if (text[i] == close && --depth == 0) return ++i, true;
    }
    return false;
  };
  for (;;) {
    skip_space();
    if (text.compare(i, 8, "template") == 0 && i + 8 < name && !passes::ident_char(text[i + 8])) {
      i += 8, skip_space();
      if (i >= name || text[i] != '<' || !skip_group('<', '>')) return std::nullopt;
    } else if (text.compare(i, 2, "[[") == 0) {
      if (!skip_group('[', ']')) return std::nullopt;
    } else {
      unsigned j = i;
      while (j < name && passes::ident_char(text[j])) ++j;
      if (j == i || !specifiers.count(text.substr(i, j - i))) break;
      i = j;
    }
  }
  unsigned end = name;
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string type = text.substr(i, end - i);
  if (type.empty() || type == "void" || type == "auto" || type.ends_with("::")) return std::nullopt;
  return ast::Range{i, end};
}

// The return statements with a value in `body`, nested lambdas and classes aside.
void returns(CXCursor c, std::vector<CXCursor>& out) {
  ast::children(c, [&](CXCursor k) {
    CXCursorKind kind = clang_getCursorKind(k);
    if (kind == CXCursor_LambdaExpr || clang_isDeclaration(kind)) return;
    if (kind == CXCursor_ReturnStmt) {
      int n = 0;
      ast::children(k, [&](CXCursor) { ++n; });
      if (n) out.push_back(k);
      return;
    }
    returns(k, out);
  });
}

}  // namespace

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
    unsigned line, col, name;
    CXFile file;
    clang_getFileLocation(clang_getCursorLocation(fn), &file, &line, &col, &name);
    if (name <= whole->begin || name >= whole->end) return true;
    auto type = return_type(in.text, whole->begin, name);
    if (!type) return true;
    std::vector<CXCursor> rets;
    returns(body, rets);
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
