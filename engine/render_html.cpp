// One self-contained HTML page per audit, for an examiner: CSS and the small filter script inline,
// nothing fetched when it is opened, printable. Every string from the repository or the report
// goes through html_escape; links are built only from a checked web address and a 40-hex commit.
#include <cstdio>
#include <sstream>

#include "engine/render.h"
#include "engine/render_links.h"

namespace cc {
namespace {

const char* const kVerdicts[] = {"overclaimed", "weak",        "unverifiable", "underclaimed",
                                 "ok",          "not-claimed", "not-checked"};

// Colour is never alone: every chip carries a symbol and a word.
const char* kStyle = R"CSS(
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--bad:#a40e26;--badbg:#ffebe9;--warn:#7d4e00;--warnbg:#fff8c5;
--unk:#0a3069;--unkbg:#ddf4ff;--ok:#116329;--okbg:#dafbe1;--neutral:#424a53;--neutralbg:#eaeef2}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:1rem 1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}a{color:#0550ae}
.chip{display:inline-block;border-radius:1em;padding:0 .6em;font-size:.85em;font-weight:600;white-space:nowrap;border:1px solid currentColor}
.v-overclaimed{color:var(--bad);background:var(--badbg)}.v-weak{color:var(--warn);background:var(--warnbg)}
.v-unverifiable{color:var(--unk);background:var(--unkbg)}.v-ok{color:var(--ok);background:var(--okbg)}
.v-underclaimed,.v-not-claimed,.v-not-checked{color:var(--neutral);background:var(--neutralbg)}
.badge{display:inline-block;font-size:.75em;padding:0 .45em;border-radius:.3em;background:var(--neutralbg);color:var(--neutral);margin:.15em .15em 0 0;border:1px dashed var(--neutral)}
.summary .chip{margin-right:.4rem}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
th{font-size:.85em;color:var(--muted);font-weight:600}td.num{white-space:nowrap;color:var(--muted)}
tr.flagged td:first-child{border-left:4px solid var(--bad)}
.reason{margin:0}.looked{color:var(--muted);margin:.2rem 0 0}.evidence,.notes{margin:.25rem 0 0;padding-left:1.1rem}
blockquote.contradiction{margin:.35rem 0 0;padding:.2rem .6rem;border-left:4px solid var(--bad);background:var(--badbg)}
.filter{margin:.3rem 0 .6rem}.filter label{margin-right:1rem}
ol.questions li{margin:.3rem 0}.muted{color:var(--muted)}
@media print{.filter{display:none}tr[hidden]{display:table-row}a{color:inherit;text-decoration:none}body{max-width:none}}
)CSS";

// Applies "flagged only" / "all"; "#flagged" in the address opens the page filtered.
const char* kScript = R"JS(
(function () {
  var rows = document.querySelectorAll('#items tbody tr');
  function apply(v) {
    document.body.setAttribute('data-filter', v);
    for (var i = 0; i < rows.length; i++) rows[i].hidden = v === 'flagged' && rows[i].getAttribute('data-flagged') !== 'true';
    var box = document.getElementById('filter-' + v);
    if (box) box.checked = true;
  }
  var inputs = document.querySelectorAll('input[name=filter]');
  for (var i = 0; i < inputs.length; i++)
    inputs[i].addEventListener('change', function (ev) {
      apply(ev.target.value);
      try { history.replaceState(null, '', '#' + ev.target.value); } catch (e) {}
    });
  apply(location.hash === '#flagged' ? 'flagged' : 'all');
})();
)JS";

std::string e(std::string_view s) { return html_escape(s); }

std::string chip(const std::string& verdict, const std::string& word) {
  const char* sym = verdict == "overclaimed" ? "\u2717 " : verdict == "weak" ? "! " : verdict == "unverifiable" ? "? "
                    : verdict == "ok"        ? "\u2713 " : "";
  return "<span class=\"chip v-" + e(verdict) + "\">" + sym + e(word) + "</span>";
}

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", v);
  return b;
}

// A claim's verdict ("ok", "overclaimed", "no-claim", ...) as an item-verdict chip.
std::string claim_chip(const std::string& v) {
  if (v == "ok" || v == "overclaimed" || v == "unverifiable" || v == "underclaimed") return chip(v, verdict_word(v));
  return chip("not-claimed", v);
}

class Page {
 public:
  Page(const AuditResult& r, const RenderOptions& o) : r_(r), o_(o) {}

