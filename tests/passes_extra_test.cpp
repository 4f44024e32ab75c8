// The params, bases-templates, expressions, balanced and tokens passes: exact
// candidates for single chunks, and (for the AST-editing passes) candidates
// that still compile.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "helpers.hpp"
#include "pass_helpers.hpp"
#include "oracle/ast.hpp"
#include "reducer/pass.hpp"
#include "reducer/tidy.hpp"
#include "reducer/tokens.hpp"
#include "reducer/values.hpp"

using namespace minrepro;
using namespace minrepro::reducer;

namespace minrepro::reducer {
std::vector<Chunk> remove_params(const PassInput&);
std::vector<Chunk> remove_bases_and_template_params(const PassInput&);
std::vector<Chunk> simplify_expressions(const PassInput&);
std::vector<Chunk> unwrap_statements(const PassInput&);
std::vector<Chunk> return_void(const PassInput&);
std::vector<Chunk> inline_calls(const PassInput&);
std::vector<Chunk> remove_statements(const PassInput&);
std::vector<Chunk> flatten_objects(const PassInput&);
std::vector<Chunk> expand_macros(const PassInput&);
std::vector<Chunk> inline_aliases(const PassInput&);
std::vector<Chunk> remove_balanced(const PassInput&);
std::vector<Chunk> remove_tokens(const PassInput&);
std::vector<Chunk> shorten_strings(const PassInput&);
std::vector<Chunk> make_static(const PassInput&);
std::vector<Chunk> substitute_variables(const PassInput&);
}  // namespace minrepro::reducer

namespace {
using test::candidates;
using test::compiles;
using test::has;

void check_all_compile(PassFn pass, const std::string& text, size_t expected_candidates) {
  REQUIRE(compiles(text));
  auto cands = candidates(pass, text);
  CHECK(cands.size() == expected_candidates);
  for (auto& c : cands) {
    INFO("candidate:\n" << c);
    CHECK(compiles(c));
  }
}

}  // namespace

// ---- params ----

TEST_CASE("params: first, middle and last parameter with their arguments") {
  std::string src = "int f(int a, int b, int c) { return a + c; }\nint g() { return f(1, 2, 3) + f(4, 5, 6); }\n";
  auto c = candidates(remove_params, src);
  REQUIRE(c.size() == 3);
  CHECK(c[0] == "int f(int b, int c) { int a{}; return a + c; }\nint g() { return f(2, 3) + f(5, 6); }\n");
  CHECK(c[1] == "int f(int a, int c) { return a + c; }\nint g() { return f(1, 3) + f(4, 6); }\n");
  CHECK(c[2] == "int f(int a, int b) { int c{}; return a + c; }\nint g() { return f(1, 2) + f(4, 5); }\n");
}

TEST_CASE("params: the only parameter, every declaration, a method call") {
  std::string src =
      "int f(int a);\nint f(int x) { return 0; }\n"
      "struct S { void m(int a, char b) {} };\n"
      "void g() { f(7); S s; s.m(1, 'c'); }\n";
  auto c = candidates(remove_params, src);
  CHECK(has(c, "int f();\nint f() { return 0; }\nstruct S { void m(int a, char b) {} };\nvoid g() { f(); S s; s.m(1, 'c'); }\n"));
  CHECK(has(c, "int f(int a);\nint f(int x) { return 0; }\nstruct S { void m(int a) {} };\nvoid g() { f(7); S s; s.m(1); }\n"));
  CHECK(c.size() == 3);
}

TEST_CASE("params: skipped functions") {
  // main, address taken, default argument, virtual, overloaded, operator.
  std::string src =
      "int h(int a) { return 0; }\nint (*p)(int) = h;\n"
      "int d(int a, int b = 2) { return 0; }\n"
      "struct B { virtual void v(int) {} int operator+(int) { return 0; } };\n"
      "void o(int) {}\nvoid o(double) {}\n"
      "int main(int argc, char**) { d(1); o(1); return 0; }\n";
  CHECK(candidates(remove_params, src).empty());
}

TEST_CASE("params: a used non-scalar parameter stays; unused ones go") {
  std::string src = "struct P { int x; };\nint f(P p, int q) { return p.x; }\nint g() { return f(P{}, 2); }\n";
  auto c = candidates(remove_params, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "struct P { int x; };\nint f(P p) { return p.x; }\nint g() { return f(P{}); }\n");
}

TEST_CASE("params: candidates compile on realistic code") {
  check_all_compile(remove_params,
                    "#include <string>\n#include <vector>\n"
                    "struct Acc {\n  Acc(int base, const std::string& name) : base_(base) {}\n"
                    "  int add(const std::vector<int>& v, int scale, bool neg) const {\n"
                    "    int s = base_;\n    for (int x : v) s += x * scale;\n    return s;\n  }\n  int base_;\n};\n"
                    "template <class T> T twice(T x, int unused) { return x + x; }\n"
                    "static int g(const char* msg, int n, double d) { return n; }\n"
                    "int main() {\n  Acc a(1, \"x\");\n  Acc b{2, std::string(\"y\")};\n"
                    "  int r = a.add({1, 2}, 3, false) + twice(4, 5) + twice<long>(6, 7);\n"
                    "  return g(\"m\", r, 0.5) + b.add({}, 1, true);\n}\n",
                    // Acc: name (base is used by an initializer); add: scale (used, scalar -> local)
                    // and neg (v is used and not scalar); twice: unused (x is used, dependent);
                    // g: msg, n (used -> local), d.
                    1 + 2 + 1 + 3);
}

// ---- bases-templates ----

TEST_CASE("bases: only base, first and last of several, with initializers") {
  std::string src =
      "struct A { A(int) {} };\nstruct B {};\n"
      "struct D : A, public B { D() : A(1), x(2) {} int x; };\n"
      "struct E : B {};\n";
  auto c = candidates(remove_bases_and_template_params, src);
  REQUIRE(c.size() == 3);
  CHECK(c[0] == "struct A { A(int) {} };\nstruct B {};\nstruct D : public B { D() : x(2) {} int x; };\nstruct E : B {};\n");
  CHECK(c[1] == "struct A { A(int) {} };\nstruct B {};\nstruct D : A { D() : A(1), x(2) {} int x; };\nstruct E : B {};\n");
  CHECK(c[2] == "struct A { A(int) {} };\nstruct B {};\nstruct D : A, public B { D() : A(1), x(2) {} int x; };\nstruct E {};\n");
}

