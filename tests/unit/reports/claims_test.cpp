#include <doctest/doctest.h>

#include <string>

#include "reports/claims.h"
#include "reports/report.h"

using cc::extract_test_count_from;

TEST_CASE("test count: qualifiers") {
  auto c = extract_test_count_from("We implemented approximately 45 tests across multiple test files.", 7);
  CHECK(c.claimed == 45);
  CHECK(c.qualifier == "approximately");
  CHECK(c.unit == "tests");
  CHECK(c.wording == "approximately 45 tests");
  CHECK(c.quote == "We implemented approximately 45 tests across multiple test files.");

  c = extract_test_count_from("We have over 200 tests.", 7);
  CHECK(c.claimed == 200);
  CHECK(c.qualifier == "over");
  c = extract_test_count_from("There are more than 30 unit tests.", 7);
  CHECK(c.claimed == 30);
  CHECK(c.qualifier == "over");
  c = extract_test_count_from("We wrote ~25 tests", 7);
  CHECK(c.claimed == 25);
  CHECK(c.qualifier == "approximately");
  c = extract_test_count_from("We wrote around 25 tests and roughly 3 test files", 7);
  CHECK(c.qualifier == "approximately");
  c = extract_test_count_from("We wrote 45+ tests", 7);
  CHECK(c.claimed == 45);
  CHECK(c.qualifier == "at least");
  c = extract_test_count_from("We wrote at least 12 tests", 7);
  CHECK(c.qualifier == "at least");
  c = extract_test_count_from("We wrote almost 50 tests", 7);
  CHECK(c.qualifier == "almost");
  c = extract_test_count_from("We wrote fewer than 10 tests", 7);
  CHECK(c.qualifier == "fewer than");
}

TEST_CASE("test count: units") {
  auto c = extract_test_count_from("In total, we implemented **11 test files in total**, covering unit tests.", 7);
  CHECK_FALSE(c.claimed.has_value());
  CHECK(c.files_claimed == 11);
  CHECK(c.unit == "test files");
  c = extract_test_count_from("We have 4 tests.", 7);
  CHECK(c.claimed == 4);
  CHECK(c.qualifier == "");
  c = extract_test_count_from("In total, when writing this answer, we implemented 4 tests. They test data.", 7);
  CHECK(c.claimed == 4);
  CHECK(c.quote == "In total, when writing this answer, we implemented 4 tests.");
  c = extract_test_count_from("We wrote **14** unit tests.", 7);
  CHECK(c.claimed == 14);
  CHECK(c.unit == "tests");
  CHECK(c.wording == "14 unit tests");
  c = extract_test_count_from("We wrote _14_ test cases and 9 test functions", 7);
  CHECK(c.claimed == 14);
  c = extract_test_count_from("we have 3 files with 12 tests", 7);
  CHECK(c.claimed == 12);
  CHECK(c.files_claimed == 3);
  c = extract_test_count_from("We implemented three test modules. This makes 14 Unit tests in total", 7);
  CHECK(c.claimed == 14);
  CHECK(c.files_claimed == 3);
  c = extract_test_count_from("In total we have implemented 4 tests<br>covering the data.", 7);
  CHECK(c.claimed == 4);
  c = extract_test_count_from("The number of tests is 23.", 7);
  CHECK(c.claimed == 23);
  c = extract_test_count_from("We have 1,200 tests", 7);
  CHECK(c.claimed == 1200);
}

TEST_CASE("test count: number words") {
  CHECK(extract_test_count_from("We wrote twelve tests.", 7).claimed == 12);
  CHECK(extract_test_count_from("We wrote twenty-five tests.", 7).claimed == 25);
  CHECK(extract_test_count_from("We wrote twenty five unit tests.", 7).claimed == 25);
  CHECK(extract_test_count_from("We wrote a dozen tests.", 7).claimed == 12);
  CHECK(extract_test_count_from("We wrote two hundred tests.", 7).claimed == 200);
  CHECK(extract_test_count_from("We wrote a hundred and five tests.", 7).claimed == 105);
  CHECK(extract_test_count_from("One test checks the model.", 7).claimed == 1);
}

TEST_CASE("test count: ranges take the lower bound and keep the upper one") {
  auto c = extract_test_count_from("We have 40-50 tests.", 7);
  CHECK(c.claimed == 40);
  CHECK(c.claimed_max == 50);
  CHECK(c.qualifier == "between");
  c = extract_test_count_from("We have between 40 and 50 tests.", 7);
  CHECK(c.claimed == 40);
  CHECK(c.claimed_max == 50);
  CHECK(c.wording == "between 40 and 50 tests");
  c = extract_test_count_from("We have 40 to 50 unit tests.", 7);
  CHECK(c.claimed == 40);
  CHECK(c.claimed_max == 50);
}

TEST_CASE("test count: several numbers, the total wins, else the largest") {
  auto c = extract_test_count_from("We have 20 tests: 12 unit tests and 8 integration tests.", 7);
  CHECK(c.claimed == 20);
  c = extract_test_count_from("The data module has 5 tests. In total there are 17 tests. The API has 9 tests.", 7);
  CHECK(c.claimed == 17);
}

TEST_CASE("test count: no number, huge numbers, hostile input") {
  auto c = extract_test_count_from("We added a model test, which checks if the weights change.", 7);
  CHECK_FALSE(c.claimed.has_value());
  CHECK(c.unit.empty());
  c = extract_test_count_from("", 7);
  CHECK_FALSE(c.claimed.has_value());
  c = extract_test_count_from("We use Python 3.11 and have tests.", 7);
  CHECK_FALSE(c.claimed.has_value());

  c = extract_test_count_from("We have " + std::string(400, '9') + " tests.", 7);
  CHECK_FALSE(c.claimed.has_value());
  CHECK(c.note.find("400 digits") != std::string::npos);
  CHECK(c.quote.size() <= 300);

  std::string big;
  for (int i = 0; i < 100000; ++i) big += "word 7 ";
  big += " 33 tests";
  c = extract_test_count_from(big, 7);
  CHECK(c.claimed == 33);
  CHECK(c.quote.size() <= 300);
  CHECK_NOTHROW(extract_test_count_from(std::string(100000, '*') + std::string(100000, '<'), 7));
}

TEST_CASE("test count from a report: the question asking 'How many tests', else 7") {
  const std::string md =
      "### Question 6\n> **Something else?**\n>\n> Answer:\n\nWe have 99 tests.\n\n"
      "### Question 8\n> **How many tests did you implement?**\n>\n> Answer:\n\nWe have 8 tests.\n";
  auto c = cc::extract_test_count(cc::parse_report(md, "r.md"));
  REQUIRE(c);
  CHECK(c->question == 8);
  CHECK(c->claimed == 8);
  const std::string md7 = "### Question 7\n> **Q?**\n>\n> Answer:\n\nWe have 7 tests.\n";
  c = cc::extract_test_count(cc::parse_report(md7, "r.md"));
  REQUIRE(c);
  CHECK(c->question == 7);
  CHECK(c->claimed == 7);
  CHECK_FALSE(cc::extract_test_count(cc::parse_report("# nothing\n", "r.md")).has_value());
}
