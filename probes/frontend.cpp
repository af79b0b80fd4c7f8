#include "probes/frontend.h"

#include <re2/re2.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/safe_yaml.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "frontend";

struct FrontendData {
  std::vector<std::pair<std::string, std::string>> frameworks;  // dependency -> kind
  std::vector<std::unique_ptr<LazyRegex>> calls;  // compiled when a line may match
  std::vector<std::string> skip_dirs;
  std::uint64_t max_bytes = 262144;
  std::string error;
};

const FrontendData& frontend_data() {
  static FrontendData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/frontend.yaml", y, d.error)) return;
    const YNode* fw = y.root.get("frameworks");
    const YNode* calls = y.root.get("api_calls");
    const YNode* skip = y.root.get("skip_dirs");
    if (!fw || !fw->is_seq() || !calls || !calls->is_seq() || !skip || !skip->is_seq()) {
      d.error = "data/frontend.yaml: needs frameworks, api_calls and skip_dirs lists";
      return;
    }
    for (const auto& f : fw->items)
      if (f.get("dependency") && f.get("kind"))
        d.frameworks.emplace_back(f.get("dependency")->value(), f.get("kind")->value());
    for (const auto& c : calls->items) d.calls.push_back(std::make_unique<LazyRegex>(c.value(), false));
    for (const auto& s : skip->items) d.skip_dirs.push_back(s.value());
    if (const YNode* m = y.root.get("max_bytes")) d.max_bytes = std::strtoull(m->value().c_str(), nullptr, 10);
  });
  return d;
}


bool in_skipped_dir(const std::string& path, const std::vector<std::string>& skip) {
  std::string p = "/" + path;
  for (const auto& s : skip)
    if (p.find("/" + s + "/") != std::string::npos) return true;
  return false;
}

bool is_frontend_source(std::string_view lp) {
  for (const char* e : {".html", ".htm", ".js", ".jsx", ".ts", ".tsx", ".vue", ".svelte", ".mjs"})
    if (ends_with(lp, e)) return !ends_with(lp, ".min.js") && !ends_with(lp, ".d.ts");
  return false;
}

// package.json dependencies -> kind ("" when not JSON).
std::string package_kind(std::string_view text, const FrontendData& d) {
  if (json_nesting_depth(text) > 100) return "";
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "";
  std::set<std::string> deps;
  for (const char* k : {"dependencies", "devDependencies", "peerDependencies"})
    if (auto it = j.find(k); it != j.end() && it->is_object())
      for (auto d2 = it->begin(); d2 != it->end(); ++d2) deps.insert(d2.key());
  for (const auto& [dep, kind] : d.frameworks)
    if (deps.count(dep)) return kind;
  return "js";
}