TEST_CASE("templates: an unused parameter goes with its arguments") {
  std::string src =
      "template <class T, class U = int> struct S { T t; };\n"
      "S<char, long> a;\nS<char> b;\n";
  auto c = candidates(remove_bases_and_template_params, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "template <class T> struct S { T t; };\nS<char> a;\nS<char> b;\n");
}

TEST_CASE("templates: the only parameter removes the header and the argument lists") {
  std::string src = "template <class T> struct S;\ntemplate <class T> struct S { int f() { return 1; } S* self; };\nS<int> a;\n";
  auto c = candidates(remove_bases_and_template_params, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "struct S;\nstruct S { int f() { return 1; } S* self; };\nS a;\n");
}

TEST_CASE("templates: used parameters, specializations and packs are kept") {
  std::string src =
      "template <class T, int N> struct U { T a[N]; };\nU<int, 2> u;\n"
      "template <class T> struct Sp {};\ntemplate <> struct Sp<int> {};\nSp<char> sp;\n"
      "template <class... T> struct P {};\nP<int> p;\n";
  CHECK(candidates(remove_bases_and_template_params, src).empty());
}

TEST_CASE("bases-templates: candidates compile on realistic code") {
  check_all_compile(remove_bases_and_template_params,
                    "#include <vector>\n"
                    "struct Base { Base(int v) : v(v) {} int v; };\nstruct Tag {};\n"
                    "template <class T, class Alloc = std::allocator<T>, int Unused = 3>\n"
                    "struct Box : Base, Tag {\n  Box() : Base(0) {}\n  std::vector<T, Alloc> items;\n};\n"
                    "template <typename K, typename V> struct Pair { K k; };\n"
                    "int main() { Box<int> b; Box<long, std::allocator<long>, 4> c; Pair<int, Box<char>> p{1};"
                    " return b.items.size() + c.items.size() + p.k; }\n",
                    // Base, Tag, Unused, V.
                    4);
}

// ---- expressions ----

TEST_CASE("expressions: operands, conditionals, parentheses and literals") {
  std::string src = "int f(int a, int b) { return (a + b) * 42 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n";
  auto c = candidates(simplify_expressions, src);
  CHECK(has(c, "int f(int a, int b) { return a; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return (a + b) ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return 42 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return a + b * 42 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return (a) * 42 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return (a + b) * 0 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return (a + b) * 1 ? a : b; }\nconst char* s() { return \"hi\"; }\nint g = 5;\n"));
  CHECK(has(c, "int f(int a, int b) { return (a + b) * 42 ? a : b; }\nconst char* s() { return \"\"; }\nint g = 5;\n"));
  for (auto& x : c) CHECK(x.find("int g = 5;") != std::string::npos);  // not in a body
}

TEST_CASE("expressions: a local array keeps its size; its elements' values do not") {
  std::string src = "#include <unistd.h>\nint f() { int fds[2] = {3, 4}; int n = 5; return pipe(fds) + n; }\n";
  auto c = candidates(simplify_expressions, src);
  CHECK(has(c, "#include <unistd.h>\nint f() { int fds[2] = {3, 4}; int n = 1; return pipe(fds) + n; }\n"));
  CHECK(has(c, "#include <unistd.h>\nint f() { int fds[2] = {0, 4}; int n = 5; return pipe(fds) + n; }\n"));
  for (auto& x : c) CHECK(x.find("fds[2]") != std::string::npos);
}

TEST_CASE("expressions: a call by one of its arguments") {
  std::string src = "struct O { int get(const char*, int d) { return d; } };\n"
                    "int id(int x) { return x; }\n"
                    "int f(O& o) { return o.get(\"k\", 3) + id(4); }\n";
  auto c = candidates(simplify_expressions, src);
  std::string head = src.substr(0, src.find("int f"));
  CHECK(has(c, head + "int f(O& o) { return 3 + id(4); }\n"));
  CHECK(has(c, head + "int f(O& o) { return \"k\" + id(4); }\n"));
  CHECK(has(c, head + "int f(O& o) { return o.get(\"k\", 3) + 4; }\n"));
}

TEST_CASE("expressions: a call without its trailing arguments; defaulted ones are not text, a macro stops it") {
  std::string src = "#define TWO 2\n"
                    "int h(int a, int b = 2, int c = 3) { return a + b + c; }\n"
                    "int f() { return h(1, 5) * h(4, TWO, 6); }\n";
  auto c = candidates(simplify_expressions, src);
  std::string head = src.substr(0, src.find("int f"));
  CHECK(has(c, head + "int f() { return h(1) * h(4, TWO, 6); }\n"));
  CHECK(has(c, head + "int f() { return h() * h(4, TWO, 6); }\n"));
  // A call with a macro in it is left alone (its literals may change).
  for (auto& x : c) CHECK(std::regex_search(x, std::regex(R"(\* h\([401], TWO, [601]\))")));
  std::string wait = "#include <condition_variable>\n#include <mutex>\n"
                     "void f(std::condition_variable& cv, std::mutex& m) {\n"
                     "  std::unique_lock<std::mutex> lock(m);\n  cv.wait(lock, [] { return false; });\n}\n";
  auto w = candidates(simplify_expressions, wait);
  std::string fewer = test::replaced(wait, "cv.wait(lock, [] { return false; })", "cv.wait(lock)");
  CHECK(has(w, fewer));
  CHECK(compiles(fewer));
}

TEST_CASE("expressions: constructors' initializers are code too") {
  std::string src = "struct M { int get(int d) { return d; } };\n"
                    "struct S : M { int x; S(M m) : M(m), x(m.get(7)) {} };\n";
  auto c = candidates(simplify_expressions, src);
  std::string head = src.substr(0, src.find("struct S"));
  CHECK(has(c, head + "struct S : M { int x; S(M m) : M(m), x(7) {} };\n"));
  CHECK(has(c, head + "struct S : M { int x; S(M m) : M(m), x(0) {} };\n"));
}

TEST_CASE("expressions: a callback argument by each global function") {
  std::string src = "#include <functional>\n#include <map>\n"
                    "void quit() {}\nvoid stay() {}\n"
                    "void run(std::function<void()> f, void (*g)(), int n) { f(); g(); (void)n; }\n"
                    "int main() { std::map<int, std::function<void()>> t{{1, quit}}; run(t[1], stay, 2); }\n";
  auto c = candidates(simplify_expressions, src);
  auto with = [&](const std::string& call) {
    std::string t = src;
    return t.replace(t.find("run(t[1], stay, 2)"), 18, call);
  };
  CHECK(has(c, with("run(quit, stay, 2)")));
  CHECK(has(c, with("run(stay, stay, 2)")));
  CHECK(has(c, with("run(t[1], quit, 2)")));
  CHECK_FALSE(has(c, with("run(t[1], stay, quit)")));  // an int is no callback
  CHECK_FALSE(has(c, with("run(run, stay, 2)")));      // another type
  CHECK_FALSE(has(c, src));                            // not itself
}

