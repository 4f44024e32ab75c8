// What a pass is: a function over the parsed program that proposes removable
// things ("chunks"), each a set of byte-range edits of the current text. The
// engine decides which chunks to apply by testing candidates; a pass knows
// nothing about testing, parallelism or caching (llvm-reduce's shape).
#pragma once
#include <clang-c/Index.h>

#include <cctype>
#include <functional>
#include <string>
#include <vector>

namespace minrepro::reducer {

struct Edit {
  unsigned begin = 0, end = 0;  // [begin, end) in the current text
  std::string replacement;      // "" removes
};

// One removable thing: all its edits are applied together or not at all
// (e.g. a parameter and the arguments at every call site).
using Chunk = std::vector<Edit>;

struct PassInput {
  const std::string& text;         // the current program
  CXTranslationUnit tu = nullptr;  // its AST (parsed with the candidate's flags); null if libclang failed
};

using PassFn = std::vector<Chunk> (*)(const PassInput&);

struct PassInfo {
  const char* name;
  PassFn fn;  // null for a step reduce.cpp drives itself (values)
  bool late;  // a slow fallback: only when the other passes found nothing in a round
  const char* description;
};

// Every pass in the default order (coarse first), from passes/passes.def.
const std::vector<PassInfo>& all_passes();

// Applies the edits of `chunks` to `text`. Edits nested inside an edit already
// applied are dropped; edits that partly overlap one are dropped too.
std::string apply_chunks(const std::string& text, const std::vector<const Chunk*>& chunks);

// Helpers for passes.
namespace passes {
// A character of an identifier (or a number).
inline bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
// The first offset at or after `i` that is not whitespace (or the text's end).
inline unsigned skip_space(const std::string& text, unsigned i) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}
// The cursor's extent, widened to a trailing ';' (and one trailing newline when
// the thing sits alone on its lines).
bool decl_range(CXCursor c, const std::string& text, unsigned& begin, unsigned& end);
// Calls f(begin, end) for every preprocessor directive `#name` in the text,
// end including backslash-continued lines and the final newline. Text-based:
// libclang hides directives inside the precompiled preamble.
void for_each_directive(const std::string& text, const std::string& name,
                        const std::function<void(unsigned, unsigned)>& f);
// Visit cursors recursively (pre-order) whose location is in the main file.
void walk(CXCursor root, const std::function<bool(CXCursor)>& visit);
}  // namespace passes

}  // namespace minrepro::reducer
