// Precompiled headers for candidates: the leading #include block of a
// candidate changes rarely during a reduction, and parsing those headers is
// most of a compile. Once a block has been seen twice it is precompiled once
// (g++ only) and later candidates with the same block compile with
// `-include pch.hpp`, which picks up pch.hpp.gch. The candidate's own includes
// then hit their include guards, so the program means the same.
#pragma once
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "oracle/config.hpp"

namespace minrepro::oracle {

// The leading lines of `source` (after the oracle's instrumentation header)
// that are blank, `//` comments or #include directives; empty when no #include.
std::string leading_include_block(const std::string& source);

class PchCache {
 public:
  PchCache(Toolchain toolchain, std::filesystem::path dir);
  // The header to pass with -include for this source, when a PCH is ready.
  std::optional<std::filesystem::path> header_for(const std::string& source);
  long built() const { return built_; }

 private:
  struct Entry {
    int seen = 0;
    bool building = false, ready = false, failed = false;
  };
  Toolchain toolchain_;
  std::filesystem::path dir_;
  bool enabled_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  long built_ = 0;
};

}  // namespace minrepro::oracle
