// The `inline` pass: a function called from exactly one place, as a
// statement, is replaced there by its body, and its declarations go — one
// chunk per function (C-Reduce's simple-inliner, for the calls a person would
// inline by hand). It is what takes "a class with a start() method" down to
// the few lines of main() that show the bug.
//
// The call `f(a, b);` becomes `{ T1 p1 = a; T2 p2 = b; <body> }` (an unnamed
// parameter drops its argument). A method called as `obj.m()` or `ptr->m()`
// has its implicit member accesses prefixed with `obj.` / `ptr->`, `this`
// replaced by `(&obj)` / `ptr`, a lambda's `this` capture turned into a
// by-reference default capture, and the class's static members and nested
// types qualified with the class's name; called without an object, from a
// method of the same class, it needs none of that.
//
// Skipped: main, templates, virtual and variadic functions, constructors and
// operators; functions with default arguments, overloaded names, an address
// taken or a name in a dependent call; a body with a return anywhere but at
// its end (a final `return E;` becomes `E;`); an object that is not a plain
// name, a member chain or a call without arguments (a getter such as
// `Registry::instance()`, spelled again at each use: it may add up to
// kGetterTokens tokens); an argument that names a parameter (the new local
// would capture it); anything to rewrite inside a macro. A chunk that would
// add tokens is not proposed. The unwrap pass later drops the braces when
// nothing clashes.
//
// A call whose value is used — `T v = f(a);` or `return f(a);` — gives
// `P p = a; S; T v = E;` when the body is `S; return E;` and no name it
// declares (parameters included) is written in the caller.
#include <algorithm>
#include <regex>

#include "oracle/ast.hpp"
#include "reducer/passes/functions.hpp"
#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

using passes::Function;
using passes::is_class;
using passes::qualifier;

// How many tokens inlining a method called on a getter may add.
constexpr size_t kGetterTokens = 8;

struct CallStatement {
  CXCursor call;
  ast::Range stmt;      // the call and its ';', or for a value the call alone
  CXCursor caller;      // the function (not lambda) the statement is in
  bool value = false;   // the call initializes a variable or is returned
  unsigned stmt_begin = 0;  // for a value: where its statement begins
};

std::string text_of(const std::string& text, ast::Range r) { return text.substr(r.begin, r.end - r.begin); }

// Every expression statement that is a call, and every call a statement's
// value comes from, in a function body of the main file.
void call_statements(const std::string& text, CXCursor c, CXCursor caller, std::vector<CallStatement>& out) {
  ast::children(c, [&](CXCursor k) {
    if (!ast::in_main_file(k)) return;
    CXCursorKind kind = clang_getCursorKind(k);
    CXCursor inner_caller = passes::is_function(kind) ? k : caller;
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt && !clang_Cursor_isNull(caller)) {
      CXCursor e = ast::peel(k);
      auto r = ast::extent(k);
      CXCursor v = passes::value_call(k);
      auto vr = clang_Cursor_isNull(v) ? std::nullopt : ast::extent(v);
      if (clang_getCursorKind(e) == CXCursor_CallExpr && r) {
        unsigned end = passes::skip_space(text, r->end);
        if (end < text.size() && text[end] == ';') out.push_back({e, {r->begin, end + 1}, caller});
      } else if (vr) {
        out.push_back({v, *vr, caller, true, r ? r->begin : vr->begin});
      }
    }
    call_statements(text, k, inner_caller, out);
  });
}

// How the callee's members are reached from the call site.
struct Object {
  bool rewrite = false;  // the caller is not a method of the callee's class
  std::string prefix;    // "obj." or "ptr->": before an implicit member access
  std::string self;      // what `this` becomes
  std::string capture;   // what a lambda's `this` capture becomes
  std::string qual;      // "Class::": before a static member or nested type
  bool getter = false;   // the object is a call without arguments, spelled again at each use
};

