#include "reports/contradictions.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "engine/embedded.h"
#include "engine/lazy_regex.h"
#include "engine/yaml_pack.h"
#include "engine/yaml_tree.h"
#include "reports/text_util.h"

namespace cc {

namespace {

constexpr size_t kMaxQuote = 300;
constexpr size_t kMaxSentence = 2000;  // longer "sentences" (tables, code) are not read

using Regex = std::shared_ptr<const LazyRegex>;

// A cue as written, compiled on first use: an audit compiles only the cues that the first pass
// says may match a sentence naming the item's topics (about a thousand patterns otherwise).
struct Cue {
  std::string kind;     // "not-done" | "elsewhere"
  bool needs_topic;     // the template held {topic}: no topic in the sentence, no match
  int shared = -1;      // index of the shared cue it fills (and of its first-pass pattern); -1:
                        // the item's own cue, tried wherever the item's topics (if any) are
  Regex re;             // the template with {topic} filled in
};

struct CueSet {
  std::vector<Cue> cues;
  Regex topic;           // the item's topics, one alternation: the cheap test first
  bool any_free = false; // a cue without {topic}: every sentence is a candidate
};

struct ItemRules {
  std::string id;
  CueSet rules;          // on any answer
  CueSet answer_rules;   // only in answers whose prompt matches `prompt`
  Regex prompt;          // null: no dedicated answers
};

// Case-insensitive, within 64 MiB. Compiled now (and a bad pattern an error) when `now`, else on
// first use: the built-in rules, whose patterns the unit tests compile, compile what an audit uses.
Regex compile(const std::string& pattern, const std::string& where, bool now) {
  auto re = std::make_shared<const LazyRegex>(pattern, true, 64 << 20);
  if (now)
    if (std::string why = re->error(); !why.empty()) throw ContradictionError(where + ": bad pattern: " + why);
  return re;
}

// One RE2::Set of the first-pass cues, in their order (Match gives their indexes); null when a
// pattern does not go into the set or the set does not compile.
std::unique_ptr<RE2::Set> make_first_pass_set(const std::vector<Regex>& cues) {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  auto set = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
  for (std::size_t i = 0; i < cues.size(); ++i)
    if (set->Add(cues[i]->pattern(), nullptr) != static_cast<int>(i)) return nullptr;
  return set->Compile() ? std::move(set) : nullptr;
}

std::string where_of(const std::string& name, const YNode& n) { return name + ":" + std::to_string(n.line); }

// The strings of a list (none when `n` is absent).
std::vector<std::string> strings(const YNode* n, const std::string& where) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n->is_seq()) throw ContradictionError(where + ": expected a list of strings");
  for (const auto& x : n->items) {
    if (!x.is_scalar()) throw ContradictionError(where + ": expected a list of strings");
    out.push_back(x.text);
  }
  return out;
}

const YNode* get(const YNode* n, std::string_view key) { return n ? n->get(key) : nullptr; }

// "(?:a|b|c)" of the topics, for the {topic} slot.
std::string alternatives(const std::vector<std::string>& topics) {
  std::string s = "(?:";
  for (size_t i = 0; i < topics.size(); ++i) s += (i ? "|" : "") + topics[i];
  return s + ")";
}

std::string fill(std::string tpl, const std::string& topic) {
  for (size_t p = tpl.find("{topic}"); p != std::string::npos; p = tpl.find("{topic}", p + topic.size()))
    tpl.replace(p, 7, topic);
  return tpl;
}

// A cheap superset of a cue for the first pass: {topic} and the bounded word gaps ("up to four
// words", "up to 200 characters") become "any text". What the cue matches, this matches; with few
// states, RE2 builds its DFA in microseconds, where the gaps' counted repetitions cost about a
// millisecond per cue on every run.
std::string loosen(const std::string& cue) {
  static const RE2 gap(R"(\(\?:\[\\s,\]\+\[\\w[^\]]*\]\+\)\{0,\d+\}\?|\[\^\.\]\{0,\d+\}\?)");
  std::string out = fill(cue, "(?s:.*?)");
  RE2::GlobalReplace(&out, gap, "(?s:.*?)");
  return out;
}

// Sentences of an answer with their byte offsets: split at . ! ? ; and line breaks that end a
// paragraph or a list item; a '.' inside a word or number (file.py, 3.11, e.g.) does not split.
std::vector<std::pair<size_t, std::string_view>> sentences(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> out;
  size_t start = 0;
  auto push = [&](size_t end) {
    while (start < end && (text[start] == ' ' || text[start] == '\n' || text[start] == '\t' ||
                           text[start] == '-' || text[start] == '*' || text[start] == '>'))
      ++start;
    if (end > start) out.emplace_back(start, text.substr(start, end - start));
    start = end + 1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool next_space = i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\t';
    if (((c == '.' || c == '!' || c == '?') && next_space) || c == ';' ||
        (c == '\n' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '-' || text[i + 1] == '*')))
      push(i);
  }
  push(text.size());
  return out;
}

}  // namespace

