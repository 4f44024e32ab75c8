// `reduce`: placeholder until the reducer lands.
#include <iostream>

#include "reducer/commands.hpp"

namespace minrepro {

int run_reduce(const cli::Options&) {
  std::cerr << "reduce: reduction is not implemented yet; use `reduce check`\n";
  return kBadInput;
}

}  // namespace minrepro
