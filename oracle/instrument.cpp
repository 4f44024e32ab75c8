#include "oracle/instrument.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>

#include "oracle/ast.hpp"

namespace minrepro::oracle {
namespace {

struct Insertion {
  unsigned offset;
  std::string text;
};

bool is_nested_scope(CXCursorKind k) {
  switch (k) {
    case CXCursor_LambdaExpr: case CXCursor_ClassDecl: case CXCursor_StructDecl:
    case CXCursor_UnionDecl: case CXCursor_ClassTemplate: case CXCursor_BlockExpr:
      return true;
    default:
      return false;
  }
}

void collect_returns(CXCursor c, std::vector<Insertion>& out, int& count) {
  ast::children(c, [&](CXCursor child) {
    CXCursorKind k = clang_getCursorKind(child);
    if (is_nested_scope(k)) return;
    if (k == CXCursor_ReturnStmt) {
      CXCursor value = clang_getNullCursor();
      ast::children(child, [&](CXCursor v) { value = v; });
      auto r = clang_Cursor_isNull(value) ? std::nullopt : ast::extent(value);
      if (r && !r->empty()) {
        out.push_back({r->begin, "__repro_main_end("});
        out.push_back({r->end, ")"});
        ++count;
      }
      return;
    }
    collect_returns(child, out, count);
  });
}

Instrumented instrument_here(const std::string& text, const std::filesystem::path& path,
                             const std::vector<std::string>& compiler_flags) {
  Instrumented out;
  std::vector<Insertion> ins;
  ast::Parser& parser = ast::thread_parser(compiler_flags);
  CXTranslationUnit tu = parser.parse(path, text);
  out.parse_errors = !tu || parser.had_errors();
  out.first_error = tu ? parser.first_error() : "libclang could not parse the file";
  if (tu) {
    CXCursor main_fn = ast::find_main(tu);
    if (!clang_Cursor_isNull(main_fn)) {
      CXCursor body = ast::body_of(main_fn);
      auto r = clang_Cursor_isNull(body) ? std::nullopt : ast::extent(body);
      if (r && r->end > r->begin && r->end <= text.size() && text[r->end - 1] == '}') {
        out.found_main = true;
        collect_returns(body, ins, out.returns);
        ins.push_back({r->end - 1, "__repro_main_end_void();"});
      }
    }
  }
  std::stable_sort(ins.begin(), ins.end(),
                   [](const Insertion& a, const Insertion& b) { return a.offset > b.offset; });
  std::string body = text;
  for (auto& i : ins) body.insert(i.offset, i.text);
  std::string name = path.filename().string();
  out.text = "extern \"C\" int __repro_main_end(int) noexcept;\n"
             "extern \"C\" void __repro_main_end_void() noexcept;\n"
             "#line 1 \"" + name + "\"\n" + body;
  return out;
}

// Where the leading block of directives and comments ends: the part libclang
// keeps in its precompiled preamble.
size_t preamble_end(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.compare(i, 2, "//") == 0) {
      i = text.find('\n', i);
      if (i == std::string::npos) return text.size();
    } else if (text.compare(i, 2, "/*") == 0) {
      size_t e = text.find("*/", i + 2);
      if (e == std::string::npos) return text.size();
      i = e + 2;
    } else if (text[i] == '#') {
      while (i < text.size() && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
    } else {
      break;
    }
  }
  return std::min(i, text.size());
}

// Instrumented as bytes through a pipe: three numbers, then the two strings.
std::string serialize(const Instrumented& r) {
  std::string out = std::to_string(r.found_main) + " " + std::to_string(r.returns) + " " + std::to_string(r.parse_errors) +
                    " " + std::to_string(r.text.size()) + " " + std::to_string(r.first_error.size()) + "\n";
  return out + r.text + r.first_error;
}

std::optional<Instrumented> deserialize(const std::string& s) {
  Instrumented r;
  int found = 0, errors = 0;
  size_t text = 0, error = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%d %d %d %zu %zu\n%n", &found, &r.returns, &errors, &text, &error, &used) != 5 ||
      s.size() != used + text + error)
    return std::nullopt;
  r.found_main = found, r.parse_errors = errors;
  r.text = s.substr(used, text);
  r.first_error = s.substr(used + text, error);
  return r;
}

}  // namespace

// libclang can crash on broken code (a `template <...>` header left in front
// of a destructor is one) and, crash recovery or not, leave the heap
// corrupted: the reducer then dies. So a candidate is parsed in a forked copy
// of this process, which sends the result back through a pipe. The calling
// thread's parser first parses the candidate's directive block alone (headers
// only: safe), so the copy finds the precompiled preamble ready. A copy that
// crashes, or takes longer than 30 s, leaves a candidate that fails to parse.
Instrumented instrument_main_end(const std::string& text, const std::filesystem::path& path,
                                 const std::vector<std::string>& compiler_flags) {
  ast::Parser& parser = ast::thread_parser(compiler_flags);
  parser.warm(path, text.substr(0, preamble_end(text)));
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return instrument_here(text, path, compiler_flags);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    return instrument_here(text, path, compiler_flags);
  }
  if (pid == 0) {
    close(fds[0]);
    int null = open("/dev/null", O_WRONLY);  // libclang's crash report is not the user's business
    if (null >= 0) dup2(null, STDOUT_FILENO), dup2(null, STDERR_FILENO);
    std::string s = serialize(instrument_here(text, path, compiler_flags));
    for (size_t done = 0; done < s.size();) {
      ssize_t n = write(fds[1], s.data() + done, s.size() - done);
      if (n <= 0) _exit(1);
      done += size_t(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (char buf[65536];;) {
    int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    pollfd p{fds[0], POLLIN, 0};
    if (left <= 0 || poll(&p, 1, left) <= 0) break;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, size_t(n));
  }
  close(fds[0]);
  kill(pid, SIGKILL);  // when it is stuck; a no-op for a zombie
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  auto r = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? deserialize(got) : std::nullopt;
  if (r) return *r;
  Instrumented crashed;
  crashed.parse_errors = crashed.crashed = true;
  crashed.first_error = "libclang crashed parsing it";
  return crashed;
}

}  // namespace minrepro::oracle