TEST_CASE("expressions: a negated bool literal becomes the other literal") {
  std::string src = "bool f() { while (!false) return !(true); return !f(); }\n";
  auto c = candidates(simplify_expressions, src);
  CHECK(has(c, "bool f() { while (true) return !(true); return !f(); }\n"));
  CHECK(has(c, "bool f() { while (!false) return false; return !f(); }\n"));
  CHECK(c.size() == 5);  // the two folds, (true) -> true, f() -> true | false; `!f()` itself is not folded
}

TEST_CASE("expressions: macros are left alone, largest first") {
  std::string src = "#define ADD(x, y) ((x) + (y))\nint f(int a) { return ADD(a, 2) + a * 3; }\n";
  auto c = candidates(simplify_expressions, src);
  REQUIRE(!c.empty());
  CHECK(c.size() == 4);  // a * 3 -> a | 3, 3 -> 0 | 1
  CHECK(c[0] == "#define ADD(x, y) ((x) + (y))\nint f(int a) { return ADD(a, 2) + a; }\n");
  CHECK(c[1] == "#define ADD(x, y) ((x) + (y))\nint f(int a) { return ADD(a, 2) + 3; }\n");
  for (auto& x : c) CHECK(x.find("ADD(a, 2) + ") != std::string::npos);
}

// ---- macros ----

TEST_CASE("macros: the file's own macro expanded at every use, its #define gone") {
  std::string src =
      "#include <cstdlib>\n"
      "#define FATAL(why)          \\\n"
      "  do {                      \\\n"
      "    std::exit(why);         \\\n"
      "  } while (0)\n"
      "#define TWICE(x) ((x) + (x))\n"
      "#define STR(x) #x\n"
      "#define LIMIT 3\n"
      "int g(int a, int b) { return a + b; }\n"
      "int f(int n) { if (n > LIMIT) FATAL(n + 1); const char* s = STR(n); (void)s; return TWICE(n) + TWICE(g(n, 2)); }\n";
  auto c = candidates(expand_macros, src);
  auto without = [&](const std::string& define, const std::vector<std::pair<std::string, std::string>>& uses) {
    std::string t = src;
    t.erase(t.find(define), define.size());
    for (auto& [from, to] : uses) t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK(has(c, without("#define FATAL(why)          \\\n  do {                      \\\n    std::exit(why);         \\\n"
                       "  } while (0)\n",
                       {{"FATAL(n + 1)", "do { std::exit(n + 1); } while (0)"}})));
  CHECK(has(c, without("#define LIMIT 3\n", {{"n > LIMIT", "n > 3"}})));
  CHECK(has(c, without("#define TWICE(x) ((x) + (x))\n",
                       {{"TWICE(n)", "((n) + (n))"}, {"TWICE(g(n, 2))", "((g(n, 2)) + (g(n, 2)))"}})));
  CHECK(c.size() == 3);  // not STR: it stringizes
}

TEST_CASE("macros: `M()` gives a one-parameter macro an empty argument") {
  std::string src = "#include <cstdlib>\n#define FATAL(why) std::exit(1 why)\nvoid f() { FATAL(); }\n";
  auto c = candidates(expand_macros, src);
  CHECK(has(c, "#include <cstdlib>\nvoid f() { std::exit(1 ); }\n"));
}

TEST_CASE("macros: not when the text would grow") {
  std::string src = "#define BIG(x) ((x) * (x) * (x) * (x) * (x) * (x))\n"
                    "int f(int a) { return BIG(a) + BIG(a + 1) + BIG(a + 2) + BIG(a + 3); }\n";
  CHECK(candidates(expand_macros, src).empty());
}

// ---- aliases ----

TEST_CASE("aliases: a type alias by its type at every use, when the text does not grow") {
  std::string src = "#include <functional>\n"
                    "using Fn = std::function<int(int)>;\n"
                    "using Big = std::function<long(long, long, long)>;\n"
                    "struct S { int run(Fn f) { return f(1); } };\n"
                    "long a(Big x, Big y, Big z, Big w) { return x(1, 2, 3) + y(1, 2, 3) + z(1, 2, 3) + w(1, 2, 3); }\n";
  auto c = candidates(inline_aliases, src);
  REQUIRE(c.size() == 1);  // not Big: four uses would grow the text
  CHECK(c[0] == "#include <functional>\n"
                "using Big = std::function<long(long, long, long)>;\n"
                "struct S { int run(std::function<int(int)> f) { return f(1); } };\n"
                "long a(Big x, Big y, Big z, Big w) { return x(1, 2, 3) + y(1, 2, 3) + z(1, 2, 3) + w(1, 2, 3); }\n");
}

// ---- return-void ----

TEST_CASE("return-void: the type becomes void, the returns bare or kept as statements") {
  std::string src =
      "enum State { Done };\n"
      "struct T {\n"
      "  static inline State run(int n) { auto f = [] { return 1; }; if (n) return State(f()); return Done; }\n"
      "  template <typename X> [[nodiscard]] X get(X x) const { return x; }\n"
      "  State value() const;\n"
      "  operator int() const { return 0; }\n"
      "  bool operator==(const T&) const { return true; }\n"
      "};\n"
      "State T::value() const { return Done; }\n"
      "void g() {}\n"
      "int main() { return T::run(1); }\n";
  auto c = candidates(return_void, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("static inline State run(int n) { auto f = [] { return 1; }; if (n) return State(f()); return Done; }",
                    "static inline void run(int n) { auto f = [] { return 1; }; if (n) return; return; }")));
  CHECK(has(c, with("static inline State run(int n) { auto f = [] { return 1; }; if (n) return State(f()); return Done; }",
                    "static inline void run(int n) { auto f = [] { return 1; }; if (n)  State(f()); return;  Done; return; }")));
  CHECK(has(c, with("template <typename X> [[nodiscard]] X get(X x) const { return x; }",
                    "template <typename X> [[nodiscard]] void get(X x) const { return; }")));
  // Not: a declaration without a body, a qualified out-of-line member, operators, main, void functions.
  CHECK(c.size() == 4);
}

// ---- inline ----

