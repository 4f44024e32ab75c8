#include "reducer/session.hpp"

#include <unistd.h>

#include <fstream>

#include "oracle/build.hpp"
#include "runners/process.hpp"

namespace minrepro::reducer {
namespace fs = std::filesystem;

Status write_atomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Error{"cannot write " + tmp.string() + " (check the directory is writable)"};
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error{"cannot replace " + path.string() + ": " + ec.message()};
  }
  return Ok{};
}

std::string clang_format(const std::string& text, const fs::path& scratch_dir) {
  fs::path exe = oracle::find_program("clang-format");
  if (exe.empty()) return text;
  fs::path file = scratch_dir / "format-input.cpp";
  std::ofstream(file) << text;
  runners::RunSpec spec;
  spec.program = exe;
  spec.args = {"--style={BasedOnStyle: LLVM, ColumnLimit: 100}", file.string()};
  spec.deadline_s = 30;
  spec.limits.output_kb = 16 * 1024;
  auto r = runners::run(spec);
  fs::remove(file);
  return r.exited_ok() && !r.out.empty() ? r.out : text;
}

}  // namespace minrepro::reducer
