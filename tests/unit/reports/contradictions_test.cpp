// The report against its own ticks (reports/contradictions.h) with the built-in
// reports/catalog/contradictions.yaml: answers that say an item was not done, or that it lives
// elsewhere, and the sentences that must NOT count (difficulties overcome, concessions, plans).
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/embedded.h"
#include "reports/contradictions.h"
#include "reports/report.h"
#include "tests/unit/reports/read_file.h"

namespace {

// A report with one answer per entry: question N, prompt P, answer text A.
struct Q {
  int n;
  std::string prompt, answer;
};

cc::Report report_of(const std::vector<Q>& qs) {
  std::string md = "# Report\n\n## Overall project checklist\n\n* [x] Use profiling to optimize your code (M12)\n\n";
  for (const auto& q : qs)
    md += "### Question " + std::to_string(q.n) + "\n\n> **" + q.prompt + "**\n>\n> Answer:\n\n" + q.answer + "\n\n";
  return cc::parse_report(md, "reports/README.md");
}

std::vector<cc::Contradiction> find(const std::vector<Q>& qs, const std::vector<std::string>& items) {
  return cc::ContradictionRules::builtin().find(report_of(qs), items);
}

const std::vector<std::string> kAll = {"profiling",   "quantization", "cloud-monitoring", "gcp-deploy",
                                       "gcp-training", "data-drift",  "frontend",         "logging",
                                       "data-version-control", "sweep"};

}  // namespace

TEST_CASE("contradictions: the built-in rules load") {
  CHECK_FALSE(cc::ContradictionRules::builtin().empty());
  // builtin() compiles its patterns on first use: every one of them compiles (the shared cues
  // through their first-pass form, the items' own with a stand-in topic, topics and prompts).
  cc::ContradictionRules all_compiled;
  CHECK_NOTHROW(all_compiled.load(cc::find_embedded(cc::embedded_catalog(), "catalog/contradictions.yaml"),
                                  "catalog/contradictions.yaml", /*compile_now=*/true));
}

TEST_CASE("contradictions: answers that say the item was not done") {
  struct Case {
    const char* sentence;
    const char* item;
  };
  const Case cases[] = {
      {"Unfortunately we did not get to profiling our code.", "profiling"},
      {"Quantization was dropped in the end because of time.", "quantization"},
      {"Cloud monitoring was not implemented.", "cloud-monitoring"},
      {"The API was only deployed locally, never on GCP.", "gcp-deploy"},
      {"We used Cloud Run Jobs instead of Compute Engine or Vertex AI to train our model.", "gcp-training"},
      {"We didn’t use DVC in our project, as the dataset never changed.", "data-version-control"},
      {"We ran out of time for the hyperparameter sweep.", "sweep"},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.sentence));
    auto found = find({{12, "Did you do it?", c.sentence}}, kAll);
    REQUIRE(found.size() == 1);
    CHECK(found[0].item == c.item);
    CHECK(found[0].kind == "not-done");
    CHECK(found[0].question == 12);
    CHECK(std::string(c.sentence).find(found[0].quote) == 0);  // the sentence, without its full stop
    CHECK(found[0].quote.size() + 1 >= std::string(c.sentence).size());
    CHECK_FALSE(found[0].cue.empty());
  }
}

TEST_CASE("contradictions: precision first -- sentences that are not contradictions") {
  const char* sentences[] = {
      // difficulties, but done
      "We had trouble with profiling at first, but in the end we managed to profile the training loop.",
      // a concession, not a denial
      "While we did not use logging everywhere, the main modules log their progress.",
      // a plan or a wish
      "If we had more time we would have implemented quantization.",
      // the words appear, but about something else
      "CI fails the build instead of silently drifting from the lock file.",
      // one of the item's alternatives not used, the other one was
      "We didn't make use of Compute Engine, since Vertex AI ran our training jobs.",
      "We could not utilize GPU resources on Vertex AI, so the job ran on CPUs.",
      // the gap between cue and topic is too long to be about it
      "We did not use the default configuration files of the template for our own profiling runs.",
  };
  for (const char* s : sentences) {
    INFO(std::string(s));
    CHECK(find({{16, "Did you profile your code?", s}}, kAll).empty());
  }
}

TEST_CASE("contradictions: only the items asked for, first quote per item") {
  auto found = find({{16, "Profiling?", "We did not get to profiling. We also did not do any profiling later."}},
                    {"quantization"});
  CHECK(found.empty());
  found = find({{16, "Profiling?", "We did not get to profiling. We also did not do any profiling later."}}, kAll);
  REQUIRE(found.size() == 1);
  CHECK(found[0].quote == "We did not get to profiling");
}

