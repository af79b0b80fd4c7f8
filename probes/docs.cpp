#include "probes/docs.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/file.h"
#include "probes/read/safe_yaml.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "docs";

struct DeployRule {
  std::string how;
  std::unique_ptr<LazyRegex> re;  // compiled when a line may match
};

struct DocsData {
  std::vector<DeployRule> deploy;
  std::string error;
};

const DocsData& docs_data() {
  static DocsData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/docs.yaml", y, d.error)) return;
    const YNode* n = y.root.get("pages_deploy");
    if (!n || !n->is_seq()) { d.error = "data/docs.yaml: no `pages_deploy` list"; return; }
    for (const auto& r : n->items) {
      const YNode* how = r.get("how");
      const YNode* rx = r.get("regex");
      if (!how || !rx) { d.error = "data/docs.yaml: line " + std::to_string(r.line) + ": rule needs how and regex"; return; }
      d.deploy.push_back({how->value(), std::make_unique<LazyRegex>(rx->value(), false)});
    }
  });
  return d;
}

// Pages of an mkdocs nav (iterative).
int nav_pages(const YNode& nav) {
  int n = 0;
  std::vector<const YNode*> todo{&nav};
  while (!todo.empty()) {
    const YNode* x = todo.back();
    todo.pop_back();
    if (x->is_scalar()) ++n;
    else if (x->is_seq())
      for (const auto& i : x->items) todo.push_back(&i);
    else if (x->is_map())
      for (const auto& [k, v] : x->entries) todo.push_back(&v);
  }
  return n;
}

bool is_markdown(std::string_view lp) {
  return ends_with(lp, ".md") || ends_with(lp, ".markdown") || ends_with(lp, ".rst");
}

}  // namespace

void DocsProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  const DocsData& data = docs_data();
  if (!data.error.empty()) {
    out.problem("", 0, "docs patterns unavailable: " + data.error, kProbe);
    return;
  }
  std::set<std::string> doc_dirs;
  if (!snap.under("docs").empty()) doc_dirs.insert("docs");
  int scanned = 0;
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    if (f.symlink || vendored(p)) continue;
    std::string lp = lower_ascii(p);
    std::string base(basename_of(lp));
    // ---- mkdocs configs
    if (base == "mkdocs.yml" || base == "mkdocs.yaml") {
      Blob b;
      if (!read_or_problem(snap, p, out, kProbe, b, {"mkdocs config"})) continue;
      YamlLoad y = read_yaml(b.data);
      if (!y.ok) {
        out.problem(p, y.error_line, "mkdocs config not parsed: " + y.error, kProbe);
        continue;
      }
      const YNode& r = y.root;
      std::string site = r.get("site_name") ? r.get("site_name")->value() : "";
      int nav = r.get("nav") ? nav_pages(*r.get("nav")) : 0;
      std::string plugins, theme;
      if (const YNode* pl = r.get("plugins"); pl && pl->is_seq()) {
        for (const auto& i : pl->items) {
          std::string name = i.is_scalar() ? i.value()
                             : (i.is_map() && !i.entries.empty()) ? i.entries[0].first.value() : "";
          if (!name.empty() && plugins.size() < 1000) plugins += (plugins.empty() ? "" : ",") + name;
        }
      }
      if (const YNode* t = r.get("theme")) theme = t->is_map() && t->get("name") ? t->get("name")->value() : t->value();
      std::string dd = r.get("docs_dir") ? r.get("docs_dir")->value() : "docs";
      auto resolved = normalize_repo_path(dirname_of(p), dd.empty() ? "docs" : dd);
      Fact m;
      m.kind = "docs.mkdocs";
      m.where = {p, 0};
      m.attrs = {{"path", p}, {"site_name", cut(site, 200)}, {"nav", std::to_string(nav)},
                 {"plugins", plugins}, {"theme", cut(theme, 100)}, {"docs_dir", resolved ? *resolved : ""}};
      m.detail = "mkdocs site" + (site.empty() ? std::string() : " '" + cut(site, 60) + "'") + ", " +
                 std::to_string(nav) + " page(s) in nav" + (plugins.empty() ? "" : ", plugins " + cut(plugins, 80)) +
                 (resolved ? "" : "; docs_dir leaves the repository");
      out.add(std::move(m));
      if (resolved && !snap.under(*resolved).empty()) doc_dirs.insert(*resolved);
      continue;
    }
    // ---- root README
    if (p.find('/') == std::string::npos &&
        (base == "readme.md" || base == "readme.rst" || base == "readme.txt" || base == "readme")) {
      Blob b = snap.read_text(p);
      Fact r;
      r.kind = "docs.readme";
      r.where = {p, 0};
      int headings = 0, words = 0;
      if (b.ok()) {
        bool fenced = false;
        for_each_line(b.data, [&](int, std::string_view l) {
          std::string_view t = trim_view(l);
          if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") { fenced = !fenced; return true; }
          if (!fenced && !t.empty() && t[0] == '#' && l.size() - t.size() < 4) {
            size_t h = t.find_first_not_of('#');
            if (h <= 6 && (h == std::string_view::npos || t[h] == ' ' || t[h] == '\t')) ++headings;
          }
          bool in_word = false;
          for (char c : l) {
            bool ws = c == ' ' || c == '\t';
            if (!ws && !in_word) ++words;
            in_word = !ws;
          }
          return true;
        });
      }
      r.attrs = {{"path", p}, {"bytes", std::to_string(f.size)}, {"headings", std::to_string(headings)},
                 {"words", std::to_string(words)}};
      r.detail = "README of " + std::to_string(f.size) + " bytes, " + std::to_string(headings) +
                 " heading(s)" + (b.ok() ? "" : std::string(" (not read: ") + to_string(b.state) + ")");
      out.add(std::move(r));
      continue;
    }
    // ---- pages deployment
    bool workflow = lp.rfind(".github/workflows/", 0) == 0;
    bool script = ends_with(base, ".sh") || base == "makefile" || base == "justfile" || base == "tasks.py" ||
                  ends_with(base, ".mk");
    if ((workflow || script) && scanned < 2000) {
      ++scanned;
      Blob b = snap.read_text(p);
      if (!b.ok()) continue;
      int found = 0;
      for_each_line(b.data, [&](int no, std::string_view l) {
        if (l.size() > 4096) return true;
        for (const auto& rule : data.deploy) {
          if (!rule.re->partial_match(l)) continue;
          std::string_view t = trim_view(l);
          bool commented = !t.empty() && t[0] == '#';
          Fact d;
          d.kind = "docs.pages_deploy";
          d.where = {p, no};
          d.attrs = {{"file", p}, {"how", rule.how}, {"commented", commented ? "yes" : "no"}};
          d.detail = "documentation published with " + rule.how + (commented ? " (commented out)" : "");
          out.add(std::move(d));
          ++found;
          break;
        }
        return found < 100;
      });
    }
  }
  for (const auto& d : doc_dirs) {
    int files = 0, md = 0;
    std::uint64_t md_bytes = 0;
    for (const FileEntry* e : snap.under(d)) {
      if (vendored(e->path)) continue;
      ++files;
      if (is_markdown(lower_ascii(e->path))) {
        ++md;
        md_bytes += e->size;
      }
    }
    Fact f;
    f.kind = "docs.dir";
    f.where = {d, 0};
    f.attrs = {{"path", d}, {"files", std::to_string(files)}, {"markdown_files", std::to_string(md)},
               {"markdown_bytes", std::to_string(md_bytes)}};
    f.detail = "documentation folder " + d + ": " + std::to_string(files) + " file(s), " +
               std::to_string(md) + " markdown (" + std::to_string(md_bytes) + " bytes)";
    out.add(std::move(f));
  }
}

}  // namespace cc
