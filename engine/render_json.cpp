#include <cmath>

#include <nlohmann/json.hpp>

#include "engine/render.h"

namespace cc {
namespace {

using ordered = nlohmann::ordered_json;

template <class T>
ordered opt(const std::optional<T>& v) {
  return v ? ordered(*v) : ordered(nullptr);
}

ordered evidence_json(const std::vector<Evidence>& ev) {
  ordered a = ordered::array();
  for (const auto& e : ev) {
    ordered o;
    o["path"] = e.path;
    o["line"] = e.line;
    o["detail"] = e.detail;
    if (!e.origin.empty()) o["origin"] = e.origin;
    a.push_back(std::move(o));
  }
  return a;
}

}  // namespace

std::string render_json(const AuditResult& r) {
  ordered j;
  j["schema"] = "claimcheck/1";
  j["repo"] = {{"commit", r.commit}};
  ordered rep;
  rep["path"] = r.report_path;
  rep["source"] = r.report_source;
  rep["found_by"] = r.report_found_by;
  rep["found_note"] = r.report_found_note;
  rep["template"] = r.template_version;
  rep["family"] = r.template_family;
  // Rounded so that the output is byte-identical across platforms.
  rep["similarity"] = std::round(r.template_similarity * 1000.0) / 1000.0;
  rep["differences"] = r.template_differences;
  rep["problems"] = r.report_problems;
  j["report"] = std::move(rep);

  ordered items = ordered::array();
  for (const auto& i : r.checklist) {
    ordered o;
    o["text"] = i.text;
    o["module"] = i.module;
    o["ticked"] = i.ticked;
    o["mark"] = i.mark;
    o["line"] = i.line;
    o["rule"] = i.rule;
    o["status"] = i.status;
    o["verdict"] = i.verdict;
    o["evidence"] = evidence_json(i.evidence);
    o["reason"] = i.reason;
    o["looked_for"] = i.looked_for;
    ordered notes = ordered::array();
    for (const auto& n : i.notes) notes.push_back({{"detail", n.detail}, {"path", n.path}, {"line", n.line}});
    o["notes"] = std::move(notes);
    if (i.contradiction)
      o["contradiction"] = {{"question", i.contradiction->question},
                            {"line", i.contradiction->line},
                            {"quote", i.contradiction->quote},
                            {"cue", i.contradiction->cue}};
    else
      o["contradiction"] = nullptr;
    items.push_back(std::move(o));
  }
  j["checklist"] = std::move(items);

  ordered hygiene = ordered::array();  // issue 12: secrets (masked), then committed data
  for (const auto& h : r.hygiene)
    hygiene.push_back({{"kind", h.kind}, {"path", h.path}, {"line", h.line}, {"commit", h.commit},
                       {"detail", h.detail}, {"in_head", h.in_head}});
  j["hygiene"] = std::move(hygiene);
  j["hygiene_notes"] = r.hygiene_notes;

  ordered answers = ordered::array();
  for (const auto& a : r.answers) {
    answers.push_back({{"question", a.question},
                       {"line", a.line},
                       {"words", a.words},
                       {"images", a.images},
                       {"min_words", opt(a.min_words)},
                       {"max_words", opt(a.max_words)},
                       {"min_images", opt(a.min_images)},
                       {"max_images", opt(a.max_images)},
                       {"placeholder", a.placeholder}});
  }
  j["answers"] = std::move(answers);

  ordered claims = ordered::object();
  if (r.test_count) {
    const auto& t = *r.test_count;
    claims["test_count"] = {{"question", t.question},
                            {"quote", t.quote},
                            {"claimed", opt(t.claimed)},
                            {"claimed_max", opt(t.claimed_max)},
                            {"claimed_files", opt(t.claimed_files)},
                            {"wording", t.wording},
                            {"qualifier", t.qualifier},
                            {"unit", t.unit},
                            {"measured", {{"files", t.files},
                                          {"functions", t.functions},
                                          {"items", t.items},
                                          {"items_exact", t.items_exact}}},
                            {"tolerance", t.tolerance},
                            {"verdict", t.verdict},
                            {"reason", t.reason}};
  }
  // ---- claims of issue 5: coverage, paths, figures, CI prose, deadline ----
  const AnswerClaims& ac = r.claims;
  if (ac.coverage) {
    const auto& c = *ac.coverage;
    claims["coverage"] = {{"question", c.question},
                          {"quote", c.quote},
                          {"claimed", opt(c.claimed)},
                          {"claimed_max", opt(c.claimed_max)},
                          {"wording", c.wording},
                          {"qualifier", c.qualifier},
                          {"measured", opt(c.measured)},
                          {"tolerance", c.tolerance},
                          {"evidence", evidence_json(c.evidence)},
                          {"verdict", c.verdict},
                          {"reason", c.reason}};
  }
  ordered paths = ordered::array();
  for (const auto& p : ac.paths) {
    ordered o;
    o["question"] = p.question;
    o["quote"] = p.quote;
    o["mention"] = p.mention;
    o["source"] = p.source;
    o["path"] = p.path;
    o["exists"] = p.exists;
    if (p.exists) o["directory"] = p.directory;
    o["outside"] = p.outside;
    o["nearest"] = opt(p.nearest);
    if (p.seen_at)
      o["seen_at"] = {{"commit", p.seen_at->commit}, {"date", p.seen_at->date}, {"detail", p.seen_at->detail}};
    else
      o["seen_at"] = nullptr;
    o["note"] = p.note;
    paths.push_back(std::move(o));
  }
  claims["paths"] = std::move(paths);
  ordered figures = ordered::array();
  for (const auto& f : ac.figures) {
    figures.push_back({{"question", f.question},
                       {"quote", f.quote},
                       {"link", f.link},
                       {"path", f.path},
                       {"exists", opt(f.exists)},
                       {"note", f.note}});
  }
  claims["figures"] = std::move(figures);
  ordered ci = ordered::array();
  for (const auto& c : ac.ci_prose) {
    ordered holds = c.holds == "true" ? ordered(true) : c.holds == "false" ? ordered(false) : ordered(c.holds);
    ci.push_back({{"question", c.question},
                  {"quote", c.quote},
                  {"claim", c.claim},
                  {"subject", c.subject},
                  {"value", c.value},
                  {"negated", c.negated},
                  {"holds", holds},
                  {"evidence", evidence_json(c.evidence)},
                  {"reason", c.reason}});
  }
  claims["ci_prose"] = std::move(ci);
  if (ac.deadline) {
    const auto& d = *ac.deadline;
    ordered fs = ordered::array();
    for (const auto& f : d.findings)
      fs.push_back({{"kind", f.kind}, {"item", f.item}, {"line", f.line}, {"commit", f.commit},
                    {"date", f.date}, {"detail", f.detail}});
    claims["deadline"] = {{"deadline", d.deadline}, {"audited_commit", d.audited_commit},
                          {"findings", std::move(fs)}, {"note", d.note}};
  }
  claims["notes"] = ac.notes;
  j["claims"] = std::move(claims);
  j["input_problems"] = evidence_json(r.input_problems);

  ordered summary = ordered::object();
  for (const char* v : {"overclaimed", "weak", "unverifiable", "underclaimed", "ok", "not-claimed",
                        "not-checked"}) {
    long n = 0;
    for (const auto& i : r.checklist) n += i.verdict == v;
    summary[v] = n;
  }
  summary["partial_result"] = !r.input_problems.empty();
  j["summary"] = std::move(summary);
  // A path or quote that is not UTF-8 (a hostile file name) becomes U+FFFD instead of an error.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace cc