TEST_CASE("contradictions: the line of the sentence in the report file") {
  cc::Report r = report_of({{16, "Profiling?", "Our code is fast.\n\nWe did not get to profiling."}});
  auto found = cc::ContradictionRules::builtin().find(r, {"profiling"});
  REQUIRE(found.size() == 1);
  const cc::Answer* a = r.answer(16);
  REQUIRE(a != nullptr);
  CHECK(found[0].line == a->line + 2);
}

TEST_CASE("contradictions: a dedicated answer lets the generic word count") {
  // In the cloud-training answer, "the final training" is the item's thing.
  auto found = find({{21, "Did you manage to train your model in the cloud using either the Engine or Vertex AI?",
                      "We built the image. However sadly the final training couldn't be run on this due to a lack of credits."}},
                    {"gcp-training"});
  REQUIRE(found.size() == 1);
  CHECK(found[0].item == "gcp-training");
  // The same sentence in another answer says nothing about cloud training.
  CHECK(find({{7, "How many tests?", "Sadly the final training couldn't be run on this laptop."}}, {"gcp-training"}).empty());
}

TEST_CASE("contradictions: the thing lives outside the repository") {
  auto found = find({{28, "Extra?", "We built a dedicated frontend at [https://example-app.vercel.app/](https://example-app.vercel.app/)."}},
                    {"frontend"});
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == "elsewhere");
  found = find({{28, "Extra?", "Our frontend is developed in a separate repository owned by the group."}}, {"frontend"});
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == "elsewhere");
}

TEST_CASE("contradictions: placeholders and empty answers say nothing") {
  CHECK(find({{16, "Profiling?", "--- question 16 fill here ---"}}, kAll).empty());
}

TEST_CASE("contradictions: bad rule files are refused with their place") {
  cc::ContradictionRules r;
  CHECK_THROWS_AS(r.load("schema: nope\n"), cc::ContradictionError);
  CHECK_THROWS_AS(r.load("schema: claimcheck/contradictions/1\ncues: {not-done: ['(unclosed {topic}']}\n"
                         "item_topics: {x: {topics: [a]}}\n"),
                  cc::ContradictionError);
  CHECK_THROWS_AS(r.load("schema: claimcheck/contradictions/1\ncues: {not-done: ['did not {topic}']}\n"
                         "item_topics: {x: {topics: []}}\n"),
                  cc::ContradictionError);
  r.load("schema: claimcheck/contradictions/1\ncues: {not-done: ['\\bskipped {topic}']}\n"
         "item_topics: {profiling: {topics: [profiling]}}\n");
  cc::Report rep = report_of({{16, "Profiling?", "We skipped profiling."}});
  CHECK(r.find(rep, {"profiling"}).size() == 1);
}

TEST_CASE("contradictions: patterns are checked at load though an item's cues compile on first use") {
  // Cues are compiled lazily (only for items a sentence may concern); a bad pattern must still stop
  // the load, wherever it is: a shared cue, an item's own not_done cue, an item's topics.
  cc::ContradictionRules r;
  const std::string head = "schema: claimcheck/contradictions/1\ncues: {not-done: ['did not use {topic}']}\n";
  CHECK_THROWS_AS(r.load(head + "item_topics: {x: {topics: [a], not_done: ['(unclosed']}}\n"), cc::ContradictionError);
  CHECK_THROWS_AS(r.load(head + "item_topics: {x: {topics: ['b(']}}\n"), cc::ContradictionError);
  CHECK_THROWS_AS(r.load("schema: claimcheck/contradictions/1\ncues: {not-done: ['[z-a] {topic}']}\n"
                         "item_topics: {x: {topics: [a]}}\n"),
                  cc::ContradictionError);
}

