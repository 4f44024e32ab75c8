// The `flatten` pass: a variable of one of the file's classes, used only
// through its fields, becomes one variable per field — `App app;` becomes
// `std::future<void> background_;` and `app.background_` becomes
// `background_` — in one chunk per variable (C-Reduce's aggregate-to-scalar,
// for objects). After `inline` has moved a class's methods into their
// callers, this is what lets the class itself go; when the variable is the
// class's only use, the chunk removes the class too.
//
// The fields keep their declarations as written (default member initializers
// included), in their order, so they are constructed and destroyed in the
// same order as before; a storage class (`static`) before the variable's type
// goes before each of them. Only a variable declared alone and without an
// initializer (`C v;`), of a class without bases, destructor or virtual
// methods, whose only user-written constructor (if any) is a default one with
// an empty body (its member initializers become the variables'), and whose
// every use is `v.field`; fields declared one per declaration; nothing inside
// a macro.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "oracle/ast.hpp"
#include "reducer/passes/functions.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

using passes::skip_space;

// Cursors keyed by identity (libclang cursors hash but do not order).
template <class T>
struct CursorMap {
  std::unordered_map<unsigned, std::vector<std::pair<CXCursor, T>>> buckets;
  T& operator[](CXCursor c) {
    auto& b = buckets[clang_hashCursor(c)];
    for (auto& [k, v] : b)
      if (clang_equalCursors(k, c)) return v;
    b.push_back({c, T{}});
    return b.back().second;
  }
};

struct Access {
  ast::Range range;   // `v.field`
  std::string field;
};

struct Uses {
  int refs = 0;                  // every DeclRefExpr naming the variable
  std::vector<Access> accesses;  // `v.field`, to become the field's variable
};

// The initializers of a default constructor with an empty body, by field
// name: `App() : n_(3), w_{1} {}` gives n_ -> "(3)", w_ -> "{1}". Nullopt for
// any other constructor.
std::optional<std::map<std::string, std::string>> initializers(const std::string& text, CXCursor ctor) {
  CXCursor body = ast::body_of(ctor);
  auto br = clang_Cursor_isNull(body) ? std::nullopt : ast::extent(body);
  if (!br || !passes::params_of(ctor).empty() || skip_space(text, br->begin + 1) != br->end - 1) return std::nullopt;
  std::map<std::string, std::string> out;
  bool ok = true;
  ast::children(ctor, [&](CXCursor k) {
    if (clang_getCursorKind(k) != CXCursor_MemberRef) return;
    auto r = ast::extent(k);
    unsigned open = r ? skip_space(text, r->end) : 0;
    if (!r || open >= text.size() || (text[open] != '(' && text[open] != '{')) return void(ok = false);
    char close = text[open] == '(' ? ')' : '}';
    int depth = 0;
    for (unsigned i = open; i < br->begin; ++i) {
      if (text[i] == text[open]) ++depth;
      if (text[i] == close && --depth == 0) {
        std::string init = text.substr(open, i + 1 - open);
        out[ast::spelling(k)] = init == "()" ? "{}" : init;  // `T x();` would declare a function
        return;
      }
    }
    ok = false;
  });
  if (!ok) return std::nullopt;
  return out;
}

// A field as the declaration of a variable: head + name + tail + ";".
struct Field {
  std::string head, name, tail;
};

