// The project's token rule, shared by the text passes and the statistics:
// how text splits into tokens, and how to cut text without gluing tokens.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "reducer/pass.hpp"

namespace minrepro::reducer {

struct Token {
  unsigned begin = 0, end = 0;  // [begin, end) in the text
  bool directive = false;       // on a preprocessor directive line
};

// Lexes like a C++ preprocessor, without expanding anything: identifiers,
// pp-numbers (with digit separators and exponents), string and character
// literals (prefixes, escapes, raw strings, user-defined suffixes), and
// punctuators by longest match (`::`, `->`, `<<=`, `<=>`, `...`). Comments
// and whitespace are not tokens. A directive line (from a '#' that starts a
// line to the next unescaped newline) is lexed with the same rules, its tokens
// marked `directive`; the header name after #include is one token, so
// `#include <vector>` is three tokens: `#`, `include`, `<vector>`.
std::vector<Token> tokenize(const std::string& text);

// The documented token count: tokenize(text).size(). Comments do not count;
// directive lines count by their tokens, as above.
size_t count_tokens(const std::string& text);

// `text` without its comments: a `//` comment goes up to its newline, a `/* */`
// comment becomes its newlines, or one space when it has none (so that the
// tokens on either side do not fuse). Tokens and other whitespace are kept.
std::string strip_comments(const std::string& text);

// An edit removing [begin, end), replaced by one space when the characters on
// either side would otherwise fuse into one token (`a b` or `- -`).
Edit cut(const std::string& text, unsigned begin, unsigned end);

// An edit removing the item [begin, end) of a comma-separated list, judged by
// the text around it: with the comma before it, else with the comma after it,
// else (the only item) alone between its brackets, or together with a ':'
// opener (base clauses, constructor initializers). Nullopt when the
// neighbours are not what a list looks like (comments, macros).
std::optional<Edit> cut_list_item(const std::string& text, unsigned begin, unsigned end);

}  // namespace minrepro::reducer
