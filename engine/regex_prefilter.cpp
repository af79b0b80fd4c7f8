#include "engine/regex_prefilter.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace cc {

namespace {

using Set = std::vector<std::string>;  // the text holds one of these
using Sets = std::vector<Set>;         // the text satisfies all of these

constexpr std::size_t kMaxSets = 3;          // checked per text: the most selective ones
constexpr std::size_t kMaxAlternatives = 16;  // a longer alternation adds no condition
constexpr int kMaxDepth = 64;                 // nested groups read (the rest: no condition)

struct Unsure {};  // syntax this reader does not follow: the pattern gets no condition

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::size_t shortest(const Set& s) {
  std::size_t n = s.empty() ? 0 : s[0].size();
  for (const auto& l : s) n = std::min(n, l.size());
  return n;
}

// The set that says most: the longest shortest literal, then the fewest literals.
bool says_more(const Set& a, const Set& b) {
  if (shortest(a) != shortest(b)) return shortest(a) > shortest(b);
  return a.size() < b.size();
}

const Set& best_of(const Sets& sets) { return *std::min_element(sets.begin(), sets.end(), says_more); }

class Reader {
 public:
  Reader(std::string_view p, bool icase) : p_(p), icase_(icase) {}

  Sets read() {
    Sets s = alternation();
    if (i_ != p_.size()) throw Unsure{};  // a ')' with no '('
    return s;
  }

 private:
  enum class Kind { literal, group, other };
  struct Atom {
    Kind kind = Kind::other;
    char c = 0;
    Sets sets;  // a group's
  };
  enum class Repeat { once, optional, at_least_once };

  bool more() const { return i_ < p_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < p_.size() ? p_[i_ + ahead] : '\0'; }

  Sets alternation() {
    std::vector<Sets> branches{sequence()};
    while (more() && peek() == '|') {
      ++i_;
      branches.push_back(sequence());
    }
    if (branches.size() == 1) return std::move(branches[0]);
    if (branches.size() > kMaxAlternatives) return {};
    // One literal of some branch's condition is in any text a branch matches.
    Set any;
    for (const Sets& b : branches) {
      if (b.empty()) return {};  // a branch that needs nothing: the alternation needs nothing
      const Set& best = best_of(b);
      any.insert(any.end(), best.begin(), best.end());
    }
    std::sort(any.begin(), any.end());
    any.erase(std::unique(any.begin(), any.end()), any.end());
    return {any};
  }

  Sets sequence() {
    Sets out;
    std::string run;  // adjacent required literal characters
    auto flush = [&] {
      if (!run.empty()) out.push_back({run});
      run.clear();
    };
    while (more() && peek() != '|' && peek() != ')') {
      Atom a = atom();
      const Repeat r = repeat();
      if (a.kind == Kind::literal && r != Repeat::optional) {
        run += a.c;
        if (r == Repeat::at_least_once) flush();  // "ab+c": "ab" and "c" are there, "abc" may not be
        continue;
      }
      flush();
      if (a.kind == Kind::group && r != Repeat::optional)
        out.insert(out.end(), std::make_move_iterator(a.sets.begin()), std::make_move_iterator(a.sets.end()));
    }
    flush();
    return out;
  }

  Atom atom() {
    const char c = peek();
    if (c == '(') return group();
    Atom other;
    if (c == '[') {
      skip_class();
      return other;
    }
    if (c == '\\') return escape();
    if (c == '.' || c == '^' || c == '$') {
      ++i_;
      return other;
    }
    // A repeat with nothing to repeat, or a brace RE2 may read as a literal: not followed here.
    if (c == '*' || c == '+' || c == '?' || c == '{' || c == '}') throw Unsure{};
    if (static_cast<unsigned char>(c) >= 0x80) {  // a UTF-8 sequence: one atom, not kept
      ++i_;
      while (more() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) ++i_;
      return other;
    }
    ++i_;
    Atom lit;
    lit.kind = Kind::literal;
    lit.c = icase_ ? lower(c) : c;
    return lit;
  }

