#include "engine/rules.h"
#include "engine/yaml_tree.h"

#include <re2/re2.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <mutex>

namespace cc {

void catalog_fail(const std::string& file, const YNode& n, const std::string& what) {
  throw CatalogError(file + ":" + std::to_string(n.line) + ": " + what);
}

const std::string& catalog_text(const std::string& file, const YNode& n) {
  if (!n.is_scalar()) catalog_fail(file, n, "expected a string");
  return n.text;
}

namespace {

// Evidence lines kept per condition leaf: enough to show, not a dump.
constexpr size_t kEvidencePerLeaf = 8;

std::string scalar(const std::string& file, const YNode& n, const char* key, bool required) {
  const YNode* v = n.get(key);
  if (!v) {
    if (required) catalog_fail(file, n, std::string("missing key '") + key + "'");
    return {};
  }
  if (!v->is_scalar()) catalog_fail(file, *v, std::string("'") + key + "' must be a string");
  return v->text;
}

long long integer(const std::string& file, const YNode& n) {
  long long v = 0;
  static const RE2 integer_re(R"(\s*([-+]?\d{1,18})\s*)");
  if (!n.is_scalar() || !RE2::FullMatch(n.text, integer_re, &v)) catalog_fail(file, n, "expected a whole number");
  return v;
}

// Patterns repeat across checks ('^yes$', a tool's name): each distinct one is made once per
// process and shared (compiled once, on first use, by whichever thread; then immutable).
std::shared_ptr<const LazyRegex> compile(const std::string& file, const YNode& at, const std::string& pattern,
                                         bool icase, bool now) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const LazyRegex>> made;
  const std::string key = (icase ? "i:" : "c:") + pattern;
  std::shared_ptr<const LazyRegex> re;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = made[key];
    if (!slot) slot = std::make_shared<const LazyRegex>(pattern, icase);
    re = slot;
  }
  if (now)
    if (std::string why = re->error(); !why.empty()) catalog_fail(file, at, "bad pattern '" + pattern + "': " + why);
  return re;
}

Condition parse_condition(const std::string& file, const YNode& n, bool now, int depth = 0) {
  if (depth > 32) catalog_fail(file, n, "condition nested too deeply");
  if (!n.is_map()) catalog_fail(file, n, "a condition is a map (all/any/not or fact)");
  Condition c;
  auto list = [&](const YNode& l, Condition::Kind k) {
    if (!l.is_seq()) catalog_fail(file, l, "all/any take a list of conditions");
    c.kind = k;
    for (const auto& child : l.items) c.children.push_back(parse_condition(file, child, now, depth + 1));
  };
  const YNode* all = n.get("all");
  if (n.get("same") && !all) catalog_fail(file, n, "'same' goes with 'all'");
  if (all) {
    list(*all, Condition::Kind::all);
    if (const YNode* same = n.get("same")) {
      c.same = scalar(file, n, "same", true);
      if (c.same != "path") catalog_fail(file, *same, "'same' knows only 'path', got '" + c.same + "'");
    }
  } else if (const YNode* any = n.get("any")) {
    list(*any, Condition::Kind::any);
  } else if (const YNode* not_ = n.get("not")) {
    c.kind = Condition::Kind::not_;
    c.children.push_back(parse_condition(file, *not_, now, depth + 1));
  } else if (n.get("fact")) {
    static const std::set<std::string> known = {"fact", "where", "num", "min", "max", "distinct", "origin"};
    for (const auto& [key, value] : n.entries) {
      const std::string& k = catalog_text(file, key);
      if (!known.count(k)) catalog_fail(file, key, "unknown key '" + k + "' in a fact condition");
    }
    c.fact = scalar(file, n, "fact", true);
    if (const YNode* w = n.get("where")) {
      if (!w->is_map()) catalog_fail(file, *w, "'where' maps attribute names to patterns");
      for (const auto& [attr, pattern] : w->entries) {
        const std::string& pat = catalog_text(file, pattern);
        c.where.push_back({catalog_text(file, attr), compile(file, pattern, pat, true, now), pat});
      }
    }
    if (const YNode* w = n.get("num")) {
      if (!w->is_map()) catalog_fail(file, *w, "'num' maps attribute names to comparisons like '>= 2'");
      for (const auto& [attr, comparison_node] : w->entries) {
        const std::string& s = catalog_text(file, comparison_node);
        NumTest t;
        t.attr = catalog_text(file, attr);
        std::string op, num;
        static const RE2 comparison(R"(\s*(>=|<=|==|!=|>|<)\s*(-?\d{1,15})\s*)");
        if (!RE2::FullMatch(s, comparison, &op, &num))
          catalog_fail(file, comparison_node, "comparison must look like '>= 2', got '" + s + "'");
        t.op = op;
        t.value = std::stoll(num);
        c.num.push_back(t);
      }
    }
    if (const YNode* m = n.get("min")) c.min = integer(file, *m);
    if (const YNode* m = n.get("max")) c.max = integer(file, *m);
    c.distinct = scalar(file, n, "distinct", false);
    if (n.get("origin")) c.origin = scalar(file, n, "origin", true);
  } else {
    catalog_fail(file, n, "a condition needs one of: all, any, not, fact");
  }
  return c;
}

