// parse_report(): the report markdown -> Report (checklist items, answers, template match).
//
// Structure (headings, list items, paragraphs, task-list state, source lines) comes from cmark-gfm with
// the tasklist extension; texts are cut from the source lines so that markdown stays as written.
//
// Checklist items (headings are hints, not the structure: groups promote "### Week 1" to "## Week 1",
// delete the introduction, rename the checklist heading or put "**Week 1**" in bold)
// - Every list item with a bracketed mark before the questions counts, wherever it sits: the
//   questions start at the first "Question N" heading (any level) or at the first paragraph whose
//   bold text is a known template's question prompt, whichever comes first. A checklist heading
//   placed after that point still has its section's items taken, so no old layout loses items.
// - Task-list items of cmark ("[ ]", "[x]", "[X]") plus list items whose first paragraph starts with a
//   bracketed mark of 0-5 code points that cmark does not take as a task ("[✅]", "[-]", "[/]", "[ x]",
//   "[]", "[50%]", the escaped "\[x\]" a markdown formatter writes, or "[x]" inside a block quote or
//   not followed by a space). Marks of 4-5 code points hold no ASCII letter other than x/X (so
//   "[TODO]" is a word, not a mark). A bracket followed by "(", "[" or ":", or one that cmark reads as
//   a link (a reference defined elsewhere), is a link, not a mark.
// - ticked: "x"/"X" always. Odd marks count as ticked only when they clearly mean done: a mark whose only
//   non-space character is x/X ("[ x]", "[x ]"), or a check sign (✅ ✔ ✓ ☑, with or without U+FE0F).
//   Everything else ("-", "/", "~", "?", "%", "50%", "❌", "✗", "") is not ticked. odd_mark is true for
//   every mark other than " ", "x", "X" (and for " ", "x", "X" found outside cmark's task syntax it
//   stays false).
// - section: the nearest heading, or top-level paragraph that is bold only ("**Week 1**"), above.
//
// Answers (like the course's reports/report.py, but attributed to the "Question N" heading above):
// - the text after the first "Answer:" below the heading, up to the first "###" after it, then cut at
//   the first "##" (so a section heading ends the answer); the last answer of the file runs to the end
//   of the file, like report.py's per_question[-1]. Deviations: report.py drops the first 43 characters
//   of the file (a Jekyll header in old templates) -- not mirrored; an answer is also cut at the next
//   "Question N" heading of any level.
// - newlines stripped at both ends; words split on Unicode whitespace; images = ![..](..) on one line.
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_set>

#include "reports/report.h"
#include "reports/template_catalog.h"
#include "reports/text_util.h"

