#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "reports/report.h"
#include "reports/text_util.h"

using cc::parse_report;
using cc::Report;

namespace {

// A small report in the shape of the course template: checklist, then questions.
std::string mini_report(const std::string& checklist, const std::string& q7_answer = "We have 4 tests.") {
  return "# Exam template for 02476 Machine Learning Operations\n"
         "\n"
         "## Overall project checklist\n"
         "\n"
         "### Week 1\n"
         "\n" +
         checklist +
         "\n"
         "## Group information\n"
         "\n"
         "### Question 1\n"
         "> **Enter the group number you signed up on**\n"
         ">\n"
         "> Answer:\n"
         "\n"
         "42\n"
         "\n"
         "### Question 7\n"
         "\n"
         "> **How many tests did you implement and what are they testing in your code?**\n"
         "> **Second prompt line.**\n"
         ">\n"
         "> Answer:\n"
         "\n" +
         q7_answer + "\n";
}

template <size_t N>
std::string lit(const char (&a)[N]) {  // a literal with NUL bytes inside
  return std::string(a, N - 1);
}

bool has_problem(const Report& r, const std::string& part) {
  for (const auto& p : r.problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("checklist: [x], [X], [ ], continuation lines, module codes, lines and sections") {
  const std::string md = mini_report(
      "* [x] Create a git repository (M5)\n"
      "* [X] Remember to fill out the `requirements.txt` files or keeping your\n"
      "    `pyproject.toml` up-to-date (M2+M6)\n"
      "* [ ] Use profiling to optimize your code (M12)\n"
      "* [ ] Uploaded all your code to GitHub\n"
      "\n"
      "### Week 2\n"
      "\n"
      "- [x] Get some continuous integration running (M17)\n");
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.checklist.size() == 5);
  CHECK(r.checklist[0].ticked);
  CHECK(r.checklist[0].mark == "x");
  CHECK(r.checklist[0].module == "M5");
  CHECK(r.checklist[0].line == 7);
  CHECK(r.checklist[0].section == "Week 1");
  CHECK_FALSE(r.checklist[0].odd_mark);
  CHECK(r.checklist[1].ticked);
  CHECK(r.checklist[1].mark == "X");
  CHECK(r.checklist[1].text ==
        "Remember to fill out the `requirements.txt` files or keeping your `pyproject.toml` up-to-date (M2+M6)");
  CHECK(r.checklist[1].module == "M2+M6");
  CHECK_FALSE(r.checklist[2].ticked);
  CHECK(r.checklist[2].mark == " ");
  CHECK(r.checklist[3].module == "");
  CHECK(r.checklist[4].section == "Week 2");
  CHECK(r.checklist[4].line == 15);
  CHECK(r.checklist_line == 3);
  CHECK(r.problems.empty());
}

TEST_CASE("checklist: odd marks are found and reported with what they were") {
  const std::string md = mini_report(
      "* [✅] Create a git repository (M5)\n"
      "* [-] Make sure all team members have write access (M5)\n"
      "* [/] Create a dedicated environment (M2)\n"
      "* [ x] Setup version control for your data (M8)\n"
      "* [] Add command line interfaces (M9)\n"
      "* [✔️] Construct one or multiple docker files (M10)\n"
      "* [❌] Use Weights & Biases (M14)\n"
      "* [link](http://example.com) is not a checklist item\n"
      "> * [x] Quoted item (M11)\n");
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.checklist.size() == 8);
  CHECK(r.checklist[0].mark == "✅");
  CHECK(r.checklist[0].odd_mark);
  CHECK(r.checklist[0].ticked);
  CHECK(r.checklist[0].text == "Create a git repository (M5)");
  CHECK(r.checklist[1].mark == "-");
  CHECK_FALSE(r.checklist[1].ticked);
  CHECK(r.checklist[2].mark == "/");
  CHECK_FALSE(r.checklist[2].ticked);
  CHECK(r.checklist[3].mark == " x");
  CHECK(r.checklist[3].odd_mark);
  CHECK(r.checklist[3].ticked);
  CHECK(r.checklist[4].mark == "");
  CHECK_FALSE(r.checklist[4].ticked);
  CHECK(r.checklist[5].ticked);
  CHECK_FALSE(r.checklist[6].ticked);
  // "[x]" inside a block quote is not a task for cmark-gfm but is an ordinary tick.
  CHECK(r.checklist[7].mark == "x");
  CHECK(r.checklist[7].ticked);
  CHECK_FALSE(r.checklist[7].odd_mark);
  CHECK(r.checklist[7].module == "M11");
}

TEST_CASE("checklist: nested and tab-indented items, ordered lists, item starting on the next line") {
  const std::string md = mini_report(
      "* [ ] Parent item (M5)\n"
      "\t* [x] Tab-indented child (M6)\n"
      "  * [X] Space-indented child\n"
      "    over two lines (M7)\n"
      "1. [x] Ordered item (M8)\n"
      "-\n"
      "  [x] Late item (M9)\n");
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.checklist.size() == 5);
  CHECK(r.checklist[1].text == "Tab-indented child (M6)");
  CHECK(r.checklist[1].ticked);
  CHECK(r.checklist[2].text == "Space-indented child over two lines (M7)");
  CHECK(r.checklist[3].module == "M8");
  CHECK(r.checklist[3].ticked);
  CHECK(r.checklist[4].text == "Late item (M9)");
  CHECK(r.checklist[4].line == 13);
  CHECK(r.checklist[4].ticked);
}

