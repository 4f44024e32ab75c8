// includes: remove #include lines, one chunk each (text-based, so it works
// when libclang failed).
#include "reducer/pass.hpp"

namespace minrepro::reducer {

std::vector<Chunk> remove_includes(const PassInput& in) {
  std::vector<Chunk> out;
  passes::for_each_directive(in.text, "include", [&](unsigned b, unsigned e) { out.push_back({{b, e, ""}}); });
  return out;
}

}  // namespace minrepro::reducer
