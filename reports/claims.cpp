#include "reports/claims.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <cstdio>
#include <vector>

#include "reports/text_util.h"

namespace cc {

namespace {

constexpr size_t kMaxQuote = 300;
constexpr size_t kMaxDigits = 15;

struct Token {
  std::string w;     // lower-case word, digits, or a one-character symbol
  size_t b = 0, e = 0;  // byte range in the cleaned text
  bool digits = false;
};

// Markup that must not split or hide numbers: emphasis, code ticks, HTML tags, dashes and signs.
std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '*' || c == '`') continue;
    if (c == '_' && (i == 0 || i + 1 == s.size() || !std::isalnum(static_cast<unsigned char>(s[i - 1])) ||
                     !std::isalnum(static_cast<unsigned char>(s[i + 1]))))
      continue;  // emphasis underscore (test_data.py keeps its own)
    if (c == '<' && i + 1 < s.size() &&
        (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' || s[i + 1] == '!')) {
      // An HTML tag such as <br> or <img ...> becomes a space (searched within 512 bytes: linear).
      size_t close = s.substr(i, 512).find('>');
      if (close != std::string_view::npos) {
        out.push_back(' ');
        i += close;
        continue;
      }
    }
    // En dash, em dash, minus sign -> '-'; approximately-equal sign -> '~'.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size()) {
      auto c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
      if (c1 == 0x80 && (c2 == 0x93 || c2 == 0x94)) { out.push_back('-'); i += 2; continue; }
      if (c1 == 0x88 && c2 == 0x92) { out.push_back('-'); i += 2; continue; }
      if (c1 == 0x89 && c2 == 0x88) { out.push_back('~'); i += 2; continue; }
    }
    out.push_back(c);
  }
  return out;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> toks;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c)) {
      size_t b = i;
      std::string digits;
      while (i < s.size()) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) digits.push_back(s[i++]);
        else if (s[i] == ',' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
                 std::isdigit(static_cast<unsigned char>(s[i + 3])) &&
                 (i + 4 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 4]))))
          ++i;  // thousands separator "1,200"
        else break;
      }
      // Letters glued to digits ("45tests", "3rd") end the number token; "3rd" etc. stay separate.
      toks.push_back({digits, b, i, true});
    } else if (std::isalpha(c) || c >= 0x80) {
      size_t b = i;
      while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) ||
                              static_cast<unsigned char>(s[i]) >= 0x80))
        ++i;
      toks.push_back({text::lower_ascii(s.substr(b, i - b)), b, i, false});
    } else if (c == '~' || c == '+' || c == '-' || c == ':' || c == '=' || c == '.' || c == '!' || c == '?' ||
               c == '\n' || c == ';' || c == '(' || c == ')' || c == ',' || c == '%') {
      toks.push_back({std::string(1, static_cast<char>(c)), i, i + 1, false});
      ++i;
    } else {
      ++i;
    }
  }
  return toks;
}