namespace cc {

namespace {

constexpr size_t kMaxReportBytes = 16u << 20;  // larger reports are cut (problem noted)
constexpr size_t kMaxItemText = 4000;
constexpr size_t kMaxHeadingText = 1000;
constexpr size_t kMaxPromptText = 4000;
constexpr size_t kMaxLabels = 100000;  // bold-only paragraphs kept as section names

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterDeleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

cmark_syntax_extension* tasklist_extension() {
  static cmark_syntax_extension* ext = [] {
    cmark_gfm_core_extensions_ensure_registered();
    return cmark_find_syntax_extension("tasklist");
  }();
  return ext;
}

struct RawItem {
  int line = 0, col = 0;          // list item start
  bool task = false, checked = false;
  int para_line = 0, para_col = 0, para_end = 0;  // first paragraph (0 when the first child is not one)
  bool link_first = false;  // cmark reads the paragraph's opening bracket as a link (a reference)
};

// A top-level paragraph that is bold only ("**Week 1**"): a section name like a heading.
struct BoldLabel {
  int line = 0;
  std::string text;
};

struct PromptCandidate {
  size_t heading_index = 0;
  int line = 0;
  std::string text;
};

class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  int count() const { return static_cast<int>(starts_.size()); }
  size_t offset(int line) const {  // 1-based line -> byte offset of its start
    if (line < 1) return 0;
    if (line > count()) return text_.size();
    return starts_[line - 1];
  }
  std::string_view line(int line) const {
    if (line < 1 || line > count()) return {};
    size_t b = starts_[line - 1];
    size_t e = line < count() ? starts_[line] - 1 : text_.size();
    return text_.substr(b, e - b);
  }
  int line_of(size_t offset) const {  // byte offset -> 1-based line
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    return static_cast<int>(it - starts_.begin());
  }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  return text::lower_ascii(hay).find(needle) != std::string::npos;
}

// Number of UTF-8 code points in s.
size_t codepoints(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool mark_means_done(std::string_view mark) {
  std::string m;
  for (char c : mark)
    if (c != ' ' && c != '\t') m.push_back(c);
  if (m == "x" || m == "X") return true;
  static const std::set<std::string> done = {
      "\u2705", "\u2714", "\u2714\uFE0F", "\u2713", "\u2611", "\u2611\uFE0F", "\u2705\uFE0F"};
  return done.count(m) > 0;
}

// After the list marker at `pos` in `line`: the offset just after the marker, or npos.
size_t skip_list_marker(std::string_view line, size_t pos) {
  if (pos >= line.size()) return std::string_view::npos;
  char c = line[pos];
  if (c == '-' || c == '*' || c == '+') return pos + 1;
  size_t p = pos;
  while (p < line.size() && p - pos < 9 && line[p] >= '0' && line[p] <= '9') ++p;
  if (p == pos || p >= line.size() || (line[p] != '.' && line[p] != ')')) return std::string_view::npos;
  return p + 1;
}

struct Mark {
  bool found = false;
  std::string mark;
  size_t after = 0;  // offset in the line just after ']'
};

constexpr size_t kMaxMarkCodepoints = 5;

// A bracketed mark of 0-5 code points at `pos` (after spaces) in `line`: "[x]", "[50%]", or the
// escaped "\[x\]" / "\[ \]" of a markdown formatter.
Mark read_mark(std::string_view line, size_t pos) {
  Mark m;
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  const bool escaped = pos + 1 < line.size() && line[pos] == '\\' && line[pos + 1] == '[';
  if (escaped) ++pos;
  if (pos >= line.size() || line[pos] != '[') return m;
  size_t close = line.find(']', pos + 1);
  if (close == std::string_view::npos || close - pos - 1 > 24) return m;
  std::string_view inner = line.substr(pos + 1, close - pos - 1);
  // "\[x\]": the backslash before ']' belongs to the escape, not to the mark.
  if (escaped && !inner.empty() && inner.back() == '\\') inner.remove_suffix(1);
  const size_t n = codepoints(inner);
  if (n > kMaxMarkCodepoints || inner.find('[') != std::string_view::npos ||
      inner.find('\\') != std::string_view::npos)
    return m;
  // A longer bracket with letters is a word ("[TODO]", "[docs]"), not a mark.
  if (n > 3)
    for (char c : inner)
      if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && c != 'x' && c != 'X') return m;
  m.found = true;
  m.mark = std::string(inner);
  m.after = close + 1;
  return m;
}

std::string item_module(std::string_view text) {
  static const RE2 re(R"(\(\s*([Mm]\d{1,3}(?:\s*[+,&/]\s*[Mm]\d{1,3})*)\s*\)\s*\.?\s*$)");
  std::string inner;
  if (!RE2::PartialMatch(text, re, &inner)) return {};
  std::string out;
  for (char c : inner) {
    if (c == ' ' || c == '\t') continue;
    if (c == ',' || c == '&' || c == '/') c = '+';
    if (c == 'm') c = 'M';
    out.push_back(c);
  }
  return out;
}

void collect_literal(cmark_node* n, std::string& buf, size_t cap) {
  if (buf.size() >= cap) return;
  const char* lit = cmark_node_get_literal(n);
  if (lit) buf.append(text::utf8_prefix(lit, cap - buf.size()));
}

// Is `bold` (a paragraph's bold text) the question prompt of a known template version?
bool is_known_prompt(std::string_view bold) {
  static const std::unordered_set<uint64_t> known = [] {
    std::unordered_set<uint64_t> s;
    for (const auto& v : template_versions()) s.insert(v.prompts.begin(), v.prompts.end());
    s.erase(text::fnv1a64(""));  // a question without a prompt in its template
    return s;
  }();
  const std::string normal = text::fingerprint_normal(bold);
  return !normal.empty() && known.count(text::fnv1a64(normal)) > 0;
}

// The section of a line: the nearest heading or bold-only paragraph above it ("" when none).
std::string section_above(const std::vector<Heading>& headings, const std::vector<BoldLabel>& labels, int line) {
  auto h = std::lower_bound(headings.begin(), headings.end(), line,
                            [](const Heading& x, int l) { return x.line < l; });
  auto b = std::lower_bound(labels.begin(), labels.end(), line,
                            [](const BoldLabel& x, int l) { return x.line < l; });
  const Heading* hp = h != headings.begin() ? &*std::prev(h) : nullptr;
  const BoldLabel* bp = b != labels.begin() ? &*std::prev(b) : nullptr;
  if (bp && (!hp || bp->line > hp->line)) return bp->text;
  return hp ? hp->text : std::string();
}

std::string join_numbers(const std::vector<int>& v) {
  constexpr size_t kMaxListed = 10;
  const size_t shown = std::min(v.size(), kMaxListed);
  std::string s;
  for (size_t i = 0; i < shown; ++i) {
    if (i) s += (i + 1 == shown && shown == v.size()) ? " and " : ", ";
    s += std::to_string(v[i]);
  }
  if (shown < v.size()) s += " and " + std::to_string(v.size() - shown) + " more";
  return s;
}

}  // namespace