// The endpoint a call names on its line: the fetch/axios/$.x argument or the htmx attribute (its
// first 200 characters), or a form's action of at most 200 characters between quotes; "" if none.
std::string endpoint_on(re2::StringPiece line) {
  // Unbounded values, the lengths checked after the match: a counted repetition ({1,200}) is
  // compiled into as many copies of its class, which made this pattern about 5 ms (compiling it
  // and its first match) in every audit of a repository with a frontend that calls an API.
  static const re2::RE2 literal(R"((?:fetch|axios(?:\.\w+)?|\$\.\w+)\s*\(\s*[`'"]([^`'"\s]+)|\baction\s*=\s*["']([^"']+)["']|hx-(?:post|get)\s*=\s*["']([^"']+))");
  constexpr std::size_t kMax = 200;
  re2::StringPiece g[4];
  // At most one alternative can start at a position (their first words differ), so a quoted value
  // that is too long only moves the search on, as the bounded pattern's failure there did.
  for (std::size_t at = 0; at < line.size() && literal.Match(line, at, line.size(), re2::RE2::UNANCHORED, g, 4);) {
    for (const re2::StringPiece& open : {g[1], g[3]})  // no closing quote needed: the first 200
      if (open.data()) return std::string(open.data(), std::min(open.size(), kMax));
    if (g[2].size() <= kMax) return std::string(g[2].data(), g[2].size());
    at = static_cast<std::size_t>(g[0].data() - line.data()) + 1;
  }
  return "";
}

int first_call(std::string_view source, std::string* endpoint, const FrontendData& d) {
  size_t i = 0;
  int no = 0;
  while (i <= source.size()) {
    size_t e = source.find('\n', i);
    if (e == std::string_view::npos) e = source.size();
    std::string_view l = source.substr(i, e - i);
    ++no;
    re2::StringPiece sp(l.data(), std::min<size_t>(l.size(), 16384));
    for (const auto& re : d.calls) {
      if (!re->partial_match(std::string_view(sp.data(), sp.size()))) continue;
      if (endpoint) *endpoint = endpoint_on(sp);
      return no;
    }
    if (e == source.size()) break;
    i = e + 1;
  }
  return 0;
}

struct App {
  std::string kind;
  int files = 0;
  bool has_html = false;
  std::string first_file;
  std::string call_file, endpoint;
  int call_line = 0;
};

}  // namespace

int first_api_call(std::string_view source, std::string* endpoint) {
  const FrontendData& d = frontend_data();
  if (!d.error.empty()) return 0;
  return first_call(source, endpoint, d);
}

void FrontendProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  const FrontendData& d = frontend_data();
  if (!d.error.empty()) {
    out.problem("", 0, "frontend patterns unavailable: " + d.error, kProbe);
    return;
  }
  std::map<std::string, App> apps;   // folder -> app
  std::set<std::string> package_roots;
  for (const auto& f : snap.files()) {
    if (f.symlink || vendored(f.path) || in_skipped_dir(f.path, d.skip_dirs)) continue;
    size_t s = f.path.rfind('/');
    if (f.path.substr(s == std::string::npos ? 0 : s + 1) != "package.json") continue;
    Blob b = snap.read_text(f.path, 1024 * 1024);
    std::string kind = b.ok() ? package_kind(b.data, d) : "";
    if (kind.empty()) {
      out.problem(f.path, 0, "package.json not read or not JSON", kProbe);
      kind = "js";
    }
    std::string dir = dirname_of(f.path);
    package_roots.insert(dir);
    apps[dir].kind = kind;
  }
  int read = 0;
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    std::string lp = lower_ascii(p);
    if (!is_frontend_source(lp) || f.symlink || vendored(p) || in_skipped_dir(p, d.skip_dirs)) continue;
    if (lp.rfind("docs/", 0) == 0 || lp.rfind("reports/", 0) == 0) continue;
    if (f.size > d.max_bytes || read >= 5000) continue;
    // The deepest package root holding the file, else its folder.
    std::string app_dir;
    bool in_package = false;
    for (std::string dir = dirname_of(p);; dir = dirname_of(dir)) {
      if (package_roots.count(dir)) { app_dir = dir; in_package = true; break; }
      if (dir.empty()) break;
    }
    if (!in_package) app_dir = dirname_of(p);
    ++read;
    Blob b = snap.read_text(p, d.max_bytes);
    if (!b.ok()) continue;
    bool html = ends_with(lp, ".html") || ends_with(lp, ".htm");
    if (html && (b.data.find("<meta name=\"generator\"") != std::string::npos ||
                 b.data.find("pc_cov") != std::string::npos))
      continue;
    App& a = apps[app_dir];
    ++a.files;
    if (a.first_file.empty()) a.first_file = p;
    if (html) a.has_html = true;
    if (a.call_line == 0) {
      std::string ep;
      int line = first_call(b.data, &ep, d);
      if (line) {
        a.call_line = line;
        a.call_file = p;
        a.endpoint = ep;
      }
    }
  }
  for (auto& [dir, a] : apps) {
    if (a.files == 0) continue;  // a package.json without sources (tooling only)
    std::string kind = !a.kind.empty() ? a.kind : a.has_html ? "html" : "js";
    Fact f;
    f.kind = "frontend.app";
    f.where = a.call_line ? Location{a.call_file, a.call_line} : Location{a.first_file, 0};
    f.attrs = {{"path", dir}, {"kind", kind}, {"calls_api", a.call_line ? "yes" : "no"},
               {"files", std::to_string(a.files)}, {"endpoint", a.endpoint}};
    f.detail = kind + " frontend in " + (dir.empty() ? "the repository root" : dir) + " (" +
               std::to_string(a.files) + " file(s))" +
               (a.call_line ? ", calls an API" + (a.endpoint.empty() ? "" : " (" + a.endpoint + ")") : ", no API call found");
    out.add(std::move(f));
  }
}

}  // namespace cc