TEST_CASE("inline: the one call of a function by its body, parameters as locals, the final return a statement") {
  std::string src = "int twice(int x, int) { int y = x * 2; return y; }\n"
                    "int main() { int a = 3; twice(a + 1, 7); }\n";
  auto c = candidates(inline_calls, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "int main() { int a = 3; { int x = a + 1;  int y = x * 2;  y; } }\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("inline: a method through its object: members, this, captures, statics and nested types") {
  std::string cls =
      "#include <functional>\n"
      "struct Box {\n"
      "  struct Part { int n = 1; };\n"
      "  static int count;\n"
      "  int v = 0;\n"
      "  std::function<void()> cb;\n";
  std::string start =
      "  void start() {\n"
      "    Part p;\n"
      "    this->v += count + p.n;\n"
      "    cb = [this] { v = 1; };\n"
      "  }\n";
  std::string run = "  void run() { v = 1; }\n";
  auto program = [&](const std::string& methods, const std::string& calls) {
    return cls + methods + "};\nint Box::count = 2;\nint main() {\n  Box b;\n" + calls + "}\n";
  };
  std::string src = program(start + run, "  b.start();\n  Box* q = &b;\n  q->run();\n");
  auto c = candidates(inline_calls, src);
  REQUIRE(c.size() == 2);
  CHECK(c[0] == program(run, "  { \n    Box::Part p;\n    b.v += Box::count + p.n;\n    b.cb = [&] { b.v = 1; };\n  }\n"
                             "  Box* q = &b;\n  q->run();\n"));
  CHECK(c[1] == program(start, "  b.start();\n  Box* q = &b;\n  {  q->v = 1; }\n"));
  for (auto& k : c) {
    INFO("candidate:\n" << k);
    CHECK(compiles(k));
  }
}

TEST_CASE("inline: a method called on a getter: the getter spelled at each use") {
  std::string head = "#include <vector>\n"
                     "struct Registry {\n"
                     "  static Registry& instance() { static Registry r; return r; }\n";
  std::string tail = "  std::vector<int> items;\n"
                     "};\n";
  std::string add = "  int* add(int v) { items.push_back(v); return &items.back(); }\n";
  std::string src = head + add + "  static void clear() { instance().reset(); }\n  void reset() { items.clear(); }\n" +
                    tail + "int main() { int* p = Registry::instance().add(1); Registry::clear(); return *p; }\n";
  auto c = candidates(inline_calls, src);
  std::string value = head + "  static void clear() { instance().reset(); }\n  void reset() { items.clear(); }\n" + tail +
                      "int main() { int v = 1;  Registry::instance().items.push_back(v); "
                      "int* p = &Registry::instance().items.back(); Registry::clear(); return *p; }\n";
  std::string statement = head + add + "  static void clear() { {  instance().items.clear(); } }\n" + tail +
                          "int main() { int* p = Registry::instance().add(1); Registry::clear(); return *p; }\n";
  CHECK(has(c, value));
  CHECK(has(c, statement));
  for (auto& k : c) {
    INFO("candidate:\n" << k);
    CHECK(compiles(k));
  }
}

TEST_CASE("inline: a method called through a smart pointer (its operator->)") {
  std::string head = "#include <cstdio>\n#include <memory>\n#include <vector>\nstruct S {\n";
  std::string tail = "  FILE* pipe_;\n};\nstd::vector<std::unique_ptr<S>> v;\n"
                     "int main() {\n  for (auto& child : v) {\n";
  std::string src = head + "  void close() { pclose(pipe_); }\n" + tail + "    child->close();\n  }\n}\n";
  auto c = candidates(inline_calls, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == head + tail + "    {  pclose(child->pipe_); }\n  }\n}\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("inline: a call whose value is used: the body in front, the returned value in its place") {
  std::string src = "#include <string>\n"
                    "struct Cfg { int n = 0; };\n"
                    "Cfg parse(const std::string& s) {\n"
                    "  Cfg c;\n"
                    "  c.n = int(s.size());\n"
                    "  return c;\n"
                    "}\n"
                    "long pick(int k) { if (k > 2) return k * 20L + 1; return 7; }\n"
                    "int twice(int x) { return 2 * x; }\n"
                    "int main() {\n"
                    "  const Cfg cfg = parse(\"abc\");\n"
                    "  long p = pick(cfg.n);\n"
                    "  int x = 1;\n"
                    "  int t = twice(x);\n"
                    "  return int(p - 61 + t - 2);\n"
                    "}\n";
  auto c = candidates(inline_calls, src);
  REQUIRE(c.size() == 1);  // not pick (an early return), not twice (its `x` is the caller's too)
  CHECK(c[0] == "#include <string>\nstruct Cfg { int n = 0; };\n"
                "long pick(int k) { if (k > 2) return k * 20L + 1; return 7; }\n"
                "int twice(int x) { return 2 * x; }\n"
                "int main() {\n  const std::string& s = \"abc\"; \n  Cfg c;\n  c.n = int(s.size());\n"
                "  const Cfg cfg = c;\n  long p = pick(cfg.n);\n  int x = 1;\n  int t = twice(x);\n"
                "  return int(p - 61 + t - 2);\n}\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("inline: calls and functions it leaves alone") {
  std::string src =
      "#define CALL(f) f()\n"
      "void twice_called() {}\n"
      "void recurse(int n) { if (n) recurse(n - 1); }\n"
      "int early(int n) { if (n) return 1; return 2; }\n"
      "void capture(int n, int m) { (void)(n + m); }\n"
      "struct V { virtual void v() {} };\n"
      "template <typename T> void tmpl(T) {}\n"
      "void in_macro() {}\n"
      "int used() { return 1; }\n"
      "void plain() { int z = 0; (void)z; }\n"
      "int main() {\n"
      "  twice_called(); twice_called();\n"
      "  recurse(2);\n"
      "  early(1);\n"
      "  int m = 1;\n"
      "  capture(m, 2);\n"  // `{ int n = m; int m = 2; ... }` would read the wrong m
      "  V().v();\n"
      "  tmpl(1);\n"
      "  CALL(in_macro);\n"
      "  int r = used();\n"
      "  plain();\n"
      "  return r;\n"
      "}\n";
  auto c = candidates(inline_calls, src);
  REQUIRE(c.size() == 2);  // only used(), whose value initializes r, and plain()
  CHECK(c[0].find("int used()") == std::string::npos);
  CHECK(c[0].find("  int r = 1;") != std::string::npos);
  CHECK(c[1].find("void plain()") == std::string::npos);
  CHECK(c[1].find("{  int z = 0; (void)z; }") != std::string::npos);
  for (auto& k : c) CHECK(compiles(k));
}

// ---- flatten ----

TEST_CASE("flatten: an object used only through its fields becomes the fields, its class goes with it") {
  std::string src = "#include <mutex>\n"
                    "struct Guarded { std::mutex mu; int n = 1; long w{2}; Guarded() : n(5) {} };\n"
                    "int main() { Guarded g; std::lock_guard<std::mutex> l(g.mu); return g.n + g.w - 7; }\n";
  auto c = candidates(flatten_objects, src);
  REQUIRE(c.size() == 1);  // the constructor's initializer wins over the default one
  CHECK(c[0] == "#include <mutex>\n"
                "int main() { std::mutex mu; int n(5); long w{2}; std::lock_guard<std::mutex> l(mu); return n + w - 7; }\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("flatten: two objects of one class get new names, statics stay static") {
  std::string src = "struct Pair { int a = 1; int b = 2; };\n"
                    "Pair g_pair;\n"
                    "int f() { static Pair p; return p.a + p.b + g_pair.a; }\n";
  auto c = candidates(flatten_objects, src);
  REQUIRE(c.size() == 1);  // `a` for both would make g_pair.a read the local
  CHECK(c[0] == "int g_pair_a = 1; int g_pair_b = 2;\n"
                "int f() { static int p_a = 1; static int p_b = 2; return p_a + p_b + g_pair_a; }\n");
  CHECK(compiles(c[0]));
}

TEST_CASE("flatten: objects used whole, through methods, or of classes with more than fields stay") {
  std::string src = "struct Pair { int a = 1; int b = 2; int sum() const { return a + b; } };\n"
                    "struct Base {};\n"
                    "struct Derived : Base { int x = 0; };\n"
                    "struct WithDtor { int x = 0; ~WithDtor() {} };\n"
                    "struct TwoCtors { int x; TwoCtors() : x(1) {} TwoCtors(int v) : x(v) {} };\n"
                    "int use(const Pair& p) { return p.a; }\n"
                    "int main() {\n"
                    "  Pair whole; Pair method; Pair braced{}; Derived d; WithDtor w; TwoCtors t;\n"
                    "  return use(whole) + method.sum() + braced.a + d.x + w.x + t.x;\n"
                    "}\n";
  CHECK(candidates(flatten_objects, src).empty());
}

// ---- statements ----

TEST_CASE("statements: a variable initialized by a call may become the call alone") {
  std::string src = "#include <optional>\n"
                    "struct P { P(int) {} };\n"
                    "std::optional<int> start(int n) { return n; }\n"
                    "int main() {\n"
                    "  auto a = start(1);\n"
                    "  P p(2);\n"
                    "  int x = 3;\n"
                    "  std::optional<int> b{start(4)};\n"
                    "  return x;\n"
                    "}\n";
  auto c = candidates(remove_statements, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("  auto a = start(1);\n", "  start(1);\n")));
  CHECK(has(c, with("  auto a = start(1);\n", "")));
  CHECK(c.size() == 5 + 1 + 1);  // five statements, the body of start(), and the one call kept
}

// ---- unwrap ----

TEST_CASE("unwrap: if, loops, do, try and blocks give up their frame") {
  std::string src =
      "#include <stdexcept>\n"
      "int f(int n) {\n"
      "  int s = 0;\n"
      "  if (n > 1) { s = 1; } else s = 2;\n"
      "  while (n--) { s += 2; }\n"
      "  for (int i = 0; i < 3; ++i) s += i;\n"
      "  do { s -= 1; } while (0);\n"
      "  try { s *= 2; } catch (std::exception&) { s = 0; }\n"
      "  { s += 5; }\n"
      "  return s;\n"
      "}\n";
  auto c = candidates(unwrap_statements, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("if (n > 1) { s = 1; } else s = 2;", " s = 1; ;")));
  CHECK(has(c, with("if (n > 1) { s = 1; } else s = 2;", "s = 2;")));
  CHECK(has(c, with("while (n--) { s += 2; }", " s += 2; ")));
  CHECK(has(c, with("for (int i = 0; i < 3; ++i) s += i;", "s += i;")));  // compiles not: `i` is gone
  CHECK(has(c, with("do { s -= 1; } while (0);", " s -= 1; ;")));
  CHECK(has(c, with("try { s *= 2; } catch (std::exception&) { s = 0; }", " s *= 2; ")));
  CHECK(has(c, with("{ s += 5; }", " s += 5; ")));
  CHECK(c.size() == 7);
}

TEST_CASE("unwrap: a lambda called where it is written gives its body; one whose value is used, its return") {
  std::string src = "int f() {\n"
                    "  int s = 0;\n"
                    "  [&] { s += 1; }();\n"
                    "  [&]() { s += 2; }();\n"
                    "  int r = [&] { int t = s; return t; }();\n"
                    "  [&] { if (s) return; s = 5; }();\n"
                    "  int q = [=] { return s; }();\n"          // a copy: stays
                    "  r += [&] { int u = 1; if (u) return 1; return u; }();\n"  // two returns: stays
                    "  return r + q;\n"
                    "}\n";
  auto c = candidates(unwrap_statements, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("[&] { s += 1; }();", " s += 1; ")));
  CHECK(has(c, with("[&]() { s += 2; }();", " s += 2; ")));
  CHECK(has(c, with("int r = [&] { int t = s; return t; }();", " int t = s; int r = t;")));
  CHECK(c.size() == 5);  // and the `if`s in two lambdas
  for (auto& k : c) CHECK(compiles(k));
}

TEST_CASE("unwrap: a loop left by its last statement's break becomes an if; an if, its condition") {
  std::string src = "#include <cstdio>\n"
                    "#include <string>\n"
                    "std::string next(FILE* f) { char b[8]; return fgets(b, sizeof b, f) ? b : \"\"; }\n"
                    "void f(FILE* in, int n) {\n"
                    "  while (auto* p = fgets(nullptr, 0, in)) { n += 1; break; }\n"
                    "  while (n) { if (n > 2) break; n -= 1; break; }\n"       // two ways out: stays
                    "  while (n) { for (;;) { break; } switch (n) { case 1: break; } n = 0; break; }\n"
                    "  while (n) { if (n) continue; break; }\n"                // continued: stays
                    "  if (!fgets(nullptr, 0, in)) return;\n"
                    "  if (next(in) == \"x\") { n = 2; } else n = 3;\n"
                    "  if (n > 1) n = 0;\n"                                     // no call: stays
                    "}\n";
  auto c = candidates(unwrap_statements, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  std::string once = with("while (auto* p = fgets(nullptr, 0, in)) { n += 1; break; }",
                          "if (auto* p = fgets(nullptr, 0, in)) { n += 1;  }");
  CHECK(has(c, once));
  CHECK(compiles(once));
  CHECK(has(c, with("while (n) { for (;;) { break; } switch (n) { case 1: break; } n = 0; break; }",
                    "if (n) { for (;;) { break; } switch (n) { case 1: break; } n = 0;  }")));
  CHECK(!has(c, with("while (n) { if (n > 2) break; n -= 1; break; }", "if (n) { if (n > 2) break; n -= 1;  }")));
  CHECK(!has(c, with("while (n) { if (n) continue; break; }", "if (n) { if (n) continue;  }")));
  std::string cond = with("if (!fgets(nullptr, 0, in)) return;", "fgets(nullptr, 0, in);");
  CHECK(has(c, cond));
  CHECK(compiles(cond));
  std::string both = with("if (next(in) == \"x\") { n = 2; } else n = 3;", "next(in) == \"x\";");
  CHECK(has(c, both));
  for (auto& k : c) CHECK(k.find("n > 1;") == std::string::npos);
}

TEST_CASE("unwrap: an if or while whose condition declares a variable gives the initializer") {
  std::string src = "int g();\nvoid f() { if (int v = g()) { v += 1; } while (int w = g()) {} }\n";
  auto c = candidates(unwrap_statements, src);
  CHECK(has(c, "int g();\nvoid f() { g(); while (int w = g()) {} }\n"));
  CHECK(has(c, "int g();\nvoid f() { if (int v = g()) { v += 1; } g(); }\n"));
}

TEST_CASE("unwrap: a frame in a macro stays, a macro in what is kept does not matter") {
  std::string src = "#define ONCE(x) do { x; } while (0)\n"
                    "void f(int& s) { ONCE(s = 1); try { ONCE(s = 2); } catch (...) {} }\n";
  auto c = candidates(unwrap_statements, src);
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "#define ONCE(x) do { x; } while (0)\nvoid f(int& s) { ONCE(s = 1);  ONCE(s = 2);  }\n");
}

// ---- statics ----

TEST_CASE("statics: a field made static, a static member reached by its class, a class of statics a namespace") {
  std::string registry = "#include <vector>\n"
                         "struct Registry {\n"
                         "  static Registry& instance() { static Registry r; return r; }\n"
                         "  Registry() : items{1} {}\n"
                         "  std::vector<int> items;\n"
                         "};\n";
  std::string tools = "class Tools {\n"
                      " public:\n"
                      "  static int twice(int v) { return 2 * v + calls; }\n"
                      "  static inline int calls = 0;\n"
                      "};\n";
  std::string main = "int main() { Registry::instance().items.push_back(Tools::twice(1)); return int(Registry::instance().items.size()); }\n";
  std::string src = registry + tools + main;
  auto c = candidates(make_static, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  std::string field = with("  Registry() : items{1} {}\n  std::vector<int> items;",
                           "  Registry() {}\n  static inline std::vector<int> items;");
  // The variable goes before the function that uses it.
  std::string ns = with(tools, "namespace Tools {\n  static inline int calls = 0;\n  static int twice(int v) { return 2 * v + calls; }\n}\n");
  CHECK(has(c, field));
  CHECK(has(c, ns));
  CHECK(c.size() == 2);  // `items` is not static yet: its accesses stay
  CHECK(compiles(field));
  CHECK(compiles(ns));

  // Once it is static, `Registry::instance().items` may become `Registry::items`.
  auto next = candidates(make_static, field);
  std::string t = field;
  std::string first = t.replace(t.find("Registry::instance().items"), 26, "Registry::items");
  CHECK(has(next, first));
  CHECK(compiles(first));
}

// ---- variables ----

TEST_CASE("variables: a field reached through an object becomes a visible variable of its type") {
  std::string src = "#include <cstdio>\n"
                    "struct Sub { FILE* pipe_; int n; };\n"
                    "FILE* g;\n"
                    "void f(Sub* s) { fclose(s->pipe_); }\n"
                    "int main() {\n"
                    "  Sub* agent = new Sub{stdin, 1};\n"
                    "  FILE* local = agent->pipe_;\n"
                    "  fgetc(agent->pipe_);\n"
                    "  return agent->n + (local != nullptr);\n"   // an int: left to the values pass
                    "}\n";
  auto c = candidates(substitute_variables, src);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("fclose(s->pipe_)", "fclose(g)")));
  CHECK(has(c, with("FILE* local = agent->pipe_", "FILE* local = g")));
  CHECK(has(c, with("fgetc(agent->pipe_)", "fgetc(g)")));
  CHECK(has(c, with("fgetc(agent->pipe_)", "fgetc(local)")));  // declared before, in the same block
  std::string moved = with("fclose(s->pipe_)", "fclose(local)");
  moved.replace(moved.find("FILE* local = "), 14, "local = ");
  moved.insert(moved.find("void f"), "FILE* local;\n");
  CHECK(has(c, moved));   // `local` moves out of main for f()
  CHECK(c.size() == 5);   // not in its own initializer
  for (auto& k : c) CHECK(compiles(k));
}