Report parse_report(std::string_view markdown, std::string path) {
  Report r;
  r.path = std::move(path);
  if (markdown.size() > kMaxReportBytes) {
    size_t cut = markdown.rfind('\n', kMaxReportBytes);
    markdown = markdown.substr(0, cut == std::string_view::npos ? kMaxReportBytes : cut + 1);
    r.problems.push_back("report is larger than " + std::to_string(kMaxReportBytes >> 20) +
                         " MiB; only the first " + std::to_string(kMaxReportBytes >> 20) + " MiB were read");
  }
  const std::string src = text::sanitise(markdown);
  if (src.find_first_not_of(" \t\n") == std::string::npos) {
    r.problems.push_back("report is empty");
    r.tmpl = recognise_template(r);
    return r;
  }
  const Lines lines(src);

  // ---- cmark-gfm pass: headings, list items, prompt paragraphs --------------------------------
  std::vector<RawItem> items;
  std::vector<size_t> question_heading_idx;  // indices into r.headings
  std::vector<int> question_number;          // parallel
  std::vector<PromptCandidate> prompts;
  std::vector<BoldLabel> labels;  // bold-only paragraphs, in document order
  int prompt_line = 0;            // a known question prompt before any "Question N" heading
  {
    std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_SOURCEPOS));
    if (!parser) {
      r.problems.push_back("markdown parser could not be created");
      return r;
    }
    if (auto* ext = tasklist_extension()) cmark_parser_attach_syntax_extension(parser.get(), ext);
    else r.problems.push_back("cmark-gfm tasklist extension not found; ticks read from the source only");
    cmark_parser_feed(parser.get(), src.data(), src.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
    if (!doc) {
      r.problems.push_back("markdown could not be parsed");
      return r;
    }
    static const RE2 question_re(R"((?i)^\s*question\s+(\d{1,6})\b)");
    std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(doc.get()));
    cmark_event_type ev;
    bool in_heading = false, in_para = false, para_top = false, para_plain = false;
    int strong_depth = 0;
    std::string heading_buf, strong_buf;
    int para_line = 0;
    bool have_question = false, question_has_prompt = true;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
      cmark_node* n = cmark_iter_get_node(it.get());
      const cmark_node_type t = cmark_node_get_type(n);
      const bool enter = ev == CMARK_EVENT_ENTER;
      if (t == CMARK_NODE_HEADING) {
        if (enter) {
          in_heading = true;
          heading_buf.clear();
        } else {
          in_heading = false;
          Heading h;
          h.level = cmark_node_get_heading_level(n);
          h.line = cmark_node_get_start_line(n);
          h.text = text::collapse_ws(heading_buf);
          std::string num;
          if (RE2::PartialMatch(h.text, question_re, &num)) {
            question_heading_idx.push_back(r.headings.size());
            question_number.push_back(std::stoi(num));
            have_question = true;
            question_has_prompt = false;
          }
          r.headings.push_back(std::move(h));
        }
      } else if (t == CMARK_NODE_ITEM && enter) {
        RawItem ri;
        ri.line = cmark_node_get_start_line(n);
        ri.col = cmark_node_get_start_column(n);
        const char* ts = cmark_node_get_type_string(n);
        if (ts && std::string_view(ts) == "tasklist") {
          ri.task = true;
          ri.checked = cmark_gfm_extensions_get_tasklist_item_checked(n);
        }
        cmark_node* first = cmark_node_first_child(n);
        if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
          ri.para_line = cmark_node_get_start_line(first);
          ri.para_col = cmark_node_get_start_column(first);
          ri.para_end = cmark_node_get_end_line(first);
          cmark_node* inline0 = cmark_node_first_child(first);
          ri.link_first = inline0 && cmark_node_get_type(inline0) == CMARK_NODE_LINK;
        }
        items.push_back(ri);
      } else if (t == CMARK_NODE_PARAGRAPH) {
        if (enter) {
          in_para = true;
          strong_depth = 0;
          strong_buf.clear();
          para_plain = false;
          cmark_node* parent = cmark_node_parent(n);
          para_top = parent && cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
          para_line = cmark_node_get_start_line(n);
        } else {
          in_para = false;
          std::string p = text::collapse_ws(strong_buf);
          if (have_question && !question_has_prompt) {
            if (!p.empty()) {
              prompts.push_back({question_heading_idx.size() - 1, para_line, p});
              question_has_prompt = true;
            }
          } else if (!have_question && prompt_line == 0 && is_known_prompt(p)) {
            prompt_line = para_line;  // the questions start here even without a "Question N" heading
          }
          if (para_top && !para_plain && !p.empty() && labels.size() < kMaxLabels)
            labels.push_back({para_line, std::string(text::utf8_prefix(p, kMaxHeadingText))});
        }
      } else if (t == CMARK_NODE_STRONG) {
        if (in_para) {
          if (enter) ++strong_depth;
          else {
            --strong_depth;
            if (strong_depth == 0 && strong_buf.size() < kMaxPromptText) strong_buf.push_back(' ');
          }
        }
      } else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE) {
        if (in_heading) collect_literal(n, heading_buf, kMaxHeadingText);
        else if (in_para && strong_depth > 0) collect_literal(n, strong_buf, kMaxPromptText);
        else if (in_para && !para_plain) {
          const char* lit = cmark_node_get_literal(n);
          para_plain = lit && std::string_view(lit).find_first_not_of(" \t\n") != std::string_view::npos;
        }
      } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
        if (in_heading && heading_buf.size() < kMaxHeadingText) heading_buf.push_back(' ');
        else if (in_para && strong_depth > 0 && strong_buf.size() < kMaxPromptText) strong_buf.push_back(' ');
      }
    }
  }

  // ---- checklist items ----------------------------------------------------------------------------
  // The questions start at the first "Question N" heading or known prompt; items before count.
  int first_question_line = question_heading_idx.empty()
                                ? lines.count() + 1
                                : r.headings[question_heading_idx.front()].line;
  if (prompt_line > 0) first_question_line = std::min(first_question_line, prompt_line);
  // The checklist heading is a hint: where its section ends says nothing about where items stop.
  auto section_end = [&](size_t i) {  // last line of heading i's section
    for (size_t j = i + 1; j < r.headings.size(); ++j)
      if (r.headings[j].level <= r.headings[i].level) return r.headings[j].line - 1;
    return lines.count();
  };
  int cl_begin = 0, cl_end = -1;  // the checklist heading's section (inclusive), empty when none
  for (size_t i = 0; i < r.headings.size(); ++i) {
    // The document title ("# ... report, no checklist") is not the checklist section.
    if (r.headings[i].level < 2 || !contains_ci(r.headings[i].text, "checklist")) continue;
    r.checklist_line = r.headings[i].line;
    cl_begin = r.headings[i].line + 1;
    cl_end = section_end(i);
    break;
  }
  // A checklist moved below the questions keeps its section's items (never lose what was found).
  const bool late_section = r.checklist_line >= first_question_line;
  auto taken = [&](int line) {
    return line < first_question_line || (late_section && line >= cl_begin && line <= cl_end);
  };

  for (const RawItem& ri : items) {
    if (!taken(ri.line)) continue;
    std::string_view line = lines.line(ri.line);
    size_t col = static_cast<size_t>(std::max(ri.col, 1) - 1);
    const bool quoted = line.substr(0, std::min(col, line.size())).find('>') != std::string_view::npos;
    size_t after_marker = skip_list_marker(line, col);
    if (after_marker == std::string_view::npos) {  // columns off (tabs): the first marker on the line
      const size_t first = line.find_first_not_of(" \t>");
      if (first != std::string_view::npos) after_marker = skip_list_marker(line, first);
    }
    if (after_marker == std::string_view::npos) continue;
    int mark_line = ri.line;
    std::string_view rest = line.substr(after_marker);
    if (trim(rest).empty()) {  // item starts with a blank line: its paragraph holds the mark
      if (ri.para_line == 0) continue;
      mark_line = ri.para_line;
      line = lines.line(mark_line);
      after_marker = std::min(static_cast<size_t>(std::max(ri.para_col, 1) - 1), line.size());
    }
    Mark m = read_mark(line, after_marker);
    if (!m.found) {
      if (ri.task) {  // should not happen; trust cmark
        m.mark = ri.checked ? "x" : " ";
        m.after = after_marker;
      } else {
        continue;
      }
    } else if (!ri.task) {
      // Not a task for cmark: a link "[text](url)", "[ref][x]" or "[ref]: url" is no mark.
      std::string_view after = line.substr(m.after);
      if (!after.empty() && (after[0] == '(' || after[0] == '[' || after[0] == ':')) continue;
      if (ri.link_first && mark_line == ri.para_line) continue;  // "[ref]" with "[ref]: url" elsewhere
    }
    ChecklistItem ci;
    ci.mark = m.mark;
    ci.line = mark_line;
    if (ri.task) {
      ci.ticked = ri.checked;
      ci.odd_mark = !(m.mark == " " || m.mark == "x" || m.mark == "X");
    } else {
      ci.odd_mark = !(m.mark == " " || m.mark == "x" || m.mark == "X");
      ci.ticked = mark_means_done(m.mark);
    }
    // Text: rest of the mark line plus the paragraph's continuation lines, joined by single spaces.
    std::string textbuf(trim(line.substr(m.after)));
    int last = std::max(ri.para_end, mark_line);
    if (ri.para_line == 0) last = mark_line;
    for (int l = mark_line + 1; l <= last && textbuf.size() < kMaxItemText; ++l) {
      std::string_view cont = lines.line(l);
      if (quoted)
        while (!cont.empty() && (cont.front() == '>' || cont.front() == ' ' || cont.front() == '\t'))
          cont.remove_prefix(1);
      cont = trim(cont);
      if (cont.empty()) continue;
      if (!textbuf.empty()) textbuf.push_back(' ');
      textbuf.append(cont);
    }
    ci.text = text::collapse_ws(text::utf8_prefix(textbuf, kMaxItemText));
    ci.module = item_module(ci.text);
    ci.section = section_above(r.headings, labels, ci.line);
    r.checklist.push_back(std::move(ci));
  }
  if (r.checklist_line == 0)  // a level-1 "# Checklist" counts when items stand in its section
    for (size_t i = 0; i < r.headings.size() && r.checklist_line == 0; ++i) {
      if (r.headings[i].level != 1 || !contains_ci(r.headings[i].text, "checklist")) continue;
      const int end = section_end(i);
      auto first = std::upper_bound(r.checklist.begin(), r.checklist.end(), r.headings[i].line,
                                    [](int l, const ChecklistItem& c) { return l < c.line; });
      if (first != r.checklist.end() && first->line <= end) {
        r.checklist_line = r.headings[i].line;
        cl_begin = r.headings[i].line + 1;
        cl_end = end;
      }
    }
  const bool has_heading = r.checklist_line > 0;
  if (has_heading && r.checklist.empty())
    r.problems.push_back("checklist section (line " + std::to_string(r.checklist_line) + ") has no items");
  if (has_heading && !r.checklist.empty()) {
    size_t outside = 0;
    for (const auto& ci : r.checklist) outside += (ci.line < cl_begin || ci.line > cl_end) ? 1 : 0;
    if (outside > 0)
      r.problems.push_back(std::to_string(outside) + " of the " + std::to_string(r.checklist.size()) +
                           " checklist items stand outside the checklist heading's section (line " +
                           std::to_string(r.checklist_line) + "); they were taken all the same");
  }
  if (!has_heading) {
    if (r.checklist.empty()) r.problems.push_back("no checklist section found");
    else
      r.problems.push_back("no checklist heading; took the " + std::to_string(r.checklist.size()) +
                           " list items with a box before the first question");
  }

  // ---- answers -------------------------------------------------------------------------------------
  std::vector<size_t> answer_marks;  // offsets of "Answer:"
  for (size_t p = src.find("Answer:"); p != std::string::npos; p = src.find("Answer:", p + 7))
    answer_marks.push_back(p);
  std::set<int> seen, duplicates;
  std::map<size_t, const PromptCandidate*> prompt_of;  // by question heading position
  for (const auto& pc : prompts) prompt_of[pc.heading_index] = &pc;
  std::vector<int> no_marker;
  for (size_t qi = 0; qi < question_heading_idx.size(); ++qi) {
    const Heading& h = r.headings[question_heading_idx[qi]];
    const int number = question_number[qi];
    if (!seen.insert(number).second) {
      duplicates.insert(number);
      continue;
    }
    const size_t h_off = lines.offset(h.line + 1);
    const size_t next_q_off = qi + 1 < question_heading_idx.size()
                                  ? lines.offset(r.headings[question_heading_idx[qi + 1]].line)
                                  : src.size();
    Answer a;
    a.question = number;
    auto mk = std::lower_bound(answer_marks.begin(), answer_marks.end(), h_off);
    size_t start, end;
    int marker_line;
    if (mk != answer_marks.end() && *mk < next_q_off) {
      start = *mk + 7;
      marker_line = lines.line_of(*mk);
      const bool last_marker = (mk + 1) == answer_marks.end();
      // Searches stay inside this question (linear overall even with thousands of questions).
      const std::string_view region(src.data() + start, next_q_off - start);
      end = next_q_off;
      if (!last_marker) {
        size_t cut = region.find("###");
        if (cut == std::string_view::npos) cut = region.size();
        size_t cut2 = region.substr(0, cut).find("##");
        end = start + (cut2 == std::string_view::npos ? cut : cut2);
      }
    } else {
      // No "Answer:" under this heading: take what follows the heading (report.py would misnumber).
      no_marker.push_back(number);
      start = h_off;
      marker_line = h.line;
      end = std::max(start, std::min(next_q_off, src.size()));
      size_t cut = std::string_view(src.data() + start, end - start).find("##");
      if (cut != std::string_view::npos) end = start + cut;
    }
    if (end < start) end = start;
    size_t b = start, e = end;
    while (b < e && src[b] == '\n') ++b;
    while (e > b && src[e - 1] == '\n') --e;
    std::string_view ans(src.data() + b, e - b);
    a.text = std::string(ans);
    a.line = ans.empty() ? marker_line : lines.line_of(b);
    a.words = text::python_word_count(ans);
    a.images = text::python_image_count(ans);
    static const RE2 placeholder_re(R"((?i)-{2,}\s*question\s*\d+\s*fill\s*here\s*-{2,})");
    a.placeholder = RE2::PartialMatch(ans, placeholder_re);
    auto pit = prompt_of.find(qi);
    if (pit != prompt_of.end() && pit->second->line <= marker_line) a.prompt = pit->second->text;
    r.answers.push_back(std::move(a));
  }
  {
    size_t told = 0;
    for (int d : duplicates) {
      if (++told > 10) {
        r.problems.push_back(std::to_string(duplicates.size() - 10) + " more question numbers appear twice");
        break;
      }
      r.problems.push_back("question " + std::to_string(d) + " appears twice; the first one is used");
    }
  }
  if (!no_marker.empty())
    r.problems.push_back(std::string(no_marker.size() == 1 ? "question " : "questions ") +
                         join_numbers(no_marker) +
                         " without an \"Answer:\" line; the course's checker would misnumber the answers");
  if (question_heading_idx.empty()) r.problems.push_back("no \"Question N\" headings found");

  // ---- template ----------------------------------------------------------------------------------
  r.tmpl = recognise_template(r);
  apply_template_limits(r);
  return r;
}

}  // namespace cc
