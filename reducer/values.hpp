// The values step: replace an expression by the constant it had at run time.
// A retry count parsed from a config string, a flag read from the environment,
// a size computed by a helper: when every evaluation of an integer or bool
// expression gave the same value in one run of the program, the expression can
// become that literal, and whatever computed it can then go. No pass can do
// this from the text alone (the expressions pass only knows 0, 1, true and
// false). One instrumented build and one run show the values.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

struct ValueSite {
  ast::Range range;  // the expression in the text
  unsigned line = 0;  // 1-based, for dropping sites a compiler error points at
  bool is_bool = false;
};

// Integer, bool, string (std::string, char pointer) and std::chrono::duration
// (standard periods, integer counts; not a plain name) calls, variable and
// member reads inside function bodies and constructors' initializers, outside
// macros (needs a detailed parse).
std::vector<ValueSite> value_sites(const PassInput& in);

// The text with each site (but those on `skip_lines`) wrapped so that a run
// appends "ID VALUE" lines (the first few per site) to the file named by
// MINREPRO_VALUES. Line numbers stay those of `text`.
std::string instrument_values(const std::string& text, const std::vector<ValueSite>& sites,
                              const std::set<unsigned>& skip_lines);

// Site id -> the distinct values seen (as written: "4", "-1", "18446744073709551615u", "\"a b\\n\"").
std::map<size_t, std::set<std::string>> parse_values(const std::string& file);

// One chunk per site that always had one value: the expression becomes it.
std::vector<Chunk> value_chunks(const std::vector<ValueSite>& sites,
                                const std::map<size_t, std::set<std::string>>& seen,
                                const std::set<unsigned>& skip_lines);

}  // namespace minrepro::reducer