TEST_CASE("contradictions: the first pass (any text for topics and word gaps) loses no match") {
  // The sentences below match a cue only through its bounded word gap and topic: the first pass
  // replaces both by "any text", and must still let every one of them through to the item's cues.
  cc::ContradictionRules r;
  r.load("schema: claimcheck/contradictions/1\n"
         "cues:\n"
         "  not-done:\n"
         "    - '\\bdid not (?:use|implement)(?:[\\s,]+[\\w’''-]+){0,4}?[\\s,]+{topic}'\n"
         "    - '{topic}(?:[\\s,]+[\\w’''-]+){0,5}?[\\s,]+was (?:dropped|skipped)\\b'\n"
         "  elsewhere:\n"
         "    - '{topic}[^.]{0,200}?https?://[\\w.-]+\\.streamlit\\.app\\b'\n"
         "item_topics:\n"
         "  profiling: {topics: ['profil(?:ing|er)\\b']}\n"
         "  frontend: {topics: [frontend, streamlit]}\n"
         "  gcp-deploy: {topics: ['cloud run'], not_done: ['\\bonly deployed locally\\b']}\n");
  cc::Report rep = report_of({{16, "Profiling?", "We did not use any kind of real profiler in the end."},
                              {20, "Frontend?", "The frontend, which we liked a lot, was dropped."},
                              {21, "Where?", "Our frontend app runs at https://x.streamlit.app for now."},
                              {22, "Deploy?", "We only deployed locally."},
                              {23, "Other?", "We did not use them. Profiling was fine."}});
  auto got = r.find(rep, {"profiling", "frontend", "gcp-deploy"});
  std::vector<std::string> seen;
  for (const auto& c : got) seen.push_back(c.item + "/" + c.kind + "/" + std::to_string(c.question));
  CHECK(seen == std::vector<std::string>{"profiling/not-done/16", "frontend/not-done/20",
                                         "frontend/elsewhere/21", "gcp-deploy/not-done/22"});
}

namespace {

// The built-in rules, their first pass an RE2::Set from `from` sentences on.
cc::ContradictionRules builtin_with_set_from(std::size_t from) {
  cc::ContradictionRules r;
  r.load(cc::find_embedded(cc::embedded_catalog(), "catalog/contradictions.yaml"), "catalog/contradictions.yaml",
         /*compile_now=*/false);
  r.first_pass_set_from(from);
  return r;
}

std::string seen(const std::vector<cc::Contradiction>& got) {
  std::string out;
  for (const auto& c : got) out += c.item + "/" + c.kind + "/" + std::to_string(c.line) + "/" + c.cue + "\n";
  return out;
}

}  // namespace

TEST_CASE("contradictions: the first pass finds the same with its RE2::Set as with each cue's pattern") {
  namespace fs = std::filesystem;
  const cc::ContradictionRules with_set = builtin_with_set_from(0);
  const cc::ContradictionRules without = builtin_with_set_from(SIZE_MAX);
  // The fixtures' reports and, where ../shared is there, the course's; then one long report of
  // generated sentences, dense in the cues' words (the size the set is for).
  std::vector<std::pair<std::string, std::string>> reports;  // name, text
  for (const auto& e : fs::recursive_directory_iterator(fs::path(CC_SOURCE_DIR) / "fixtures"))
    if (e.is_regular_file() && e.path().extension() == ".md")
      reports.emplace_back(e.path().string(), cc::test::read_file(e.path()));
  const fs::path shared = fs::path(CC_SHARED_DIR) / "reports";
  if (fs::is_directory(shared)) {
    for (const auto& e : fs::directory_iterator(shared))
      if (e.path().extension() == ".md") reports.emplace_back(e.path().string(), cc::test::read_file(e.path()));
  } else {
    MESSAGE("the course's reports skipped: " << shared.string() << " does not exist");
  }
  const char* words[] = {"we", "did", "not", "have", "time", "to", "implement", "the", "docker", "image", "but",
                         "used", "dvc", "for", "data", "versioning", "profiling", "was", "dropped", "frontend",
                         "streamlit", "https://x.streamlit.app", "cloud", "run", "never", "deployed", "locally",
                         "only", "monitoring", "skipped", "quantization", "would", "like", "sweep", "wandb"};
  std::string long_answer;
  unsigned seed = 7;
  for (int s = 0; s < 2000; ++s) {
    const int n = 4 + int((seed = seed * 1103515245u + 12345u) >> 16) % 20;
    for (int w = 0; w < n; ++w) {
      long_answer += words[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof words / sizeof *words)];
      long_answer += ' ';
    }
    long_answer += ".\n";
  }
  reports.emplace_back("generated", "# R\n\n## Overall project checklist\n\n* [x] Use profiling (M12)\n\n"
                                    "### Question 16\n\n> **Profiling?**\n>\n> Answer:\n\n" + long_answer);
  std::size_t found = 0;
  for (const auto& [name, text] : reports) {
    CAPTURE(name);
    const cc::Report rep = cc::parse_report(text, "reports/README.md");
    const std::string a = seen(with_set.find(rep, kAll)), b = seen(without.find(rep, kAll));
    CHECK(a == b);
    found += !a.empty();
  }
  CHECK(found >= 3);  // the comparison saw contradictions, not only empty answers
}
