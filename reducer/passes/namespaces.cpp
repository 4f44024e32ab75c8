// namespaces: replace `namespace X { ... }` by its contents (the qualified
// uses `X::name` are left to the token passes; the candidate then fails to
// compile and is rejected cheaply when they matter).
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

std::vector<Chunk> unwrap_namespaces(const PassInput& in) {
  if (!in.tu) return {};
  std::vector<Chunk> out;
  passes::walk(clang_getTranslationUnitCursor(in.tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_Namespace) return false;
    auto r = ast::extent(c);
    if (!r) return true;
    size_t open = in.text.find('{', r->begin);
    if (open == std::string::npos || open >= r->end || in.text[r->end - 1] != '}') return true;
    // Keep the name usable: `namespace X {` -> nothing, and the closing brace -> nothing.
    out.push_back({{r->begin, static_cast<unsigned>(open + 1), ""}, {r->end - 1, r->end, ""}});
    return true;
  });
  return out;
}

}  // namespace minrepro::reducer