const std::map<std::string, long long>& small_numbers() {
  static const std::map<std::string, long long> m = {
      {"zero", 0},     {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},
      {"five", 5},     {"six", 6},        {"seven", 7},      {"eight", 8},     {"nine", 9},
      {"ten", 10},     {"eleven", 11},    {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
      {"fifteen", 15}, {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},    {"forty", 40},     {"fourty", 40},   {"fifty", 50},
      {"sixty", 60},   {"seventy", 70},   {"eighty", 80},    {"ninety", 90}};
  return m;
}

struct Number {
  bool ok = false;
  bool huge = false;
  size_t digits = 0;
  long long value = 0;
  size_t first = 0, last = 0;  // token range [first, last)
  bool plus = false;           // "45+"
};

// A number starting at token i: digits, number words, "a dozen", "a hundred".
Number read_number(const std::vector<Token>& t, size_t i) {
  Number n;
  if (i >= t.size()) return n;
  if (t[i].digits) {
    n.first = i;
    n.last = i + 1;
    n.digits = t[i].w.size();
    // Leading zeros do not make a number huge.
    size_t nz = t[i].w.find_first_not_of('0');
    size_t significant = nz == std::string::npos ? 1 : t[i].w.size() - nz;
    if (significant > kMaxDigits) {
      n.ok = true;
      n.huge = true;
      return n;
    }
    n.value = std::stoll(t[i].w);
    n.ok = true;
    // A decimal ("4.5") or a version ("3.11") is not a count.
    if (i + 2 < t.size() && t[i + 1].w == "." && t[i + 2].digits && t[i + 1].b == t[i].e &&
        t[i + 2].b == t[i + 1].e) {
      n.ok = false;
      return n;
    }
    if (i + 1 < t.size() && t[i + 1].w == "+" && t[i + 1].b == t[i].e) {
      n.plus = true;
      n.last = i + 2;
    }
    return n;
  }
  const auto& words = small_numbers();
  size_t j = i;
  long long value = 0;
  bool any = false;
  if (t[j].w == "a" || t[j].w == "an") {
    if (j + 1 < t.size() && t[j + 1].w == "dozen") {
      n = Number{true, false, 0, 12, i, j + 2, false};
      return n;
    }
    if (j + 1 < t.size() && t[j + 1].w == "single") {  // "a single test"
      n = Number{true, false, 0, 1, i, j + 2, false};
      return n;
    }
    if (j + 1 < t.size() && (t[j + 1].w == "hundred" || t[j + 1].w == "thousand")) {
      value = t[j + 1].w == "hundred" ? 100 : 1000;
      j += 2;
      any = true;
    } else {
      return n;
    }
  } else if (t[j].w == "dozen") {
    return n;
  }
  // [tens][-][units] [hundred [and] [tens][-][units]]
  auto read_below_100 = [&](size_t& k, long long& v) {
    auto it = words.find(k < t.size() ? t[k].w : std::string());
    if (it == words.end()) return false;
    v = it->second;
    ++k;
    if (v >= 20 && v % 10 == 0) {
      size_t k2 = k;
      if (k2 < t.size() && t[k2].w == "-") ++k2;
      if (k2 < t.size()) {
        auto u = words.find(t[k2].w);
        if (u != words.end() && u->second >= 1 && u->second <= 9) {
          v += u->second;
          k = k2 + 1;
        }
      }
    }
    return true;
  };
  if (!any) {
    long long v = 0;
    if (!read_below_100(j, v)) return n;
    value = v;
    any = true;
    if (j < t.size() && t[j].w == "hundred") {
      value *= 100;
      ++j;
    }
  }
  if (value >= 100 && value % 100 == 0) {
    size_t k = j;
    if (k < t.size() && t[k].w == "and") ++k;
    long long v = 0;
    if (read_below_100(k, v)) {
      value += v;
      j = k;
    }
  }
  n.ok = any;
  n.value = value;
  n.first = i;
  n.last = j;
  return n;
}

const std::set<std::string>& modifiers() {
  static const std::set<std::string> m = {
      "unit", "integration", "api", "different", "separate", "individual", "distinct", "automated",
      "pytest", "python", "functional", "performance", "load", "data", "model", "e2e", "end", "to",
      "additional", "more", "main", "small", "simple", "basic", "passing", "parametrized",
      "parameterized", "parametrised", "parameterised", "and", "-", "training", "unique", "total",
      "core", "system", "regression", "smoke", "successful", "working", "various", "meaningful",
      "dedicated", "new", "key", "major", "comprehensive", "unittest",
      "frontend", "backend", "fastapi", "component", "components", "(", ")", "single", "pytest-based",
      "written", "implemented"};
  return m;
}

bool is_test_word(const std::string& w) {
  return w == "test" || w == "tests" || w == "testcase" || w == "testcases" || w == "testfunctions";
}
bool is_file_word(const std::string& w) {
  return w == "file" || w == "files" || w == "module" || w == "modules" || w == "script" ||
         w == "scripts" || w == "suite" || w == "suites" || w == "suits";
}

struct Candidate {
  Number num;
  std::string unit;       // "tests" | "test files"
  size_t unit_end = 0;    // token index past the unit words
  std::optional<long long> upper;
  size_t range_first = 0;  // token where the range / number starts
};

// Qualifier before token index i (up to three tokens back). Returns (normalised, first token).
std::pair<std::string, size_t> qualifier_before(const std::vector<Token>& t, size_t i) {
  auto w = [&](size_t back) -> std::string {
    return i >= back ? t[i - back].w : std::string();
  };
  if (w(1) == "~") return {"approximately", i - 1};
  if ((w(3) == "no" || w(3) == "not") && w(2) == "more" && w(1) == "than") return {"at most", i - 3};
  if (w(3) == "no" && (w(2) == "fewer" || w(2) == "less") && w(1) == "than") return {"at least", i - 3};
  if (w(3) == "in" && w(2) == "excess" && w(1) == "of") return {"over", i - 3};
  if ((w(3) == "a" || w(3) == "slightly" || w(3) == "just" || w(3) == "well") && w(2) == "more" &&
      w(1) == "than")
    return {"over", i - 3};
  if (w(2) == "upwards" && w(1) == "of") return {"over", i - 2};
  if ((w(2) == "just" || w(2) == "well") && (w(1) == "over" || w(1) == "above")) return {"over", i - 2};
  if (w(3) == "a" && w(2) == "little" && (w(1) == "over" || w(1) == "above")) return {"over", i - 3};
  if (w(2) == "more" && w(1) == "than") return {"over", i - 2};
  if ((w(2) == "fewer" || w(2) == "less") && w(1) == "than") return {"fewer than", i - 2};
  if (w(2) == "at" && w(1) == "least") return {"at least", i - 2};
  if (w(2) == "at" && w(1) == "most") return {"at most", i - 2};
  if (w(2) == "up" && w(1) == "to") return {"at most", i - 2};
  if (w(2) == "close" && w(1) == "to") return {"almost", i - 2};
  if (w(2) == "just" && w(1) == "under") return {"almost", i - 2};
  if (w(3) == "a" && w(2) == "minimum" && w(1) == "of") return {"at least", i - 3};
  if (w(3) == "a" && w(2) == "maximum" && w(1) == "of") return {"at most", i - 3};
  if (w(2) == "approx" && w(1) == ".") return {"approximately", i - 2};
  if (w(2) == "ca" && w(1) == ".") return {"approximately", i - 2};
  static const std::map<std::string, std::string> one = {
      {"approximately", "approximately"}, {"approx", "approximately"}, {"about", "approximately"},
      {"around", "approximately"},        {"roughly", "approximately"}, {"circa", "approximately"},
      {"ca", "approximately"},            {"some", "approximately"},    {"estimated", "approximately"},
      {"over", "over"},                   {"above", "over"},            {"exceeding", "over"},
      {"almost", "almost"},               {"nearly", "almost"},         {"under", "fewer than"},
      {"approximatively", "approximately"},
      {"beyond", "over"},                 {"minimum", "at least"},      {"maximum", "at most"},
      {"below", "fewer than"},            {"exactly", "exactly"},       {"precisely", "exactly"}};
  if (auto it = one.find(w(1)); it != one.end()) return {it->second, i - 1};
  return {"", i};
}

// Sentence around the byte range [b, e) of the cleaned text, at most kMaxQuote bytes.
std::string quote_around(std::string_view s, size_t b, size_t e) {
  size_t start = b;
  while (start > 0) {
    char c = s[start - 1];
    if ((c == '.' || c == '!' || c == '?') && start < s.size() && (s[start] == ' ' || s[start] == '\n')) break;
    if (c == '\n' && start >= 2 && s[start - 2] == '\n') break;
    if (b - start > 2000) break;
    --start;
  }
  size_t end = e;
  while (end < s.size()) {
    char c = s[end];
    if ((c == '.' || c == '!' || c == '?') && (end + 1 == s.size() || s[end + 1] == ' ' || s[end + 1] == '\n')) {
      ++end;
      break;
    }
    if (c == '\n' && end + 1 < s.size() && s[end + 1] == '\n') break;
    if (end - e > 2000) break;
    ++end;
  }
  std::string q = text::collapse_ws(s.substr(start, end - start));
  if (q.size() <= kMaxQuote) return q;
  // Too long: a window around the number.
  std::string mid = text::collapse_ws(s.substr(b, e - b));
  size_t before = b - start > 120 ? 120 : b - start;
  std::string w = text::collapse_ws(s.substr(b - before, std::min(end, e + 150) - (b - before)));
  (void)mid;
  std::string out = std::string(text::utf8_prefix(w, kMaxQuote - 6));
  // Drop a partial code point at the front of the window.
  size_t k = 0;
  while (k < out.size() && (static_cast<unsigned char>(out[k]) & 0xC0) == 0x80) ++k;
  return "..." + out.substr(k) + "...";
}

bool sentence_says_total(std::string_view s, size_t b, size_t e) {
  std::string q = text::lower_ascii(quote_around(s, b, e));
  return q.find("total") != std::string::npos || q.find("in all") != std::string::npos ||
         q.find("altogether") != std::string::npos || q.find("overall") != std::string::npos;
}

}  // namespace

