// The `bases-templates` pass.
//
// Base classes: one chunk per base specifier, removing it with its comma (or
// with the ':' when it is the only base) and, in the same chunk, its
// initializer `Base(...)` in the class's constructors. Uses of the base's
// members are not rewritten: such candidates fail to compile.
//
// Template parameters, only in this safe case: a parameter of a class
// template that no declaration of the template refers to (not its body, not
// another parameter's default), of a template with no parameter pack, no
// partial or explicit specialization and no out-of-line member, and whose
// every use outside its own definition is written `Name<args>`. The chunk
// removes the parameter from every declaration and the matching argument at
// every use (uses relying on its default are unchanged). Removing the only
// parameter removes the `template <...>` header and the `<...>` of every use.
// Not handled: function, alias and variable templates.
#include <cstring>

#include "oracle/ast.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

// One key per class: a template specialization maps to its template.
CXCursor key_of(CXCursor c) {
  CXCursor t = clang_getSpecializedCursorTemplate(c);
  return clang_getCanonicalCursor(clang_Cursor_isNull(t) ? c : t);
}
CXCursor canonical_ref(CXCursor c) { return key_of(clang_getCursorReferenced(c)); }

using passes::skip_space;

// A bracketed list `<a, b>` / `(a, b)`: its brackets and its top-level items.
struct List {
  unsigned open = 0, close = 0;  // offsets of the brackets
  std::vector<ast::Range> items;
};

// The end of the string or character literal starting at `i`.
unsigned skip_literal(const std::string& t, unsigned i) {
  char q = t[i];
  for (++i; i < t.size() && t[i] != q; ++i)
    if (t[i] == '\\') ++i;
  return i;
}

// Parses the list opening at `p`. In a `<...>` list nested '<' pair with '>'
// (so `>>` closes two levels); a comparison must be parenthesized there, as
// C++ itself requires. Nullopt when no list closes before a ';'.
std::optional<List> parse_list(const std::string& t, unsigned p) {
  if (p >= t.size() || !std::strchr("<({", t[p])) return std::nullopt;
  bool angles = t[p] == '<';
  List l{p, 0, {}};
  int depth = 0;
  unsigned item = p + 1;
  auto push = [&](unsigned end) {
    unsigned b = skip_space(t, item), e = end;
    while (e > b && std::isspace(static_cast<unsigned char>(t[e - 1]))) --e;
    if (e > b) l.items.push_back({b, e});
  };
  for (unsigned i = p; i < t.size(); ++i) {
    char c = t[i];
    if (c == ';') return std::nullopt;
    if (c == '"' || c == '\'') i = skip_literal(t, i);
    if (std::strchr("([{", c) || (angles && c == '<')) ++depth;
    if (std::strchr(")]}", c) || (angles && c == '>' && t[i - 1] != '-')) --depth;
    if (c == ',' && depth == 1) {
      push(i);
      item = i + 1;
    }
    if (depth == 0) {
      push(i);
      l.close = i;
      return l;
    }
  }
  return std::nullopt;
}

// ---- Base classes ----

// Initializers `Base(...)` / `Base{...}` naming `base` in constructor `ctor`.
void base_initializers(const std::string& text, CXCursor ctor, CXCursor base, Chunk& chunk) {
  ast::children(ctor, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if ((k != CXCursor_TypeRef && k != CXCursor_TemplateRef) || !clang_equalCursors(canonical_ref(c), base)) return;
    auto r = ast::extent(c);
    if (!r) return;
    unsigned p = skip_space(text, r->end);
    if (auto targs = parse_list(text, p); targs && text[p] == '<') p = skip_space(text, targs->close + 1);
    auto args = parse_list(text, p);
    if (!args || text[p] == '<') return;
    if (auto edit = cut_list_item(text, r->begin, args->close + 1)) chunk.push_back(*edit);
  });
}

// One chunk per base specifier of `cls`.
void class_bases(const std::string& text, CXCursor cls, const std::vector<CXCursor>& ctors, std::vector<Chunk>& out) {
  CXCursor derived = clang_getCanonicalCursor(cls);
  ast::children(cls, [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_CXXBaseSpecifier) return;
    auto r = ast::extent(c);
    auto edit = r ? cut_list_item(text, r->begin, r->end) : std::nullopt;
    if (!edit) return;
    Chunk chunk{*edit};
    for (CXCursor ctor : ctors)
      if (clang_equalCursors(clang_getCanonicalCursor(clang_getCursorSemanticParent(ctor)), derived))
        base_initializers(text, ctor, canonical_ref(c), chunk);
    out.push_back(std::move(chunk));
  });
}

void base_chunks(const std::string& text, CXCursor tu, std::vector<Chunk>& out) {
  std::vector<CXCursor> ctors, classes;
  passes::walk(tu, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_Constructor && clang_isCursorDefinition(c)) ctors.push_back(c);
    if ((k == CXCursor_StructDecl || k == CXCursor_ClassDecl || k == CXCursor_ClassTemplate ||
         k == CXCursor_ClassTemplatePartialSpecialization) && clang_isCursorDefinition(c))
      classes.push_back(c);
    return true;
  });
  for (CXCursor cls : classes) class_bases(text, cls, ctors, out);
}

// ---- Template parameters ----

// Pre-order over everything below `root`, including cursors spelled in a
// macro expansion (passes::walk skips those; a use we do not see is a use we
// would break).
void walk_deep(CXCursor root, const std::function<void(CXCursor)>& f) {
  ast::children(root, [&](CXCursor c) {
    f(c);
    walk_deep(c, f);
  });
}

bool is_template_param(CXCursorKind k) {
  return k == CXCursor_TemplateTypeParameter || k == CXCursor_NonTypeTemplateParameter ||
         k == CXCursor_TemplateTemplateParameter;
}

