// lines: remove single lines (text fallback; works when libclang fails).
#include "reducer/pass.hpp"

namespace minrepro::reducer {

std::vector<Chunk> remove_lines(const PassInput& in) {
  std::vector<Chunk> out;
  size_t pos = 0;
  while (pos < in.text.size()) {
    size_t end = in.text.find('\n', pos);
    end = end == std::string::npos ? in.text.size() : end + 1;
    if (in.text.find_first_not_of(" \t\r\n", pos) < end)
      out.push_back({{static_cast<unsigned>(pos), static_cast<unsigned>(end), ""}});
    pos = end;
  }
  return out;
}

}  // namespace minrepro::reducer