// The class's fields, the constructor's initializers in place of the default
// member initializers, or nullopt when the class is not a plain bundle of fields.
std::optional<std::vector<Field>> fields_of(const std::string& text, CXCursor cls,
                                                  const std::vector<ast::Range>& macros) {
  std::vector<CXCursor> fields;
  std::optional<std::map<std::string, std::string>> inits = std::map<std::string, std::string>{};
  int ctors = 0;
  bool ok = true;
  ast::children(cls, [&](CXCursor k) {
    switch (clang_getCursorKind(k)) {
      case CXCursor_CXXBaseSpecifier: case CXCursor_Destructor: case CXCursor_ConversionFunction: ok = false; break;
      case CXCursor_Constructor: ok = ok && ++ctors == 1 && (inits = initializers(text, k)); break;
      case CXCursor_CXXMethod: ok = ok && !clang_CXXMethod_isVirtual(k); break;
      case CXCursor_FieldDecl: fields.push_back(k); break;
      default: break;
    }
  });
  if (!ok || fields.empty()) return std::nullopt;
  std::vector<Field> out;
  for (CXCursor f : fields) {
    auto r = ast::extent_outside(f, macros);
    unsigned semi = r ? skip_space(text, r->end) : 0;
    std::string name = ast::spelling(f);
    unsigned line, col, at;
    CXFile file;
    clang_getFileLocation(clang_getCursorLocation(f), &file, &line, &col, &at);
    if (!r || semi >= text.size() || text[semi] != ';' || at < r->begin || at + name.size() > r->end ||
        text.compare(at, name.size(), name) != 0)
      return std::nullopt;
    auto init = inits->find(name);
    out.push_back({text.substr(r->begin, at - r->begin), name,
                   init == inits->end() ? text.substr(at + name.size(), r->end - at - name.size()) : init->second});
  }
  return out;
}

}  // namespace