TEST_CASE("variables: a local of another function moves to namespace scope for the field it replaces") {
  std::string src = "#include <cstdio>\n"
                    "#include <cstdlib>\n"
                    "struct Sub { FILE* pipe_; };\n"
                    "Sub* g_sub;\n"
                    "void reap() { pclose(g_sub->pipe_); }\n"
                    "int main() {\n"
                    "  FILE* pipe = popen(\"true\", \"r\");\n"
                    "  auto a = pipe;\n"            // auto: never moves
                    "  const auto k = pipe;\n"
                    "  g_sub = new Sub{pipe};\n"
                    "  atexit(reap);\n"
                    "  return a == k;\n"
                    "}\n";
  auto c = candidates(substitute_variables, src);
  std::string moved = src;
  moved.replace(moved.find("FILE* pipe = popen"), 18, "pipe = popen");
  moved.replace(moved.find("pclose(g_sub->pipe_)"), 20, "pclose(pipe)");
  moved.insert(moved.find("void reap"), "FILE* pipe;\n");  // in front of both functions
  CHECK(has(c, moved));
  CHECK(compiles(moved));
  CHECK(c.size() == 1);
}

// ---- strings ----

TEST_CASE("strings: the contents, each ;-clause and each word; escapes, raw strings and directives stay whole") {
  std::string src = "#include \"a b.h\"\n"
                    "auto s = \"echo 1; sleep 5 & echo \\\"ready\\\"\";\n"
                    "auto r = R\"(x y)\";\n"
                    "auto e = \"\";\n"
                    "auto w = u8\"one two\";\n";
  auto c = candidates(shorten_strings, src, false);
  auto with = [&](const std::string& from, const std::string& to) { return test::replaced(src, from, to); };
  CHECK(has(c, with("echo 1; sleep 5 & echo \\\"ready\\\"", "")));
  CHECK(has(c, with("echo 1; sleep 5 & echo \\\"ready\\\"", "sleep 5 & echo \\\"ready\\\"")));  // a clause
  CHECK(has(c, with("echo 1; sleep 5 & echo \\\"ready\\\"", "echo 1; ")));                      // the last clause
  CHECK(has(c, with("echo 1; sleep 5 & echo \\\"ready\\\"", "echo 1; sleep 5 & echo ")));       // a word
  CHECK(has(c, with("echo 1; sleep 5 & echo \\\"ready\\\"", "echo 1; 5 & echo \\\"ready\\\"")));
  CHECK(has(c, with("one two", "")));
  CHECK(has(c, with("one two", "two")));
  CHECK(has(c, with("one two", "one ")));
  // 1 + 2 clauses + 7 words of the command, 1 + 2 words of u8: nothing in the include, raw or empty string.
  CHECK(c.size() == 13);
  for (auto& k : c) {
    CHECK(k.find("#include \"a b.h\"") == 0);
    CHECK(k.find("R\"(x y)\"") != std::string::npos);
  }
}