struct ContradictionRules::Impl {
  std::vector<ItemRules> items;
  // Every cue with any text at all in its {topic} slot: a sentence none of these matches holds
  // no shared cue of any item, so no item's cues are compiled or tried for it. (Any text, not the
  // union of all topics: that union made patterns too large for RE2's DFA to match quickly.)
  std::vector<Regex> any_item;
  // The same cues as one set, for long reports (first_pass_set_from): a sentence is matched once
  // against all of them. Built on first use; null when it could not be built (then each pattern
  // is tried).
  std::once_flag set_once;
  std::unique_ptr<RE2::Set> any_item_set;
  const RE2::Set* first_pass_set() {
    std::call_once(set_once, [this] { any_item_set = make_first_pass_set(any_item); });
    return any_item_set.get();
  }
  std::vector<Regex> done_anyway;
  std::vector<Regex> hypothetical;
};

ContradictionRules::ContradictionRules() : d_(std::make_unique<Impl>()) {}
ContradictionRules::~ContradictionRules() = default;
ContradictionRules::ContradictionRules(ContradictionRules&&) noexcept = default;
ContradictionRules& ContradictionRules::operator=(ContradictionRules&&) noexcept = default;

bool ContradictionRules::empty() const { return d_->items.empty(); }

void ContradictionRules::load(std::string_view text, const std::string& name, bool compile_now) {
  load(read_yaml(text), name, compile_now);
}

void ContradictionRules::load(const YamlLoad& y, const std::string& name, bool compile_now) {
  if (!y.ok) throw ContradictionError(name + ":" + std::to_string(y.error_line) + ": " + y.error);
  load_tree(y.root, name, compile_now);
}

void ContradictionRules::load_tree(const YNode& root, const std::string& name, bool now) {
  {
    const YNode* schema = root.get("schema");
    if (!schema || !schema->is_scalar() || schema->text != "claimcheck/contradictions/1")
      throw ContradictionError(name + ": schema must be 'claimcheck/contradictions/1'");
    auto impl = std::make_unique<Impl>();
    std::map<std::string, std::vector<std::string>> cues;  // kind -> templates
    const YNode* cue_map = root.get("cues");
    for (const char* kind : {"not-done", "elsewhere"})
      cues[kind] = strings(get(cue_map, kind), where_of(name, cue_map ? *cue_map : root));
    if (cues["not-done"].empty()) throw ContradictionError(name + ": cues.not-done is empty");
    for (const auto& p : strings(root.get("done_anyway"), where_of(name, root)))
      impl->done_anyway.push_back(compile(p, name + " done_anyway", now));
    for (const auto& p : strings(root.get("hypothetical"), where_of(name, root)))
      impl->hypothetical.push_back(compile(p, name + " hypothetical", now));
    const YNode* items = root.get("item_topics");
    if (!items || !items->is_map()) throw ContradictionError(name + ": 'item_topics' maps item ids to topics");
    for (const auto& kv : items->entries) {
      ItemRules ir;
      const YNode& n = kv.second;
      const std::string at = where_of(name, n);
      if (!kv.first.is_scalar()) throw ContradictionError(at + ": an item id is a string");
      ir.id = kv.first.text;
      if (!n.is_map()) throw ContradictionError(at + ": item '" + ir.id + "' needs a map with topics");
      auto topics = strings(n.get("topics"), at);
      if (topics.empty()) throw ContradictionError(at + ": item '" + ir.id + "' has no topics");
      // With `now`, each own cue is checked here with a stand-in topic (the topics are checked as
      // one alternation): a bad pattern stops the load, though the cue compiles on first use.
      auto add = [&](CueSet& into, const std::vector<std::string>& tps) {
        std::string alt = alternatives(tps);
        into.topic = compile(alt, at + " (" + ir.id + " topics)", now);
        int shared = 0;
        for (const auto& [kind, list] : cues)
          for (const auto& t : list)
            into.cues.push_back({kind, t.find("{topic}") != std::string::npos, shared++, compile(fill(t, alt), at, false)});
        for (const auto& extra : strings(n.get("not_done"), at)) {  // the item's own cues
          if (now) compile(fill(extra, "(?:x)"), at + " (" + ir.id + ")", true);
          bool bound = extra.find("{topic}") != std::string::npos;
          into.cues.push_back({"not-done", bound, -1, compile(fill(extra, alt), at, false)});
          into.any_free = into.any_free || !bound;
        }
      };
      add(ir.rules, topics);
      if (const YNode* ans = n.get("in_answers")) {
        auto prompts = strings(ans->get("prompts"), at);
        auto more = strings(ans->get("topics"), at);
        if (prompts.empty() || more.empty())
          throw ContradictionError(at + ": in_answers of '" + ir.id + "' needs prompts and topics");
        ir.prompt = compile(alternatives(prompts), at, now);
        std::vector<std::string> all = topics;
        all.insert(all.end(), more.begin(), more.end());
        add(ir.answer_rules, all);
      }
      impl->items.push_back(std::move(ir));
    }
    for (const auto& [kind, list] : cues)
      for (const auto& t : list) impl->any_item.push_back(compile(loosen(t), name + " cues." + kind, now));
    d_ = std::move(impl);
  }
}