// The object of a call to method `def`, when it can be spelled at the call site.
std::optional<Object> object_of(const std::string& text, const CallStatement& cs, CXCursor def) {
  CXCursor cls = clang_getCursorSemanticParent(def);
  if (!is_class(cls)) return Object{};  // a free function
  auto q = qualifier(cls);
  if (!q) return std::nullopt;
  bool same_class = !clang_Cursor_isNull(cs.caller) &&
                    clang_equalCursors(clang_getCursorSemanticParent(cs.caller), cls);
  Object o{!same_class, "", "", "", *q};
  if (clang_CXXMethod_isStatic(def)) return o;
  // The callee expression: a MemberRefExpr whose child, if any, is the object.
  CXCursor callee = clang_getNullCursor();
  ast::children(cs.call, [&](CXCursor k) {
    if (clang_Cursor_isNull(callee)) callee = k;
  });
  callee = ast::peel(callee);
  if (clang_getCursorKind(callee) != CXCursor_MemberRefExpr) return std::nullopt;
  CXCursor base = clang_getNullCursor();
  ast::children(callee, [&](CXCursor k) { base = k; });
  if (clang_Cursor_isNull(base)) return same_class ? std::optional<Object>(o) : std::nullopt;
  auto b = ast::extent(base), m = ast::extent(callee);
  if (!b || !m) return std::nullopt;
  std::string obj = text_of(text, *b);
  // A smart pointer's `p->m()`: the object is the operator-> call, spelled `p->`.
  bool smart = obj.size() > 2 && obj.compare(obj.size() - 2, 2, "->") == 0;
  if (smart) obj.erase(obj.find_last_not_of(" \t\n", obj.size() - 3) + 1);
  static const std::regex simple(R"(^(this|[A-Za-z_]\w*(::\w+)*)(\s*(\.|->)\s*[A-Za-z_]\w*)*$)");
  // A getter called without arguments (`Registry::instance()`): written again at each use.
  static const std::regex getter(R"(^[A-Za-z_]\w*(::\w+)*\s*\(\s*\)$)");
  o.getter = std::regex_match(obj, getter);
  if (!o.getter && !std::regex_match(obj, simple)) return std::nullopt;
  unsigned name = m->end - static_cast<unsigned>(ast::spelling(callee).size());
  bool arrow = smart || text.substr(b->end, name - b->end).find("->") != std::string::npos;
  if (obj == "this") return same_class ? std::optional<Object>(o) : std::nullopt;
  o.rewrite = true;
  o.prefix = obj + (arrow ? "->" : ".");
  o.self = arrow ? obj : "(&" + obj + ")";
  o.capture = "&";
  return o;
}

// A lambda's `[...]` without `this`: a default `&` capture instead, or nullopt.
std::optional<std::string> without_this(const std::string& list) {
  std::vector<std::string> items;
  size_t start = 1;
  for (size_t i = 1; i < list.size(); ++i)
    if (list[i] == ',' || i + 1 == list.size()) {
      std::string item = list.substr(start, i - start);
      item.erase(0, item.find_first_not_of(" \t\n"));
      item.erase(item.find_last_not_of(" \t\n") + 1);
      if (!item.empty()) items.push_back(item);
      start = i + 1;
    }
  auto self = std::find(items.begin(), items.end(), "this");
  if (self == items.end()) return list;
  items.erase(self);
  if (!items.empty() && items[0] == "=") return std::nullopt;  // a copy of the object would change meaning
  if (items.empty() || items[0] != "&") items.insert(items.begin(), "&");
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

// The edits inside the body that make it valid at the call site.
bool rewrites(const std::string& text, CXCursor body, CXCursor cls, const Object& o,
              const std::vector<ast::Range>& macros, std::vector<Edit>& edits) {
  bool ok = true;
  auto edit = [&](CXCursor c, unsigned begin, unsigned end, std::string s) {
    auto r = ast::in_main_file(c) ? ast::extent_outside(c, macros) : std::nullopt;
    if (!r) return void(ok = false);
    edits.push_back({begin == ~0u ? r->begin : begin, end == ~0u ? r->begin : end, std::move(s)});
  };
  passes::walk_deep(body, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_LambdaExpr) {
      auto r = ast::extent(c);
      size_t close = r ? text.find(']', r->begin) : std::string::npos;
      if (!r || text[r->begin] != '[' || close == std::string::npos) return void(ok = false);
      std::string list = text.substr(r->begin, close + 1 - r->begin);
      auto changed = without_this(list);
      if (!changed) return void(ok = false);
      if (*changed != list && o.rewrite) edit(c, r->begin, static_cast<unsigned>(close + 1), *changed);
      return;
    }
    if (!o.rewrite) return;
    if (k == CXCursor_CXXThisExpr) {
      auto r = ast::extent(c);
      if (!r || text_of(text, *r) != "this" || o.self.empty()) return void(ok = false);
      unsigned after = passes::skip_space(text, r->end);  // `this->m` becomes `obj.m`, other uses of `this` `(&obj)`
      if (text.compare(after, 2, "->") == 0) edit(c, r->begin, after + 2, o.prefix);
      else edit(c, r->begin, r->end, o.self);
      return;
    }
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_Cursor_isNull(ref)) return;
    CXCursor owner = clang_getCursorSemanticParent(ref);
    if (clang_getCursorKind(owner) == CXCursor_EnumDecl && !clang_EnumDecl_isScoped(owner))
      owner = clang_getCursorSemanticParent(owner);
    if (!clang_equalCursors(owner, cls)) return;
    auto r = ast::extent(c);
    if (!r || text_of(text, *r) != ast::spelling(ref)) return;  // qualified, or not spelled here
    CXCursorKind rk = clang_getCursorKind(ref);
    bool instance = rk == CXCursor_FieldDecl || (rk == CXCursor_CXXMethod && !clang_CXXMethod_isStatic(ref));
    bool has_base = false;
    ast::children(c, [&](CXCursor) { has_base = true; });
    if (k == CXCursor_MemberRefExpr && instance && !has_base) {
      if (o.prefix.empty()) return void(ok = false);
      edit(c, ~0u, ~0u, o.prefix);
    } else if ((k == CXCursor_DeclRefExpr || k == CXCursor_TypeRef || k == CXCursor_TemplateRef) && !instance) {
      unsigned before = r->begin;
      while (before > 0 && std::isspace(static_cast<unsigned char>(text[before - 1]))) --before;
      if (before >= 2 && text.compare(before - 2, 2, "::") == 0) return;
      edit(c, ~0u, ~0u, o.qual);
    }
  });
  return ok;
}