  Atom group() {
    ++i_;  // '('
    if (peek() == '?') {
      if (peek(1) == ':') {
        i_ += 2;
      } else if ((peek(1) == 'P' && peek(2) == '<') || peek(1) == '<') {
        const std::size_t end = p_.find('>', i_);
        if (end == std::string_view::npos) throw Unsure{};
        i_ = end + 1;
      } else {
        // Flags. s (. matches \n), m (^ $ at lines) and U (lazy repeats) leave the literals
        // as they are; i changes them, and anything else is not followed.
        std::size_t j = i_ + 1;
        while (j < p_.size() && (p_[j] == 's' || p_[j] == 'm' || p_[j] == 'U' || p_[j] == '-')) ++j;
        if (j >= p_.size() || (p_[j] != ':' && p_[j] != ')')) throw Unsure{};
        i_ = j + 1;
        if (p_[j] == ')') {  // (?s): no atom, and changes nothing read here
          // RE2 applies a repeat after it to the atom before: "ab(?s)?" is "ab?".
          if (more() && std::string_view("?*+{").find(peek()) != std::string_view::npos) throw Unsure{};
          return Atom{};
        }
      }
    }
    if (++depth_ > kMaxDepth) throw Unsure{};
    Atom g;
    g.kind = Kind::group;
    g.sets = alternation();
    --depth_;
    if (peek() != ')') throw Unsure{};
    ++i_;
    return g;
  }

  Atom escape() {
    ++i_;  // '\'
    if (!more()) throw Unsure{};
    const char c = p_[i_++];
    Atom other;
    if (static_cast<unsigned char>(c) >= 0x80) throw Unsure{};
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (c == 'Q' || c == 'E') throw Unsure{};
      if (c == 'p' || c == 'P' || c == 'x') {
        if (peek() == '{') skip_past('}');
        else i_ += (c == 'x' ? 2 : 1);
        if (i_ > p_.size()) throw Unsure{};
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_;
      }
      return other;  // \d \w \s \b \n \x41 \pL ...: a class, an assertion or a character not kept
    }
    Atom lit;  // an escaped punctuation character: itself
    lit.kind = Kind::literal;
    lit.c = c;
    return lit;
  }

  Repeat repeat() {
    Repeat r = Repeat::once;
    const char c = peek();
    if (c == '?' || c == '*') {
      ++i_;
      r = Repeat::optional;
    } else if (c == '+') {
      ++i_;
      r = Repeat::at_least_once;
    } else if (c == '{') {
      // {n} {n,} {n,m}; anything else RE2 reads as a literal '{', which atom() refuses.
      std::size_t j = i_ + 1, digits = 0;
      long n = 0;
      while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])) && digits < 6)
        n = n * 10 + (p_[j++] - '0'), ++digits;
      if (digits == 0) return r;
      if (j < p_.size() && p_[j] == ',') {
        ++j;
        while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j]))) ++j;
      }
      if (j >= p_.size() || p_[j] != '}') return r;
      i_ = j + 1;
      r = n == 0 ? Repeat::optional : Repeat::at_least_once;
    } else {
      return r;
    }
    if (peek() == '?') ++i_;  // non-greedy
    return r;
  }

  void skip_class() {
    ++i_;  // '['
    if (peek() == '^') ++i_;
    if (peek() == ']') ++i_;  // a first ']' is a member
    while (more()) {
      const char c = p_[i_];
      if (c == '\\') {
        ++i_;
        const char e = peek();
        ++i_;
        if ((e == 'p' || e == 'P' || e == 'x') && peek() == '{') skip_past('}');
        continue;
      }
      if (c == '[' && peek(1) == ':') {  // [:alpha:]
        const std::size_t end = p_.find(":]", i_ + 2);
        if (end == std::string_view::npos) throw Unsure{};
        i_ = end + 2;
        continue;
      }
      ++i_;
      if (c == ']') return;
    }
    throw Unsure{};
  }

  void skip_past(char close) {
    const std::size_t end = p_.find(close, i_);
    if (end == std::string_view::npos) throw Unsure{};
    i_ = end + 1;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool icase_;
  int depth_ = 0;
};

