// class-members: remove fields, methods, nested types and access specifiers.
// A field goes together with its initializers in constructors' lists, so the
// candidate still compiles.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/passes/functions.hpp"
#include "reducer/tokens.hpp"

#include <optional>

namespace minrepro::reducer {

namespace {
bool is_record(CXCursorKind k) {
  return k == CXCursor_ClassDecl || k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
         k == CXCursor_ClassTemplate || k == CXCursor_ClassTemplatePartialSpecialization;
}
}  // namespace

std::vector<Chunk> remove_class_members(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (!is_record(clang_getCursorKind(c))) return true;
    ast::children(c, [&](CXCursor m) {
      CXCursorKind k = clang_getCursorKind(m);
      bool member = clang_isDeclaration(k) || k == CXCursor_CXXAccessSpecifier;
      if (!member || k == CXCursor_TemplateTypeParameter || k == CXCursor_NonTypeTemplateParameter ||
          k == CXCursor_TemplateTemplateParameter)
        return;
      unsigned b, e;
      if (passes::decl_range(m, in.text, b, e)) {
        if (k == CXCursor_CXXAccessSpecifier && e < in.text.size() && in.text[e] == ':') ++e;
        Chunk chunk{{b, e, ""}};
        if (k == CXCursor_FieldDecl && !passes::remove_initializers(in.tu, m, in.text, chunk)) return;
        out.push_back(chunk);
      }
    });
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
