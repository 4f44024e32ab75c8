// The `balanced` pass: text-based, so it works when libclang could not parse.
// Per balanced (), [] or {} group: remove the whole group, or only what is
// between the brackets. Brackets are found on tokens (reducer/tokens.hpp), so
// those inside literals, comments and directive lines are ignored.
#include <algorithm>

#include "reducer/tokens.hpp"

namespace minrepro::reducer {
namespace {

struct Group {
  unsigned open, close;  // offsets of the two brackets
};

char closer_of(char c) { return c == '(' ? ')' : c == '[' ? ']' : c == '{' ? '}' : '\0'; }

// Matches brackets with a stack. A closer that matches an opener deeper in
// the stack closes it (the unmatched openers above it are dropped); a closer
// matching nothing is ignored.
std::vector<Group> find_groups(const std::string& text) {
  std::vector<Group> groups;
  std::vector<unsigned> stack;
  for (const Token& t : tokenize(text)) {
    if (t.directive || t.end != t.begin + 1) continue;
    char c = text[t.begin];
    if (closer_of(c)) {
      stack.push_back(t.begin);
      continue;
    }
    if (c != ')' && c != ']' && c != '}') continue;
    auto it = std::find_if(stack.rbegin(), stack.rend(), [&](unsigned o) { return closer_of(text[o]) == c; });
    if (it == stack.rend()) continue;
    groups.push_back({*it, t.begin});
    stack.erase(std::prev(it.base()), stack.end());
  }
  return groups;
}

bool blank_between(const std::string& text, unsigned b, unsigned e) {
  for (unsigned i = b; i < e; ++i)
    if (!std::isspace(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

}  // namespace

std::vector<Chunk> remove_balanced(const PassInput& in) {
  auto groups = find_groups(in.text);
  // Largest first; for equal sizes, earlier first.
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.close - a.open != b.close - b.open ? a.close - a.open > b.close - b.open : a.open < b.open;
  });
  std::vector<Chunk> chunks;
  for (const Group& g : groups) {
    chunks.push_back({cut(in.text, g.open, g.close + 1)});
    if (!blank_between(in.text, g.open + 1, g.close)) chunks.push_back({{g.open + 1, g.close, ""}});
  }
  return chunks;
}

}  // namespace minrepro::reducer