// `text` with ASCII letters in lower case, in this thread's buffer (valid until the next call):
// eight bytes at a time, for several literals to be searched in it as memchr does.
std::string_view folded_view(std::string_view text) {
  thread_local std::string buf;
  if (buf.size() < text.size()) buf.resize(text.size());  // grown, never shrunk: no refill
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    const std::uint64_t low7 = w & ~highs;
    const std::uint64_t above_z = low7 + (0x7f - 'Z') * ones;  // high bit: byte & 0x7f > 'Z'
    const std::uint64_t from_a = low7 + (0x80 - 'A') * ones;   // high bit: byte & 0x7f >= 'A'
    const std::uint64_t upper = (from_a & ~above_z) & ~w & highs;  // ASCII and in A..Z
    w |= upper >> 2;                                              // 0x80 >> 2: the 0x20 bit
    std::memcpy(&buf[i], &w, 8);
  }
  for (; i < text.size(); ++i) buf[i] = lower(text[i]);
  return std::string_view(buf.data(), text.size());
}

bool same(std::string_view text, std::size_t at, std::string_view lit, bool icase) {
  if (at + lit.size() > text.size()) return false;
  if (!icase) return text.compare(at, lit.size(), lit) == 0;
  for (std::size_t k = 0; k < lit.size(); ++k)
    if (lower(text[at + k]) != lit[k]) return false;
  return true;
}

// How rare a byte of a literal is, for the one a search stops at (higher: rarer).
int rarity(char c) {
  static constexpr std::string_view kByFrequency = "etaoinsrhldcumfpgwybvkxjqz";  // English letters
  if (const auto i = kByFrequency.find(c); i != std::string_view::npos) return int(i);
  if (c == ' ' || c == '_' || c == '.' || c == '-' || c == '/' || c == '"' || c == '\'') return 0;
  return 30;  // digits and the other punctuation
}

// Whether `lit` (ASCII letters in lower case) is in `text` ignoring ASCII case, without a folded
// copy: its rarest byte, in either case, is found by memchr and the literal compared there (a
// secret detector's "(?i)wandb" asks about whole files).
bool contains_folded(std::string_view text, std::string_view lit) {
  if (lit.empty()) return true;
  if (lit.size() > text.size()) return false;
  std::size_t a = 0;
  for (std::size_t k = 1; k < lit.size(); ++k)
    if (rarity(lit[k]) > rarity(lit[a])) a = k;
  const char lo = lit[a], up = lo >= 'a' && lo <= 'z' ? char(lo - 'a' + 'A') : lo;
  const char* const p = text.data();
  const char* const end = p + (text.size() - lit.size() + a + 1);  // past the last anchor position
  auto next = [&](const char* from, char c) -> const char* {
    return from < end ? static_cast<const char*>(std::memchr(from, c, std::size_t(end - from))) : nullptr;
  };
  const char* x = next(p + a, lo);
  const char* y = lo == up ? nullptr : next(p + a, up);
  while (x || y) {
    const char* h = !y || (x && x < y) ? x : y;
    if (same(text, std::size_t(h - p) - a, lit, true)) return true;
    if (h == x) x = next(x + 1, lo);
    else y = next(y + 1, up);
  }
  return false;
}

// Where to look for `literals` literals (in lower case under icase), and whether that search
// still ignores case: a text folded once when several are looked for in it, else the text as it
// is, each literal then found by its rarest byte (contains_folded). Folding costs about two
// instructions a byte, a search by the rarest byte a few dozen plus the places that byte is
// (measured with callgrind on the mirrors).
struct Haystack {
  std::string_view text;
  bool icase;
};
Haystack haystack(std::string_view text, bool icase, std::size_t literals) {
  if (icase && (literals >= 3 || (literals == 2 && text.size() < 256))) return {folded_view(text), false};
  return {text, icase};
}

bool holds(std::string_view text, const std::string& lit, bool icase) {
  return icase ? contains_folded(text, lit) : text.find(lit) != std::string_view::npos;
}

// One character of a plain string at p[i]: itself, or an escaped ASCII punctuation character.
bool plain_char(std::string_view p, std::size_t& i, bool icase, std::string& out) {
  const char c = p[i];
  if (c == '\\') {
    if (i + 1 >= p.size()) return false;
    const char e = p[i + 1];
    if (static_cast<unsigned char>(e) >= 0x80 || std::isalnum(static_cast<unsigned char>(e))) return false;
    out += e;
    i += 2;
    return true;
  }
  if (static_cast<unsigned char>(c) >= 0x80 || std::string_view("^$.|?*+()[]{}").find(c) != std::string_view::npos)
    return false;
  out += icase ? lower(c) : c;
  ++i;
  return true;
}

}  // namespace

