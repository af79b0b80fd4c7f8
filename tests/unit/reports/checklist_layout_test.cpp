// Checklist items are found whatever the layout the group gave them (issue 8, part 1): headings are
// hints, every list item with a bracketed mark before the questions counts.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "reports/report.h"

using cc::parse_report;
using cc::Report;

namespace {

// The questions part of a report: "### Question 1" with its prompt and answer.
const std::string kQuestions =
    "\n## Group information\n"
    "\n"
    "### Question 1\n"
    "> **Enter the group number you signed up on**\n"
    ">\n"
    "> Answer:\n"
    "\n"
    "42\n"
    "\n"
    "- [x] a task list inside an answer is no checklist item (M5)\n";

bool has_problem(const Report& r, const std::string& part) {
  for (const auto& p : r.problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}

// The items' texts, ticks and sections in one string, for compact checks.
std::string summary(const Report& r) {
  std::string s;
  for (const auto& c : r.checklist)
    s += std::string(c.ticked ? "+" : "-") + "[" + c.mark + "] " + c.text + " @" + std::to_string(c.line) +
         " {" + c.section + "}\n";
  return s;
}

}  // namespace

TEST_CASE("layout: week headings promoted to ## below the checklist heading") {
  const Report r = parse_report(
      "# Exam template for 02476 Machine Learning Operations\n"
      "\n"
      "## Overall project checklist\n"
      "\n"
      "The checklist is exhaustive.\n"
      "\n"
      "## Week 1\n"
      "\n"
      "* [x] Create a git repository (M5)\n"
      "* [ ] Use profiling to optimize your code (M12)\n"
      "\n"
      "## Week 2\n"
      "\n"
      "* [X] Get some continuous integration running on the GitHub repository (M17)\n" +
          kQuestions,
      "r.md");
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @9 {Week 1}\n"
        "-[ ] Use profiling to optimize your code (M12) @10 {Week 1}\n"
        "+[X] Get some continuous integration running on the GitHub repository (M17) @14 {Week 2}\n");
  CHECK(r.checklist_line == 3);
  CHECK(has_problem(r, "3 of the 3 checklist items stand outside the checklist heading's section (line 3)"));
  REQUIRE(r.answers.size() == 1);
}

TEST_CASE("layout: week headings at level 1, no checklist heading") {
  const Report r = parse_report(
      "# Week 1\n"
      "\n"
      "- [x] Create a git repository (M5)\n"
      "\n"
      "# Week 2\n"
      "\n"
      "- [ ] Write unit tests related to the data part of your code (M16)\n" +
          kQuestions,
      "r.md");
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @3 {Week 1}\n"
        "-[ ] Write unit tests related to the data part of your code (M16) @7 {Week 2}\n");
  CHECK(r.checklist_line == 0);
  CHECK(has_problem(r, "no checklist heading; took the 2 list items with a box before the first question"));
}

TEST_CASE("layout: bold-only paragraphs name the sections") {
  const Report r = parse_report(
      "# Our report\n"
      "\n"
      "## Overall project checklist\n"
      "\n"
      "**Week 1**\n"
      "\n"
      "+ [x] Create a git repository (M5)\n"
      "\n"
      "**Week 2** and some words\n"
      "\n"
      "+ [x] Calculate the code coverage (M16)\n"
      "\n"
      "__Extra__\n"
      "\n"
      "1. [ ] Create an architectural diagram (M21)\n" +
          kQuestions,
      "r.md");
  // "**Week 2** and some words" is prose, not a section name.
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @7 {Week 1}\n"
        "+[x] Calculate the code coverage (M16) @11 {Week 1}\n"
        "-[ ] Create an architectural diagram (M21) @15 {Extra}\n");
  CHECK(r.checklist_line == 3);
  CHECK(r.problems.empty());
}

