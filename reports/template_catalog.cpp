#include "reports/template_catalog.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "engine/embedded.h"
#include "engine/yaml_pack.h"
#include "engine/yaml_tree.h"
#include "reports/text_util.h"

namespace cc {

namespace {

bool is_question_heading(std::string_view text) {
  static const RE2 re(R"((?i)^\s*question\s+\d{1,6}\b)");
  return RE2::PartialMatch(text, re);
}

uint64_t fp(std::string_view s) { return text::fnv1a64(text::fingerprint_normal(s)); }

struct ReportPrints {
  std::vector<uint64_t> checklist, prompts, headings;
  std::map<int, uint64_t> prompt_by_question;  // only questions with a prompt
  std::set<int> questions;
  int question_count = 0;
};

ReportPrints prints_of(const Report& r) {
  ReportPrints p;
  for (const auto& c : r.checklist) p.checklist.push_back(fp(c.text));
  for (const auto& a : r.answers) {
    p.questions.insert(a.question);
    if (a.prompt.empty()) continue;
    uint64_t h = fp(a.prompt);
    p.prompts.push_back(h);
    p.prompt_by_question.emplace(a.question, h);
  }
  p.question_count = static_cast<int>(p.questions.size());
  for (const auto& h : r.headings)
    if (!is_question_heading(h.text)) p.headings.push_back(fp(h.text));
  return p;
}

// Size of the multiset intersection.
size_t common(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::unordered_map<uint64_t, int> count;
  for (auto h : a) ++count[h];
  size_t n = 0;
  for (auto h : b) {
    auto it = count.find(h);
    if (it != count.end() && it->second > 0) {
      --it->second;
      ++n;
    }
  }
  return n;
}

double similarity(const ReportPrints& p, const TemplateVersion& v) {
  const size_t q_found = common(v.prompts, p.prompts);
  const size_t q_den = std::max(v.prompts.size(), p.prompts.size());
  if (p.checklist.empty()) return q_den ? static_cast<double>(q_found) / q_den : 0.0;
  const size_t c_found = common(v.checklist, p.checklist);
  const size_t c_den = std::max(v.checklist.size(), p.checklist.size());
  const size_t den = q_den + c_den;
  return den ? static_cast<double>(q_found + c_found) / den : 0.0;
}

std::string join_numbers(const std::vector<int>& v, size_t max_listed = 10) {
  std::string s;
  const size_t shown = std::min(v.size(), max_listed);
  for (size_t i = 0; i < shown; ++i) {
    if (i) s += (i + 1 == shown && shown == v.size()) ? " and " : ", ";
    s += std::to_string(v[i]);
  }
  if (shown < v.size()) s += " and " + std::to_string(v.size() - shown) + " more";
  return s;
}

std::string first_words(std::string_view s, int n) {
  std::string out;
  int words = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    const bool ws = c == ' ' || c == '\t' || c == '\n';
    if (!ws && !in_word) {
      if (words == n) {
        out += "...";
        return out;
      }
      ++words;
      if (!out.empty()) out.push_back(' ');
    }
    in_word = !ws;
    if (!ws) out.push_back(c);
    if (out.size() > 120) {
      out = std::string(text::utf8_prefix(out, 120)) + "...";
      return out;
    }
  }
  return out;
}

std::vector<std::string> differences(const Report& r, const ReportPrints& p, const TemplateVersion& v) {
  std::vector<std::string> out;
  // Checklist.
  if (v.checklist_items > 0 && p.checklist.empty()) {
    out.push_back("checklist removed");
  } else if (v.checklist_items == 0 && !p.checklist.empty()) {
    out.push_back("checklist of " + std::to_string(p.checklist.size()) +
                  " items added (the template has none)");
  } else if (!p.checklist.empty()) {
    std::unordered_map<uint64_t, int> count;
    for (auto h : v.checklist) ++count[h];
    std::vector<std::string> differing;
    size_t n_diff = 0;
    for (size_t i = 0; i < p.checklist.size(); ++i) {
      auto it = count.find(p.checklist[i]);
      if (it != count.end() && it->second > 0) {
        --it->second;
        continue;
      }
      ++n_diff;
      if (differing.size() < 3) differing.push_back("\"" + first_words(r.checklist[i].text, 6) + "\"");
    }
    if (n_diff > 0) {
      std::string s = std::to_string(n_diff) + (n_diff == 1 ? " checklist item differs" : " checklist items differ") +
                      " from the template: ";
      for (size_t i = 0; i < differing.size(); ++i) s += (i ? ", " : "") + differing[i];
      if (n_diff > differing.size()) s += ", ...";
      out.push_back(s);
    }
    if (p.checklist.size() != v.checklist.size())
      out.push_back("checklist has " + std::to_string(p.checklist.size()) + " items, the template " +
                    std::to_string(v.checklist.size()));
  }
  // Questions.
  std::vector<int> missing, changed;
  int extra = 0;
  for (int q = 1; q <= v.questions; ++q)
    if (!p.questions.count(q)) missing.push_back(q);
  for (int q : p.questions)
    if (q < 1 || q > v.questions) ++extra;
  for (int q : p.questions) {
    if (q < 1 || q > v.questions || q > static_cast<int>(v.prompts.size())) continue;
    auto it = p.prompt_by_question.find(q);
    if (it == p.prompt_by_question.end() || it->second != v.prompts[q - 1]) changed.push_back(q);
  }
  if (!missing.empty())
    out.push_back(std::string(missing.size() == 1 ? "question " : "questions ") + join_numbers(missing) +
                  " missing");
  if (extra > 0) out.push_back(std::to_string(extra) + (extra == 1 ? " extra question" : " extra questions"));
  if (!changed.empty())
    out.push_back(std::string(changed.size() == 1 ? "prompt of question " : "prompts of questions ") +
                  join_numbers(changed) + (changed.size() == 1 ? " differs" : " differ") + " from the template");
  // Headings.
  const size_t h_found = common(p.headings, v.headings);
  if (h_found < v.headings.size()) {
    std::string s = "headings changed: " + std::to_string(v.headings.size() - h_found) + " of " +
                    std::to_string(v.headings.size()) + " template headings not found";
    std::set<uint64_t> known(v.headings.begin(), v.headings.end());
    std::vector<std::string> added;
    for (const auto& h : r.headings)
      if (h.level <= 2 && !is_question_heading(h.text) && !known.count(fp(h.text)) && added.size() < 3)
        added.push_back("\"" + first_words(h.text, 10) + "\"");
    if (!added.empty()) {
      s += "; report headings not in the template: ";
      for (size_t i = 0; i < added.size(); ++i) s += (i ? ", " : "") + added[i];
    }
    out.push_back(s);
  }
  return out;
}

// An entry's field, or an error naming it and its line.
const YNode& field(const YNode& n, const char* key) {
  const YNode* v = n.get(key);
  if (!v || !v->is_scalar())
    throw std::runtime_error("line " + std::to_string(n.line) + ": '" + key + "' is missing or not a value");
  return *v;
}

int whole(const YNode& v) {
  int x = 0;
  const char* end = v.text.data() + v.text.size();
  auto r = std::from_chars(v.text.data(), end, x);
  if (r.ec != std::errc() || r.ptr != end)
    throw std::runtime_error("line " + std::to_string(v.line) + ": '" + v.text + "' is not a whole number");
  return x;
}

std::optional<int> opt_int(const YNode& n, const char* key) {
  const YNode* v = n.get(key);
  if (!v || v->is_null()) return std::nullopt;
  return whole(field(n, key));
}

std::vector<uint64_t> hashes(const YNode* n) {
  std::vector<uint64_t> out;
  if (!n || !n->is_seq()) return out;
  for (const auto& h : n->items) out.push_back(std::strtoull(h.text.c_str(), nullptr, 16));
  return out;
}

// A flow sequence of quoted hex hashes, four per line.
void yaml_list(std::ostringstream& os, const char* key, const std::vector<uint64_t>& v) {
  os << "    " << key << ": [";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) os << (i % 4 == 0 ? ",\n      " : ", ");
    os << "'" << text::hex64(v[i]) << "'";
  }
  os << "]\n";
}

}  // namespace

