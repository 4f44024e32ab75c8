#include <algorithm>

#include "oracle/ast.hpp"
#include "reducer/pass.hpp"

namespace minrepro::reducer {

#define MINREPRO_PASS(name, fn, late, desc) std::vector<Chunk> fn(const PassInput&);
#include "reducer/passes/passes.def"
#undef MINREPRO_PASS

const std::vector<PassInfo>& all_passes() {
  static const std::vector<PassInfo> list = {
#define MINREPRO_PASS(name, fn, late, desc) {name, fn, late, desc},
#include "reducer/passes/passes.def"
#undef MINREPRO_PASS
      // Not a text pass: it needs a run of the program (reducer/values.hpp); reduce.cpp drives it.
      {"values", nullptr, true, "replace an expression by the constant it had at run time"},
  };
  return list;
}

std::string apply_chunks(const std::string& text, const std::vector<const Chunk*>& chunks) {
  std::vector<const Edit*> edits;
  for (auto* c : chunks)
    for (auto& e : *c)
      if (e.begin <= e.end && e.end <= text.size()) edits.push_back(&e);
  // Outer edits first: sort by begin, longer first.
  std::sort(edits.begin(), edits.end(), [](const Edit* a, const Edit* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end > b->end;
  });
  std::string out;
  out.reserve(text.size());
  unsigned pos = 0;
  for (const Edit* e : edits) {
    if (e->begin < pos) continue;  // nested in (or overlapping) an applied edit
    out.append(text, pos, e->begin - pos);
    out += e->replacement;
    pos = e->end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

namespace passes {

bool decl_range(CXCursor c, const std::string& text, unsigned& begin, unsigned& end) {
  auto r = ast::extent(c);
  if (!r || r->empty()) return false;
  begin = r->begin;
  end = r->end;
  // Widen to a trailing ';' (only whitespace between).
  unsigned p = end;
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
  if (p < text.size() && text[p] == ';') end = p + 1;
  // Whole lines: take the newline too when nothing else shares them.
  unsigned lb = begin;
  while (lb > 0 && (text[lb - 1] == ' ' || text[lb - 1] == '\t')) --lb;
  unsigned le = end;
  while (le < text.size() && (text[le] == ' ' || text[le] == '\t')) ++le;
  if ((lb == 0 || text[lb - 1] == '\n') && (le == text.size() || text[le] == '\n')) {
    begin = lb;
    end = le < text.size() ? le + 1 : le;
  }
  return true;
}

void for_each_directive(const std::string& text, const std::string& name,
                        const std::function<void(unsigned, unsigned)>& f) {
  for (size_t pos = 0; pos < text.size();) {
    size_t end = pos;
    do {
      end = text.find('\n', end);
      end = end == std::string::npos ? text.size() : end + 1;
    } while (end < text.size() && end >= 2 && text[end - 2] == '\\');
    size_t p = text.find_first_not_of(" \t", pos);
    if (p < end && text[p] == '#') {
      size_t k = text.find_first_not_of(" \t", p + 1);
      if (k < end && text.compare(k, name.size(), name) == 0) f(unsigned(pos), unsigned(end));
    }
    pos = end;
  }
}

void walk(CXCursor root, const std::function<bool(CXCursor)>& visit) {
  ast::children(root, [&](CXCursor c) {
    if (!ast::in_main_file(c)) return;
    if (visit(c)) walk(c, visit);
  });
}

}  // namespace passes
}  // namespace minrepro::reducer
