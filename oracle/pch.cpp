#include "oracle/pch.hpp"

#include <fstream>
#include <sstream>

#include "oracle/build.hpp"
#include "runners/process.hpp"

namespace minrepro::oracle {
namespace fs = std::filesystem;

std::string leading_include_block(const std::string& source) {
  size_t pos = 0;
  if (source.rfind("extern \"C\" int __repro_main_end", 0) == 0) {
    size_t line = source.find("\n#line 1 ");
    if (line == std::string::npos) return {};
    pos = source.find('\n', line + 1);
    pos = pos == std::string::npos ? source.size() : pos + 1;
  }
  std::string block;
  bool any_include = false;
  while (pos < source.size()) {
    size_t end = source.find('\n', pos);
    end = end == std::string::npos ? source.size() : end + 1;
    std::string line = source.substr(pos, end - pos);
    size_t first = line.find_first_not_of(" \t\r\n");
    bool blank = first == std::string::npos;
    bool comment = !blank && line.compare(first, 2, "//") == 0;
    bool include = false;
    if (!blank && line[first] == '#') {
      size_t k = line.find_first_not_of(" \t", first + 1);
      include = k != std::string::npos && line.compare(k, 7, "include") == 0 && line.back() != '\\';
    }
    if (!blank && !comment && !include) break;
    any_include |= include;
    block += line;
    pos = end;
  }
  return any_include ? block : std::string();
}

PchCache::PchCache(Toolchain toolchain, fs::path dir) : toolchain_(std::move(toolchain)), dir_(std::move(dir)) {
  // g++ finds NAME.gch beside a header given with -include; other compilers differ.
  std::string name = fs::path(toolchain_.cxx).filename().string();
  enabled_ = name.find("clang") == std::string::npos &&
             (name.find("g++") != std::string::npos || name == "c++");
}

std::optional<fs::path> PchCache::header_for(const std::string& source) {
  if (!enabled_) return std::nullopt;
  std::string block = leading_include_block(source);
  if (block.empty()) return std::nullopt;
  std::string key = content_hash(block);
  fs::path header = dir_ / ("pch-" + key + ".hpp");
  {
    std::lock_guard l(mu_);
    Entry& e = entries_[key];
    if (e.ready) return header;
    if (e.failed || e.building || ++e.seen < 2) return std::nullopt;
    e.building = true;
  }
  fs::create_directories(dir_);
  std::ofstream(header) << block;
  std::vector<std::string> args = toolchain_.flags;
  args.insert(args.end(), {"-x", "c++-header", header.string(), "-o", header.string() + ".gch"});
  runners::RunSpec spec = compiler_spec(toolchain_, std::move(args), dir_);
  spec.limits.file_mb = 2048;
  bool ok = runners::run(spec).exited_ok();
  std::lock_guard l(mu_);
  Entry& e = entries_[key];
  e.building = false;
  e.ready = ok;
  e.failed = !ok;
  built_ += ok;
  if (ok) return header;
  return std::nullopt;
}

}  // namespace minrepro::oracle
