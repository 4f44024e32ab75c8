#include "oracle/instrument.hpp"

#include <algorithm>
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

}  // namespace

Instrumented instrument_main_end(const std::string& text, const std::filesystem::path& path,
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

}  // namespace minrepro::oracle
