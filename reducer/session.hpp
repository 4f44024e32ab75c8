// One reduction: calibrate the original, run the passes to a fixpoint through
// the engine, format, confirm. The input is never written; the output file is
// replaced atomically at every improvement.
#pragma once
#include <filesystem>
#include <string>

#include "runners/expected.hpp"

namespace minrepro::reducer {

// Writes `text` to `path` through a temp file in the same directory + rename.
Status write_atomically(const std::filesystem::path& path, const std::string& text);

// clang-format's LLVM style over `text`; the text itself when clang-format is missing or fails.
std::string clang_format(const std::string& text, const std::filesystem::path& scratch_dir);

}  // namespace minrepro::reducer
