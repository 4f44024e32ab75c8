// The tool's commands, each returning the process exit status.
#pragma once
#include <string>
#include <vector>

#include "reducer/cli.hpp"

namespace minrepro {

enum ExitStatus { kReproduced = 0, kNotReproduced = 1, kBadInput = 2, kInterrupted = 130 };

// Set by the signal thread on Ctrl-C / SIGTERM.
bool interrupted();
void on_interrupt(void (*callback)());

int run_check(const cli::Options& options);
int run_reduce(const cli::Options& options);
int run_tokens(const cli::Options& options);
// `reduce corpus ...` and `reduce corpus merge ...`: the arguments after "corpus".
int run_corpus(const std::vector<std::string>& args);
int run_matrix(const cli::Options& options);

}  // namespace minrepro