bool folds_case(std::string_view& pattern, bool case_insensitive) {
  if (pattern.substr(0, 4) != "(?i)") return case_insensitive;
  pattern.remove_prefix(4);
  return true;
}

std::optional<LiteralPattern> LiteralPattern::of(std::string_view p, bool case_insensitive) {
  LiteralPattern lp;
  lp.icase_ = case_insensitive = folds_case(p, case_insensitive);
  std::size_t i = 0;
  if (i < p.size() && p[i] == '^') lp.at_start_ = true, ++i;
  if (i < p.size() && p[i] == '(') {  // (a|b|c), (?:a|b), (?P<name>a|b), then ? or ??
    ++i;
    if (p.substr(i, 2) == "?:") {
      i += 2;
    } else if (p.substr(i, 3) == "?P<") {
      const std::size_t end = p.find('>', i);
      if (end == std::string_view::npos) return std::nullopt;
      i = end + 1;
    }
    std::string cur;
    for (;;) {
      if (i >= p.size()) return std::nullopt;
      if (p[i] == ')') break;
      if (p[i] == '|') {
        lp.choices_.push_back(std::move(cur));
        cur.clear();
        ++i;
      } else if (!plain_char(p, i, case_insensitive, cur)) {
        return std::nullopt;
      }
    }
    lp.choices_.push_back(std::move(cur));
    ++i;  // ')'
    if (i < p.size() && p[i] == '?') {
      lp.choices_.emplace_back();  // the group may match nothing
      ++i;
      if (i < p.size() && p[i] == '?') ++i;  // non-greedy: the same texts match
    }
  } else {
    std::string cur;
    while (i < p.size() && p[i] != '$')
      if (!plain_char(p, i, case_insensitive, cur)) return std::nullopt;
    if (cur.empty()) return std::nullopt;
    lp.choices_.push_back(std::move(cur));
  }
  if (i < p.size() && p[i] == '$') lp.at_end_ = true, ++i;
  if (i != p.size()) return std::nullopt;
  return lp;
}

bool LiteralPattern::matches(std::string_view text) const {
  // An anchored choice is compared at one place only: the text is never folded for it.
  const Haystack h = haystack(text, icase_, at_start_ || at_end_ ? 1 : choices_.size());
  const std::string_view in = h.text;
  const bool icase = h.icase;
  for (const std::string& c : choices_) {
    if (at_start_ && at_end_) {
      if (c.size() == in.size() && same(in, 0, c, icase)) return true;
    } else if (at_start_) {
      if (same(in, 0, c, icase)) return true;
    } else if (at_end_) {
      if (c.size() <= in.size() && same(in, in.size() - c.size(), c, icase)) return true;
    } else if (c.empty() || holds(in, c, icase)) {
      return true;
    }
  }
  return false;
}

RequiredLiterals RequiredLiterals::of(std::string_view pattern, bool case_insensitive) {
  RequiredLiterals r;
  r.icase_ = case_insensitive = folds_case(pattern, case_insensitive);
  Sets sets;
  try {
    sets = Reader(pattern, case_insensitive).read();
  } catch (const Unsure&) {
    return r;
  }
  // A one-character literal rules out too few texts to be worth a look.
  sets.erase(std::remove_if(sets.begin(), sets.end(), [](const Set& s) { return shortest(s) < 2; }), sets.end());
  std::stable_sort(sets.begin(), sets.end(), says_more);
  if (sets.size() > kMaxSets) sets.resize(kMaxSets);
  r.sets_ = std::move(sets);
  return r;
}

bool RequiredLiterals::may_match(std::string_view text) const {
  if (sets_.empty()) return true;
  std::size_t literals = 0;
  for (const Set& s : sets_) literals += s.size();
  const Haystack h = haystack(text, icase_, literals);
  for (const Set& s : sets_)
    if (std::none_of(s.begin(), s.end(), [&](const std::string& l) { return holds(h.text, l, h.icase); })) return false;
  return true;
}

}  // namespace cc
