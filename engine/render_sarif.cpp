// SARIF 2.1.0 for GitHub code scanning: one result per ticked item that is over-claimed (error),
// weak (warning) or unverifiable (note), and per number or CI statement in the answers that the
// repository contradicts, located at its line of the report so that the annotation lands on the
// report itself. ruleId is the catalog item id; related locations are the evidence.
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/render.h"
#include "engine/render_links.h"

namespace cc {
namespace {

using ordered = nlohmann::ordered_json;

const char* level_of(const std::string& verdict) {
  if (verdict == "overclaimed") return "error";
  if (verdict == "weak") return "warning";
  return "note";
}

ordered location(const std::string& path, int line, const std::string& message = {}, int id = -1) {
  ordered phys;
  phys["artifactLocation"] = {{"uri", url_path(path)}, {"uriBaseId", "%SRCROOT%"}};
  if (line > 0) phys["region"] = {{"startLine", line}};
  ordered loc;
  if (id >= 0) loc["id"] = id;
  loc["physicalLocation"] = std::move(phys);
  if (!message.empty()) loc["message"] = {{"text", message}};
  return loc;
}

// "ci-lint" -> "CiLint": SARIF wants a rule name that reads as an identifier.
std::string pascal(const std::string& id) {
  std::string o;
  bool up = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      up = true;
      continue;
    }
    o += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return o;
}

bool claim_rule(const std::string& id) { return id == "test-count" || id == "coverage" || id == "ci-prose"; }

// SARIF messages are plain text; an empty one is invalid.
std::string or_dash(const std::string& s) { return s.empty() ? std::string("-") : s; }

class Log {
 public:
  Log(const AuditResult& r, const RenderOptions& o) : r_(r), o_(o) {}

  std::string render() {
    for (const auto& i : r_.checklist) {
      if (!i.ticked || (i.verdict != "overclaimed" && i.verdict != "weak" && i.verdict != "unverifiable")) continue;
      std::string rule = i.rule.empty() ? "unmatched-item" : i.rule;
      int idx = rule_index(rule, i.text, i.looked_for.empty() ? i.reason : i.looked_for, i.module);
      std::string msg = std::string(verdict_heading(i.verdict)) + ". " + or_dash(i.reason);
      if (i.contradiction)
        msg += " The report says (line " + std::to_string(i.contradiction->line) + "): \"" + i.contradiction->quote + "\"";
      if (i.status != "supported" && !i.looked_for.empty()) msg += " Looked for: " + i.looked_for + ".";
      ordered res = result(rule, idx, level_of(i.verdict), msg, i.line);
      related(res, i.evidence);
      res["properties"] = {{"item", i.text}, {"status", i.status}, {"verdict", i.verdict}};
      results_.push_back(std::move(res));
    }
    numeric_claims();

    ordered driver;
    driver["name"] = "claimcheck";
    driver["version"] = o_.version;
    driver["semanticVersion"] = o_.version;
    driver["rules"] = rules_;
    ordered run;
    run["tool"] = {{"driver", std::move(driver)}};
    run["originalUriBaseIds"] = {{"%SRCROOT%", {{"description", {{"text", "the root of the audited repository"}}}}}};
    if (!o_.repo_url.empty() && r_.commit.size() == 40)
      run["versionControlProvenance"] = ordered::array(
          {{{"repositoryUri", o_.repo_url}, {"revisionId", r_.commit}, {"mappedTo", {{"uriBaseId", "%SRCROOT%"}}}}});
    run["results"] = results_;
    run["columnKind"] = "unicodeCodePoints";
    ordered log;
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = ordered::array({std::move(run)});
    // A path or quote that is not UTF-8 (a hostile file name) becomes U+FFFD instead of an error.
    return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }

 private:
  int rule_index(const std::string& id, const std::string& name, const std::string& help, const std::string& module) {
    if (auto it = index_.find(id); it != index_.end()) return it->second;
    ordered rule;
    rule["id"] = id;
    // SARIF1001: the name must differ from the id, even in case.
    rule["name"] = (claim_rule(id) ? "Answer" : "Checklist") + pascal(id);
    rule["shortDescription"] = {{"text", or_dash(name)}};
    rule["help"] = {{"text", "Supported by: " + or_dash(help)}};
    rule["defaultConfiguration"] = {{"level", "warning"}};
    rule["properties"] = {{"module", module}, {"tags", ordered::array({"claimcheck", "report"})}};
    rules_.push_back(std::move(rule));
    int idx = static_cast<int>(rules_.size()) - 1;
    index_[id] = idx;
    return idx;
  }

  ordered result(const std::string& rule, int idx, const char* level, const std::string& msg, int line) {
    ordered res;
    res["ruleId"] = rule;
    res["ruleIndex"] = idx;
    res["level"] = level;
    res["message"] = {{"text", msg}};
    // A report outside the repository has no place in the repository: the result still names it.
    res["locations"] = ordered::array({location(r_.report_path, line > 0 ? line : 1)});
    return res;
  }

  void related(ordered& res, const std::vector<Evidence>& ev) {
    ordered rel = ordered::array();
    int id = 1;
    for (const auto& e : ev) {
      if (e.path.empty()) continue;
      rel.push_back(location(e.path, e.line, or_dash(e.detail) + (e.origin == "scaffold-stock" ? " (template stock)" : ""), id++));
    }
    if (!rel.empty()) res["relatedLocations"] = std::move(rel);
  }

  int answer_line(int q) const {
    for (const auto& a : r_.answers)
      if (a.question == q) return a.line;
    return 1;
  }

  void numeric_claims() {
    if (r_.test_count && r_.test_count->verdict == "overclaimed") {
      const auto& t = *r_.test_count;
      int idx = rule_index("test-count", "The number of tests stated in the answers",
                           "test functions in the repository's test files, within the tolerance its wording allows", "M16");
      std::string msg = "Test count over-claimed: \"" + t.wording + "\", measured " + std::to_string(t.functions) +
                        " test functions (" + std::to_string(t.items) + " collected). " + t.reason;
      results_.push_back(result("test-count", idx, "error", msg, answer_line(t.question)));
    }
    if (r_.claims.coverage && r_.claims.coverage->verdict == "overclaimed") {
      const auto& c = *r_.claims.coverage;
      int idx = rule_index("coverage", "The code coverage stated in the answers",
                           "a coverage artefact (coverage.xml/json, htmlcov, lcov) whose total is within the tolerance", "M16");
      ordered res = result("coverage", idx, "error", "Coverage over-claimed: \"" + c.wording + "\". " + c.reason,
                           answer_line(c.question));
      related(res, c.evidence);
      results_.push_back(std::move(res));
    }
    for (const auto& c : r_.claims.ci_prose) {
      if (c.holds != "false") continue;
      int idx = rule_index("ci-prose", "What the answers say about CI",
                           "a workflow that does what the answer says (operating systems, Python versions, caching, linting)",
                           "M17");
      ordered res = result("ci-prose", idx, "warning", "The answer says CI " + c.claim + ", which does not hold. " + c.reason,
                           answer_line(c.question));
      related(res, c.evidence);
      results_.push_back(std::move(res));
    }
  }

  const AuditResult& r_;
  const RenderOptions& o_;
  ordered rules_ = ordered::array();
  ordered results_ = ordered::array();
  std::map<std::string, int> index_;
};

}  // namespace

std::string render_sarif(const AuditResult& r, const RenderOptions& o) { return Log(r, o).render(); }

}  // namespace cc