TEST_CASE("layout: a renamed checklist heading") {
  const Report r = parse_report(
      "# MLOps project report\n"
      "\n"
      "## What we did\n"
      "\n"
      "### Week 1\n"
      "\n"
      "* [x] Create a git repository (M5)\n"
      "* [x] Create a dedicated environment for you project to keep track of your packages (M2)\n" +
          kQuestions,
      "r.md");
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @7 {Week 1}\n"
        "+[x] Create a dedicated environment for you project to keep track of your packages (M2) @8 {Week 1}\n");
  CHECK(has_problem(r, "no checklist heading"));
}

TEST_CASE("layout: no heading at all before the questions") {
  const Report r = parse_report(
      "Our group's report, checklist first.\n"
      "\n"
      "- [x] Create a git repository (M5)\n"
      "- [ ] Add pre-commit hooks to your version control setup (M18)\n" +
          kQuestions,
      "r.md");
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @3 {}\n"
        "-[ ] Add pre-commit hooks to your version control setup (M18) @4 {}\n");
  CHECK(has_problem(r, "no checklist heading; took the 2 list items"));
}

TEST_CASE("layout: a file that starts with the checklist") {
  const Report r = parse_report(
      "* [x] Create a git repository (M5)\n"
      "* [ ] Add pre-commit hooks to your version control setup (M18)\n"
      "### Question 1\n"
      "> **Group?**\n"
      ">\n"
      "> Answer:\n"
      "\n"
      "7\n",
      "r.md");
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @1 {}\n"
        "-[ ] Add pre-commit hooks to your version control setup (M18) @2 {}\n");
  CHECK(r.answers.size() == 1);
}

TEST_CASE("layout: the questions start at a Question heading of any level") {
  for (const std::string hashes : {"#", "##", "###", "####"}) {
    CAPTURE(hashes);
    const Report r = parse_report(
        "## Week 1\n\n* [x] Create a git repository (M5)\n\n" + hashes +
            " Question 1\n\n> Answer:\n\n* [x] an answer's list (M6)\n",
        "r.md");
    CHECK(summary(r) == "+[x] Create a git repository (M5) @3 {Week 1}\n");
  }
}

TEST_CASE("layout: the questions start at a known template prompt when the Question heading is gone") {
  // "Enter the study number for each member in the group" is question 2's prompt in the 2025 templates.
  const Report r = parse_report(
      "## Week 1\n"
      "\n"
      "* [x] Create a git repository (M5)\n"
      "\n"
      "> **Enter the study number for each member in the group**\n"
      ">\n"
      "> Answer:\n"
      "\n"
      "* [x] s123456 (M5)\n",
      "r.md");
  CHECK(summary(r) == "+[x] Create a git repository (M5) @3 {Week 1}\n");
}

TEST_CASE("layout: a checklist placed after the questions keeps its section") {
  const Report r = parse_report(
      "# Report\n"
      "\n"
      "### Question 1\n"
      "> **Group?**\n"
      ">\n"
      "> Answer:\n"
      "\n"
      "7\n"
      "\n"
      "## Overall project checklist\n"
      "\n"
      "### Week 1\n"
      "\n"
      "* [x] Create a git repository (M5)\n",
      "r.md");
  CHECK(summary(r) == "+[x] Create a git repository (M5) @14 {Week 1}\n");
  CHECK(r.checklist_line == 10);
}

TEST_CASE("layout: a level-1 checklist heading counts when it holds the items") {
  const Report r = parse_report("# Checklist\n\n* [x] Create a git repository (M5)\n" + kQuestions, "r.md");
  CHECK(r.checklist.size() == 1);
  CHECK(r.checklist_line == 1);
  CHECK(r.problems.empty());
}