const ContradictionRules& ContradictionRules::builtin() {
  static ContradictionRules rules;
  static std::once_flag once;
  std::call_once(once, [] {
    const EmbeddedFile* f = find_embedded_file(embedded_catalog(), "catalog/contradictions.yaml");
    if (!f || f->data.empty()) return;
    rules.load(embedded_yaml(*f), "catalog/contradictions.yaml", /*compile_now=*/false);
  });
  return rules;
}

std::vector<Contradiction> ContradictionRules::find(const Report& report,
                                                    const std::vector<std::string>& wanted) const {
  std::vector<Contradiction> out;
  std::set<std::pair<std::string, std::string>> found;  // (item, kind)
  std::vector<std::vector<std::pair<size_t, std::string_view>>> sentences_of(report.answers.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < report.answers.size(); ++i) {
    const Answer& a = report.answers[i];
    if (a.placeholder || a.text.empty()) continue;
    sentences_of[i] = sentences(a.text);
    total += sentences_of[i].size();
  }
  const RE2::Set* first_pass = total > 0 && total >= set_from_ ? d_->first_pass_set() : nullptr;
  for (std::size_t i = 0; i < report.answers.size(); ++i) {
    const Answer& a = report.answers[i];
    if (a.placeholder || a.text.empty()) continue;
    const auto& parts = sentences_of[i];
    // First pass: which shared cues may match each sentence (loose[sentence][cue]).
    const size_t n = d_->any_item.size();
    std::vector<char> loose(parts.size() * n, 0), any_loose(parts.size(), 0);
    std::vector<int> hits;
    for (size_t k = 0; k < parts.size(); ++k) {
      const std::string_view s = parts[k].second;
      if (s.size() > kMaxSentence) continue;
      const re2::StringPiece sp(s.data(), s.size());
      RE2::Set::ErrorInfo error{RE2::Set::kNoError};
      if (first_pass && (first_pass->Match(sp, &hits, &error) || error.kind == RE2::Set::kNoError)) {
        for (int c : hits) loose[k * n + static_cast<size_t>(c)] = any_loose[k] = 1;
        continue;
      }
      for (size_t c = 0; c < n; ++c)  // no set, or its DFA ran out of memory on this sentence
        if (d_->any_item[c]->partial_match(s)) loose[k * n + c] = any_loose[k] = 1;
    }
    for (const ItemRules& ir : d_->items) {
      if (std::find(wanted.begin(), wanted.end(), ir.id) == wanted.end()) continue;
      const bool dedicated = ir.prompt && ir.prompt->partial_match(a.prompt);
      const CueSet& set = dedicated ? ir.answer_rules : ir.rules;
      for (size_t pk = 0; pk < parts.size(); ++pk) {
        const auto& [offset, s] = parts[pk];
        if (s.size() > kMaxSentence || (!any_loose[pk] && !set.any_free)) continue;
        const re2::StringPiece sp(s.data(), s.size());
        const bool topic = set.topic->partial_match(s);
        if (!topic && !set.any_free) continue;
        const std::string_view sentence = s;  // a lambda may not capture a structured binding (C++17)
        auto any_of = [&](const std::vector<Regex>& res) {
          return std::any_of(res.begin(), res.end(), [&](const auto& re) { return re->partial_match(sentence); });
        };
        for (const Cue& cue_rule : set.cues) {
          if (cue_rule.needs_topic && !topic) continue;
          if (cue_rule.shared >= 0 && !loose[pk * n + static_cast<size_t>(cue_rule.shared)]) continue;
          if (found.count({ir.id, cue_rule.kind})) continue;
          if (!cue_rule.re->partial_match(sentence)) continue;
          const RE2& re = cue_rule.re->re();
          if (cue_rule.kind == "not-done" && (any_of(d_->done_anyway) || any_of(d_->hypothetical))) break;
          // The matched words, for the reason: the match itself (submatch 0), not a second
          // pattern compiled with a group around the whole.
          re2::StringPiece matched;
          std::string cue;
          if (re.Match(sp, 0, sp.size(), RE2::UNANCHORED, &matched, 1)) cue.assign(matched.data(), matched.size());
          Contradiction c;
          c.item = ir.id;
          c.kind = cue_rule.kind;
          c.question = a.question;
          c.line = a.line + static_cast<int>(std::count(a.text.begin(), a.text.begin() + offset, '\n'));
          c.quote = text::collapse_ws(text::utf8_prefix(s, kMaxQuote));
          if (s.size() > kMaxQuote) c.quote += "...";
          c.cue = text::collapse_ws(text::utf8_prefix(cue, 120));
          out.push_back(std::move(c));
          found.insert({ir.id, cue_rule.kind});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace cc
