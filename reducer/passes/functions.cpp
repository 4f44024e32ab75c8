#include "reducer/passes/functions.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "reducer/pass.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer::passes {
namespace {

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

}  // namespace

bool is_function(CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
         k == CXCursor_FunctionTemplate;
}

void walk_deep(CXCursor root, const std::function<void(CXCursor)>& f) {
  ast::children(root, [&](CXCursor c) {
    f(c);
    walk_deep(c, f);
  });
}

FunctionIndex::FunctionIndex(CXTranslationUnit tu) {
  ast::children(clang_getTranslationUnitCursor(tu), [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    visit(top);
    walk_deep(top, [&](CXCursor c) { visit(c); });
  });
}

Function& FunctionIndex::at(CXCursor c) {
  CXCursor k = key_of(c);
  auto& bucket = by_hash[clang_hashCursor(k)];
  for (auto& f : bucket)
    if (clang_equalCursors(f.key, k)) return f;
  bucket.push_back({k, {}, {}, 0, false});
  return bucket.back();
}

void FunctionIndex::visit(CXCursor c) {
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

std::vector<const Function*> FunctionIndex::in_order() const {
  std::vector<const Function*> fns;
  for (auto& [h, bucket] : by_hash)
    for (auto& f : bucket)
      if (!f.decls.empty()) fns.push_back(&f);
  std::sort(fns.begin(), fns.end(), [](const Function* a, const Function* b) {
    auto ra = ast::extent(a->decls[0]), rb = ast::extent(b->decls[0]);
    return (ra ? ra->begin : 0) < (rb ? rb->begin : 0);
  });
  return fns;
}

bool FunctionIndex::overloaded(const Function& f, const std::string& name) const {
  CXCursor parent = clang_getCursorSemanticParent(f.key);
  int n = 0;
  for (auto& [h, bucket] : by_hash)
    for (auto& g : bucket)
      if (!g.decls.empty() && ast::spelling(g.key) == name && clang_equalCursors(clang_getCursorSemanticParent(g.key), parent))
        ++n;
  return n > 1;
}

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

CXCursor definition_of(const Function& f) {
  for (CXCursor d : f.decls)
    if (clang_isCursorDefinition(d)) return d;
  return clang_getNullCursor();
}

CXCursor value_call(CXCursor stmt) {
  std::vector<CXCursor> kids;
  ast::children(stmt, [&](CXCursor k) { kids.push_back(k); });
  CXCursorKind kind = clang_getCursorKind(stmt);
  if (kind == CXCursor_DeclStmt && kids.size() == 1 && clang_getCursorKind(kids[0]) == CXCursor_VarDecl) {
    CXCursor init = clang_getNullCursor();
    ast::children(kids[0], [&](CXCursor k) { init = k; });  // the initializer comes last
    kids = {init};
  } else if (kind != CXCursor_ReturnStmt || kids.size() != 1) {
    return clang_getNullCursor();
  }
  CXCursor e = clang_Cursor_isNull(kids[0]) ? kids[0] : ast::peel(kids[0]);
  return !clang_Cursor_isNull(e) && clang_getCursorKind(e) == CXCursor_CallExpr ? e : clang_getNullCursor();
}

unsigned name_offset(CXCursor fn) {
  unsigned line, col, at = 0;
  CXFile file;
  clang_getFileLocation(clang_getCursorLocation(fn), &file, &line, &col, &at);
  return at;
}

std::optional<ast::Range> declared_type(const std::string& text, unsigned begin, unsigned name) {
  static const std::set<std::string> specifiers = {"static", "inline",  "constexpr", "consteval", "virtual",
                                                   "extern", "friend",  "explicit",  "noexcept"};
  unsigned i = begin;
  auto skip_spaces = [&] { i = std::min(skip_space(text, i), name); };
  auto skip_group = [&](char open, char close) {  // at `open`: past its matching `close`
    int depth = 0;
    for (; i < name; ++i) {
      if (text[i] == open) ++depth;
      if (text[i] == close && --depth == 0) return ++i, true;
    }
    return false;
  };
  for (;;) {
    skip_spaces();
    if (text.compare(i, 8, "template") == 0 && i + 8 < name && !ident_char(text[i + 8])) {
      i += 8, skip_spaces();
      if (i >= name || text[i] != '<' || !skip_group('<', '>')) return std::nullopt;
    } else if (text.compare(i, 2, "[[") == 0) {
      if (!skip_group('[', ']')) return std::nullopt;
    } else {
      unsigned j = i;
      while (j < name && ident_char(text[j])) ++j;
      if (j == i || !specifiers.count(text.substr(i, j - i))) break;
      i = j;
    }
  }
  unsigned end = name;
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  if (end <= i) return std::nullopt;
  return ast::Range{i, end};
}

std::vector<CXCursor> returns_in(CXCursor body, bool with_value) {
  std::vector<CXCursor> out;
  std::function<void(CXCursor)> visit = [&](CXCursor c) {
    ast::children(c, [&](CXCursor k) {
      CXCursorKind kind = clang_getCursorKind(k);
      if (kind == CXCursor_LambdaExpr || clang_isDeclaration(kind)) return;
      if (kind == CXCursor_ReturnStmt) {
        int n = 0;
        ast::children(k, [&](CXCursor) { ++n; });
        if (n || !with_value) out.push_back(k);
        return;
      }
      visit(k);
    });
  };
  visit(body);
  return out;
}

std::optional<CXCursor> final_return(CXCursor body) {
  std::vector<CXCursor> rets = returns_in(body, false);
  CXCursor last = clang_getNullCursor();
  ast::children(body, [&](CXCursor k) { last = k; });
  if (rets.size() > 1 || (rets.size() == 1 && !clang_equalCursors(rets[0], last))) return std::nullopt;
  return rets.empty() ? clang_getNullCursor() : rets[0];
}

CXCursor returned_value(CXCursor ret) {
  CXCursor value = clang_getNullCursor();
  if (!clang_Cursor_isNull(ret)) ast::children(ret, [&](CXCursor k) { value = k; });
  return value;
}

std::optional<std::string> qualifier(CXCursor cls) {
  std::string q;
  for (CXCursor s = cls; clang_getCursorKind(s) != CXCursor_TranslationUnit; s = clang_getCursorSemanticParent(s)) {
    CXCursorKind k = clang_getCursorKind(s);
    if (clang_Cursor_isNull(s) || (k != CXCursor_Namespace && k != CXCursor_ClassDecl && k != CXCursor_StructDecl))
      return std::nullopt;
    std::string name = ast::spelling(s);
    if (name.empty()) return std::nullopt;
    q = name + "::" + q;
  }
  return q;
}

bool is_class(CXCursor c) {
  CXCursorKind k = clang_getCursorKind(c);
  return k == CXCursor_ClassDecl || k == CXCursor_StructDecl;
}

// The end of `name(...)` / `name{...}` starting at `pos` (just after the name).
static std::optional<unsigned> initializer_end(const std::string& text, unsigned pos) {
  while (pos < text.size() && isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  if (pos >= text.size() || (text[pos] != '(' && text[pos] != '{')) return std::nullopt;
  char open = text[pos], close = open == '(' ? ')' : '}';
  int depth = 0;
  for (unsigned i = pos; i < text.size(); ++i) {
    if (text[i] == open) ++depth;
    else if (text[i] == close && --depth == 0) return i + 1;
  }
  return std::nullopt;
}

bool remove_initializers(CXTranslationUnit tu, CXCursor field, const std::string& text, Chunk& chunk) {
  bool ok = true;
  passes::walk(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_Constructor) return true;
    ast::children(c, [&](CXCursor k) {
      if (clang_getCursorKind(k) != CXCursor_MemberRef ||
          !clang_equalCursors(clang_getCursorReferenced(k), field))
        return;
      auto r = ast::extent(k);
      auto end = r ? initializer_end(text, r->end) : std::nullopt;
      auto edit = end ? cut_list_item(text, r->begin, *end) : std::nullopt;
      if (edit) chunk.push_back(*edit);
      else ok = false;
    });
    return false;
  });
  return ok;
}

}  // namespace minrepro::reducer::passes
