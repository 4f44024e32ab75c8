#include "oracle/instrument.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <list>
#include <memory>
#include <optional>

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

Instrumented instrument_here(ast::Parser& parser, const std::string& text, const std::filesystem::path& path) {
  Instrumented out;
  std::vector<Insertion> ins;
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

using Deadline = std::chrono::steady_clock::time_point;

// Waits until `fd` is ready for `events`: until `deadline`, or as long as it
// takes without one.
bool ready(int fd, short events, std::optional<Deadline> deadline) {
  int left = -1;
  if (deadline) {
    left = int(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) return false;
  }
  pollfd p{fd, events, 0};
  return poll(&p, 1, left) > 0;
}

// Moves all of `data` through `fd` before `deadline` (a nonblocking fd; a
// blocking one may be written without a deadline).
bool write_all(int fd, const std::string& data, std::optional<Deadline> deadline) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += size_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN || !ready(fd, POLLOUT, deadline)) return false;
  }
  return true;
}

// Reads one message ("SIZE\n" then SIZE bytes) from `fd` before `deadline`;
// a blocking fd is read with no deadline.
std::optional<std::string> read_message(int fd, std::optional<Deadline> deadline) {
  std::string got;
  size_t size = 0, header = std::string::npos;
  for (char buf[65536];;) {
    if (header != std::string::npos && got.size() >= header + 1 + size) return got.substr(header + 1, size);
    if (deadline && !ready(fd, POLLIN, deadline)) return std::nullopt;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return std::nullopt;
    got.append(buf, size_t(n));
    if (header == std::string::npos && (header = got.find('\n')) != std::string::npos &&
        std::sscanf(got.c_str(), "%zu", &size) != 1)
      return std::nullopt;
  }
}

std::string message(const std::string& payload) { return std::to_string(payload.size()) + "\n" + payload; }

// The worker's loop: one candidate in, its Instrumented out, until EOF. After
// a parse libclang gave up on (it may have crashed and recovered with a
// corrupted heap) the answer says so and the worker ends. One parser for each
// of the four most recent directive blocks: a candidate without one header
// (includes, lines) rebuilds a precompiled preamble (0.3-1 s), and the
// current block's stays ready for the candidates of the other passes.
constexpr size_t kParsers = 4;

[[noreturn]] void serve(int in, int out, const std::filesystem::path& path, const std::vector<std::string>& flags) {
  std::list<std::pair<std::string, std::unique_ptr<ast::Parser>>> parsers;  // most recently used first
  for (;;) {
    auto text = read_message(in, std::nullopt);
    if (!text) _exit(0);
    std::string directives = text->substr(0, preamble_end(*text));
    auto it = std::find_if(parsers.begin(), parsers.end(), [&](auto& p) { return p.first == directives; });
    if (it == parsers.end()) {
      if (parsers.size() == kParsers) parsers.pop_back();
      it = parsers.emplace(parsers.begin(), directives, std::make_unique<ast::Parser>(ast::clang_flags(flags)));
    }
    parsers.splice(parsers.begin(), parsers, it);
    ast::Parser& parser = *it->second;
    parser.warm(path, directives);
    Instrumented r = instrument_here(parser, *text, path);
    bool last = parser.ever_failed();
    if (!write_all(out, message(std::string(last ? "1" : "0") + serialize(r)), std::nullopt) || last) _exit(0);
  }
}

// libclang can crash on broken code (a `template <...>` header left in front
// of a destructor is one) and, crash recovery or not, leave the heap
// corrupted: the reducer then dies. So candidates are parsed in a worker: a
// forked copy of this process, one per calling thread, that keeps its parser
// (and the precompiled preamble of the candidates' directive block) from one
// candidate to the next. A fork per candidate cost 45-80 ms more per parse
// than the reparse itself (copying the page tables, then copy-on-write
// faults as the reparse frees the old AST). The worker holds no file of this
// process but its two pipes (a candidate's output pipe held open by it would
// never reach EOF), dies with its thread, and is replaced after a crash, a
// parse libclang gave up on, or an answer that took longer than 30 s.
// libclang writes each precompiled preamble to $TMPDIR/preamble-*.pch (4-7 MB
// for a case with standard headers) and removes it only when its parser is
// disposed, which a killed worker never does: each worker gets its own
// TMPDIR beside the parsed file's path, removed when it stops (before this,
// a day of benchmarks left 36 GB of preambles in /tmp).
class ParseWorker {
 public:
  ParseWorker() = default;
  ParseWorker(const ParseWorker&) = delete;
  ParseWorker& operator=(const ParseWorker&) = delete;
  ~ParseWorker() { stop(); }

