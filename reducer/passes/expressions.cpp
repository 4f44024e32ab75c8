// The `expressions` pass: inside function bodies (lambdas included) and
// constructors' initializers, replace an expression by something smaller of
// the same shape:
//   a op b      -> a | b          (binary and compound-assignment operators)
//   c ? a : b   -> a | b
//   (e)         -> e
//   42          -> 0 | 1          (integer literals other than 0 and 1)
//   "text"      -> ""             (keeping an encoding prefix; raw strings skipped)
//   f(a, b)     -> a | b          (a call by one of its arguments)
//   f(a, b)     -> f(a) | f()     (without its trailing arguments)
//   f(cb)       -> f(g)           (a std::function or function-pointer argument
//                                  by each global function of its type)
//   f(...)      -> true | false   (a call of type bool; 0 | 1 for integer types;
//                                  {} for class types, e.g. an argument)
//   !true       -> false          (and !false, !(true) -> true: what replacing
//                                  an operand by a literal leaves behind)
// Expressions overlapping a macro expansion are skipped: their extents point
// at the macro's name, not at the expression. Removing whole statements is the
// `statements` pass's job.
#include <algorithm>
#include <set>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {
namespace {

// The function type an argument of type `t` takes when it is a callback (a
// std::function or a pointer to a function); an invalid type otherwise.
CXType callback_type(CXType t) {
  t = clang_getCanonicalType(t);
  CXType none{};
  none.kind = CXType_Invalid;
  if (t.kind == CXType_Pointer) return clang_getCanonicalType(clang_getPointeeType(t));
  if (t.kind != CXType_Record) return none;
  bool function = ast::type_spelling(t).rfind("std::function<", 0) == 0;
  return function ? clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(t, 0)) : none;
}

struct Function {
  std::string name;
  CXType type;
};

// The free functions the main file defines at global scope (not main):
// what a callback argument of their type may be replaced by.
std::vector<Function> global_functions(CXTranslationUnit tu) {
  std::vector<Function> out;
  ast::children(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && ast::in_main_file(c) && clang_isCursorDefinition(c))
      if (auto name = ast::spelling(c); name != "main")
        out.push_back({name, clang_getCanonicalType(clang_getCursorType(c))});
  });
  return out;
}

struct Walker {
  const std::string& text;
  std::vector<ast::Range> macros;
  std::vector<Function> functions;
  std::vector<Chunk> chunks;
  // Where the sizes of local arrays begin: they stay. `int fds[2];` for
  // pipe2() shrunk to `int fds[1];` is an out-of-bounds write g++ does not
  // warn about at -O0 (and 2 -> 1 saves no token).
  std::set<unsigned> array_sizes;

  void note_array_size(CXCursor decl) {
    if (clang_getCursorType(decl).kind != CXType_ConstantArray) return;
    ast::children(decl, [&](CXCursor k) {
      if (clang_getCursorKind(k) == CXCursor_IntegerLiteral)
        if (auto r = range(k)) array_sizes.insert(r->begin);
    });
  }

  std::string text_of(ast::Range r) const { return text.substr(r.begin, r.end - r.begin); }

  std::optional<ast::Range> range(CXCursor c) const { return ast::extent_outside(c, macros); }

  // Replaces `whole` by the text of each of `parts`, one chunk each.
  void by_parts(CXCursor whole, const std::vector<CXCursor>& parts) {
    auto w = range(whole);
    if (!w) return;
    for (CXCursor p : parts)
      if (auto r = range(p); r && r->begin >= w->begin && r->end <= w->end && !(*r == *w))
        chunks.push_back({{w->begin, w->end, text_of(*r)}});
  }

  void literal(CXCursor c, bool is_string) {
    auto r = range(c);
    if (!r) return;
    std::string s = text_of(*r);
    if (!is_string) {
      if (array_sizes.count(r->begin)) return;
      for (const char* v : {"0", "1"})
        if (s != "0" && s != "1") chunks.push_back({{r->begin, r->end, v}});
      return;
    }
    auto quote = s.find('"');
    std::string prefix = s.substr(0, quote);
    if (quote == std::string::npos || prefix.find('R') != std::string::npos || s == prefix + "\"\"") return;
    chunks.push_back({{r->begin, r->end, prefix + "\"\""}});
  }