// ---- balanced ----

TEST_CASE("balanced: groups and contents, outermost first, literals and comments ignored") {
  std::string src = "f(a[1], \"(\") /* { */ {g();}";
  auto c = candidates(remove_balanced, src, false);
  REQUIRE(c.size() == 7);
  CHECK(c[0] == "f /* { */ {g();}");
  CHECK(c[1] == "f() /* { */ {g();}");
  CHECK(c[2] == "f(a[1], \"(\") /* { */ ");
  CHECK(c[3] == "f(a[1], \"(\") /* { */ {}");
  CHECK(c[4] == "f(a, \"(\") /* { */ {g();}");
  CHECK(c[5] == "f(a[], \"(\") /* { */ {g();}");
  CHECK(c[6] == "f(a[1], \"(\") /* { */ {g;}");
}

TEST_CASE("balanced: unbalanced text does not break it") {
  auto c = candidates(remove_balanced, "a) (b (c) ]", false);
  CHECK(c == std::vector<std::string>{"a) (b  ]", "a) (b () ]"});
}

// ---- tokens ----

TEST_CASE("tokens: the counting rule") {
  CHECK(count_tokens("") == 0);
  CHECK(count_tokens("a::b->c <<= 1'000u;") == 8);
  CHECK(count_tokens("x = \"a\\\"b\" + 'c' + u8\"d\" + R\"(q\" )\"; // c\n/* x y */") == 10);
  CHECK(count_tokens("#include <vector>\n#define F(x) (x) \\\n  + 1\nint v;") == 3 + 11 + 3);
  CHECK(count_tokens("a<=>b ... 1.5e+3 .5") == 6);
}