// `text` between begin and end with `edits` (inside it, not overlapping) applied.
std::string rewritten(const std::string& text, unsigned begin, unsigned end, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  unsigned at = begin;
  for (auto& e : edits) {
    if (e.begin < at || e.end > end) continue;
    out += text.substr(at, e.begin - at) + e.replacement;
    at = e.end;
  }
  return out + text.substr(at, end - at);
}

bool eligible(const passes::FunctionIndex& ix, const Function& f, CXCursor def) {
  std::string name = ast::spelling(def);
  CXCursorKind k = clang_getCursorKind(def);
  if (f.unsafe || !ast::in_main_file(f.key) || f.calls.size() != 1 || f.refs != 1) return false;
  if ((k != CXCursor_FunctionDecl && k != CXCursor_CXXMethod) || name == "main" || name.rfind("operator", 0) == 0) return false;
  if (!clang_Cursor_isNull(clang_getSpecializedCursorTemplate(def)) || clang_CXXMethod_isVirtual(def) ||
      clang_Cursor_isVariadic(def))
    return false;
  for (auto& u : ix.unresolved_names)
    if (u == name) return false;
  return !ix.overloaded(f, name);
}

// Whether a parameter of `def` or a variable its body declares at its top
// level is named anywhere in `caller` (moved there, it would clash or shadow).
bool declares_caller_name(const std::string& text, CXCursor body, CXCursor def, CXCursor caller) {
  std::vector<std::string> names;
  for (CXCursor p : passes::params_of(def)) names.push_back(ast::spelling(p));
  ast::children(body, [&](CXCursor st) {
    if (clang_getCursorKind(st) == CXCursor_DeclStmt)
      ast::children(st, [&](CXCursor d) { names.push_back(ast::spelling(d)); });
  });
  auto r = ast::extent(caller);
  if (!r) return true;
  std::string in_caller = text_of(text, *r);
  for (auto& t : tokenize(in_caller))
    if (std::find(names.begin(), names.end(), in_caller.substr(t.begin, t.end - t.begin)) != names.end()) return true;
  return false;
}

