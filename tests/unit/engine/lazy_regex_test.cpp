// LazyRegex::partial_match: the same answer as RE2::PartialMatch, with or without compiling.
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <random>
#include <string>
#include <vector>

#include "engine/lazy_regex.h"

namespace cc {
namespace {

bool by_re2(const LazyRegex& r, const std::string& text) { return RE2::PartialMatch(text, r.re()); }

TEST_CASE("lazy regex: partial_match answers as RE2 does, plain phrases and patterns alike") {
  const std::vector<std::string> patterns = {
      "create a git repo", "write access", "Kubernetes", "ssh keys", "a", "k", "S", "data-1/x_y z",
      "caching and multi-?os", "^yes$", "(?:github pages|gh-pages)", "model.pt", "a{2}", "[x]",
      "x|y", "café", "\\bdvc\\b", "tab\there", "^wandb\\.init$", "^(?:push|pull_request)$",
      "^(yes)?$", "(ruff|flake8|black)", "^data\\.", "\\.py$", "^(?P<k>ks|s)", "(a|)", "^(a|b)??$",
      "^(a|b)*$", "(?i)ks", "(?i)wandb", "(?i)^(s|k)$", "^(?:a|b)c$", "a\\-b\\/c", "^$", "()", "^(x", "a}", "\\d$",
      "\xff\xfe"};  // not UTF-8: RE2 refuses it, and it matches nothing
  const std::vector<std::string> texts = {
      "", "We CREATE A GIT REPO first", "create a git rep", "WRITE  access", "kubernetes cluster",
      "\xE2\x84\xAAubernetes (the Kelvin sign)", "\xC5\xBF\xC5\xBFh keys (long s)", "ssh KEYS",
      "caching and multi-os", "yes", "Yes", "gh-pages", "modelXpt", "model.pt", "aa", "x", "y",
      "CAFÉ", "café", "dvc push", "tab\there", "TAB\tHERE", "\xff\xfe invalid UTF-8 k s",
      "data-1/X_Y Z", "\xff\xfe", "wandb.init", "WANDB.INIT", "wandb.init()", "push", "pull_request",
      "pull", "no", "ruff check", "Black", "data.py", "mydata.py", "ks", "K", "s", "a", "b", "ac"};
  for (bool icase : {true, false})
    for (const auto& p : patterns) {
      LazyRegex lazy(p, icase), compiled(p, icase);
      for (const auto& t : texts) {
        CAPTURE(p);
        CAPTURE(t);
        CAPTURE(icase);
        CHECK(lazy.partial_match(t) == by_re2(compiled, t));
        if (!lazy.may_match(t)) CHECK_FALSE(by_re2(compiled, t));
      }
    }
}

TEST_CASE("lazy regex: choices of plain strings, anchored or not, against generated texts") {
  std::mt19937 rng(5);
  const std::vector<std::string> pieces = {"a", "k", "S", ".", "\\.", "-", " ", "\\-"};
  const std::string alphabet = "aAkKsS.- \xE2\x84\xAA\xC5\xBF";
  for (int n = 0; n < 400; ++n) {
    std::string p;
    if (rng() % 2) p += '^';
    const int choices = 1 + int(rng() % 3);
    const bool group = choices > 1 || rng() % 2;
    if (group) p += rng() % 2 ? "(?:" : "(";
    for (int c = 0; c < choices; ++c) {
      if (c) p += '|';
      const int len = int(rng() % 3) + (group ? 0 : 1);
      for (int i = 0; i < len; ++i) p += pieces[rng() % pieces.size()];
    }
    if (group) p += rng() % 3 == 0 ? ")?" : ")";
    if (rng() % 2) p += '$';
    for (bool icase : {true, false}) {
      LazyRegex r(p, icase);
      for (int t = 0; t < 30; ++t) {
        std::string text;
        const int len = int(rng() % 6);
        for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
        CAPTURE(p);
        CAPTURE(text);
        CAPTURE(icase);
        CHECK(r.partial_match(text) == by_re2(r, text));
      }
    }
  }
}

TEST_CASE("lazy regex: plain phrases against generated texts of every byte value") {
  std::mt19937 rng(7);
  const std::string alphabet = "aAkKsSzZ \t-_./\xE2\x84\xAA\xC5\xBF\xC3\xA9\x80\xff";
  const std::vector<std::string> phrases = {"ks", "sk a", "Zz", "a-k", "s.", "z_"};
  for (int n = 0; n < 3000; ++n) {
    std::string t;
    const int len = int(rng() % 24);
    for (int i = 0; i < len; ++i) {
      if (rng() % 4 == 0) t += char(rng() % 256);
      else t += alphabet[rng() % alphabet.size()];
    }
    for (const auto& p : phrases)
      for (bool icase : {true, false}) {
        LazyRegex r(p, icase);
        CAPTURE(p);
        CAPTURE(t);
        CHECK(r.partial_match(t) == by_re2(r, t));
      }
  }
}

}  // namespace
}  // namespace cc