TEST_CASE("tokens: comments stripped, literals and line numbers kept") {
  CHECK(strip_comments("int a; // the count\nint b;") == "int a; \nint b;");
  CHECK(strip_comments("int/**/x; /* two\nlines */ int y;") == "int x; \n int y;");
  CHECK(strip_comments("const char* s = \"// not /* a comment\"; char c = '/'; // c") ==
        "const char* s = \"// not /* a comment\"; char c = '/'; ");
  CHECK(strip_comments("auto r = R\"(/* raw */)\";\n#define N 1 // n\n") == "auto r = R\"(/* raw */)\";\n#define N 1 \n");
  CHECK(strip_comments("// only\n/* unterminated") == "\n ");
  std::string code = "#include <vector>\nint main() { std::vector<int> v{1, 2}; /* sum */ return v[0] - 1; }\n";
  CHECK(count_tokens(strip_comments(code)) == count_tokens(code));
}

TEST_CASE("tokens: single tokens and adjacent pairs, directives kept") {
  auto c = candidates(remove_tokens, "#include <x>\nint a=b;", false);
  REQUIRE(c.size() == 4 + 5);
  CHECK(c[0] == "#include <x>\n=b;");     // pair `int a`
  CHECK(c[1] == "#include <x>\nint b;");  // pair `a=`
  CHECK(c[4] == "#include <x>\n a=b;");   // single `int`
  CHECK(c[5] == "#include <x>\nint =b;");
  CHECK(c[8] == "#include <x>\nint a=b");
  // A removal never glues two tokens together.
  auto g = candidates(remove_tokens, "a-(-b)", false);
  CHECK(has(g, "a- -b)"));
}

// The AST-editing passes on the project's corpus: every candidate compiles
// (macros, templates and the standard library included). The compiles go two
// at a time (each is one g++ -fsyntax-only of the standard headers).
namespace {
struct Compiled {
  std::string path, text;
  bool ok = false;
};
void compile_all(std::vector<Compiled>& items) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < items.size();) items[i].ok = compiles(items[i].text);
  };
  std::thread other(work);
  work();
  other.join();
}
}  // namespace

TEST_CASE("params and bases-templates: corpus candidates compile") {
  std::filesystem::path corpus = MINREPRO_SOURCE_DIR "/corpus";
  if (!std::filesystem::exists(corpus)) return;
  std::vector<Compiled> originals, generated;
  for (auto& e : std::filesystem::recursive_directory_iterator(corpus))
    if (e.path().filename() == "case.cpp") {
      std::ifstream f(e.path());
      originals.push_back({e.path().string(), std::string((std::istreambuf_iterator<char>(f)), {})});
    }
  compile_all(originals);
  for (auto& o : originals) {
    if (!o.ok) continue;  // needs its repro.toml's flags (e.g. -std=c++20)
    for (PassFn p : {remove_params, remove_bases_and_template_params})
      for (auto& c : candidates(p, o.text)) generated.push_back({o.path, c});
  }
  compile_all(generated);
  for (auto& g : generated) {
    INFO(g.path << " candidate:\n" << g.text);
    CHECK(g.ok);
  }
  MESSAGE("compiled " << generated.size() << " corpus candidates");
}

TEST_CASE("params: a name in a dependent call or a macro keeps the function") {
  std::string src =
      "void f(int a, int b) {}\ntemplate <class T> void g(T t) { f(t, 1); }\n"
      "#define CALL(x) h(x, 2)\nvoid h(int a, int b) {}\nvoid k() { f(1, 2); CALL(3); }\n";
  CHECK(candidates(remove_params, src).empty());
}

// The tidy step: the compiler's warnings become edits that remove them.
namespace {
std::string warnings_of(const std::string& text) {
  test::TempDir dir;
  auto path = dir.write("c.cpp", text);
  auto spec = test::tool_spec("/usr/bin/g++", {"-std=c++17", "-Wall", "-Wextra", "-fsyntax-only", path.string()});
  return runners::run(spec).err;
}
}  // namespace

