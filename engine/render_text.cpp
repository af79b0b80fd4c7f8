#include <map>
#include <sstream>

#include "engine/render.h"

namespace cc {
namespace {

// Over-claims first: they are what an examiner must question.
const char* const kOrder[] = {"overclaimed", "weak",        "unverifiable", "underclaimed",
                              "ok",          "not-claimed", "not-checked"};

std::string limits(const AnswerSummary& a) {
  std::ostringstream o;
  bool words_bad = (a.min_words && a.words < *a.min_words) || (a.max_words && a.words > *a.max_words);
  bool images_bad =
      (a.min_images && a.images < *a.min_images) || (a.max_images && a.images > *a.max_images);
  if (words_bad)
    o << a.words << " words, the template asks " << a.min_words.value_or(0) << "-"
      << a.max_words.value_or(0);
  if (images_bad) {
    if (words_bad) o << "; ";
    o << a.images << " images, the template asks " << a.min_images.value_or(0) << "-"
      << a.max_images.value_or(0);
  }
  return o.str();
}

}  // namespace

const char* verdict_heading(const std::string& v) {
  if (v == "overclaimed") return "Over-claimed: ticked, but the repository does not show it";
  if (v == "weak") return "Weak: ticked, the repository shows it only in part";
  if (v == "unverifiable") return "Unverifiable: ticked, cannot be checked from the repository";
  if (v == "underclaimed") return "Under-claimed: not ticked, but the repository shows it";
  if (v == "ok") return "OK: ticked and supported";
  if (v == "not-claimed") return "Not claimed";
  return "Not checked yet (no rule for these items)";
}

std::string render_text(const AuditResult& r, bool color) {
  auto paint = [&](const char* code, const std::string& s) {
    return color ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
  };
  std::ostringstream o;
  o << "claimcheck: " << r.repo_described << "\n";
  o << "report: " << r.report_path << " (" << (r.report_source == "repo" ? "in the repository" : "file")
    << ")";
  if (!r.template_version.empty())
    o << ", template " << r.template_version << " (family " << r.template_family << ", "
      << static_cast<int>(r.template_similarity * 100 + 0.5) << "% match)";
  else
    o << ", template not recognised";
  o << "\n";
  if (r.report_found_by == "search") o << "  found: " << r.report_found_note << "\n";
  for (const auto& d : r.template_differences) o << "  differs: " << d << "\n";
  for (const auto& p : r.report_problems) o << "  note: " << p << "\n";

  if (r.checklist.empty()) o << "\nThe report has no checklist.\n";
  for (const char* v : kOrder) {
    std::vector<const ItemVerdict*> group;
    for (const auto& i : r.checklist)
      if (i.verdict == v) group.push_back(&i);
    if (group.empty()) continue;
    std::string verdict = v;
    bool brief = verdict == "not-claimed" || verdict == "not-checked";
    const char* code = verdict == "overclaimed" ? "1;31" : verdict == "weak" ? "33"
                       : verdict == "ok"         ? "32"
                                                 : "36";
    o << "\n" << paint(code, std::string(verdict_heading(verdict)) + " (" + std::to_string(group.size()) + ")") << "\n";
    for (const ItemVerdict* i : group) {
      o << "  line " << i->line << ": [" << i->mark << "] " << i->text << "\n";
      if (brief) continue;
      o << "    " << i->status << ": " << i->reason << "\n";
      for (const auto& e : i->evidence) {
        o << "    - ";
        if (!e.path.empty()) o << e.path << (e.line > 0 ? ":" + std::to_string(e.line) : "") << "  ";
        o << e.detail;
        if (e.origin == "scaffold-stock") o << " (template's stock file)";
        o << "\n";
      }
      if (i->contradiction)
        o << "    the report says (line " << i->contradiction->line << "): \"" << i->contradiction->quote << "\"\n";
      for (const auto& n : i->notes) {
        o << "    note: ";
        if (!n.path.empty()) o << n.path << (n.line > 0 ? ":" + std::to_string(n.line) : "") << "  ";
        o << n.detail << "\n";
      }
      if (i->status != "supported" && !i->looked_for.empty())
        o << "    looked for: " << i->looked_for << "\n";
    }
  }

  // ---- hygiene (issue 12): leaked secrets first, then committed data; values are masked ----
  if (r.hygiene.empty()) {
    o << "\nHygiene: no leaked secrets or committed data files found\n";
  } else {
    std::size_t secrets = 0;
    for (const auto& h : r.hygiene) secrets += h.kind == "secret";
    o << "\n" << paint(secrets ? "1;31" : "33", "Hygiene: " + std::to_string(secrets) + " leaked secret(s), " +
                                                   std::to_string(r.hygiene.size() - secrets) +
                                                   " committed data file(s)") << "\n";
    for (const auto& h : r.hygiene) {
      o << "  " << h.kind << ": " << h.path << (h.line > 0 ? ":" + std::to_string(h.line) : "")
        << (h.in_head ? "" : " (history only)") << "\n    " << h.detail << "\n";
    }
  }
  for (const auto& n : r.hygiene_notes) o << "  note: " << n << "\n";

  if (r.test_count) {
    const auto& t = *r.test_count;
    o << "\nTest count (question " << t.question << "): ";
    if (t.claimed) {
      o << "claimed \"" << t.wording << "\"";
    } else if (t.claimed_files) {
      o << "claimed \"" << t.wording << "\"";
    } else {
      o << "no number claimed";
    }
    o << "; measured " << t.functions << " test functions, " << t.items << " collected items"
      << (t.items_exact ? "" : " (at least)") << " in " << t.files << " files -> "
      << paint(t.verdict == "overclaimed" ? "1;31" : t.verdict == "ok" ? "32" : "36", t.verdict) << "\n";
    if (!t.reason.empty()) o << "  " << t.reason << "\n";
    if (!t.quote.empty()) o << "  quote: \"" << t.quote << "\"\n";
  }

  // ---- claims of issue 5: coverage, paths, figures, CI prose, deadline (problems first, counts) ----
  {
    const AnswerClaims& ac = r.claims;
    const bool any = ac.coverage || !ac.paths.empty() || !ac.figures.empty() || !ac.ci_prose.empty() ||
                     ac.deadline || !ac.notes.empty();
    if (any) o << "\nClaims in the answers\n";
    if (ac.coverage) {
      const auto& c = *ac.coverage;
      o << "  coverage (question " << c.question << "): "
        << (c.claimed ? "claimed \"" + c.wording + "\"" : std::string("no percentage claimed")) << " -> "
        << paint(c.verdict == "overclaimed" ? "1;31" : c.verdict == "ok" ? "32" : "36", c.verdict) << "\n";
      if (!c.reason.empty()) o << "    " << c.reason << "\n";
    }
    if (!ac.paths.empty()) {
      size_t missing = 0;
      for (const auto& p : ac.paths) missing += !p.exists;
      o << "  paths: " << ac.paths.size() << " mentioned, " << missing << " not in the repository\n";
      for (const auto& p : ac.paths) {
        if (p.exists && p.note.empty()) continue;
        o << "    question " << p.question << ": " << p.mention;
        if (p.exists) {
          o << ": " << p.note << "\n";
          continue;
        }
        o << (p.outside ? ": " + p.note : std::string(": not in the repository"));
        if (p.nearest) o << "; nearest: " << *p.nearest;
        if (p.seen_at) o << "; " << p.seen_at->detail;
        o << "\n";
      }
    }
    if (!ac.figures.empty()) {
      std::map<int, std::pair<int, int>> per_q;  // question -> (images, problems)
      for (const auto& f : ac.figures) {
        auto& q = per_q[f.question];
        ++q.first;
        q.second += f.exists && (!*f.exists || !f.note.empty());
      }
      o << "  figures:";
      bool first = true;
      for (const auto& [q, n] : per_q) {
        o << (first ? " " : ", ") << "question " << q << ": " << n.first << (n.first == 1 ? " image" : " images");
        if (n.second) o << " (" << n.second << " with a problem)";
        first = false;
      }
      o << "\n";
      for (const auto& f : ac.figures) {
        if ((!f.exists || *f.exists) && f.note.empty()) continue;
        o << "    question " << f.question << ": " << f.link << ": "
          << (f.exists && !*f.exists && f.note.empty() ? std::string("not in the repository") : f.note) << "\n";
      }
    }
    if (!ac.ci_prose.empty()) {
      o << "  CI (question " << ac.ci_prose.front().question << "):\n";
      for (const auto& c : ac.ci_prose) {
        const char* code = c.holds == "true" ? "32" : c.holds == "false" ? "1;31" : "36";
        o << "    \"" << c.claim << "\": "
          << paint(code, c.holds == "true" ? "holds" : c.holds == "false" ? "does not hold" : "unverifiable") << " ("
          << c.reason << ")\n";
      }
    }
    if (ac.deadline) {
      const auto& d = *ac.deadline;
      o << "  deadline " << d.deadline << " (audited commit " << d.audited_commit.substr(0, 7) << "): "
        << (d.findings.empty() ? "nothing late" : std::to_string(d.findings.size()) + " finding(s)") << "\n";
      if (!d.note.empty()) o << "    note: " << d.note << "\n";
      for (const auto& f : d.findings)
        o << "    " << f.kind << ": " << (f.line > 0 ? "line " + std::to_string(f.line) + ": " : "") << f.detail << "\n";
    }
    for (const auto& n : ac.notes) o << "  note: " << n << "\n";
  }

  bool header = false;
  for (const auto& a : r.answers) {
    std::string l = limits(a);
    if (!a.placeholder && l.empty()) continue;
    if (!header) o << "\nAnswers outside the template's limits\n";
    header = true;
    o << "  question " << a.question << " (line " << a.line << "): "
      << (a.placeholder ? "still holds the placeholder" : l) << "\n";
  }

  if (!r.input_problems.empty()) {
    o << "\nPartial result: some files could not be read or parsed\n";
    for (const auto& e : r.input_problems)
      o << "  - " << e.path << (e.line > 0 ? ":" + std::to_string(e.line) : "") << "  " << e.detail << "\n";
  }

  std::ostringstream sum;
  bool first = true;
  for (const char* v : kOrder) {
    long n = 0;
    for (const auto& i : r.checklist) n += i.verdict == v;
    if (!n) continue;
    sum << (first ? "" : ", ") << n << " " << v;
    first = false;
  }
  o << "\nSummary: " << (first ? "no checklist items" : sum.str()) << "\n";
  return o.str();
}

}  // namespace cc