std::string template_family(int questions, int checklist_items) {
  if (checklist_items >= 52 || questions >= 31) return "2025";
  if (checklist_items == 0) return questions > 0 ? "2022" : "";
  return "2023";
}

std::vector<TemplateVersion> load_template_versions(std::string_view yaml, std::vector<std::string>* errors) {
  return load_template_versions(read_yaml(yaml), errors);
}

std::vector<TemplateVersion> load_template_versions(const YamlLoad& y, std::vector<std::string>* errors) {
  std::vector<TemplateVersion> out;
  if (!y.ok) {
    if (errors) errors->push_back("templates catalog: line " + std::to_string(y.error_line) + ": " + y.error);
    return out;
  }
  const YNode* versions = y.root.get("versions");
  if (!versions || !versions->is_seq()) {
    if (errors) errors->push_back("templates catalog: no 'versions' list");
    return out;
  }
  for (const auto& n : versions->items) {
    try {
      TemplateVersion v;
      v.id = field(n, "id").text;
      v.date = field(n, "date").text;
      v.questions = whole(field(n, "questions"));
      v.checklist_items = whole(field(n, "checklist_items"));
      v.family = n.get("family") ? field(n, "family").text : template_family(v.questions, v.checklist_items);
      v.checklist = hashes(n.get("checklist"));
      v.prompts = hashes(n.get("prompts"));
      v.headings = hashes(n.get("headings"));
      if (const YNode* lim = n.get("limits"); lim && lim->is_seq())
        for (const auto& l : lim->items) {
          QuestionLimits ql;
          ql.question = whole(field(l, "q"));
          ql.min_words = opt_int(l, "min_words");
          ql.max_words = opt_int(l, "max_words");
          ql.min_images = opt_int(l, "min_images");
          ql.max_images = opt_int(l, "max_images");
          v.limits.push_back(ql);
        }
      out.push_back(std::move(v));
    } catch (const std::exception& e) {
      if (errors) errors->push_back(std::string("templates catalog: bad entry: ") + e.what());
    }
  }
  return out;
}

