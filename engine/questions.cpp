#include "engine/questions.h"
#include "engine/yaml_tree.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>

#include "engine/rules.h"
#include "engine/strings.h"

namespace cc {
namespace {

// Quotes and item texts are cut: a question is read aloud, not a copy of the answer.
constexpr size_t kMaxValue = 220;

std::vector<std::string> placeholders_in(const std::string& t) {
  std::vector<std::string> out;
  re2::StringPiece in(t);
  std::string name;
  static const RE2 placeholder(R"(\{([a-z_]+)\})");  // compiled once, not per template
  while (RE2::FindAndConsume(&in, placeholder, &name)) out.push_back(name);
  return out;
}

std::vector<std::string> parse_variants(const std::string& file, const YNode& n) {
  std::vector<std::string> out;
  auto one = [&](const YNode& v) {
    if (!v.is_scalar()) catalog_fail(file, v, "a question template is a string");
    const std::string& t = v.text;
    for (const auto& p : placeholders_in(t)) {
      const auto& known = question_placeholders();
      if (std::find(known.begin(), known.end(), p) == known.end())
        catalog_fail(file, v, "unknown placeholder {" + p + "} in a question template");
    }
    out.push_back(t);
  };
  if (n.is_seq()) {
    for (const auto& v : n.items) one(v);
  } else {
    one(n);
  }
  if (out.empty()) catalog_fail(file, n, "an outcome needs at least one question template");
  return out;
}

void check_outcome(const std::string& file, const YNode& key) {
  const std::string& k = catalog_text(file, key);
  const auto& o = question_outcomes();
  if (std::find(o.begin(), o.end(), k) == o.end()) catalog_fail(file, key, "unknown question outcome '" + k + "'");
}

std::string cut(std::string s) {
  if (s.size() <= kMaxValue) return s;
  size_t n = kMaxValue;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
  return s.substr(0, n) + "...";
}

// "Add a linting step to your continuous integration (M17)" -> without " (M17)".
std::string item_words(const std::string& text) {
  std::string t = text;
  static const RE2 module_tag(R"(\s*\(M\d+[^)]*\)\s*$)");
  RE2::Replace(&t, module_tag, "");
  return cut(trim(t));
}

std::string fmt_percent(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", v);
  return b;
}

}  // namespace

const std::vector<std::string>& question_placeholders() {
  static const std::vector<std::string> p = {"item",     "line",  "rule",  "module",  "reason",
                                             "looked_for", "evidence", "evidence_detail", "question",
                                             "quote",    "cue",   "claimed", "measured", "claim"};
  return p;
}

const std::vector<std::string>& question_outcomes() {
  static const std::vector<std::string> o = {"contradicted", "overclaimed", "weak", "unverifiable",
                                             "test-count",   "coverage",    "ci-prose"};
  return o;
}

void QuestionTemplates::load(const std::string& file, const YNode& q) {
  if (!q.is_map()) catalog_fail(file, q, "'questions' is a map with 'outcomes' (and optional 'rules')");
  for (const auto& kv : q.entries) {
    const std::string& k = catalog_text(file, kv.first);
    if (k != "outcomes" && k != "rules") catalog_fail(file, kv.first, "unknown key '" + k + "' under 'questions'");
  }
  if (const YNode* o = q.get("outcomes")) {
    if (!o->is_map()) catalog_fail(file, *o, "'outcomes' maps an outcome to its question templates");
    for (const auto& kv : o->entries) {
      check_outcome(file, kv.first);
      const std::string& k = kv.first.text;
      if (by_outcome_.count(k)) catalog_fail(file, kv.first, "questions for '" + k + "' defined twice");
      by_outcome_[k] = parse_variants(file, kv.second);
    }
  }
  if (const YNode* rules = q.get("rules")) {
    if (!rules->is_map()) catalog_fail(file, *rules, "'rules' maps a catalog item id to its own outcomes");
    for (const auto& rk : rules->entries) {
      if (!rk.second.is_map()) catalog_fail(file, rk.second, "a rule's questions map outcomes to templates");
      auto& mine = by_rule_[catalog_text(file, rk.first)];
      for (const auto& kv : rk.second.entries) {
        check_outcome(file, kv.first);
        mine[kv.first.text] = parse_variants(file, kv.second);
      }
    }
  }
}

void QuestionTemplates::validate() const {
  for (const auto& o : question_outcomes())
    if (!by_outcome_.count(o))
      throw CatalogError("questions: no template for outcome '" + o + "' (reports/catalog/questions.yaml)");
}

const std::vector<std::string>& QuestionTemplates::variants(const std::string& rule,
                                                            const std::string& outcome) const {
  static const std::vector<std::string> none;
  if (auto r = by_rule_.find(rule); r != by_rule_.end())
    if (auto o = r->second.find(outcome); o != r->second.end()) return o->second;
  auto o = by_outcome_.find(outcome);
  return o == by_outcome_.end() ? none : o->second;
}

std::string fill_question(const std::vector<std::string>& variants,
                          const std::map<std::string, std::string>& values) {
  if (variants.empty()) return {};
  auto value = [&](const std::string& k) {
    auto it = values.find(k);
    return it == values.end() ? std::string() : it->second;
  };
  const std::string* chosen = &variants.back();
  for (const auto& v : variants) {
    auto ps = placeholders_in(v);
    if (std::all_of(ps.begin(), ps.end(), [&](const std::string& p) { return !value(p).empty(); })) {
      chosen = &v;
      break;
    }
  }
  // One pass over the template: a value that itself holds "{x}" is never expanded again.
  std::string out;
  const std::string& t = *chosen;
  for (size_t i = 0; i < t.size();) {
    if (t[i] == '{') {
      size_t j = t.find('}', i);
      if (j != std::string::npos) {
        std::string k = t.substr(i + 1, j - i - 1);
        const auto& known = question_placeholders();
        if (std::find(known.begin(), known.end(), k) != known.end()) {
          out += value(k);
          i = j + 1;
          continue;
        }
      }
    }
    out += t[i++];
  }
  return out;
}

std::vector<OralQuestion> oral_questions(const AuditResult& r, const QuestionTemplates& t) {
  std::vector<OralQuestion> out;
  auto ask = [&](const std::string& outcome, const std::string& rule, int line,
                 const std::map<std::string, std::string>& values) {
    std::string text = fill_question(t.variants(rule, outcome), values);
    if (!text.empty()) out.push_back({outcome, rule, line, text});
  };
  for (const auto& i : r.checklist) {
    if (!i.ticked) continue;
    std::string outcome = i.contradiction ? "contradicted"
                          : (i.verdict == "overclaimed" || i.verdict == "weak" || i.verdict == "unverifiable")
                              ? i.verdict
                              : "";
    if (outcome.empty()) continue;
    std::map<std::string, std::string> v = {{"item", item_words(i.text)}, {"line", std::to_string(i.line)},
                                            {"rule", i.rule},             {"module", i.module},
                                            {"reason", cut(trim(i.reason))}, {"looked_for", cut(trim(i.looked_for))}};
    for (const auto& e : i.evidence) {
      if (e.path.empty()) continue;
      v["evidence"] = e.path + (e.line > 0 ? ":" + std::to_string(e.line) : "");
      v["evidence_detail"] = cut(e.detail);
      break;
    }
    if (i.contradiction) {
      v["question"] = std::to_string(i.contradiction->question);
      v["quote"] = cut(trim(i.contradiction->quote));
      v["cue"] = i.contradiction->cue;
    }
    ask(outcome, i.rule, i.line, v);
  }
  auto answer_line = [&](int q) {
    for (const auto& a : r.answers)
      if (a.question == q) return a.line;
    return 0;
  };
  if (r.test_count && r.test_count->verdict == "overclaimed") {
    const auto& c = *r.test_count;
    std::string measured = std::to_string(c.functions) + " test functions (" + std::to_string(c.items) +
                           (c.items_exact ? "" : " or more") + " collected tests) in " + std::to_string(c.files) +
                           " files";
    ask("test-count", "test-count", answer_line(c.question),
        {{"question", std::to_string(c.question)}, {"quote", cut(trim(c.quote))}, {"claimed", c.wording},
         {"measured", measured}, {"reason", cut(trim(c.reason))}});
  }
  if (r.claims.coverage && r.claims.coverage->verdict == "overclaimed") {
    const auto& c = *r.claims.coverage;
    ask("coverage", "coverage", answer_line(c.question),
        {{"question", std::to_string(c.question)}, {"quote", cut(trim(c.quote))}, {"claimed", c.wording},
         {"measured", c.measured ? fmt_percent(*c.measured) : std::string()}, {"reason", cut(trim(c.reason))}});
  }
  for (const auto& c : r.claims.ci_prose) {
    if (c.holds != "false") continue;
    std::map<std::string, std::string> v = {{"question", std::to_string(c.question)}, {"quote", cut(trim(c.quote))},
                                            {"claim", c.claim}, {"reason", cut(trim(c.reason))}};
    for (const auto& e : c.evidence)
      if (!e.path.empty()) {
        v["evidence"] = e.path + (e.line > 0 ? ":" + std::to_string(e.line) : "");
        break;
      }
    ask("ci-prose", "ci-prose", answer_line(c.question), v);
  }
  return out;
}

}  // namespace cc
