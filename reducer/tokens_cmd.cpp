// `reduce tokens FILE...`: the token counter used by the statistics and the benchmarks.
#include <iostream>

#include "reducer/commands.hpp"
#include "reducer/tokens.hpp"

namespace minrepro {

int run_tokens(const cli::Options& o) {
  for (auto& path : o.inputs) {
    auto text = cli::read_source(path);
    if (!text) {
      std::cerr << "reduce: " << text.error().message << "\n";
      return kBadInput;
    }
    std::cout << reducer::count_tokens(*text) << "\t" << path.string() << "\n";
  }
  return 0;
}

}  // namespace minrepro