const std::vector<TemplateVersion>& template_versions() {
  static const std::vector<TemplateVersion> versions =
      load_template_versions(embedded_yaml(embedded_catalog(), "catalog/templates.yaml"));
  return versions;
}

std::string template_fingerprint_yaml(std::string_view template_md, std::string_view id, std::string_view date) {
  const Report r = parse_report(template_md, std::string(id));
  std::vector<uint64_t> checklist, prompts, headings;
  for (const auto& c : r.checklist) checklist.push_back(fp(c.text));
  int questions = 0;
  for (const auto& a : r.answers) questions = std::max(questions, a.question);
  for (int q = 1; q <= questions; ++q) {
    const Answer* a = r.answer(q);
    prompts.push_back(fp(a ? a->prompt : std::string()));
  }
  for (const auto& h : r.headings)
    if (!is_question_heading(h.text)) headings.push_back(fp(h.text));
  std::ostringstream os;
  os << "  - id: '" << id << "'\n";
  os << "    date: '" << date << "'\n";
  os << "    family: '" << template_family(questions, static_cast<int>(checklist.size())) << "'\n";
  os << "    questions: " << questions << "\n";
  os << "    checklist_items: " << checklist.size() << "\n";
  yaml_list(os, "checklist", checklist);
  yaml_list(os, "prompts", prompts);
  yaml_list(os, "headings", headings);
  return os.str();
}

TemplateMatch recognise_template(const Report& report) { return recognise_template(report, template_versions()); }

TemplateMatch recognise_template(const Report& report, const std::vector<TemplateVersion>& versions) {
  TemplateMatch m;
  const ReportPrints p = prints_of(report);
  const TemplateVersion* best = nullptr;
  double best_sim = -1.0;
  auto better = [&](const TemplateVersion& v, double sim) {
    if (!best) return true;
    if (sim > best_sim + 1e-12) return true;
    if (sim < best_sim - 1e-12) return false;
    const bool vq = v.questions == p.question_count, bq = best->questions == p.question_count;
    if (vq != bq) return vq;
    const int items = static_cast<int>(p.checklist.size());
    const bool vc = v.checklist_items == items, bc = best->checklist_items == items;
    if (vc != bc) return vc;
    const size_t vh = common(p.headings, v.headings), bh = common(p.headings, best->headings);
    if (vh != bh) return vh > bh;
    if (v.date != best->date) return v.date > best->date;
    return v.id > best->id;
  };
  for (const auto& v : versions) {
    const double sim = similarity(p, v);
    if (better(v, sim)) {
      best = &v;
      best_sim = sim;
    }
  }
  if (!best || best_sim <= 0.0) {
    m.family = template_family(p.question_count, static_cast<int>(p.checklist.size()));
    m.similarity = 0.0;
    if (versions.empty()) m.differences.push_back("no template versions in the catalog");
    else m.differences.push_back("no known template version shares a checklist item or question prompt");
    return m;
  }
  m.version = best->id;
  m.family = best->family;
  m.similarity = best_sim;
  m.differences = differences(report, p, *best);
  return m;
}

void apply_template_limits(Report& report) { apply_template_limits(report, template_versions()); }

void apply_template_limits(Report& report, const std::vector<TemplateVersion>& versions) {
  if (report.tmpl.version.empty()) return;
  const TemplateVersion* v = nullptr;
  for (const auto& x : versions)
    if (x.id == report.tmpl.version) v = &x;
  if (!v) return;
  for (auto& a : report.answers)
    for (const auto& l : v->limits)
      if (l.question == a.question) {
        a.min_words = l.min_words;
        a.max_words = l.max_words;
        a.min_images = l.min_images;
        a.max_images = l.max_images;
      }
}

}  // namespace cc