const std::set<std::string> kStatuses = {"supported", "partial", "absent", "unverifiable"};

Outcome parse_outcome(const std::string& file, const YNode& n, bool now) {
  if (!n.is_map()) catalog_fail(file, n, "an outcome is a map with 'status' and 'says'");
  Outcome o;
  o.status = scalar(file, n, "status", true);
  if (!kStatuses.count(o.status)) catalog_fail(file, n, "unknown status '" + o.status + "'");
  if (const YNode* when = n.get("when")) o.when = parse_condition(file, *when, now);
  o.says = scalar(file, n, "says", true);
  return o;
}

bool num_ok(const NumTest& t, const std::string& v) {
  long long x = 0;
  static const RE2 integer(R"((-?\d{1,15}))");
  if (!RE2::FullMatch(v, integer, &x)) return false;
  if (t.op == ">=") return x >= t.value;
  if (t.op == "<=") return x <= t.value;
  if (t.op == ">") return x > t.value;
  if (t.op == "<") return x < t.value;
  if (t.op == "==") return x == t.value;
  return x != t.value;
}

bool fact_matches(const Condition& c, const Fact& f) {
  if (f.kind != c.fact) return false;
  if (c.origin && f.origin != *c.origin) return false;
  for (const auto& w : c.where) {
    auto it = f.attrs.find(w.attr);
    std::string v = it == f.attrs.end() ? std::string() : it->second;
    if (!w.re->partial_match(v)) return false;
  }
  for (const auto& t : c.num) {
    auto it = f.attrs.find(t.attr);
    if (it == f.attrs.end() || !num_ok(t, it->second)) return false;
  }
  return true;
}

Evidence evidence_of(const Fact& f) { return {f.where.path, f.where.line, f.detail, f.origin}; }

bool holds(const Condition& c, const FactStore& facts, std::vector<Evidence>& ev,
           size_t cap = kEvidencePerLeaf);

// `all` with `same: path`: each child holds with its evidence, and one file appears in the
// evidence of every child; the evidence kept is that of the shared files.
bool holds_same_path(const Condition& c, const FactStore& facts, std::vector<Evidence>& ev) {
  std::vector<std::vector<Evidence>> per_child;
  std::set<std::string> common;
  for (size_t i = 0; i < c.children.size(); ++i) {
    std::vector<Evidence> mine;
    // Uncapped: the shared file may be beyond the first few facts of a child.
    if (!holds(c.children[i], facts, mine, SIZE_MAX)) return false;
    std::set<std::string> paths;
    for (const auto& e : mine)
      if (!e.path.empty()) paths.insert(e.path);
    if (i == 0) common = std::move(paths);
    else std::erase_if(common, [&](const std::string& p) { return !paths.count(p); });
    if (common.empty()) return false;
    per_child.push_back(std::move(mine));
  }
  for (auto& mine : per_child) {
    size_t kept = 0;
    for (auto& e : mine)
      if (common.count(e.path) && kept++ < kEvidencePerLeaf) ev.push_back(std::move(e));
  }
  return true;
}