std::optional<Chunk> inline_chunk(const std::string& text, const passes::FunctionIndex& ix, const Function& f,
                                  const std::vector<CallStatement>& stmts) {
  CXCursor def = passes::definition_of(f);
  if (clang_Cursor_isNull(def) || !eligible(ix, f, def)) return std::nullopt;
  auto cs = std::find_if(stmts.begin(), stmts.end(), [&](const CallStatement& s) { return clang_equalCursors(s.call, f.calls[0]); });
  CXCursor body = ast::body_of(def);
  auto body_r = clang_Cursor_isNull(body) ? std::nullopt : ast::extent(body);
  auto def_r = ast::extent(def);
  if (cs == stmts.end() || !body_r || !def_r || (cs->stmt.begin < def_r->end && def_r->begin < cs->stmt.end)) return std::nullopt;
  const ast::Range braces = *body_r;
  // Returns: only one, the body's last statement.
  auto ret = passes::final_return(body);
  if (!ret) return std::nullopt;
  // A value's call: the body goes in front of the statement and the returned
  // value takes the call's place, unless a name the body declares is also
  // written in the caller.
  CXCursor returned = passes::returned_value(*ret);
  if (cs->value && (clang_Cursor_isNull(returned) || declares_caller_name(text, body, def, cs->caller)))
    return std::nullopt;
  auto object = object_of(text, *cs, def);
  if (!object) return std::nullopt;
  std::vector<Edit> edits;
  if (!rewrites(text, body, clang_getCursorSemanticParent(def), *object, ix.macros, edits)) return std::nullopt;
  if (!clang_Cursor_isNull(*ret) && !cs->value) {
    auto r = ast::extent_outside(*ret, ix.macros);
    if (!r) return std::nullopt;
    edits.push_back({r->begin, r->begin + 6, ""});  // `return E;` -> ` E;`, `return;` -> `;`
  }
  // Parameters become locals initialized by the arguments.
  auto params = passes::params_of(def);
  if (clang_Cursor_getNumArguments(cs->call) != static_cast<int>(params.size())) return std::nullopt;
  std::string locals, arg_text;
  std::vector<std::string> names;
  for (size_t i = 0; i < params.size(); ++i) {
    auto p = ast::extent(params[i]);
    auto a = ast::extent_outside(clang_Cursor_getArgument(cs->call, static_cast<unsigned>(i)), ix.macros);
    if (!p || !a || passes::has_default_arg(params[i])) return std::nullopt;
    arg_text += text_of(text, *a) + " ";
    if (ast::spelling(params[i]).empty()) continue;
    names.push_back(ast::spelling(params[i]));
    locals += text_of(text, *p) + " = " + text_of(text, *a) + "; ";
  }
  for (auto& t : tokenize(arg_text))
    if (std::find(names.begin(), names.end(), arg_text.substr(t.begin, t.end - t.begin)) != names.end())
      return std::nullopt;
  Chunk chunk;
  if (cs->value) {
    auto ret_r = ast::extent_outside(*ret, ix.macros), value_r = ast::extent_outside(returned, ix.macros);
    if (!ret_r || !value_r) return std::nullopt;
    chunk = {{cs->stmt_begin, cs->stmt_begin, locals + rewritten(text, braces.begin + 1, ret_r->begin, edits)},
             {cs->stmt.begin, cs->stmt.end, rewritten(text, value_r->begin, value_r->end, edits)}};
  } else {
    chunk = {{cs->stmt.begin, cs->stmt.end, "{ " + locals + rewritten(text, braces.begin + 1, braces.end - 1, edits) + "}"}};
  }
  for (CXCursor d : f.decls) {
    unsigned b, e;
    if (!passes::decl_range(d, text, b, e) || (b < cs->stmt.end && cs->stmt.begin < e)) return std::nullopt;
    chunk.push_back(cut(text, b, e));
  }
  // Spelling a getter again at each use may cost a few tokens: the function
  // that goes is worth them.
  std::string after = apply_chunks(text, {&chunk});
  if (count_tokens(after) > count_tokens(text) + (object->getter ? kGetterTokens : 0)) return std::nullopt;
  return chunk;
}

}  // namespace

std::vector<Chunk> inline_calls(const PassInput& in) {
  if (!in.tu) return {};
  passes::FunctionIndex ix(in.tu);
  std::vector<CallStatement> stmts;
  call_statements(in.text, clang_getTranslationUnitCursor(in.tu), clang_getNullCursor(), stmts);
  std::vector<Chunk> out;
  for (auto* f : ix.in_order())
    if (auto c = inline_chunk(in.text, ix, *f, stmts)) out.push_back(std::move(*c));
  return out;
}

}  // namespace minrepro::reducer