  // `f(a, b, c)` -> `f(a, b)` | `f(a)` | `f()`: an overload or a default
  // argument may do without the rest (`cv.wait(lock, pred)` -> `cv.wait(lock)`).
  // Only arguments written in the call count; a defaulted one has no text there.
  void drop_trailing(ast::Range call, const std::vector<CXCursor>& args) {
    std::vector<ast::Range> written;
    for (CXCursor a : args) {
      auto r = range(a);
      if (!r || r->begin < call.begin || r->end > call.end || (!written.empty() && r->begin < written.back().end))
        break;
      written.push_back(*r);
    }
    for (size_t k = 0; k < written.size(); ++k)
      chunks.push_back({{k == 0 ? written[0].begin : written[k - 1].end, written.back().end, ""}});
  }

  // A call whose value is all that matters becomes a constant of its type, or
  // one of its arguments (a wrapper, a lookup with a default: `get("k", 3)` -> 3).
  void call(CXCursor c) {
    auto r = range(c);
    if (!r) return;
    std::vector<CXCursor> args;
    for (int i = 0, n = clang_Cursor_getNumArguments(c); i < n; ++i) args.push_back(clang_Cursor_getArgument(c, i));
    by_parts(c, args);
    drop_trailing(*r, args);
    // A callback computed at run time (looked up in a table, say) becomes a
    // function the program defines: what the lookup found, with luck.
    for (CXCursor a : args) {
      auto ar = range(a);
      CXType want = callback_type(clang_getCursorType(a));
      if (!ar || want.kind != CXType_FunctionProto) continue;
      for (auto& f : functions)
        if (clang_equalTypes(f.type, want) && f.name != text_of(*ar)) chunks.push_back({{ar->begin, ar->end, f.name}});
    }
    CXTypeKind k = clang_getCanonicalType(clang_getCursorType(c)).kind;
    if (k == CXType_Bool) {
      for (const char* v : {"true", "false"}) chunks.push_back({{r->begin, r->end, v}});
    } else if (k >= CXType_Char_U && k <= CXType_Int128 && k != CXType_Bool) {
      for (const char* v : {"0", "1"}) chunks.push_back({{r->begin, r->end, v}});
    } else if (k == CXType_Record) {
      chunks.push_back({{r->begin, r->end, "{}"}});
    }
  }

  // `!` of a bool literal, however parenthesized, becomes the other literal.
  void negation(CXCursor c, CXCursor operand) {
    auto r = range(c);
    if (!r || text[r->begin] != '!') return;
    while (clang_getCursorKind(operand) == CXCursor_ParenExpr) {
      std::vector<CXCursor> inner;
      ast::children(operand, [&](CXCursor k) { inner.push_back(k); });
      if (inner.size() != 1) return;
      operand = inner[0];
    }
    auto o = range(operand);
    if (!o || clang_getCursorKind(operand) != CXCursor_CXXBoolLiteralExpr) return;
    chunks.push_back({{r->begin, r->end, text_of(*o) == "true" ? "false" : "true"}});
  }

  void expression(CXCursor c) {
    std::vector<CXCursor> kids;
    ast::children(c, [&](CXCursor k) { kids.push_back(k); });
    switch (clang_getCursorKind(c)) {
      case CXCursor_BinaryOperator:
      case CXCursor_CompoundAssignOperator:
        if (kids.size() == 2) by_parts(c, kids);
        break;
      case CXCursor_ConditionalOperator:
        if (kids.size() == 3) by_parts(c, {kids[1], kids[2]});
        break;
      case CXCursor_ParenExpr:
        if (kids.size() == 1) by_parts(c, kids);
        break;
      case CXCursor_UnaryOperator:
        if (kids.size() == 1) negation(c, kids[0]);
        break;
      case CXCursor_CallExpr: call(c); break;
      case CXCursor_IntegerLiteral: literal(c, false); break;
      case CXCursor_StringLiteral: literal(c, true); break;
      default: break;
    }
  }
};

}  // namespace

std::vector<Chunk> simplify_expressions(const PassInput& in) {
  if (!in.tu) return {};
  Walker w{in.text, ast::macro_expansions(in.tu), global_functions(in.tu), {}, {}};
  ast::visit_code(in.tu, [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_VarDecl) w.note_array_size(c);  // before its children
    if (clang_isExpression(clang_getCursorKind(c))) w.expression(c);
  });
  // Biggest replaced range first; the walk's pre-order breaks ties.
  std::stable_sort(w.chunks.begin(), w.chunks.end(), [](const Chunk& a, const Chunk& b) {
    return a[0].end - a[0].begin > b[0].end - b[0].begin;
  });
  return std::move(w.chunks);
}

}  // namespace minrepro::reducer
