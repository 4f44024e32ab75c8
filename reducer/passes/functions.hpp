// What the call-graph passes (params, inline) know about the functions
// defined in the main file: their declarations, the calls we can see and
// edit, and the reasons a function cannot be edited safely.
#pragma once
#include <clang-c/Index.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer::passes {

bool is_function(CXCursorKind k);

// Pre-order over everything below `root`, including cursors spelled in a
// macro expansion: passes::walk skips those, and a call we do not see is a
// call we would break.
void walk_deep(CXCursor root, const std::function<void(CXCursor)>& f);

struct Function {
  CXCursor key;                      // the template or first declaration
  std::vector<CXCursor> decls, calls;
  int refs = 0;                      // DeclRefExpr/MemberRefExpr naming it
  bool unsafe = false;               // in an overload set, used in a way we cannot edit
};

// Everything one walk of the translation unit learns about its functions.
struct FunctionIndex {
  explicit FunctionIndex(CXTranslationUnit tu);
  std::unordered_map<unsigned, std::vector<Function>> by_hash;
  std::vector<std::string> unresolved_names;  // names in dependent (unresolved) calls
  std::vector<ast::Range> macros;

  // The functions declared in the main file, in the order of their first declaration.
  std::vector<const Function*> in_order() const;
  Function& at(CXCursor c);
  // Whether the function shares its name with another in the same scope.
  bool overloaded(const Function& f, const std::string& name) const;

 private:
  void visit(CXCursor c);
};

std::vector<CXCursor> params_of(CXCursor decl);
bool has_default_arg(CXCursor parm);
// The declaration that is the definition, or a null cursor.
CXCursor definition_of(const Function& f);

// The call a statement's value comes from: `T v = f(x);` (one variable) or
// `return f(x);`; a null cursor otherwise.
CXCursor value_call(CXCursor stmt);
// Where a function's name is written (a file offset; 0 when unknown).
unsigned name_offset(CXCursor fn);
// The declared return type's range in [begin, name): what follows the leading
// `template <...>`, attributes and specifiers, spaces trimmed; nullopt when
// that is empty. A qualified name's `Class::` is part of it.
std::optional<ast::Range> declared_type(const std::string& text, unsigned begin, unsigned name);
// The return statements in `body`, nested lambdas and classes aside; with
// `with_value`, only those that return a value.
std::vector<CXCursor> returns_in(CXCursor body, bool with_value);
// A body whose returns are at most one, its last statement: that return (a
// null cursor when there is none); nullopt for any other body.
std::optional<CXCursor> final_return(CXCursor body);
// What `return E;` returns: E, or a null cursor for `return;`.
CXCursor returned_value(CXCursor ret);

// `A::B::` for the class (and enclosing namespaces and classes) of a member;
// nullopt inside an anonymous scope or a template.
std::optional<std::string> qualifier(CXCursor cls);
bool is_class(CXCursor c);
// Edits removing every constructor initializer of `field` (false if one
// cannot be cut cleanly).
bool remove_initializers(CXTranslationUnit tu, CXCursor field, const std::string& text, Chunk& chunk);

}  // namespace minrepro::reducer::passes