TEST_CASE("warnings_in reads position and kind of each warning") {
  auto ws = oracle::warnings_in(
      "c.cpp: In function 'int f(int)':\n"
      "c.cpp:1:11: warning: unused parameter 'x' [-Wunused-parameter]\n"
      "    1 | int f(int x) { return 0; }\n"
      "c.cpp:3:9: warning: left operand of comma operator has no effect [-Wunused-value]\n"
      "c.cpp:4:2: error: expected ';' before '}' token\n");
  REQUIRE(ws.size() == 2);
  CHECK(ws[0].line == 1);
  CHECK(ws[0].column == 11);
  CHECK(ws[0].kind == "-Wunused-parameter");
  CHECK(ws[1].kind == "-Wunused-value");
  CHECK(ws[1].line == 3);
}

TEST_CASE("tidy: unused parameters lose their names, unused variables their declaration") {
  std::string text =
      "int f(int x, int y) { return y; }\n"
      "int main() {\n"
      "  int unused = 3;\n"
      "  return f(1, 2);\n"
      "}\n";
  auto ws = oracle::warnings_in(warnings_of(text));
  REQUIRE(ws.size() == 2);
  auto chunks = warning_fixes(text, ws);
  REQUIRE(chunks.size() == 2);
  std::vector<const Chunk*> all;
  for (auto& c : chunks) all.push_back(&c);
  std::string fixed = apply_chunks(text, all);
  CHECK(fixed == "int f(int , int y) { return y; }\nint main() {\n  return f(1, 2);\n}\n");
  CHECK(warnings_of(fixed).find("warning:") == std::string::npos);
}

TEST_CASE("tidy leaves a declaration sharing its line with other statements alone") {
  std::string text = "int main() { int unused = 3; return 0; }\n";
  auto ws = oracle::warnings_in(warnings_of(text));
  REQUIRE(ws.size() == 1);
  CHECK(warning_fixes(text, ws).empty());
}

TEST_CASE("tidy keeps an initializer with effects: `T name = f();` becomes `f();`") {
  std::string text = "int g() { return 1; }\nint main() {\n  int seq = g();\n}\n";
  auto ws = oracle::warnings_in(warnings_of(text));
  REQUIRE(ws.size() == 1);
  auto chunks = warning_fixes(text, ws, true);
  REQUIRE(chunks.size() == 1);
  std::string fixed = apply_chunks(text, {&chunks[0]});
  CHECK(fixed == "int g() { return 1; }\nint main() {\n  g();\n}\n");
  CHECK(warnings_of(fixed).find("warning:") == std::string::npos);
}

// ---- values ----

TEST_CASE("values: the instrumented program runs, reports its constants, and each becomes a literal") {
  std::string src = R"(#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
struct Config { int attempts = 0; bool verbose = false; unsigned width = 0; std::chrono::milliseconds pause{0}; };
static int parse(const std::string& s) { return std::atoi(s.c_str()); }
static std::string greet() { return "hi \"you\"\n"; }
int main() {
  Config c;
  std::string g = greet();
  if (g.size() != 9) return 1;
  std::istringstream in("x\n");
  for (std::string line; std::getline(in, line);) {}  // a stream as a bool: libclang types the conversion
  c.attempts = parse("4");
  c.verbose = parse("1") > 0;
  c.width = 7;
  c.pause = std::chrono::seconds(2);
  auto wait = c.pause;
  if (wait.count() != 2000) return 1;
  int total = 0, neg = -3;
  for (int i = 0; i < c.attempts; ++i) total += i;
  if (c.verbose && c.width == 7u) total += neg;
  return total == 3 ? 0 : 1;
}
)";
  test::TempDir dir;
  auto path = dir.write("case.cpp", src);
  CXTranslationUnit tu = ast::thread_parser({"-std=c++17"}, true).parse(path, src);
  auto sites = value_sites({src, tu});
  REQUIRE(!sites.empty());
  // Build and run the instrumented program for real.
  std::string inst = instrument_values(src, sites, {});
  auto ipath = dir.write("inst.cpp", inst);
  auto values = dir.path / "values.txt";
  std::string cmd = "g++ -std=c++17 -Wall -Wextra -Werror -o '" + (dir.path / "prog").string() + "' '" +
                    ipath.string() + "' && MINREPRO_VALUES='" + values.string() + "' '" + (dir.path / "prog").string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto seen = parse_values(test::slurp(values));
  auto chunks = value_chunks(sites, seen, {});
  std::vector<std::string> cands;
  for (auto& c : chunks) cands.push_back(apply_chunks(src, {&c}));
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string want = src;
    want.replace(want.find(from), from.size(), to);
    return has(cands, want);
  };
  CHECK(replaced("i < c.attempts", "i < 4"));                   // a member read, constant
  CHECK(replaced("c.attempts = parse(\"4\")", "c.attempts = 4"));  // a call
  CHECK(replaced("if (c.verbose &&", "if (true &&"));           // a bool
  CHECK(replaced("c.width == 7u", "7u == 7u"));                // unsigned keeps its type
  CHECK(replaced("total += neg", "total += (-3)"));            // negative, parenthesized
  CHECK(replaced("g = greet()", "g = \"hi \\\"you\\\"\\n\""));  // a string, escaped
  CHECK(replaced("wait = c.pause", "wait = std::chrono::milliseconds(2000)"));  // a duration, in its period
  for (auto& c : cands) CHECK(c.find("(std::chrono::milliseconds(2000).count()") == std::string::npos);  // a plain name: 8 tokens for 1
  for (auto& c : cands) CHECK(c.find("total += 0") == std::string::npos);  // `i` changes: no literal
  // A site the compiler rejects in the instrumented build is left out by its line.
  unsigned width_line = 0;
  for (auto& s : sites)
    if (src.compare(s.range.begin, 7, "c.width") == 0) width_line = s.line;
  REQUIRE(width_line > 0);
  auto without = value_chunks(sites, seen, {width_line});
  CHECK(without.size() < chunks.size());
  CHECK(instrument_values(src, sites, {width_line}).find("__repro_value(") != std::string::npos);
}

TEST_CASE("values: error lines come from the compiler's diagnostics") {
  auto lines = oracle::error_lines("case.cpp:12:5: error: expected ';'\ncase.cpp:3:1: warning: x [-Wunused]\n"
                                   "case.cpp:40:2: error: no member\n");
  CHECK(lines == std::vector<unsigned>{12, 40});
}