TestCountClaim extract_test_count_from(std::string_view answer_text, int question) {
  TestCountClaim claim;
  claim.question = question;
  const std::string s = clean(text::utf8_prefix(answer_text, 1u << 20));
  const std::vector<Token> t = tokenize(s);

  std::vector<Candidate> tests, files;
  std::string huge_note;
  for (size_t i = 0; i < t.size(); ++i) {
    Number n = read_number(t, i);
    if (!n.ok) continue;
    Candidate c;
    c.num = n;
    c.range_first = n.first;
    size_t j = n.last;
    // Range: "40-50", "40 to 50", "between 40 and 50".
    if (!n.huge && j + 1 < t.size() && (t[j].w == "-" || t[j].w == "to")) {
      Number m = read_number(t, j + 1);
      if (m.ok && !m.huge && m.value > n.value) {
        c.upper = m.value;
        j = m.last;
      }
    } else if (!n.huge && j + 1 < t.size() && t[j].w == "and" && n.first > 0 && t[n.first - 1].w == "between") {
      Number m = read_number(t, j + 1);
      if (m.ok && !m.huge && m.value > n.value) {
        c.upper = m.value;
        c.range_first = n.first - 1;
        j = m.last;
      }
    }
    // Unit after the number, with up to three modifiers in between.
    size_t k = j, skipped = 0;
    while (k < t.size() && skipped < 4 && !is_test_word(t[k].w) && !is_file_word(t[k].w) &&
           modifiers().count(t[k].w)) {
      if (t[k].w != "-") ++skipped;
      ++k;
    }
    if (k < t.size() && is_test_word(t[k].w)) {
      size_t u = k + 1;
      if (u + 1 < t.size() && t[u].w == "-" && (is_file_word(t[u + 1].w) || t[u + 1].w == "cases" ||
                                                 t[u + 1].w == "case" || t[u + 1].w == "functions" ||
                                                 t[u + 1].w == "function"))
        ++u;  // "test-files", "test-cases"
      if (u < t.size() && is_file_word(t[u].w)) {
        c.unit = "test files";
        c.unit_end = u + 1;
      } else {
        c.unit = "tests";
        c.unit_end = u;
        if (u < t.size() && (t[u].w == "cases" || t[u].w == "case" || t[u].w == "functions" ||
                             t[u].w == "function" || t[u].w == "methods" || t[u].w == "method"))
          c.unit_end = u + 1;
      }
    } else if (k < t.size() && is_file_word(t[k].w)) {
      // "3 files with 12 tests", "3 modules containing tests": a test word soon after.
      bool about_tests = false;
      for (size_t q = k + 1; q < t.size() && q <= k + 5; ++q)
        if (is_test_word(t[q].w) || t[q].w == "testing") about_tests = true;
      if (!about_tests) continue;
      c.unit = "test files";
      c.unit_end = k + 1;
    } else if (k < t.size() && (t[k].w == "testcases")) {
      c.unit = "tests";
      c.unit_end = k + 1;
    } else {
      continue;
    }
    if (n.huge) {
      huge_note = "number too large to read (" + std::to_string(n.digits) + " digits)";
      if (claim.quote.empty()) claim.quote = quote_around(s, t[n.first].b, t[c.unit_end - 1].e);
      continue;
    }
    auto& bucket = c.unit == "tests" ? tests : files;
    if (bucket.size() < 1000) bucket.push_back(c);
    i = c.unit_end - 1;  // the upper bound of a range is no count of its own
  }
  // "the number of tests is 45", "tests: 45", "tests implemented: 45".
  if (tests.empty()) {
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (!is_test_word(t[i].w)) continue;
      size_t k = i + 1;
      if (k < t.size() && (t[k].w == "implemented" || t[k].w == "written")) ++k;
      if (k >= t.size() || !(t[k].w == "is" || t[k].w == "are" || t[k].w == ":" || t[k].w == "=" ||
                             t[k].w == "was" || t[k].w == "totals" || t[k].w == "totaling" ||
                             t[k].w == "totalling"))
        continue;
      Number n = read_number(t, k + 1);
      if (!n.ok) continue;
      if (n.huge) {
        huge_note = "number too large to read (" + std::to_string(n.digits) + " digits)";
        continue;
      }
      Candidate c;
      c.num = n;
      c.range_first = i;
      c.unit = "tests";
      c.unit_end = n.last;
      tests.push_back(c);
      break;
    }
  }
  auto pick = [&](const std::vector<Candidate>& v) -> const Candidate* {
    const Candidate* best = nullptr;
    bool best_total = false;
    for (const auto& c : v) {
      const bool total = sentence_says_total(s, t[c.range_first].b, t[c.unit_end - 1].e);
      if (!best || (total && !best_total) || (total == best_total && c.num.value > best->num.value)) {
        best = &c;
        best_total = total;
      }
    }
    return best;
  };
  const Candidate* ct = pick(tests);
  const Candidate* cf = pick(files);
  if (cf) claim.files_claimed = cf->num.value;
  const Candidate* main = ct ? ct : cf;
  if (main) {
    auto [qual, qfirst] = qualifier_before(t, main->range_first);
    if (main->upper) qual = "between";
    else if (main->num.plus && qual.empty()) qual = "at least";
    claim.qualifier = qual;
    claim.unit = main->unit;
    if (ct) claim.claimed = ct->num.value;
    claim.claimed_max = ct ? ct->upper : std::nullopt;
    const size_t wb = t[qfirst].b, we = t[main->unit_end - 1].e;
    claim.wording = text::collapse_ws(std::string_view(s).substr(wb, we - wb));
    claim.quote = quote_around(s, wb, we);
  }
  if (!huge_note.empty() && !ct) claim.note = huge_note;
  return claim;
}