bool holds(const Condition& c, const FactStore& facts, std::vector<Evidence>& ev, size_t cap) {
  switch (c.kind) {
    case Condition::Kind::all: {
      if (!c.same.empty()) return holds_same_path(c, facts, ev);
      std::vector<Evidence> mine;
      for (const auto& ch : c.children)
        if (!holds(ch, facts, mine, cap)) return false;
      ev.insert(ev.end(), mine.begin(), mine.end());
      return true;
    }
    case Condition::Kind::any: {
      bool any = false;
      for (const auto& ch : c.children) any = holds(ch, facts, ev, cap) || any;
      return any;
    }
    case Condition::Kind::not_: {
      std::vector<Evidence> ignored;
      return !holds(c.children.front(), facts, ignored);
    }
    case Condition::Kind::leaf: break;
  }
  std::vector<const Fact*> matched;
  for (const auto& f : facts.all())
    if (fact_matches(c, f)) matched.push_back(&f);
  long long count = static_cast<long long>(matched.size());
  if (!c.distinct.empty()) {
    std::set<std::string> values;
    for (const Fact* f : matched) {
      std::string v = f->attr(c.distinct);
      size_t i = 0;
      while (i <= v.size()) {  // comma-joined lists count each element
        size_t j = v.find(',', i);
        if (j == std::string::npos) j = v.size();
        if (j > i) values.insert(v.substr(i, j - i));
        i = j + 1;
      }
    }
    count = static_cast<long long>(values.size());
  }
  bool ok = count >= c.min && (!c.max || count <= *c.max);
  if (ok && !c.max) {  // "max" conditions say what is missing; their facts are not support
    for (size_t i = 0; i < matched.size() && i < cap; ++i)
      ev.push_back(evidence_of(*matched[i]));
  }
  return ok;
}

void dedupe(std::vector<Evidence>& ev) {
  std::vector<Evidence> out;
  for (auto& e : ev) {
    bool seen = std::any_of(out.begin(), out.end(), [&](const Evidence& o) {
      return o.path == e.path && o.line == e.line && o.detail == e.detail;
    });
    if (!seen) out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const Evidence& a, const Evidence& b) {
    return std::tie(a.path, a.line) < std::tie(b.path, b.line);
  });
  ev = std::move(out);
}

}  // namespace

void Catalog::load(const std::string& name, std::string_view text, bool compile_now) {
  load(name, read_yaml(text), compile_now);
}

void Catalog::load(const std::string& name, const YamlLoad& y, bool compile_now) {
  if (!y.ok) throw CatalogError(name + ":" + std::to_string(y.error_line) + ": " + y.error);
  load_tree(name, y.root, compile_now);
}

void Catalog::load_tree(const std::string& name, const YNode& root, bool now) {
  if (!root.is_map()) throw CatalogError(name + ": a catalog file is a map");
  if (const YNode* cs = root.get("checks")) {
    if (!cs->is_map()) catalog_fail(name, *cs, "'checks' maps check ids to checks");
    for (const auto& [id, n] : cs->entries) {
      Check c;
      c.id = catalog_text(name, id);
      if (check(c.id)) catalog_fail(name, id, "check '" + c.id + "' defined twice");
      if (!n.is_map()) catalog_fail(name, n, "check '" + c.id + "' is a map");
      c.looked_for = scalar(name, n, "looked_for", true);
      const YNode* outcomes = n.get("outcomes");
      if (!outcomes || !outcomes->is_seq()) catalog_fail(name, n, "missing list 'outcomes'");
      for (const auto& o : outcomes->items) c.outcomes.push_back(parse_outcome(name, o, now));
      const YNode* otherwise = n.get("otherwise");
      if (!otherwise) catalog_fail(name, n, "missing 'otherwise'");
      c.otherwise = parse_outcome(name, *otherwise, now);
      if (c.otherwise.when) catalog_fail(name, *otherwise, "'otherwise' takes no condition");
      if (const YNode* p = n.get("probes")) {
        if (!p->is_seq()) catalog_fail(name, *p, "'probes' is a list of probe names");
        for (const auto& x : p->items) c.probes.push_back(catalog_text(name, x));
      }
      if (const YNode* ns = n.get("notes")) {
        if (!ns->is_seq()) catalog_fail(name, *ns, "'notes' is a list of {when, says}");
        for (const auto& nn : ns->items) {
          const YNode* when = nn.get("when");
          if (!nn.is_map() || !when) catalog_fail(name, nn, "a note needs 'when' and 'says'");
          c.notes.push_back({parse_condition(name, *when, now), scalar(name, nn, "says", true)});
        }
      }
      checks_.push_back(std::move(c));
    }
  }
  if (const YNode* q = root.get("questions")) questions_.load(name, *q);
  if (const YNode* items = root.get("items")) {
    std::string family = scalar(name, root, "family", true);
    if (!items->is_seq()) catalog_fail(name, *items, "'items' is a list");
    for (const auto& n : items->items) {
      if (!n.is_map()) catalog_fail(name, n, "an item is a map with 'id' and 'patterns'");
      ItemRule r;
      r.id = scalar(name, n, "id", true);
      r.module = scalar(name, n, "module", false);
      r.check = scalar(name, n, "check", false);
      const YNode* pats = n.get("patterns");
      if (!pats || !pats->is_seq() || pats->items.empty())
        catalog_fail(name, n, "item '" + r.id + "' needs a non-empty list 'patterns'");
      for (const auto& p : pats->items) r.patterns.push_back(compile(name, p, catalog_text(name, p), true, now));
      items_.emplace_back(family, std::move(r));
    }
  }
}

