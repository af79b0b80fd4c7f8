// The parsed report: which template version it follows, its checklist items and its answers.
// Built by parse_report() (report_parser.cpp) from markdown with cmark-gfm + tasklist.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

struct ChecklistItem {
  std::string text;     // full text, continuation lines joined, markdown kept as written
  std::string module;   // "M17", "M2+M6", or "" when the item names none
  bool ticked = false;  // [x] or [X]
  std::string mark;     // what stood in the box: " ", "x", "X", "✅", "-", "/", ...
  bool odd_mark = false;  // a mark other than " ", "x", "X" (reported with what it was)
  int line = 0;         // 1-based line in the report file
  std::string section;  // the heading above it ("Week 1", ...)
};

struct Answer {
  int question = 0;           // question number from "### Question N" (or position)
  std::string text;           // as the course's checker sees it (after "Answer:")
  int line = 0;               // line where the answer text starts
  int words = 0;              // whitespace-separated words, like reports/report.py
  int images = 0;             // ![..](..) links, like reports/report.py
  std::optional<int> min_words, max_words, min_images, max_images;  // this version's limits
  bool placeholder = false;   // still holds "--- question N fill here ---"
  std::string prompt;         // the question's bold prompt, plain text
};

struct TemplateMatch {
  std::string version;        // e.g. "2026-01-09_eb7305c5", "" if nothing is close
  std::string family;         // "2025" (52/53 items, 31 q), "2023" (36 items, 27 q), "2022" (no checklist)
  double similarity = 0.0;    // 0..1, share of the version's fingerprints found in the report
  std::vector<std::string> differences;  // what differs from that version, one sentence each
};

struct Heading {
  int level = 0;        // 1..6
  std::string text;     // plain text (markup removed)
  int line = 0;         // 1-based line in the report file
};

struct Report {
  std::string path;           // as given (repo path or file path)
  std::string source;         // "repo" or "file"
  TemplateMatch tmpl;
  std::vector<ChecklistItem> checklist;
  std::vector<Answer> answers;
  std::vector<std::string> problems;  // parse trouble worth telling (partial result)
  std::vector<Heading> headings;      // every heading in document order (template recognition)
  int checklist_line = 0;             // line of the checklist heading, 0 when none was found

  const Answer* answer(int question) const;
};

// Parse report markdown. Never throws on hostile input; trouble goes to Report::problems.
Report parse_report(std::string_view markdown, std::string path);

}  // namespace cc
