#include "reducer/values.hpp"

#include <algorithm>
#include <climits>
#include <sstream>

#include "reducer/tokens.hpp"

namespace minrepro::reducer {

namespace {

// A std::string, or a pointer to (const) char.
bool string_type(CXType t) {
  if (t.kind == CXType_Pointer) {
    auto k = clang_getCanonicalType(clang_getPointeeType(t)).kind;
    return k == CXType_Char_S || k == CXType_Char_U;
  }
  if (t.kind != CXType_Record) return false;
  return ast::type_spelling(t).find("basic_string<char") != std::string::npos;
}

// A std::chrono::duration (a sleep's or a timeout's length).
bool duration_type(CXType t) {
  if (t.kind != CXType_Record) return false;
  return ast::type_spelling(t).rfind("std::chrono::duration<", 0) == 0;
}

bool value_type(CXCursor c, bool& is_bool) {
  CXType t = clang_getCanonicalType(clang_getCursorType(c));
  // Not a constructor call: libclang shows `std::string s;` as a call too.
  if (string_type(t) || duration_type(t))
    return is_bool = false, clang_getCursorKind(clang_getCursorReferenced(c)) != CXCursor_Constructor;
  switch (t.kind) {
    case CXType_Bool: is_bool = true; return true;
    case CXType_Short: case CXType_UShort: case CXType_Int: case CXType_UInt: case CXType_Long:
    case CXType_ULong: case CXType_LongLong: case CXType_ULongLong: is_bool = false; return true;
    default: return false;  // characters read better as themselves; enums need their names
  }
}

// Defined at the top of the observed build. `seen` keeps the file short: the
// first 8 values of a site tell whether it is constant.
const char* kRecorder = R"rec(#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
static void __repro_value_put(unsigned id, const char* s) {
  static std::FILE* f = [] {
    const char* p = std::getenv("MINREPRO_VALUES");
    std::FILE* f = p ? std::fopen(p, "a") : nullptr;
    if (f) std::setvbuf(f, nullptr, _IONBF, 0);
    return f;
  }();
  static unsigned char seen[1u << 16];
  if (!f || id >= sizeof seen || __atomic_fetch_add(&seen[id], 1, __ATOMIC_RELAXED) >= 8) return;
  std::fprintf(f, "%u %s\n", id, s);
}
template <class> struct __repro_is_duration : std::false_type {};
template <class R, class P> struct __repro_is_duration<std::chrono::duration<R, P>> : std::true_type {};
template <class P> static const char* __repro_duration_name() {
  if constexpr (std::is_same_v<P, std::nano>) return "nanoseconds";
  else if constexpr (std::is_same_v<P, std::micro>) return "microseconds";
  else if constexpr (std::is_same_v<P, std::milli>) return "milliseconds";
  else if constexpr (std::is_same_v<P, std::ratio<1>>) return "seconds";
  else if constexpr (std::is_same_v<P, std::ratio<60>>) return "minutes";
  else if constexpr (std::is_same_v<P, std::ratio<3600>>) return "hours";
  else return nullptr;
}
template <class T> static T&& __repro_value(unsigned id, T&& v) {
  using U = std::remove_cv_t<std::remove_reference_t<T>>;
  if constexpr (std::is_same_v<U, bool>) {
    __repro_value_put(id, v ? "true" : "false");
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    if constexpr (std::is_pointer_v<U>) {
      if (!v) return std::forward<T>(v);
    }
    std::string_view s = v;
    if (s.size() > 200) return std::forward<T>(v);  // a literal that long reads worse than its computation
    std::string lit = "\"";
    for (unsigned char ch : s) {
      char buf[8];
      if (ch == '"' || ch == '\\') lit += '\\', lit += char(ch);
      else if (ch == '\n') lit += "\\n";
      else if (ch == '\t') lit += "\\t";
      else if (ch < 32 || ch >= 127) std::snprintf(buf, sizeof buf, "\\%03o", ch), lit += buf;
      else lit += char(ch);
    }
    __repro_value_put(id, (lit + "\"").c_str());
  } else if constexpr (__repro_is_duration<U>::value) {
    const char* name = __repro_duration_name<typename U::period>();
    if constexpr (std::is_integral_v<typename U::rep>) {
      char buf[64];
      if (name) {
        std::snprintf(buf, sizeof buf, "std::chrono::%s(%lld)", name, static_cast<long long>(v.count()));
        __repro_value_put(id, buf);
      }
    }
  } else if constexpr (!std::is_arithmetic_v<U>) {
    // not recorded: libclang typed the conversion, the site holds its operand
  } else if constexpr (std::is_signed_v<U>) {
    char buf[32];
    long long x = static_cast<long long>(v);
    std::snprintf(buf, sizeof buf, x < INT_MIN || x > INT_MAX ? "%lldLL" : x < 0 ? "(%lld)" : "%lld", x);
    __repro_value_put(id, buf);
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lluu", static_cast<unsigned long long>(v));
    __repro_value_put(id, buf);
  }
  return std::forward<T>(v);
}
)rec";

}  // namespace