std::vector<CXCursor> template_params(CXCursor decl) {
  std::vector<CXCursor> out;
  ast::children(decl, [&](CXCursor c) {
    if (is_template_param(clang_getCursorKind(c))) out.push_back(c);
  });
  return out;
}

// All a class template's declarations and uses in the main file.
struct Template {
  CXCursor key;
  std::vector<CXCursor> decls, uses;
  bool unsafe = false;  // specializations, out-of-line members, packs, odd uses
};

Template* find(std::vector<Template>& ts, CXCursor key) {
  for (auto& t : ts)
    if (clang_equalCursors(t.key, key)) return &t;
  return nullptr;
}

std::vector<Template> collect_templates(CXCursor tu) {
  std::vector<Template> ts;
  passes::walk(tu, [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_ClassTemplate && !find(ts, clang_getCanonicalCursor(c)))
      ts.push_back({clang_getCanonicalCursor(c), {}, {}, !ast::in_main_file(clang_getCanonicalCursor(c))});
    return true;
  });
  auto visit = [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    CXCursor spec = clang_getCanonicalCursor(clang_getSpecializedCursorTemplate(c));
    CXCursor lex = clang_getCursorLexicalParent(c), sem = clang_getCursorSemanticParent(c);
    if (k == CXCursor_ClassTemplate)
      if (auto* t = find(ts, clang_getCanonicalCursor(c))) {
        t->decls.push_back(c);
        t->unsafe = t->unsafe || !ast::in_main_file(c);
      }
    if (k == CXCursor_TemplateRef)
      if (auto* t = find(ts, canonical_ref(c))) {
        t->uses.push_back(c);
        t->unsafe = t->unsafe || !ast::in_main_file(c);  // in a macro expansion
      }
    if (k != CXCursor_ClassTemplate && !clang_Cursor_isNull(spec) && clang_isDeclaration(k))
      if (auto* t = find(ts, spec)) t->unsafe = true;  // a specialization
    if (!clang_equalCursors(lex, sem) && clang_isDeclaration(k))
      if (auto* t = find(ts, clang_getCanonicalCursor(sem))) t->unsafe = true;  // out-of-line member
  };
  ast::children(tu, [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    visit(top);
    walk_deep(top, visit);
  });
  return ts;
}

bool refers_to(CXCursor root, CXCursor param) {
  bool found = false;
  walk_deep(root, [&](CXCursor c) {
    found = found || (!clang_equalCursors(c, param) && clang_equalCursors(clang_getCursorReferenced(c), param));
  });
  return found;
}

bool has_pack(const std::string& text, const std::vector<CXCursor>& params) {
  for (CXCursor p : params) {
    auto r = ast::extent(p);
    if (!r || text.substr(r->begin, r->end - r->begin).find("...") != std::string::npos) return true;
  }
  return false;
}

std::optional<ast::Range> definition_range(const Template& t) {
  for (CXCursor d : t.decls)
    if (clang_isCursorDefinition(d)) return ast::extent(d);
  return std::nullopt;
}

// The edits for one use `Name<args>` of a template losing parameter i of n.
bool edit_use(const std::string& text, CXCursor use, ast::Range def, size_t i, size_t n, Chunk& chunk) {
  auto r = ast::extent(use);
  if (!r) return false;
  unsigned p = skip_space(text, r->end);
  auto args = p < text.size() && text[p] == '<' ? parse_list(text, p) : std::nullopt;
  if (!args) return r->begin >= def.begin && r->end <= def.end;  // the injected class name
  if (n == 1) {
    chunk.push_back({r->end, args->close + 1, ""});
    return true;
  }
  if (i >= args->items.size()) return true;  // left to the default
  auto e = cut_list_item(text, args->items[i].begin, args->items[i].end);
  if (e) chunk.push_back(*e);
  return e.has_value();
}

// The edit removing parameter i of n from one declaration.
bool edit_decl(const std::string& text, CXCursor decl, size_t i, size_t n, Chunk& chunk) {
  auto params = template_params(decl);
  auto r = ast::extent(decl);
  auto p = params.size() == n ? ast::extent(params[i]) : std::nullopt;
  if (!r || !p) return false;
  if (n > 1) {
    auto e = cut_list_item(text, p->begin, p->end);
    if (e) chunk.push_back(*e);
    return e.has_value();
  }
  auto list = parse_list(text, skip_space(text, r->begin + std::strlen("template")));
  if (text.compare(r->begin, 8, "template") != 0 || !list) return false;
  chunk.push_back({r->begin, skip_space(text, list->close + 1), ""});
  return true;
}

void template_chunks(const std::string& text, CXCursor tu, std::vector<Chunk>& out) {
  for (const Template& t : collect_templates(tu)) {
    auto def = definition_range(t);
    if (t.unsafe || !def) continue;
    auto params = template_params(t.decls[0]);
    for (size_t i = 0; i < params.size() && !has_pack(text, params); ++i) {
      bool ok = true;
      Chunk chunk;
      for (CXCursor d : t.decls) ok = ok && template_params(d).size() == params.size() && !refers_to(d, template_params(d)[i]);
      for (CXCursor d : t.decls) ok = ok && edit_decl(text, d, i, params.size(), chunk);
      for (CXCursor u : t.uses) ok = ok && edit_use(text, u, *def, i, params.size(), chunk);
      if (ok) out.push_back(std::move(chunk));
    }
  }
}

}  // namespace

std::vector<Chunk> remove_bases_and_template_params(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> chunks;
  CXCursor tu = clang_getTranslationUnitCursor(in.tu);
  base_chunks(in.text, tu, chunks);
  template_chunks(in.text, tu, chunks);
  return chunks;
}

}  // namespace minrepro::reducer
