// Glob patterns, one matcher for the dialects the probes read: Python's fnmatch (pytest's
// python_files, python_classes), Docker's .dockerignore and COPY sources (Go's filepath.Match),
// and pytest's testpaths (glob with "**"). Iterative, one backtrack point per star: time is at
// most len(pattern) * len(text), whatever a hostile pattern holds.
#pragma once

#include <string_view>

namespace cc {

struct GlobDialect {
  bool slash_bound = false;      // '*', '?' and classes never match '/'
  bool double_star = false;      // with slash_bound: "**" matches across '/'
  bool classes = true;           // [seq], [a-z], negated by '!'
  bool caret_negates = false;    // [^seq] negates as well
  bool escapes = false;          // "\x" matches x, in and out of classes
  bool bad_class_fails = false;  // an unclosed '[' fails the match (else it is a literal '[')
};

// Python's fnmatch.fnmatchcase: '*' and '?' match anything, '/' included.
inline constexpr GlobDialect kFnmatch{};
// Go's filepath.Match, as Docker uses it: separators bound every wildcard, escapes, [^...].
inline constexpr GlobDialect kDockerGlob{true, false, true, true, true, true};
// Python's glob with recursive=True, as pytest expands testpaths: "**" spans directories.
inline constexpr GlobDialect kPathGlob{true, true, false, false, false, false};

bool glob_match(std::string_view pattern, std::string_view text, const GlobDialect& dialect);

}  // namespace cc
