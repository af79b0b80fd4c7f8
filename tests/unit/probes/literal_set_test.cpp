#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "probes/read/literal_set.h"

using cc::LiteralSet;

namespace {

std::vector<bool> one_by_one(const std::vector<std::string>& literals, std::string_view text) {
  std::vector<bool> out;
  for (const auto& l : literals) out.push_back(text.find(l) != std::string_view::npos);
  return out;
}

}  // namespace

TEST_CASE("literal set: finds what find() finds, edges included") {
  const std::vector<std::string> lits = {"AKIA", "ASIA", "hf_", "\"key\"", "wandb", "wandb.login(", "k", "", "aa", "aaa"};
  const LiteralSet set(lits);
  REQUIRE(set.size() == lits.size());
  for (std::string text : {std::string(), std::string("a"), std::string("k"), std::string("aa"), std::string("xxAKIA"),
                           std::string("wandb.login"), std::string("x wandb.login( y"), std::string("\"key\": 1"),
                           std::string("AKI"), std::string("hf"), std::string("aaaa"), std::string("ASIAAKIA")}) {
    INFO("text: " << text);
    CHECK(set.find_in(text) == one_by_one(lits, text));
  }
  CHECK(LiteralSet().find_in("anything").empty());
}

TEST_CASE("literal set: the same as find() on generated texts, bytes of every value") {
  const std::vector<std::string> lits = {"PRIVATE KEY-----", "AIza", "service_account", std::string("\xff\x00z", 3), "ab", "ba", "abab", "b"};
  const LiteralSet set(lits);
  std::mt19937 rng(7);
  const std::string alphabet = std::string("abzAIKEY- _\xff", 12) + std::string(1, '\0');
  for (int n = 0; n < 2000; ++n) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) {
      if (rng() % 10 == 0) text += lits[rng() % lits.size()];  // whole literals now and then
      else text += alphabet[rng() % alphabet.size()];
    }
    INFO("text #" << n);
    CHECK(set.find_in(text) == one_by_one(lits, text));
  }
}

// Long texts dense in the literals' own bytes (base64 in a notebook is like this), literals
// planted anywhere, at the very end too: the answers are find()'s.
TEST_CASE("literal set: long texts dense in the literals' bytes") {
  const std::vector<std::string> lits = {"AKIA", "ASIA", "hf_", "\"key\"", "WANDB_API_KEY", "Kz", "K", "zK", "KAGGLE_KEY"};
  const LiteralSet set(lits);
  std::mt19937 rng(11);
  const std::string alphabet = "KKKKzzAIS_ WANDBkey\"hf";
  for (int n = 0; n < 300; ++n) {
    std::string text;
    const int len = 500 + static_cast<int>(rng() % 5000);
    for (int k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
    if (rng() % 2) text.insert(rng() % text.size(), lits[rng() % lits.size()]);
    if (rng() % 3 == 0) text += lits[rng() % lits.size()];  // at the very end
    INFO("text #" << n);
    CHECK(set.find_in(text) == one_by_one(lits, text));
  }
}
