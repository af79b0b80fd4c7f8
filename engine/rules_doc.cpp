#include "engine/rules_doc.h"

#include <re2/re2.h>

#include <map>
#include <set>
#include <sstream>

namespace cc {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string o;
  for (const auto& s : v) o += (o.empty() ? "" : sep) + s;
  return o;
}

std::string describe_check(const Check& ch) {
  std::ostringstream o;
  o << "  check: " << ch.id << "\n";
  o << "  supported by: " << ch.looked_for << "\n";
  if (!ch.probes.empty())
    o << "  probes: " << join(ch.probes, ", ")
      << " (when they could not read some files, \"absent\" becomes \"unverifiable\")\n";
  o << "  outcomes (the first that holds wins):\n";
  int k = 1;
  for (const auto& out : ch.outcomes) {
    o << "    " << k++ << ". " << out.status;
    o << (out.when ? " when " + describe_condition(*out.when) : std::string(" always")) << "\n";
    o << "       says: " << out.says << "\n";
  }
  o << "    otherwise " << ch.otherwise.status << "\n       says: " << ch.otherwise.says << "\n";
  return o.str();
}

}  // namespace

std::string describe_condition(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::all:
    case Condition::Kind::any: {
      std::vector<std::string> parts;
      for (const auto& ch : c.children) parts.push_back(describe_condition(ch));
      return std::string(c.kind == Condition::Kind::all ? "all of (" : "any of (") + join(parts, "; ") + ")";
    }
    case Condition::Kind::not_:
      return "not (" + (c.children.empty() ? std::string() : describe_condition(c.children.front())) + ")";
    case Condition::Kind::leaf:
      break;
  }
  std::vector<std::string> tests;
  for (const auto& w : c.where) tests.push_back(w.attr + " ~ '" + w.pattern + "'");
  for (const auto& n : c.num) tests.push_back(n.attr + " " + n.op + " " + std::to_string(n.value));
  std::string s = c.fact;
  if (!tests.empty()) s += " where " + join(tests, ", ");
  if (!c.distinct.empty())
    s += ", at least " + std::to_string(c.min) + " distinct " + c.distinct;
  else if (c.min != 1)
    s += ", at least " + std::to_string(c.min);
  if (c.max) s += ", at most " + std::to_string(*c.max);
  if (c.origin) s += ", origin " + *c.origin;
  return s;
}

std::string list_rules(const Catalog& c) {
  // One line per item id (families share most ids), in the first file order met.
  std::vector<std::string> order;
  std::map<std::string, std::pair<const ItemRule*, std::vector<std::string>>> by_id;
  for (const auto& [family, r] : c.items()) {
    auto [it, fresh] = by_id.try_emplace(r.id, &r, std::vector<std::string>{});
    if (fresh) order.push_back(r.id);
    it->second.second.push_back(family);
  }
  std::ostringstream o;
  for (const auto& id : order) {
    const auto& [r, fams] = by_id[id];
    const Check* ch = r->check.empty() ? nullptr : c.check(r->check);
    o << id << "\t" << (r->module.empty() ? "-" : r->module) << "\t" << join(fams, ",") << "\t"
      << (ch ? ch->looked_for : std::string("(no rule: not-checked)")) << "\n";
  }
  return o.str();
}

std::optional<std::string> explain_rule(const Catalog& c, const std::string& id) {
  std::ostringstream o;
  std::vector<std::string> fams;
  const ItemRule* rule = nullptr;
  for (const auto& [family, r] : c.items())
    if (r.id == id) {
      if (!rule) rule = &r;
      fams.push_back(family);
    }
  if (rule) {
    o << id << (rule->module.empty() ? "" : " (" + rule->module + ")") << ": checklist item of template families "
      << join(fams, ", ") << "\n";
    std::vector<std::string> pats;
    for (const auto& re : rule->patterns) pats.push_back("'" + re->pattern() + "'");
    o << "  matches item wording: " << join(pats, ", ") << " (case-insensitive)\n";
    const Check* ch = rule->check.empty() ? nullptr : c.check(rule->check);
    if (!ch) {
      o << "  no check: the item is reported as not-checked\n";
      return o.str();
    }
    o << describe_check(*ch);
    if (!c.questions().empty()) {
      o << "  questions for the oral exam (questions.yaml), when ticked and:\n";
      for (const char* outcome : {"overclaimed", "weak", "unverifiable", "contradicted"}) {
        const auto& v = c.questions().variants(id, outcome);
        if (!v.empty()) o << "    " << outcome << ": " << v.front() << "\n";
      }
    }
    return o.str();
  }
  if (const Check* ch = c.check(id)) {
    o << id << ": a check (no checklist item has this id)\n" << describe_check(*ch);
    return o.str();
  }
  return std::nullopt;
}

}  // namespace cc
