// A compact Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments: counts, the
// questions for the oral exam, the flagged items with their reason and evidence links, the claims.
// GitHub renders HTML inside Markdown, so repository and report text is escaped for both.
#include <cstdio>
#include <sstream>

#include "engine/render.h"
#include "engine/render_links.h"

namespace cc {
namespace {

// HTML-escaped, Markdown punctuation backslash-escaped, one line (table cells).
std::string md(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '\n': case '\r': case '\t': o += ' '; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#': case '!': case '~':
        o += '\\';
        o += c;
        break;
      default: o += c;
    }
  }
  return o;
}

const char* icon(const std::string& v) {
  if (v == "overclaimed") return ":x:";
  if (v == "weak") return ":warning:";
  if (v == "unverifiable") return ":grey_question:";
  if (v == "ok") return ":white_check_mark:";
  return "";
}

}  // namespace

std::string render_markdown(const AuditResult& r, const RenderOptions& opt) {
  std::ostringstream o;
  auto where = [&](const std::string& path, int line) -> std::string {
    if (path.empty()) return {};
    std::string label = md(path) + (line > 0 ? ":" + std::to_string(line) : "");
    std::string url = evidence_url(opt.repo_url, r.commit, path, line);
    return url.empty() ? label : "[" + label + "](" + url + ")";
  };
  std::string commit = r.commit.size() == 40 ? r.commit.substr(0, 7) : r.commit;
  o << "## claimcheck: " << md(r.report_path) << " at " << md(commit) << "\n\n";
  if (!r.template_version.empty())
    o << "Template " << md(r.template_version) << " (" << static_cast<int>(r.template_similarity * 100 + 0.5)
      << "% match, " << r.template_differences.size() << " differences).";
  else
    o << "Template not recognised.";
  if (!r.input_problems.empty()) o << " **Partial result**: " << r.input_problems.size() << " files could not be read.";
  o << "\n\n";

  o << "| verdict | items |\n|---|---|\n";
  for (const char* v : {"overclaimed", "weak", "unverifiable", "underclaimed", "ok", "not-claimed", "not-checked"}) {
    long n = 0;
    for (const auto& i : r.checklist) n += i.verdict == v;
    if (n) o << "| " << icon(v) << " " << verdict_word(v) << " | " << n << " |\n";
  }
  if (r.checklist.empty()) o << "| (no checklist) | 0 |\n";

  if (opt.questions && !opt.questions->empty()) {
    auto qs = oral_questions(r, *opt.questions);
    if (!qs.empty()) {
      o << "\n### Questions for the oral exam\n\n";
      int k = 1;
      for (const auto& q : qs) o << k++ << ". " << md(q.text) << (q.line > 0 ? " (line " + std::to_string(q.line) + ")" : "") << "\n";
    }
  }

  bool header = false;
  for (const auto& i : r.checklist) {
    if (!flagged(i)) continue;
    if (!header) o << "\n### Flagged items\n\n| line | item | verdict | why, and the evidence |\n|---|---|---|---|\n";
    header = true;
    o << "| " << i.line << " | " << md(i.text) << " | " << icon(i.verdict) << " " << verdict_word(i.verdict) << " | "
      << md(i.reason);
    for (const auto& e : i.evidence)
      if (!e.path.empty())
        o << "<br>" << where(e.path, e.line) << " " << md(e.detail) << (e.origin == "scaffold-stock" ? " (template stock)" : "");
    if (i.contradiction)
      o << "<br>the report says (line " << i.contradiction->line << "): \"" << md(i.contradiction->quote) << "\"";
    if (i.status != "supported" && !i.looked_for.empty()) o << "<br>looked for: " << md(i.looked_for);
    o << " |\n";
  }
  if (!header) o << "\nNo ticked item is flagged.\n";

  std::ostringstream c;
  if (r.test_count && r.test_count->verdict != "no-claim") {
    const auto& t = *r.test_count;
    c << "- test count (question " << t.question << "): \"" << md(t.wording) << "\", measured " << t.functions
      << " test functions in " << t.files << " files: **" << md(t.verdict) << "**\n";
  }
  if (r.claims.coverage && r.claims.coverage->verdict != "no-claim") {
    const auto& cv = *r.claims.coverage;
    char m[32] = "none";
    if (cv.measured) std::snprintf(m, sizeof m, "%.1f%%", *cv.measured);
    c << "- coverage (question " << cv.question << "): \"" << md(cv.wording) << "\", measured " << m << ": **"
      << md(cv.verdict) << "**\n";
  }
  size_t missing = 0;
  for (const auto& p : r.claims.paths) missing += !p.exists;
  if (!r.claims.paths.empty())
    c << "- paths: " << r.claims.paths.size() << " mentioned, " << missing << " not in the repository\n";
  for (const auto& p : r.claims.paths)
    if (!p.exists)
      c << "  - question " << p.question << ": " << md(p.mention) << (p.nearest ? "; nearest: " + where(*p.nearest, 0) : "")
        << "\n";
  for (const auto& ci : r.claims.ci_prose)
    if (ci.holds != "true")
      c << "- CI (question " << ci.question << "): \"" << md(ci.claim) << "\": **"
        << (ci.holds == "false" ? "does not hold" : "unverifiable") << "**\n";
  if (!c.str().empty()) o << "\n### Claims in the answers\n\n" << c.str();
  return o.str();
}

}  // namespace cc