std::optional<TestCountClaim> extract_test_count(const Report& report) {
  const Answer* a = nullptr;
  for (const auto& x : report.answers)
    if (text::lower_ascii(x.prompt).find("how many tests") != std::string::npos) {
      a = &x;
      break;
    }
  if (!a) a = report.answer(7);
  if (!a) return std::nullopt;
  return extract_test_count_from(a->text, a->question);
}

// ---- Coverage (question 8) -----------------------------------------------------------------------

namespace {

struct Decimal {
  bool ok = false, huge = false;
  size_t digits = 0;
  double value = 0;
  size_t first = 0, last = 0;  // token range
  bool pct = false;            // followed by "%" / "percent"
};

// "45", "45.5", followed or not by "%", "percent", "pct".
Decimal read_decimal(const std::vector<Token>& t, size_t i) {
  Decimal d;
  if (i >= t.size() || !t[i].digits) return d;
  d.first = i;
  size_t nz = t[i].w.find_first_not_of('0');
  size_t significant = nz == std::string::npos ? 1 : t[i].w.size() - nz;
  d.digits = t[i].w.size();
  d.last = i + 1;
  if (significant > kMaxDigits) {
    d.ok = d.huge = true;
  } else {
    d.value = static_cast<double>(std::stoll(t[i].w));
    if (i + 2 < t.size() && t[i + 1].w == "." && t[i + 2].digits && t[i + 1].b == t[i].e &&
        t[i + 2].b == t[i + 1].e) {
      std::string frac = t[i + 2].w.substr(0, 6);
      d.value += std::stod("0." + frac);
      d.last = i + 3;
    }
    d.ok = true;
  }
  if (d.last < t.size() && (t[d.last].w == "%" || t[d.last].w == "percent" || t[d.last].w == "pct")) {
    d.pct = true;
    ++d.last;
  }
  return d;
}

bool contains_any(const std::string& hay, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (hay.find(n) != std::string::npos) return true;
  return false;
}

// The TOTAL row of a pasted `coverage report` table ("TOTAL  120  30  75%", "| **TOTAL** | ... | 75% |").
std::optional<std::pair<double, std::string>> total_row(std::string_view text) {
  size_t pos = 0;
  int lines = 0;
  while (pos <= text.size() && lines++ < 200000) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, std::min<size_t>(nl - pos, 2000));
    pos = nl + 1;
    std::vector<std::string> cells;
    std::string cur;
    for (char c : line) {
      if (c == '|' || c == ' ' || c == '\t' || c == '*' || c == '`') {
        if (!cur.empty()) cells.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) cells.push_back(std::move(cur));
    if (cells.size() < 2 || text::lower_ascii(cells.front()) != "total") continue;
    const std::string& last = cells.back();
    if (last.size() < 2 || last.back() != '%' || last.size() > 10) continue;
    std::string num = last.substr(0, last.size() - 1);
    bool ok = !num.empty() && std::isdigit(static_cast<unsigned char>(num[0]));
    for (char c : num) ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
    if (!ok) continue;
    double v = std::stod(num);
    if (v > 100) continue;
    return std::make_pair(v, text::collapse_ws(line));
  }
  if (pos > text.size()) return std::nullopt;
  return std::nullopt;
}

}  // namespace

