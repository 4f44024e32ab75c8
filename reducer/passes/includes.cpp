// includes: remove #include lines, one chunk each.
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

std::vector<Chunk> remove_includes(const PassInput& in) {
  std::vector<Chunk> out;
  // Text-based, so it works when libclang failed: a line whose first token is #include.
  size_t pos = 0;
  while (pos < in.text.size()) {
    size_t end = in.text.find('\n', pos);
    end = end == std::string::npos ? in.text.size() : end + 1;
    size_t p = in.text.find_first_not_of(" \t", pos);
    if (p < end && in.text[p] == '#') {
      size_t k = in.text.find_first_not_of(" \t", p + 1);
      if (k < end && in.text.compare(k, 7, "include") == 0)
        out.push_back({{static_cast<unsigned>(pos), static_cast<unsigned>(end), ""}});
    }
    pos = end;
  }
  return out;
}

}  // namespace minrepro::reducer