void Catalog::validate() const {
  if (!questions_.empty()) questions_.validate();
  for (const auto& [family, r] : items_)
    if (!r.check.empty() && !check(r.check))
      throw CatalogError("item '" + r.id + "' of family " + family + " names unknown check '" +
                         r.check + "'");
}

namespace {
void compile_condition(const Condition& c) {
  for (const auto& w : c.where) (void)w.re->re();
  for (const auto& ch : c.children) compile_condition(ch);
}
}  // namespace

void Catalog::compile_patterns() const {
  for (const auto& [family, r] : items_)
    for (const auto& re : r.patterns) (void)re->re();
  for (const auto& c : checks_) compile_patterns(c);
}

void Catalog::compile_patterns(const Check& c) const {
  for (const auto& o : c.outcomes)
    if (o.when) compile_condition(*o.when);
  for (const auto& n : c.notes) compile_condition(n.when);
}

const ItemRule* Catalog::match_item(const std::string& family, std::string_view text) const {
  for (const auto& [fam, r] : items_) {
    if (fam != family) continue;
    for (const auto& re : r.patterns)
      if (re->partial_match(text)) return &r;
  }
  return nullptr;
}

const Check* Catalog::check(const std::string& id) const {
  for (const auto& c : checks_)
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<std::string> Catalog::families() const {
  std::vector<std::string> out;
  for (const auto& [f, r] : items_)
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  return out;
}

CheckResult Catalog::evaluate(const Check& c, const FactStore& facts, const EvalContext& ctx) const {
  CheckResult r;
  const Outcome* chosen = &c.otherwise;
  for (const auto& o : c.outcomes) {
    std::vector<Evidence> ev;
    if (!o.when || holds(*o.when, facts, ev)) {
      chosen = &o;
      r.evidence = std::move(ev);
      break;
    }
  }
  r.status = chosen->status;
  r.reason = chosen->says;
  // No false accusations: when the files this check reads could not all be read, "absent"
  // becomes "unverifiable" and the unreadable files are the evidence.
  if (r.status == "absent" && !c.probes.empty()) {
    std::vector<Evidence> problems;
    for (const auto& f : facts.all())
      if (f.kind == kInputProblem &&
          std::find(c.probes.begin(), c.probes.end(), f.attr("probe")) != c.probes.end())
        problems.push_back(evidence_of(f));
    if (!problems.empty()) {
      r.status = "unverifiable";
      r.reason += " Some files could not be read, so this cannot be ruled out.";
      r.evidence = std::move(problems);
    }
  }
  dedupe(r.evidence);
  for (const auto& n : c.notes) {
    std::vector<Evidence> ev;
    if (!holds(n.when, facts, ev)) continue;
    dedupe(ev);
    if (ev.empty()) r.notes.push_back({n.says, "", 0});
    for (const auto& e : ev) r.notes.push_back({n.says + ": " + e.detail, e.path, e.line});
  }
  // Stock-only evidence is at most partial: the template ships these files, so their presence
  // says nothing of what the group did.
  if (r.status == "supported" && !r.evidence.empty() &&
      std::all_of(r.evidence.begin(), r.evidence.end(),
                  [](const Evidence& e) { return e.origin == "scaffold-stock"; })) {
    std::vector<std::string> paths;
    for (const auto& e : r.evidence)
      if (std::find(paths.begin(), paths.end(), e.path) == paths.end()) paths.push_back(e.path);
    std::string list;
    for (const auto& p : paths) list += (list.empty() ? "" : ", ") + p;
    r.status = "partial";
    r.reason += std::string(" The evidence is the template's stock ") +
                (paths.size() == 1 ? "file" : "files") + ", unchanged since the scaffold commit" +
                (ctx.scaffold_commit.empty() ? "" : " " + ctx.scaffold_commit.substr(0, 7)) +
                ": " + list + ".";
  }
  return r;
}

}  // namespace cc