CoverageCheck extract_coverage_from(std::string_view answer_text, int question) {
  CoverageCheck c;
  c.question = question;
  const std::string_view capped = text::utf8_prefix(answer_text, 1u << 20);
  if (auto row = total_row(capped)) {
    c.claimed = row->first;
    c.qualifier = "table";
    c.wording = row->second.size() > kMaxQuote ? std::string(text::utf8_prefix(row->second, kMaxQuote))
                                               : row->second;
    c.quote = c.wording;
    return c;
  }
  const std::string s = clean(capped);
  const std::vector<Token> t = tokenize(s);
  struct Cand {
    double value = 0;
    std::optional<double> upper;
    size_t first = 0, last = 0;
    int rank = 0;
  };
  std::optional<Cand> best;
  std::string huge_note;
  for (size_t i = 0; i < t.size(); ++i) {
    Decimal d = read_decimal(t, i);
    if (!d.ok) continue;
    Cand cand;
    cand.first = d.first;
    size_t j = d.last;
    if (d.huge) {
      if (d.pct) huge_note = "number too large to read (" + std::to_string(d.digits) + " digits)";
      i = j - 1;
      continue;
    }
    cand.value = d.value;
    // Ranges: "60-70%", "60% - 70%", "60 to 70 %", "between 60 and 70%".
    if (j + 1 < t.size() && (t[j].w == "-" || t[j].w == "to" || t[j].w == "and")) {
      Decimal m = read_decimal(t, j + 1);
      if (m.ok && !m.huge && m.pct && m.value > d.value && m.value <= 100 &&
          (t[j].w != "and" || (d.first > 0 && t[d.first - 1].w == "between"))) {
        cand.upper = m.value;
        if (t[j].w == "and") cand.first = d.first - 1;
        j = m.last;
        d.pct = true;
      }
    }
    if (!d.pct) continue;
    i = j - 1;
    if (cand.value > 100) continue;
    cand.last = j;
    std::string sentence = text::lower_ascii(quote_around(s, t[cand.first].b, t[j - 1].e));
    if (cand.value >= 100 && !cand.upper &&
        contains_any(sentence, {"if ", "would", "even", "trust", "not ", "n't", "guarantee", "error", "close to",
                                "free of", "bug", "mean"}))
      continue;  // the template's hypothetical "a coverage of 100%"
    if (contains_any(sentence, {"aim", "goal", "target", "would like", "hope"})) cand.rank = -1;
    else if (sentence.find("coverage") != std::string::npos &&
             contains_any(sentence, {"total", "overall", "our ", "we ", "achieved", "reached", "is "}))
      cand.rank = 2;
    else if (sentence.find("coverage") != std::string::npos || sentence.find("covered") != std::string::npos)
      cand.rank = 1;
    if (!best || cand.rank > best->rank) best = cand;
  }
  if (best) {
    auto [qual, qfirst] = qualifier_before(t, best->first);
    if (best->upper) qual = "between";
    c.claimed = best->value;
    c.claimed_max = best->upper;
    c.qualifier = qual;
    const size_t wb = t[qfirst].b, we = t[best->last - 1].e;
    c.wording = text::collapse_ws(std::string_view(s).substr(wb, we - wb));
    c.quote = quote_around(s, wb, we);
  } else if (!huge_note.empty()) {
    c.note = huge_note;
  }
  return c;
}

std::optional<CoverageCheck> extract_coverage(const Report& report) {
  const Answer* a = nullptr;
  for (const auto& x : report.answers)
    if (text::lower_ascii(x.prompt).find("code coverage") != std::string::npos) {
      a = &x;
      break;
    }
  if (!a) a = report.answer(8);
  if (!a || a->placeholder) return std::nullopt;
  return extract_coverage_from(a->text, a->question);
}

}  // namespace cc
