#include "oracle/ast.hpp"

#include <map>

namespace minrepro::ast {

std::vector<std::string> clang_flags(const std::vector<std::string>& in) {
  std::vector<std::string> out = {"-x", "c++"};
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& f = in[i];
    auto starts = [&](const char* p) { return f.rfind(p, 0) == 0; };
    if (starts("-std=") || starts("-D") || starts("-U") || starts("-I") || starts("-f") ||
        f == "-pthread" || starts("-m") || starts("-Werror=")) {
      out.push_back(f);
      bool takes_arg = (f == "-D" || f == "-U" || f == "-I");
      if (takes_arg && i + 1 < in.size()) out.push_back(in[++i]);
    } else if (f == "-include" || f == "-isystem" || f == "-iquote") {
      out.push_back(f);
      if (i + 1 < in.size()) out.push_back(in[++i]);
    }
  }
  return out;
}

Parser::Parser(std::vector<std::string> flags, bool detailed)
    : index_(clang_createIndex(0, 0)), flags_(std::move(flags)), detailed_(detailed) {}

Parser::~Parser() {
  if (tu_) clang_disposeTranslationUnit(tu_);
  clang_disposeIndex(index_);
}

CXTranslationUnit Parser::parse(const std::filesystem::path& path, const std::string& text) {
  text_ = text;
  CXUnsavedFile unsaved{nullptr, text_.data(), static_cast<unsigned long>(text_.size())};
  std::string p = path.string();
  unsaved.Filename = p.c_str();
  bool reparsed = false;
  if (tu_ && p == path_) {
    reparsed = clang_reparseTranslationUnit(tu_, 1, &unsaved, clang_defaultReparseOptions(tu_)) == 0;
    if (!reparsed) {
      ever_failed_ = true;
      clang_disposeTranslationUnit(tu_);
      tu_ = nullptr;
    }
  }
  if (!reparsed) {
    if (tu_) clang_disposeTranslationUnit(tu_);
    tu_ = nullptr;
    std::vector<const char*> args;
    for (auto& f : flags_) args.push_back(f.c_str());
    // Function bodies in the preamble (the standard headers) are skipped: most
    // of a reparse went into instantiating them for the main file's uses
    // (0.29 s -> 0.08 s per reparse of a corpus case). An error that only
    // shows inside such an instantiation is left to the compiler.
    unsigned opts = CXTranslationUnit_PrecompiledPreamble | CXTranslationUnit_CreatePreambleOnFirstParse |
                    CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_LimitSkipFunctionBodiesToPreamble |
                    CXTranslationUnit_KeepGoing;
    if (detailed_) opts |= CXTranslationUnit_DetailedPreprocessingRecord;
    if (clang_parseTranslationUnit2(index_, p.c_str(), args.data(), static_cast<int>(args.size()),
                                    &unsaved, 1, opts, &tu_) != CXError_Success) {
      tu_ = nullptr;
      ever_failed_ = true;
    }
    path_ = p;
  }
  errors_ = false;
  first_error_.clear();
  if (tu_) {
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu_); i < n; ++i) {
      CXDiagnostic d = clang_getDiagnostic(tu_, i);
      if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
        if (!errors_) {
          CXString s = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
          first_error_ = clang_getCString(s);
          clang_disposeString(s);
        }
        errors_ = true;
      }
      clang_disposeDiagnostic(d);
    }
  }
  return tu_;
}

void Parser::warm(const std::filesystem::path& path, const std::string& directives) {
  if (warmed_ == directives && tu_ && path.string() == path_) return;
  parse(path, directives + "int __minrepro_preamble_warm;\n");
  warmed_ = directives;
}

CXCursor peel(CXCursor c) {
  while (clang_getCursorKind(c) == CXCursor_UnexposedExpr) {
    CXCursor only = clang_getNullCursor();
    int n = 0;
    children(c, [&](CXCursor k) { ++n, only = k; });
    if (n != 1) break;
    c = only;
  }
  return c;
}

Parser& thread_parser(const std::vector<std::string>& compiler_flags, bool detailed) {
  thread_local std::map<std::pair<std::vector<std::string>, bool>, std::unique_ptr<Parser>> parsers;
  auto& p = parsers[{compiler_flags, detailed}];
  if (!p) p = std::make_unique<Parser>(clang_flags(compiler_flags), detailed);
  return *p;
}

namespace {
bool offset_in_main(CXSourceLocation loc, unsigned& offset) {
  if (!clang_Location_isFromMainFile(loc)) return false;
  CXFile file;
  unsigned line, col;
  clang_getExpansionLocation(loc, &file, &line, &col, &offset);
  return true;
}
}  // namespace

std::optional<Range> extent(CXCursor c) {
  CXSourceRange r = clang_getCursorExtent(c);
  Range out;
  if (!offset_in_main(clang_getRangeStart(r), out.begin) || !offset_in_main(clang_getRangeEnd(r), out.end))
    return std::nullopt;
  if (out.end < out.begin) return std::nullopt;
  return out;
}

std::vector<Range> macro_expansions(CXTranslationUnit tu) {
  std::vector<Range> out;
  children(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_MacroExpansion && in_main_file(c))
      if (auto r = extent(c)) out.push_back(*r);
  });
  return out;
}

namespace {
std::string take(CXString s) {
  std::string out = clang_getCString(s);
  clang_disposeString(s);
  return out;
}
}  // namespace

std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }

std::string type_spelling(CXType t) { return take(clang_getTypeSpelling(t)); }

bool in_main_file(CXCursor c) { return clang_Location_isFromMainFile(clang_getCursorLocation(c)); }

void children(CXCursor c, const std::function<void(CXCursor)>& f) {
  clang_visitChildren(
      c,
      [](CXCursor child, CXCursor, CXClientData data) {
        (*static_cast<const std::function<void(CXCursor)>*>(data))(child);
        return CXChildVisit_Continue;
      },
      const_cast<std::function<void(CXCursor)>*>(&f));
}

void visit_code(CXTranslationUnit tu, const std::function<void(CXCursor)>& f) {
  std::function<void(CXCursor, bool)> visit = [&](CXCursor c, bool in_code) {
    CXCursorKind k = clang_getCursorKind(c);
    in_code = in_code || k == CXCursor_CompoundStmt;
    if (in_code) f(c);
    children(c, [&](CXCursor kid) {
      bool initializer = k == CXCursor_Constructor && clang_isExpression(clang_getCursorKind(kid));
      visit(kid, in_code || initializer);
    });
  };
  children(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (in_main_file(c)) visit(c, false);
  });
}

bool overlaps_any(const std::vector<Range>& ranges, unsigned begin, unsigned end) {
  for (auto& m : ranges)
    if (m.begin < end && begin < m.end) return true;
  return false;
}

std::optional<Range> extent_outside(CXCursor c, const std::vector<Range>& macros) {
  auto r = extent(c);
  if (!r || r->empty() || overlaps_any(macros, r->begin, r->end)) return std::nullopt;
  return r;
}

CXCursor body_of(CXCursor function) {
  CXCursor body = clang_getNullCursor();
  children(function, [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt) body = c;
  });
  return body;
}

CXCursor find_main(CXTranslationUnit tu) {
  CXCursor found = clang_getNullCursor();
  children(clang_getTranslationUnitCursor(tu), [&](CXCursor c) {
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && in_main_file(c) &&
        clang_isCursorDefinition(c) && spelling(c) == "main")
      found = c;
  });
  return found;
}

}  // namespace minrepro::ast