TEST_CASE("checklist: only the checklist section counts") {
  std::string md = mini_report("* [x] Create a git repository (M5)\n");
  md += "\n* [x] a task list inside an answer is no checklist item\n";
  const Report r = parse_report(md, "README.md");
  CHECK(r.checklist.size() == 1);
}

TEST_CASE("checklist: no checklist heading -> items before the first question, or none") {
  const Report none = parse_report(
      "# Report\n\n## Group information\n\n### Question 1\n> **Group?**\n>\n> Answer:\n\n42\n", "r.md");
  CHECK(none.checklist.empty());
  CHECK(has_problem(none, "no checklist section found"));
  REQUIRE(none.answers.size() == 1);
  CHECK(none.answers[0].text == "42");

  const Report bare = parse_report(
      "# Report\n\n* [x] Create a git repository (M5)\n* [ ] Load test (M24)\n\n### Question 1\n"
      "> **Group?**\n>\n> Answer:\n\n42\n\n* [x] not an item\n",
      "r.md");
  CHECK(bare.checklist.size() == 2);
  CHECK(bare.checklist[0].ticked);
  CHECK(has_problem(bare, "no checklist heading"));
}

TEST_CASE("answers: text, words, images, line, prompt and placeholder like report.py") {
  const std::string md = mini_report("* [x] Create a git repository (M5)\n",
                                     "We have **4** tests. ![fig](figures/a.png) and ![b](c.png)\n"
                                     "<br>\nmore words here");
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.answers.size() == 2);
  const cc::Answer* q1 = r.answer(1);
  REQUIRE(q1);
  CHECK(q1->text == "42");  // stripped of newlines, cut at the next "###"
  CHECK(q1->words == 1);
  CHECK(q1->line == 16);
  CHECK(q1->prompt == "Enter the group number you signed up on");
  const cc::Answer* q7 = r.answer(7);
  REQUIRE(q7);
  CHECK(q7->images == 2);
  // "We have **4** tests. ![fig](figures/a.png) and ![b](c.png)" = 7 words, "<br>" 1, "more words here" 3
  CHECK(q7->words == 11);
  CHECK(q7->prompt == "How many tests did you implement and what are they testing in your code? Second prompt line.");
  CHECK_FALSE(q7->placeholder);
  CHECK(q7->line == 25);
}

TEST_CASE("answers: placeholders, answers left inside the markers, section cut") {
  const std::string md =
      "## Group information\n\n### Question 1\n> **A?**\n>\n> Answer:\n\n--- question 1 fill here ---\n\n"
      "### Question 2\n> **B?**\n>\n> Answer:\n\n---   Question 2   fill here---\nWe wrote our answer inside.\n\n"
      "## Coding environment\n\n> intro text that report.py does not count\n\n"
      "### Question 3\n> **C?**\n>\n> Answer:\n\n--- question 3 fill here ---\nFinal words\n";
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.answers.size() == 3);
  CHECK(r.answers[0].placeholder);
  CHECK(r.answers[0].words == 6);
  CHECK(r.answers[1].placeholder);
  CHECK(r.answers[1].text.find("intro text") == std::string::npos);  // cut at "##"
  CHECK(r.answers[1].text.find("We wrote our answer inside.") != std::string::npos);
  CHECK(r.answers[2].placeholder);
  CHECK(r.answers[2].words == 8);
}

TEST_CASE("answers: duplicate and removed questions, headings changed") {
  const std::string md =
      "# Our report\n\n### Question 1\n> **A?**\n>\n> Answer:\n\none\n\n"
      "### Question 3\n> **C?**\n>\n> Answer:\n\nthree\n\n"
      "### Question 3\n> **C?**\n>\n> Answer:\n\nthree again\n\n"
      "#### Question 4: no answer line\n\nfour\n";
  const Report r = parse_report(md, "README.md");
  REQUIRE(r.answers.size() == 3);
  CHECK(r.answers[0].question == 1);
  CHECK(r.answers[1].question == 3);
  CHECK(r.answers[1].text == "three");
  CHECK(r.answers[2].question == 4);
  CHECK(r.answers[2].text == "four");
  CHECK(has_problem(r, "question 3 appears twice"));
  CHECK(has_problem(r, "question 4 without an \"Answer:\" line"));
}