  // path:line as a link to the audited commit when there is a web address, else as code.
  std::string where(const std::string& path, int line) const {
    if (path.empty()) return {};
    std::string label = e(path) + (line > 0 ? ":" + std::to_string(line) : "");
    std::string url = evidence_url(o_.repo_url, r_.commit, path, line);
    if (url.empty()) return "<code>" + label + "</code>";
    return "<a href=\"" + e(url) + "\"><code>" + label + "</code></a>";
  }
  std::string report_line(int line) const {
    std::string url = r_.report_source == "repo" ? evidence_url(o_.repo_url, r_.commit, r_.report_path, line) : "";
    if (url.empty()) return std::to_string(line);
    return "<a href=\"" + e(url) + "\">" + std::to_string(line) + "</a>";
  }
  std::string evidence_list(const std::vector<Evidence>& ev) const {
    if (ev.empty()) return {};
    std::string s = "<ul class=\"evidence\">";
    for (const auto& x : ev) {
      s += "<li>" + where(x.path, x.line) + (x.path.empty() ? "" : " ") + e(x.detail);
      if (x.origin == "scaffold-stock") s += " <span class=\"badge stock\">template stock</span>";
      s += "</li>";
    }
    return s + "</ul>";
  }

  std::string render() {
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // Nothing is fetched: no external style, script, font or image may load.
         << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">\n"
         << "<title>claimcheck: " << e(title()) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
    header();
    questions();
    checklist();
    claims();
    answers();
    problems();
    out_ << "<footer class=\"muted\"><p>claimcheck " << e(o_.version)
         << ": statically read; a flag is a question to ask, not a grade.</p></footer>\n";
    out_ << "<script>" << kScript << "</script>\n</body>\n</html>\n";
    return out_.str();
  }

 private:
  std::string title() const { return o_.repo_url.empty() ? r_.repo_path : o_.repo_url; }

  void header() {
    out_ << "<header>\n<h1>claimcheck report</h1>\n<dl class=\"meta\">\n";
    out_ << "<dt>Repository</dt><dd>";
    if (!o_.repo_url.empty())
      out_ << "<a href=\"" << e(o_.repo_url) << "\">" << e(o_.repo_url) << "</a>";
    else
      out_ << "<code>" << e(r_.repo_path) << "</code>";
    out_ << "</dd>\n<dt>Audited</dt><dd>" << e(r_.repo_described) << " <code>" << e(r_.commit) << "</code></dd>\n";
    out_ << "<dt>Report</dt><dd><code>" << e(r_.report_path) << "</code> ("
         << (r_.report_source == "repo" ? "in the repository" : "a file outside it") << ")";
    if (r_.report_found_by == "search" && !r_.report_found_note.empty())
      out_ << " <span class=\"badge\">found by search</span> " << e(r_.report_found_note);
    out_ << "</dd>\n<dt>Template</dt><dd>";
    if (r_.template_version.empty()) {
      out_ << "not recognised";
    } else {
      out_ << "<code>" << e(r_.template_version) << "</code> (family " << e(r_.template_family) << ", "
           << static_cast<int>(r_.template_similarity * 100 + 0.5) << "% match)";
    }
    if (!r_.template_differences.empty()) {
      out_ << "<details><summary>" << r_.template_differences.size() << " difference"
           << (r_.template_differences.size() == 1 ? "" : "s") << " from the template</summary><ul>";
      for (const auto& d : r_.template_differences) out_ << "<li>" << e(d) << "</li>";
      out_ << "</ul></details>";
    }
    out_ << "</dd>\n";
    if (!r_.report_problems.empty()) {
      out_ << "<dt>Report problems</dt><dd><ul>";
      for (const auto& p : r_.report_problems) out_ << "<li>" << e(p) << "</li>";
      out_ << "</ul></dd>\n";
    }
    out_ << "<dt>Summary</dt><dd class=\"summary\" id=\"summary\">";
    bool any = false;
    for (const char* v : kVerdicts) {
      long n = 0;
      for (const auto& i : r_.checklist) n += i.verdict == v;
      if (!n) continue;
      out_ << chip(v, std::to_string(n) + " " + verdict_word(v));
      any = true;
    }
    if (!any) out_ << "no checklist items";
    if (!r_.input_problems.empty()) out_ << " <span class=\"badge\">partial result</span>";
    out_ << "</dd>\n</dl>\n</header>\n";
  }

