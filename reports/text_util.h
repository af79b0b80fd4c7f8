// Small text helpers shared by the report parser, template recognition and claim extraction.
// All are linear in their input and never throw on hostile bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cc::text {

// Line endings to "\n" (CRLF and lone CR, like Python's universal newlines), NUL bytes and invalid
// UTF-8 sequences to U+FFFD. Line numbers are unchanged.
std::string sanitise(std::string_view in);

// Cut to at most max_bytes on a UTF-8 code point boundary.
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);

// Words as Python's str.split() sees them (Unicode whitespace), like the course's report.py.
int python_word_count(std::string_view s);

// Matches of re.findall(r"\!\[.*?\]\(.*?\)", s) (the course's image count), computed per line.
int python_image_count(std::string_view s);

// Collapse runs of ASCII whitespace to one space and trim.
std::string collapse_ws(std::string_view s);

// Fingerprint normal form: ASCII lower case, every ASCII punctuation character and whitespace run
// becomes one space, trimmed. Non-ASCII kept as is.
std::string fingerprint_normal(std::string_view s);

uint64_t fnv1a64(std::string_view s);
std::string hex64(uint64_t v);  // 16 lower-case hex digits

// hex64(fnv1a64(fingerprint_normal(s)))
std::string fingerprint(std::string_view s);

std::string lower_ascii(std::string_view s);

}  // namespace cc::text
