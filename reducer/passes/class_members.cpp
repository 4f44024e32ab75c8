// class-members: remove fields, methods, nested types and access specifiers.
// A field goes together with its initializers in constructors' lists, so the
// candidate still compiles.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/tokens.hpp"

#include <optional>

namespace minrepro::reducer {

namespace {
bool is_record(CXCursorKind k) {
  return k == CXCursor_ClassDecl || k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
         k == CXCursor_ClassTemplate || k == CXCursor_ClassTemplatePartialSpecialization;
}
// The end of `name(...)` / `name{...}` starting at `pos` (just after the name).
std::optional<unsigned> initializer_end(const std::string& text, unsigned pos) {
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

// Edits removing every constructor initializer of `field` (false if one cannot be cut cleanly).
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
        if (k == CXCursor_FieldDecl && !remove_initializers(in.tu, m, in.text, chunk)) return;
        out.push_back(chunk);
      }
    });
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
