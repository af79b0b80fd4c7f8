// RequiredLiterals: what a matching text must hold, read from a pattern; never says "cannot
// match" of a text RE2 matches (checked on generated patterns and on every pattern of the
// built-in data against the fixtures' reports and the course's real reports).
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/lazy_regex.h"
#include "engine/regex_prefilter.h"
#include "engine/yaml_tree.h"

namespace cc {
namespace {

using Sets = std::vector<std::vector<std::string>>;

Sets sets_of(const std::string& p, bool icase = false) { return RequiredLiterals::of(p, icase).sets(); }

TEST_CASE("required literals: what each construct adds") {
  CHECK(sets_of("docker compose") == Sets{{"docker compose"}});
  CHECK(sets_of("colou?r") == Sets{{"colo"}});  // "r" alone is too short to keep
  CHECK(sets_of("colou?rs") == Sets{{"colo"}, {"rs"}});
  CHECK(sets_of("ab+cd") == Sets{{"ab"}, {"cd"}});
  CHECK(sets_of("xy{2}z") == Sets{{"xy"}});
  CHECK(sets_of("xy{0,2}zz") == Sets{{"zz"}});
  CHECK(sets_of("\\bdvc push\\b") == Sets{{"dvc push"}});
  CHECK(sets_of("model\\.pt$") == Sets{{"model.pt"}});
  CHECK(sets_of("(?:github pages|gh-pages)") == Sets{{"gh-pages", "github pages"}});
  CHECK(sets_of("(?:github pages|gh-pages)?site") == Sets{{"site"}});
  CHECK(sets_of("(?P<tool>ruff|flake8) check") == Sets{{" check"}, {"flake8", "ruff"}});
  // The branch "a" needs one character, too little to keep: the alternation's set is dropped.
  CHECK(sets_of("(?:a|bc)dd") == Sets{{"dd"}});
  CHECK(sets_of("\\bdid(?:n[’']?t| not) (?:get to|use)") == Sets{{"did"}, {"get to", "use"}});
  // The most selective sets first, three at most.
  CHECK(sets_of("aa.bbb.cccc.ddddd") == Sets{{"ddddd"}, {"cccc"}, {"bbb"}});
  // Case-insensitive: kept in lower case.
  CHECK(sets_of("Docker (?:Build|Compose)", true) == Sets{{"docker "}, {"build", "compose"}});
  // Nothing to require.
  CHECK(sets_of("(?:a|b)").empty());
  CHECK(sets_of("(?:foo|)bar") == Sets{{"bar"}});
  CHECK(sets_of("[a-z]+\\d*").empty());
  CHECK(sets_of("(?:foo)*").empty());
  CHECK(sets_of("x|yy").empty());  // the branch "x" needs one character
  // Syntax not followed: no condition at all.
  CHECK(sets_of("ab(?i)docker").empty());
  // A leading (?i): the whole pattern ignores case.
  CHECK(sets_of("(?i)Docker Compose") == Sets{{"docker compose"}});
  CHECK(RequiredLiterals::of("(?i)\\bapi_key\\b", false).may_match("API_KEY = 1"));
  CHECK_FALSE(RequiredLiterals::of("(?i)\\bapi_key\\b", false).may_match("wandb login"));
  CHECK(sets_of("(?-i:docker)").empty());
  CHECK(sets_of("(?x)docker").empty());
  // Flags that leave literals alone: read through.
  CHECK(sets_of("(?s:ab.cd)ee") == Sets{{"ab"}, {"cd"}, {"ee"}});
  CHECK(sets_of("(?sm)ab$") == Sets{{"ab"}});
  CHECK(sets_of("did(?s:.*?)not") == Sets{{"did"}, {"not"}});
  CHECK(sets_of("\\Qa.b\\E").empty());
  CHECK(sets_of("a{,2}bb").empty());  // a brace RE2 reads as a literal
  CHECK(sets_of("docker)").empty());
  CHECK(sets_of("(docker").empty());
  CHECK(sets_of("caf\xc3\xa9 au lait") == Sets{{" au lait"}, {"caf"}});
  CHECK(sets_of(std::string(200, '(') + "deep" + std::string(200, ')')).empty());
}

TEST_CASE("required literals: classes, escapes and repeats are skipped whole") {
  CHECK(sets_of("[]ab]cd") == Sets{{"cd"}});
  CHECK(sets_of("[^]x]yy") == Sets{{"yy"}});
  CHECK(sets_of("[[:alpha:]]zz") == Sets{{"zz"}});
  CHECK(sets_of("[\\]]ww") == Sets{{"ww"}});
  CHECK(sets_of("\\p{Greek}pp") == Sets{{"pp"}});
  CHECK(sets_of("\\pLqq") == Sets{{"qq"}});
  CHECK(sets_of("\\x41bc") == Sets{{"bc"}});
  CHECK(sets_of("\\x{263a}bc") == Sets{{"bc"}});
  CHECK(sets_of("a\\-b\\/c") == Sets{{"a-b/c"}});
  CHECK(sets_of("ab{1,3}?cd") == Sets{{"ab"}, {"cd"}});
  CHECK(sets_of("ab*?cd") == Sets{{"cd"}});
  CHECK(sets_of("x(?:ab)+y") == Sets{{"ab"}});
  CHECK(sets_of("x(?:ab){0,3}y").empty());
}

TEST_CASE("required literals: may_match") {
  auto r = RequiredLiterals::of("\\bdeployed(?:[\\s,]+[\\w'-]+){0,3}?[\\s,]+only locally\\b", true);
  REQUIRE(r.any());
  CHECK(r.may_match("We DEPLOYED it ONLY LOCALLY."));
  CHECK_FALSE(r.may_match("We deployed it to the cloud."));
  CHECK_FALSE(r.may_match(""));
  auto cs = RequiredLiterals::of("Docker(?:file)?", false);
  CHECK(cs.may_match("a Dockerfile"));
  CHECK_FALSE(cs.may_match("a dockerfile"));
  CHECK(RequiredLiterals().may_match("anything"));
}

// Patterns from a small grammar of the constructs the reader follows and those it refuses,
// against texts from the same letters: whenever the reader says "cannot match", RE2 agrees.
TEST_CASE("required literals: never wrong on generated patterns") {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {
      "a",  "b",   "ab", "k",   "s",   "K",    "A",   ".",     "\\.",   "\\b",  "[ab]", "[^a]", "\\w",
      "?",  "*",   "+",  "{2}", "{0,2}", "{1,}", "??", "(?:",  "(",     ")",    "|",    "^",    "$",
      " ",  "\\s", "-",  "{",   "}",   "(?i)", "\\d", "(?P<n>", "(?s:", "(?s)", "(?i:", "(?-i)", "(?m)", "(?U)", "\xc3\xa9", "\xe2\x84\xaa"};
  const std::vector<std::string> letters = {"a", "b", "A", "B", "k", "K", "s", "S", " ", ".", "-", "\n",
                                            "\xc3\xa9", "\xc3\x89", "\xe2\x84\xaa", "\xc5\xbf", "x"};
  int checked = 0, refused = 0, by_prefilter = 0;
  for (int n = 0; n < 4000; ++n) {
    std::string p;
    const int len = 1 + int(rng() % 10);
    for (int i = 0; i < len; ++i) p += pieces[rng() % pieces.size()];
    for (bool icase : {false, true}) {
      RE2::Options o;
      o.set_case_sensitive(!icase);
      o.set_log_errors(false);
      RE2 re(p, o);
      if (!re.ok()) continue;
      LazyRegex lazy(p, icase);
      const auto req = RequiredLiterals::of(p, icase);
      for (int t = 0; t < 20; ++t) {
        std::string text;
        const int tl = int(rng() % 12);
        for (int i = 0; i < tl; ++i) text += letters[rng() % letters.size()];
        const bool truth = RE2::PartialMatch(text, re);
        CAPTURE(p);
        CAPTURE(text);
        CAPTURE(icase);
        CHECK(lazy.partial_match(text) == truth);
        ++checked;
        refused += !truth;
        by_prefilter += !req.may_match(text);
      }
    }
  }
  CHECK(checked > 20000);
  CHECK(refused > 1000);
  CHECK(by_prefilter > 1000);  // the answers above came from the prefilter too, not only from RE2
}

// Long texts take the other paths: a text folded once for many literals, and a literal found by
// its rarest byte in either case (contains_folded).
TEST_CASE("required literals: long texts, folded or searched, answer as RE2 does") {
  std::mt19937 rng(3);
  const std::vector<std::string> patterns = {
      "(?i)wandb",           "(?i)api_key\\b",       "WANDB_API_KEY",       "(?i)(?:kaggle|wandb|hf_|aws_|ssh) keys?",
      "(?:Zz|qq|xX)",        "^(?i)abc",               "(?:ab|bc|cd|de|ef|fa) (?:gh|hi|ij) (?:kl|lm)",
      "(?i)e_e",             "(?i)(?:a|b)[0-9]{2}z"};
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ 0123\n\xc5\xbf";
  for (int n = 0; n < 300; ++n) {
    std::string text;
    const int len = 1000 + int(rng() % 3000);
    for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    static const char* const kPlanted[] = {"WaNdB", "api_KEY", "Wandb KEYS", "SSH key", "ab HI lm", "Fa ij KL"};
    if (rng() % 2 == 0) text.insert(rng() % text.size(), kPlanted[rng() % 6]);
    for (const auto& p : patterns)
      for (bool icase : {false, true}) {
        LazyRegex lazy(p, icase);
        RE2::Options o;
        o.set_case_sensitive(!icase);
        o.set_log_errors(false);
        RE2 re(p, o);
        CAPTURE(p);
        CAPTURE(icase);
        CAPTURE(n);
        CHECK(lazy.partial_match(text) == RE2::PartialMatch(text, re));
      }
  }
}

// Every scalar of the built-in data that RE2 compiles, as a pattern, against every line of the
// fixtures' reports (and the course's real reports, when ../shared is there): the prefilter and
// RE2 give the same answer.
void scalars(const YNode& n, std::vector<std::string>& out) {
  if (n.is_scalar() && n.text.size() > 1) out.push_back(n.text);
  for (const auto& i : n.items) scalars(i, out);
  for (const auto& [k, v] : n.entries) scalars(v, out);
}

std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_CASE("required literals: the built-in data's patterns against real report lines") {
  namespace fs = std::filesystem;
  const fs::path src = CC_SOURCE_DIR;
  std::vector<std::string> patterns;
  for (const fs::path& dir : {src / "probes" / "data", src / "reports" / "catalog"})
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      auto load = read_yaml(ss.str());
      REQUIRE(load.ok);
      scalars(load.root, patterns);
    }
  std::vector<std::string> texts;
  auto add_reports = [&](const fs::path& dir) {
    if (!fs::is_directory(dir)) return false;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".md")
        for (auto& l : lines_of(e.path()))
          if (!l.empty()) texts.push_back(std::move(l));
    return true;
  };
  add_reports(src / "fixtures");
  if (!add_reports(fs::path(CC_SHARED_DIR) / "reports"))
    MESSAGE("../shared/reports is absent: checked against the fixtures' reports only");
  REQUIRE(patterns.size() > 300);
  REQUIRE(texts.size() > 200);
  std::size_t with_condition = 0, mismatches = 0;
  for (bool icase : {true, false})
    for (const auto& p : patterns) {
      RE2::Options o;
      o.set_case_sensitive(!icase);
      o.set_log_errors(false);
      RE2 re(p, o);
      if (!re.ok()) continue;
      auto req = RequiredLiterals::of(p, icase);
      if (!req.any()) continue;
      ++with_condition;
      for (const auto& t : texts)
        if (!req.may_match(t) && RE2::PartialMatch(t, re)) {
          ++mismatches;
          CAPTURE(p);
          CAPTURE(t);
          FAIL_CHECK("the prefilter refused a text RE2 matches");
        }
    }
  CHECK(mismatches == 0);
  CHECK(with_condition > 200);
}

}  // namespace
}  // namespace cc
