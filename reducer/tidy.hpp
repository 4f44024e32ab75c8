// The tidy step: edits that remove the warnings a reduction leaves behind
// (an emptied body leaves its parameters unused, a removed use leaves a
// variable unused), so the result compiles cleanly under -Wall -Wextra.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "oracle/build.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

// Warning kinds a candidate may add while reducing: leftovers that the tidy
// step removes at the end. Any other new kind means broken code.
const std::set<std::string>& leftover_warnings();

// One chunk per fixable warning: an unused parameter loses its name, an unused
// variable's declaration line goes — or, with `keep_initializer` (for when the
// initializer has effects the bug needs), only `T name =` goes.
std::vector<Chunk> warning_fixes(const std::string& text, const std::vector<oracle::Warning>& warnings,
                                 bool keep_initializer = false);

}  // namespace minrepro::reducer