  void questions() {
    out_ << "<section id=\"questions\">\n<h2>Questions for the oral exam</h2>\n";
    if (!o_.questions || o_.questions->empty()) {
      out_ << "<p class=\"muted\">The catalog has no question templates.</p>\n</section>\n";
      return;
    }
    auto qs = oral_questions(r_, *o_.questions);
    if (qs.empty()) {
      out_ << "<p class=\"muted\">Nothing to ask: no ticked item is flagged and no number in the answers is contradicted.</p>\n";
    } else {
      out_ << "<ol class=\"questions\">\n";
      for (const auto& q : qs) {
        out_ << "<li data-outcome=\"" << e(q.outcome) << "\">" << e(q.text);
        if (q.line > 0) {
          bool item = q.outcome != "test-count" && q.outcome != "coverage" && q.outcome != "ci-prose";
          out_ << " <a class=\"muted\" href=\"#" << (item ? "item-" : "answers") << (item ? std::to_string(q.line) : "")
               << "\">(line " << q.line << ")</a>";
        }
        out_ << "</li>\n";
      }
      out_ << "</ol>\n";
    }
    out_ << "</section>\n";
  }

  void checklist() {
    out_ << "<section id=\"checklist\">\n<h2>Checklist, in report order</h2>\n";
    if (r_.checklist.empty()) {
      out_ << "<p>The report has no checklist.</p>\n</section>\n";
      return;
    }
    out_ << "<div class=\"filter\" role=\"radiogroup\" aria-label=\"Show\">"
         << "<label><input type=\"radio\" name=\"filter\" value=\"flagged\" id=\"filter-flagged\"> flagged only</label>"
         << "<label><input type=\"radio\" name=\"filter\" value=\"all\" id=\"filter-all\" checked> all items</label>"
         << "</div>\n";
    out_ << "<table id=\"items\">\n<thead><tr><th>line</th><th>box</th><th>item</th><th>verdict</th><th>why, and the evidence</th></tr></thead>\n<tbody>\n";
    for (const auto& i : r_.checklist) {
      bool f = flagged(i);
      out_ << "<tr id=\"item-" << i.line << "\" class=\"item" << (f ? " flagged" : "") << "\" data-verdict=\""
           << e(i.verdict) << "\" data-flagged=\"" << (f ? "true" : "false") << "\">";
      out_ << "<td class=\"num\">" << report_line(i.line) << "</td>";
      out_ << "<td><code>[" << e(i.mark) << "]</code></td>";
      out_ << "<td>" << e(i.text);
      if (!i.rule.empty()) out_ << "<br><span class=\"muted\"><code>" << e(i.rule) << "</code></span>";
      out_ << "</td><td>" << chip(i.verdict, verdict_word(i.verdict));
      badges(i);
      out_ << "</td><td>";
      if (!i.reason.empty()) out_ << "<p class=\"reason\">" << e(i.reason) << "</p>";
      out_ << evidence_list(i.evidence);
      if (i.contradiction)
        out_ << "<blockquote class=\"contradiction\">The report says (question " << i.contradiction->question
             << ", line " << report_line(i.contradiction->line) << "): &ldquo;" << e(i.contradiction->quote)
             << "&rdquo;</blockquote>";
      if (!i.notes.empty()) {
        out_ << "<ul class=\"notes\">";
        for (const auto& n : i.notes)
          out_ << "<li>note: " << where(n.path, n.line) << (n.path.empty() ? "" : " ") << e(n.detail) << "</li>";
        out_ << "</ul>";
      }
      if (i.status != "supported" && !i.looked_for.empty())
        out_ << "<p class=\"looked\">looked for: " << e(i.looked_for) << "</p>";
      out_ << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  void badges(const ItemVerdict& i) {
    // The item-level badge says the evidence is only the template's stock (each line says so too).
    bool any = false, all_stock = true;
    for (const auto& x : i.evidence) {
      if (x.path.empty()) continue;
      any = true;
      all_stock = all_stock && x.origin == "scaffold-stock";
    }
    if (any && all_stock) out_ << "<br><span class=\"badge stock\">template stock only</span>";
    if (i.contradiction) out_ << "<br><span class=\"badge contradicted\">report contradicts</span>";
    if (!r_.claims.deadline) return;
    for (const auto& f : r_.claims.deadline->findings) {
      if (f.line != i.line || f.line <= 0) continue;
      const char* label = f.kind == "appeared-later"        ? "late evidence"
                          : f.kind == "report-edited-after" ? "ticked after the deadline"
                                                            : "last-minute";
      out_ << "<br><span class=\"badge late\" title=\"" << e(f.detail) << "\">" << label << "</span>";
    }
  }

  void claims() {
    const AnswerClaims& ac = r_.claims;
    out_ << "<section id=\"claims\">\n<h2>Claims in the answers</h2>\n";
    bool any = false;
    if (r_.test_count) {
      any = true;
      const auto& t = *r_.test_count;
      out_ << "<h3>Test count (question " << t.question << ") " << claim_chip(t.verdict) << "</h3>\n<p>";
      out_ << (t.wording.empty() ? std::string("No number claimed") : "Claimed &ldquo;" + e(t.wording) + "&rdquo;")
           << "; measured " << t.functions << " test functions, " << t.items << " collected tests"
           << (t.items_exact ? "" : " (at least)") << " in " << t.files << " files.";
      if (!t.tolerance.empty()) out_ << " Allowed: " << e(t.tolerance) << ".";
      out_ << "</p>\n";
      if (!t.reason.empty()) out_ << "<p>" << e(t.reason) << "</p>\n";
      if (!t.quote.empty()) out_ << "<blockquote>" << e(t.quote) << "</blockquote>\n";
    }
    if (ac.coverage) {
      any = true;
      const auto& c = *ac.coverage;
      out_ << "<h3>Coverage (question " << c.question << ") " << claim_chip(c.verdict) << "</h3>\n<p>";
      out_ << (c.wording.empty() ? std::string("No percentage claimed") : "Claimed &ldquo;" + e(c.wording) + "&rdquo;");
      out_ << "; measured " << (c.measured ? pct(*c.measured) : std::string("nothing (no coverage artefact)")) << ".";
      if (!c.tolerance.empty()) out_ << " Allowed: " << e(c.tolerance) << ".";
      out_ << "</p>\n";
      if (!c.reason.empty()) out_ << "<p>" << e(c.reason) << "</p>\n";
      out_ << evidence_list(c.evidence);
      if (!c.quote.empty()) out_ << "<blockquote>" << e(c.quote) << "</blockquote>\n";
    }
    if (!ac.paths.empty()) {
      any = true;
      size_t missing = 0;
      for (const auto& p : ac.paths) missing += !p.exists;
      out_ << "<h3>Paths named in the answers</h3>\n<p>" << ac.paths.size() << " mentioned, " << missing
           << " not in the repository.</p>\n<table class=\"paths\"><thead><tr><th>question</th><th>as written</th>"
              "<th>in the repository</th><th>nearest existing path / note</th></tr></thead><tbody>\n";
      for (const auto& p : ac.paths) {
        out_ << "<tr><td class=\"num\">" << p.question << "</td><td><code>" << e(p.mention) << "</code></td><td>";
        if (p.exists)
          out_ << chip("ok", p.directory ? "folder" : "yes") << " " << where(p.path, 0);
        else
          out_ << chip("overclaimed", p.outside ? "outside" : "missing");
        out_ << "</td><td>";
        if (p.nearest) out_ << where(*p.nearest, 0) << " ";
        if (p.seen_at) out_ << e(p.seen_at->detail) << " ";
        out_ << e(p.note) << "</td></tr>\n";
      }
      out_ << "</tbody></table>\n";
    }
    if (!ac.figures.empty()) {
      any = true;
      out_ << "<h3>Figures</h3>\n<table class=\"figures\"><thead><tr><th>question</th><th>link</th><th>found</th>"
              "<th>note</th></tr></thead><tbody>\n";
      for (const auto& f : ac.figures) {
        out_ << "<tr><td class=\"num\">" << f.question << "</td><td><code>" << e(f.link) << "</code></td><td>";
        if (!f.exists)
          out_ << chip("not-claimed", "external, not checked");
        else if (*f.exists)
          out_ << chip("ok", "yes") << " " << where(f.path, 0);
        else
          out_ << chip("overclaimed", "missing");
        out_ << "</td><td>" << e(f.note) << "</td></tr>\n";
      }
      out_ << "</tbody></table>\n";
    }
    if (!ac.ci_prose.empty()) {
      any = true;
      out_ << "<h3>What the answers say about CI</h3>\n<table class=\"ci\"><thead><tr><th>question</th><th>claim</th>"
              "<th>holds</th><th>why, and the evidence</th></tr></thead><tbody>\n";
      for (const auto& c : ac.ci_prose) {
        out_ << "<tr><td class=\"num\">" << c.question << "</td><td>" << e(c.claim) << "<br><span class=\"muted\">&ldquo;"
             << e(c.quote) << "&rdquo;</span></td><td>"
             << (c.holds == "true" ? chip("ok", "holds") : c.holds == "false" ? chip("overclaimed", "does not hold")
                                                                              : chip("unverifiable", "unverifiable"))
             << "</td><td>" << e(c.reason) << evidence_list(c.evidence) << "</td></tr>\n";
      }
      out_ << "</tbody></table>\n";
    }
    if (ac.deadline) {
      any = true;
      const auto& d = *ac.deadline;
      out_ << "<h3>Deadline " << e(d.deadline) << "</h3>\n<p>Audited commit <code>" << e(d.audited_commit) << "</code>: "
           << (d.findings.empty() ? std::string("nothing late.") : std::to_string(d.findings.size()) + " finding(s).")
           << "</p>\n";
      if (!d.note.empty()) out_ << "<p>" << e(d.note) << "</p>\n";
      if (!d.findings.empty()) {
        out_ << "<ul>";
        for (const auto& f : d.findings)
          out_ << "<li><span class=\"badge late\">" << e(f.kind) << "</span> "
               << (f.line > 0 ? "line " + report_line(f.line) + ": " : "") << e(f.detail) << "</li>";
        out_ << "</ul>\n";
      }
    }
    for (const auto& n : ac.notes) {
      any = true;
      out_ << "<p class=\"muted\">note: " << e(n) << "</p>\n";
    }
    if (!any) out_ << "<p class=\"muted\">No checkable claims found in the answers.</p>\n";
    out_ << "</section>\n";
  }

  void answers() {
    std::ostringstream rows;
    for (const auto& a : r_.answers) {
      bool words_bad = (a.min_words && a.words < *a.min_words) || (a.max_words && a.words > *a.max_words);
      bool images_bad = (a.min_images && a.images < *a.min_images) || (a.max_images && a.images > *a.max_images);
      if (!words_bad && !images_bad && !a.placeholder) continue;
      auto range = [](const std::optional<int>& lo, const std::optional<int>& hi) {
        return (lo ? std::to_string(*lo) : std::string("0")) + "&ndash;" + (hi ? std::to_string(*hi) : std::string("any"));
      };
      rows << "<tr><td class=\"num\">" << a.question << "</td><td class=\"num\">" << report_line(a.line) << "</td><td>"
           << (a.placeholder ? "still holds the template's placeholder" : "") << (words_bad ? std::to_string(a.words) + " words (asks " + range(a.min_words, a.max_words) + ")" : "")
           << (words_bad && images_bad ? "; " : "")
           << (images_bad ? std::to_string(a.images) + " images (asks " + range(a.min_images, a.max_images) + ")" : "")
           << "</td></tr>\n";
    }
    out_ << "<section id=\"answers\">\n<h2>Answers outside the template's limits</h2>\n";
    if (rows.str().empty())
      out_ << "<p class=\"muted\">Every answer is within its word and image limits.</p>\n";
    else
      out_ << "<table><thead><tr><th>question</th><th>line</th><th>problem</th></tr></thead><tbody>\n"
           << rows.str() << "</tbody></table>\n";
    out_ << "</section>\n";
  }

  void problems() {
    if (r_.input_problems.empty()) return;
    out_ << "<section id=\"input-problems\">\n<h2>Partial result: files that could not be read</h2>\n<ul>";
    for (const auto& p : r_.input_problems) out_ << "<li>" << where(p.path, p.line) << " " << e(p.detail) << "</li>";
    out_ << "</ul>\n</section>\n";
  }

  const AuditResult& r_;
  const RenderOptions& o_;
  std::ostringstream out_;
};

}  // namespace

const char* verdict_word(const std::string& v) {
  if (v == "overclaimed") return "over-claimed";
  if (v == "weak") return "weak";
  if (v == "unverifiable") return "unverifiable";
  if (v == "underclaimed") return "under-claimed";
  if (v == "ok") return "ok";
  if (v == "not-claimed") return "not claimed";
  return "not checked";
}

std::string render_html(const AuditResult& r, const RenderOptions& o) { return Page(r, o).render(); }

}  // namespace cc
