// `reduce check`: does the case reproduce, and how exactly?
#include <cstdio>
#include <iostream>

#include "oracle/oracle.hpp"
#include "reducer/commands.hpp"
#include "reducer/describe.hpp"
#include "reducer/report.hpp"
#include "runners/process.hpp"

namespace minrepro {

int run_check(const cli::Options& o) {
  auto text = cli::read_source(o.input);
  if (!text) {
    std::cerr << "reduce: " << text.error().message << "\n";
    return kBadInput;
  }
  auto oracle = oracle::Oracle::create(o.config, o.input.filename().string());
  if (!oracle) {
    std::cerr << "reduce: " << oracle.error().message << "\n";
    return kBadInput;
  }
  static oracle::Oracle* current = nullptr;
  current = oracle->get();
  on_interrupt([] { current->cancel(); });
  for (auto& note : runners::sandbox_notes()) std::cerr << "note: " << note << "\n";
  std::cout << "minrepro check: " << o.input.string() << " (" << describe_oracle(o.config.oracle) << ")\n";
  oracle::CheckOptions opts;
  opts.backtraces = true;
  auto v = (*oracle)->check(*text, opts);
  print_verdict(std::cout, v, o.backtrace);
  if (!o.report_dir.empty() && !interrupted()) {
    std::cout.flush();
    if (auto st = report::write_bundle(**oracle, o, *text, v, nullptr, std::cout); !st) {
      std::cerr << "reduce: " << st.error().message << "\n";
      return interrupted() ? kInterrupted : kBadInput;
    }
  }
  current = nullptr;
  if (interrupted()) return kInterrupted;
  return v.reproduced ? kReproduced : kNotReproduced;
}

}  // namespace minrepro