TEST_CASE("CRLF line endings give the same result as LF") {
  std::string md = mini_report("* [x] Create a git repository (M5)\n* [X] Write unit tests\n  for data (M16)\n");
  std::string crlf;
  for (char c : md) {
    if (c == '\n') crlf += "\r\n";
    else crlf.push_back(c);
  }
  const Report a = parse_report(md, "a"), b = parse_report(crlf, "b");
  REQUIRE(a.checklist.size() == b.checklist.size());
  for (size_t i = 0; i < a.checklist.size(); ++i) {
    CHECK(a.checklist[i].text == b.checklist[i].text);
    CHECK(a.checklist[i].line == b.checklist[i].line);
    CHECK(a.checklist[i].ticked == b.checklist[i].ticked);
  }
  REQUIRE(a.answers.size() == b.answers.size());
  for (size_t i = 0; i < a.answers.size(); ++i) {
    CHECK(a.answers[i].text == b.answers[i].text);
    CHECK(a.answers[i].words == b.answers[i].words);
    CHECK(a.answers[i].line == b.answers[i].line);
  }
}

TEST_CASE("empty input, whitespace only, NUL bytes and invalid UTF-8 do not crash") {
  CHECK_NOTHROW(parse_report("", "empty"));
  const Report e = parse_report("", "empty");
  CHECK(e.checklist.empty());
  CHECK(e.answers.empty());
  CHECK(has_problem(e, "empty"));
  CHECK_NOTHROW(parse_report("\n\n  \n", "ws"));

  std::string nul = mini_report(lit("* [x] Create a git\0 repository (M5)\n"), lit("We have 4\0\0 tests\xff\xfe."));
  nul.insert(0, std::string("\0\0\0", 3));
  const Report r = parse_report(nul, "nul");
  REQUIRE(r.checklist.size() == 1);
  CHECK(r.checklist[0].ticked);
  CHECK(r.checklist[0].module == "M5");
  const cc::Answer* q7 = r.answer(7);
  REQUIRE(q7);
  CHECK(q7->words == 4);
}

TEST_CASE("a 100,000-word answer is counted quickly") {
  std::string big;
  big.reserve(700000);
  for (int i = 0; i < 100000; ++i) big += (i % 17 == 0) ? "**word** " : "word ";
  const auto t0 = std::chrono::steady_clock::now();
  const Report r = parse_report(mini_report("* [x] Create a git repository (M5)\n", big), "big");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const cc::Answer* q7 = r.answer(7);
  REQUIRE(q7);
  CHECK(q7->words == 100000);
  CHECK(secs < 5.0);
}

TEST_CASE("hostile markdown: deep nesting, long bracket runs, many headings") {
  std::vector<std::string> inputs;
  inputs.push_back(std::string(50000, '>') + " x\n");
  std::string nested;
  for (int i = 0; i < 2000; ++i) nested += std::string(2 * i, ' ') + "- [x] item\n";
  inputs.push_back("## Checklist\n" + nested);
  inputs.push_back(std::string(100000, '['));
  inputs.push_back(std::string(100000, '*') + "a" + std::string(100000, '_'));
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "### Question " + std::to_string(i % 50) + "\n> Answer:\n![a](b";
  inputs.push_back(many);
  std::string links;
  for (int i = 0; i < 50000; ++i) links += "![x](";
  inputs.push_back("### Question 1\n> Answer:\n" + links);
  for (const auto& in : inputs) {
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_NOTHROW(parse_report(in, "hostile"));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(secs < 5.0);
  }
  const Report r = parse_report("## Checklist\n" + nested, "nested");
  CHECK(r.checklist.size() == 2000);
}

TEST_CASE("word and image counts mirror Python") {
  using cc::text::python_image_count;
  using cc::text::python_word_count;
  CHECK(python_word_count("") == 0);
  CHECK(python_word_count("  a b\tc\n d ") == 4);
  CHECK(python_word_count("a\xC2\xA0" "b") == 2);        // NBSP splits in Python
  CHECK(python_word_count("a\xE3\x80\x80" "b") == 2);    // ideographic space
  CHECK(python_word_count("a\x1f" "b") == 2);            // unit separator is whitespace for str.split
  CHECK(python_image_count("![a](b)") == 1);
  CHECK(python_image_count("![a](b) ![c](d)") == 2);
  CHECK(python_image_count("![a]\n(b)") == 0);           // '.' does not cross lines
  CHECK(python_image_count("![a](b") == 0);
  CHECK(python_image_count("![a] ](b)") == 1);
  CHECK(python_image_count("![![a](b)") == 1);
  CHECK(python_image_count("<img src=\"x.png\">") == 0);
}

TEST_CASE("a title that mentions the checklist is not the checklist section") {
  cc::Report r = cc::parse_report(
      "# Report without a checklist\n\n## Group information\n\n### Question 1\n> **Group?**\n>\n> Answer:\n\n7\n",
      "r.md");
  CHECK(r.checklist.empty());
  CHECK(r.checklist_line == 0);
  for (const auto& p : r.problems) CHECK(p.find("has no items") == std::string::npos);
}