  // nullopt when the worker failed to answer, or (`started` false) none
  // could be started.
  std::optional<Instrumented> ask(const std::string& text, const std::filesystem::path& path,
                                  const std::vector<std::string>& flags, bool& started) {
    std::string key = path.string();
    for (auto& f : flags) key += '\0' + f;
    if (pid_ > 0 && key != key_) stop();
    if (!(started = pid_ > 0 || start(path, flags))) return std::nullopt;
    key_ = key;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto reply = write_all(to_, message(text), deadline) ? read_message(from_, deadline) : std::nullopt;
    auto r = reply && !reply->empty() ? deserialize(reply->substr(1)) : std::nullopt;
    if (!r || (*reply)[0] != '0') stop();
    return r;
  }

 private:
  bool start(const std::filesystem::path& path, const std::vector<std::string>& flags) {
    int req[2], resp[2];
    if (pipe2(req, O_CLOEXEC) != 0) return false;
    if (pipe2(resp, O_CLOEXEC) != 0) {
      close(req[0]), close(req[1]);
      return false;
    }
    std::string tmp = (path.parent_path() / "parse-tmp-XXXXXX").string();
    if (!mkdtemp(tmp.data())) tmp.clear();  // then libclang's default, as in this process
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the thread that started it
      if (getppid() != parent) _exit(0);
      // Nothing in this tool sets the environment from a thread, so its lock is free.
      if (!tmp.empty()) setenv("TMPDIR", tmp.c_str(), 1);
      int null = open("/dev/null", O_RDWR);  // libclang's crash report is not the user's business
      int in = fcntl(req[0], F_DUPFD, 100), out = fcntl(resp[1], F_DUPFD, 100);
      if (null < 0 || in < 0 || out < 0) _exit(1);
      dup2(null, STDIN_FILENO), dup2(null, STDOUT_FILENO), dup2(null, STDERR_FILENO);
      dup2(in, 3), dup2(out, 4);
      close_range(5, ~0U, 0);
      serve(3, 4, path, flags);
    }
    close(req[0]), close(resp[1]);
    tmp_ = tmp;
    if (pid < 0) {
      close(req[1]), close(resp[0]);
      remove_tmp();
      return false;
    }
    pid_ = pid, to_ = req[1], from_ = resp[0];
    fcntl(to_, F_SETFL, O_NONBLOCK);
    return true;
  }

  void stop() {
    if (pid_ <= 0) return;
    close(to_), close(from_);
    kill(pid_, SIGKILL);  // stuck or not: its parser state is not worth waiting for
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    remove_tmp();
  }

  void remove_tmp() {
    std::error_code ec;
    if (!tmp_.empty()) std::filesystem::remove_all(tmp_, ec);
    tmp_.clear();
  }

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string key_;
  std::string tmp_;  // the worker's TMPDIR
};

}  // namespace

Instrumented instrument_main_end(const std::string& text, const std::filesystem::path& path,
                                 const std::vector<std::string>& compiler_flags) {
  thread_local ParseWorker worker;
  bool started = false;
  if (auto r = worker.ask(text, path, compiler_flags, started)) return *r;
  if (!started) {  // no process to spare: parse here, at the crash risk above
    ast::Parser& parser = ast::thread_parser(compiler_flags);
    parser.warm(path, text.substr(0, preamble_end(text)));
    return instrument_here(parser, text, path);
  }
  Instrumented crashed;
  crashed.parse_errors = crashed.crashed = true;
  crashed.first_error = "libclang crashed parsing it";
  return crashed;
}

}  // namespace minrepro::oracle