std::vector<ValueSite> value_sites(const PassInput& in) {
  std::vector<ValueSite> out;
  if (!in.tu) return out;
  auto macros = ast::macro_expansions(in.tu);
  ast::visit_code(in.tu, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    bool is_bool = false;
    if ((k == CXCursor_CallExpr || k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) && value_type(c, is_bool))
      if (auto r = ast::extent_outside(c, macros)) {
        // A duration's literal is 8 tokens (`std::chrono::seconds(2)`): not for a plain name.
        if (duration_type(clang_getCanonicalType(clang_getCursorType(c))) &&
            count_tokens(in.text.substr(r->begin, r->end - r->begin)) < 3)
          return;
        unsigned line, col, off;
        CXFile file;
        clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &file, &line, &col, &off);
        out.push_back({*r, line, is_bool});
      }
  });
  return out;
}

std::string instrument_values(const std::string& text, const std::vector<ValueSite>& sites,
                              const std::set<unsigned>& skip_lines) {
  // Openings and closings per offset: at one offset, ranges that end close
  // first (the innermost first), then ranges that begin open (the outermost first).
  struct Mark {
    unsigned offset;
    int order;  // closings before openings; among them, by nesting
    std::string text;
  };
  std::vector<Mark> marks;
  for (size_t i = 0; i < sites.size(); ++i) {
    const ValueSite& s = sites[i];
    if (skip_lines.count(s.line)) continue;
    int len = int(s.range.end - s.range.begin);
    marks.push_back({s.range.begin, (1 << 30) - len, "__repro_value(" + std::to_string(i) + "u, "});
    marks.push_back({s.range.end, len, ")"});
  }
  std::stable_sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.order < b.order;
  });
  std::string out = kRecorder + std::string("#line 1\n");
  unsigned pos = 0;
  for (auto& m : marks) {
    out.append(text, pos, m.offset - pos);
    out += m.text;
    pos = m.offset;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::map<size_t, std::set<std::string>> parse_values(const std::string& file) {
  std::map<size_t, std::set<std::string>> out;
  std::istringstream in(file);
  // "ID VALUE" per line; a string's VALUE (a literal) may hold spaces.
  for (std::string line; std::getline(in, line);) {
    size_t space = line.find(' ');
    if (space == std::string::npos || space == 0 || line.size() == space + 1) continue;
    try {
      out[std::stoul(line.substr(0, space))].insert(line.substr(space + 1));
    } catch (const std::exception&) {
    }
  }
  return out;
}

std::vector<Chunk> value_chunks(const std::vector<ValueSite>& sites,
                                const std::map<size_t, std::set<std::string>>& seen,
                                const std::set<unsigned>& skip_lines) {
  std::vector<Chunk> out;
  for (auto& [id, values] : seen)
    if (id < sites.size() && values.size() == 1 && !skip_lines.count(sites[id].line))
      out.push_back({{sites[id].range.begin, sites[id].range.end, *values.begin()}});
  return out;
}

}  // namespace minrepro::reducer