TEST_CASE("marks: escaped brackets of a markdown formatter") {
  const Report r = parse_report(
      "## Overall project checklist\n"
      "\n"
      "### Week 1\n"
      "\n"
      "- \\[x\\] Create a git repository (M5)\n"
      "- \\[ \\] Use profiling to optimize your code (M12)\n"
      "- \\[X\\] Calculate the code coverage (M16)\n"
      "- \\[x] Half-escaped (M17)\n" +
          kQuestions,
      "r.md");
  REQUIRE(r.checklist.size() == 4);
  CHECK(summary(r) ==
        "+[x] Create a git repository (M5) @5 {Week 1}\n"
        "-[ ] Use profiling to optimize your code (M12) @6 {Week 1}\n"
        "+[X] Calculate the code coverage (M16) @7 {Week 1}\n"
        "+[x] Half-escaped (M17) @8 {Week 1}\n");
  for (const auto& c : r.checklist) CHECK_FALSE(c.odd_mark);
  CHECK(r.problems.empty());
}

TEST_CASE("marks: every mark, ticked or not, recorded as written") {
  struct Case {
    const char* mark;
    bool ticked, odd;
  };
  const Case cases[] = {
      {"x", true, false},       {"X", true, false},  {" ", false, false},     {"", false, true},
      {"✅", true, true},        {"✔️", true, true},   {"☑", true, true},       {"%", false, true},
      {"50%", false, true},     {"100%", false, true}, {" 50% ", false, true}, {"/", false, true},
      {"-", false, true},       {"~", false, true},  {"?", false, true},      {"❌", false, true},
      {" x", true, true},       {"x  ", true, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.mark);
    const Report r = parse_report("## Checklist\n\n* [" + std::string(c.mark) + "] Create a git repository (M5)\n" +
                                      kQuestions,
                                  "r.md");
    REQUIRE(r.checklist.size() == 1);
    CHECK(r.checklist[0].mark == c.mark);
    CHECK(r.checklist[0].ticked == c.ticked);
    CHECK(r.checklist[0].odd_mark == c.odd);
    CHECK(r.checklist[0].text == "Create a git repository (M5)");
    CHECK(r.checklist[0].line == 3);
  }
}

TEST_CASE("marks: links, references and words in brackets are not marks") {
  const Report r = parse_report(
      "## Week 1\n"
      "\n"
      "* [docs](https://example.com) are on GitHub Pages\n"
      "* [ref][x] is a reference link\n"
      "* [a]: https://example.com\n"
      "* [ok] is a shortcut reference defined below\n"
      "* [TODO] finish the API\n"
      "* [Week 1] is no mark\n"
      "* [123456] is too long for a mark\n"
      "* [x] Create a git repository (M5)\n"
      "\n"
      "[ok]: https://example.com/ok\n" +
          kQuestions,
      "r.md");
  CHECK(summary(r) == "+[x] Create a git repository (M5) @10 {Week 1}\n");
}

TEST_CASE("layout: hostile shapes stay linear (many bold labels, many checklist headings, many items)") {
  std::string labels, headings, marks;
  for (int i = 0; i < 100000; ++i) labels += "**Week " + std::to_string(i) + "**\n\n- [x] item (M5)\n\n";
  for (int i = 0; i < 50000; ++i) headings += "# Checklist " + std::to_string(i) + "\n## sub\n";
  headings += "- [x] the only item (M5)\n";
  for (int i = 0; i < 50000; ++i) marks += "- \\[" + std::string(i % 7, '%') + "\\] [" + std::string(i % 9, '[') + "\n";
  for (const std::string* in : {&labels, &headings, &marks}) {
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_NOTHROW(parse_report(*in, "hostile"));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE(secs << " s");  // printed, not asserted: no test asserts wall-clock time
  }
  const Report r = parse_report(labels, "labels");
  REQUIRE(r.checklist.size() == 100000);
  CHECK(r.checklist.back().section == "Week 99999");
  const Report h = parse_report(headings, "headings");
  REQUIRE(h.checklist.size() == 1);
  CHECK(h.checklist_line == 99999);  // the last "# Checklist" holds the item
}