std::vector<Chunk> flatten_objects(const PassInput& in) {
  if (!in.tu) return {};
  auto macros = ast::macro_expansions(in.tu);
  std::vector<CXCursor> vars;
  CursorMap<Uses> uses;
  CursorMap<int> class_refs;
  ast::children(clang_getTranslationUnitCursor(in.tu), [&](CXCursor top) {
    if (!ast::in_main_file(top)) return;
    auto visit = [&](CXCursor c) {
      CXCursorKind k = clang_getCursorKind(c);
      CXCursor ref = clang_getCursorReferenced(c);
      if (k == CXCursor_VarDecl && ast::in_main_file(c)) {
        vars.push_back(c);
      } else if (k == CXCursor_TypeRef) {
        ++class_refs[clang_getCanonicalCursor(ref)];
      } else if (k == CXCursor_DeclRefExpr && clang_getCursorKind(ref) == CXCursor_VarDecl) {
        ++uses[clang_getCanonicalCursor(ref)].refs;
      } else if (k == CXCursor_MemberRefExpr && clang_getCursorKind(ref) == CXCursor_FieldDecl) {
        CXCursor base = clang_getNullCursor();
        ast::children(c, [&](CXCursor b) { base = b; });
        base = ast::peel(base);
        if (clang_getCursorKind(base) != CXCursor_DeclRefExpr) return;
        auto b = ast::extent_outside(base, macros), m = ast::extent_outside(c, macros);
        if (!b || !m) return;
        unsigned dot = skip_space(in.text, b->end);
        unsigned name = m->end - static_cast<unsigned>(ast::spelling(c).size());
        if (dot < in.text.size() && in.text[dot] == '.' && skip_space(in.text, dot + 1) == name)
          uses[clang_getCanonicalCursor(clang_getCursorReferenced(base))].accesses.push_back({{b->begin, m->end}, ast::spelling(c)});
      }
    };
    visit(top);
    passes::walk_deep(top, visit);
  });
  // The variables that can be flattened, by class.
  struct Var {
    CXCursor v;
    ast::Range decl;  // `C v;`
    std::string storage;
    std::vector<Access> accesses;
  };
  struct Group {
    CXCursor cls;
    std::vector<Field> fields;
    std::vector<Var> vars;
  };
  CursorMap<Group> by_class;
  for (CXCursor v : vars) {
    CXCursor cls = clang_getCursorDefinition(clang_getTypeDeclaration(clang_getCursorType(v)));
    CXCursorKind ck = clang_getCursorKind(cls);
    CXCursorKind owner = clang_getCursorKind(clang_getCursorSemanticParent(v));
    if ((ck != CXCursor_ClassDecl && ck != CXCursor_StructDecl) || !ast::in_main_file(cls) ||
        owner == CXCursor_ClassDecl || owner == CXCursor_StructDecl)  // a static member
      continue;
    Uses& u = uses[clang_getCanonicalCursor(v)];
    auto fields = fields_of(in.text, cls, macros);
    auto vr = ast::extent_outside(v, macros);
    std::string name = ast::spelling(v);
    if (!fields || !vr || u.refs == 0 || u.refs != static_cast<int>(u.accesses.size()) ||
        in.text.compare(vr->end - name.size(), name.size(), name) != 0)
      continue;
    unsigned semi = skip_space(in.text, vr->end);
    if (semi >= in.text.size() || in.text[semi] != ';') continue;
    // `static App app;`: the storage words before the type go before each field.
    std::string storage;
    for (unsigned i = vr->begin;;) {
      unsigned j = i;
      while (j < vr->end && passes::ident_char(in.text[j])) ++j;
      std::string word = in.text.substr(i, j - i);
      if (word != "static" && word != "thread_local" && word != "inline" && word != "extern") break;
      storage += word + " ";
      i = skip_space(in.text, j);
    }
    auto& group = by_class[clang_getCanonicalCursor(cls)];
    group.cls = cls;
    group.fields = *fields;
    group.vars.push_back({v, {vr->begin, semi + 1}, storage, u.accesses});
  }
  // The new variables keep the fields' names when that cannot capture
  // another use: one variable of the class, and every occurrence of the name
  // not after `.`/`->` inside the class. Otherwise `v_field`, a new name.
  auto tokens = tokenize(in.text);
  auto occurs = [&](const std::string& name, std::optional<ast::Range> inside) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (in.text.compare(tokens[i].begin, tokens[i].end - tokens[i].begin, name) != 0 || tokens[i].end - tokens[i].begin != name.size())
        continue;
      if (!inside) return true;
      bool member = i > 0 && (in.text.compare(tokens[i - 1].begin, 1, ".") == 0 || in.text.compare(tokens[i - 1].begin, 2, "->") == 0);
      if (!member && (tokens[i].begin < inside->begin || tokens[i].end > inside->end)) return true;
    }
    return false;
  };
  auto flatten = [&](const Group& g, const Var& var) -> std::optional<Chunk> {
    auto cr = ast::extent(g.cls);
    bool own = g.vars.size() == 1 && cr;
    for (auto& f : g.fields) own = own && !occurs(f.name, cr);
    std::string decls, v = ast::spelling(var.v);
    std::map<std::string, std::string> renamed;
    for (auto& f : g.fields) {
      std::string n = own ? f.name : v + "_" + f.name;
      if (!own && occurs(n, std::nullopt)) return std::nullopt;
      renamed[f.name] = n;
      decls += (decls.empty() ? "" : " ") + var.storage + f.head + n + f.tail + ";";
    }
    Chunk chunk = {{var.decl.begin, var.decl.end, decls}};
    for (auto& a : var.accesses) chunk.push_back({a.range.begin, a.range.end, renamed[a.field]});
    return chunk;
  };
  // A class whose every use is a variable flattened here goes in the same
  // chunk as all of them; otherwise each variable alone, when no token is added.
  std::vector<Chunk> out;
  for (auto& [h, bucket] : by_class.buckets)
    for (auto& [key, group] : bucket) {
      std::vector<Chunk> chunks;
      for (auto& var : group.vars)
        if (auto c = flatten(group, var)) chunks.push_back(std::move(*c));
      unsigned b, e;
      bool whole = class_refs[key] == static_cast<int>(group.vars.size()) && chunks.size() == group.vars.size() &&
                   passes::decl_range(group.cls, in.text, b, e) && !ast::overlaps_any(macros, b, e);
      Chunk all = {cut(in.text, b, e)};
      for (auto& c : chunks) {
        whole = whole && (c[0].end <= b || c[0].begin >= e);
        all.insert(all.end(), c.begin(), c.end());
      }
      if (whole) {
        out.push_back(std::move(all));
        continue;
      }
      for (auto& c : chunks)
        if (count_tokens(apply_chunks(in.text, {&c})) <= count_tokens(in.text)) out.push_back(std::move(c));
    }
  // In the order of the text.
  std::sort(out.begin(), out.end(), [](const Chunk& a, const Chunk& b) { return a[0].begin < b[0].begin; });
  return out;
}

}  // namespace minrepro::reducer
