#include "probes/secret_detectors.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/literal_set.h"
#include "probes/read/safe_yaml.h"

namespace cc {

namespace {

// A detector's regexes are compiled when a file first gets past its hints (and file-name rules):
// most repositories hold no file that mentions most detectors, and compiling every pattern was
// about 2 ms of each audit. compile_secret_detectors() compiles them all (the tests, the batch).
struct Pattern {
  std::unique_ptr<LazyRegex> re;
  std::unique_ptr<LazyRegex> requires_re;  // null: every file
  std::vector<std::size_t> hint_ids;       // one must be in the file, exactly (none: any file);
                                           // indexes of SecretRules::hints
  int line = 0;                            // of the regex in secrets.yaml
};

struct Detector {
  SecretDetectorInfo info;
  std::vector<std::string> paths, skip_paths;  // file-name globs
  std::vector<std::size_t> hint_ids;           // a file holds one of these, or is not searched;
                                               // indexes of SecretRules::hints
  std::size_t min_length = 1;
  std::vector<Pattern> patterns;
};

struct SecretRules {
  std::vector<Detector> detectors;
  std::string placeholder_chars;
  std::vector<std::string> placeholder_words;  // lower case
  std::size_t min_distinct = 5;
  std::uint64_t max_file_bytes = 4ull << 20, max_total_bytes = 256ull << 20;
  std::size_t max_history_blobs = 200000;
  std::size_t max_findings = 200;
  std::vector<std::string> skip_files;  // file-name globs never read (lock files)
  LiteralSet hints;  // every hint of every detector and pattern, looked for in one pass per file
  std::string error;
};

// The indexes of `hints` in `all`, each distinct hint added once (SecretRules::hints is made of
// `all` when every detector is loaded).
std::vector<std::size_t> hint_ids(const std::vector<std::string>& hints, std::vector<std::string>& all) {
  std::vector<std::size_t> ids;
  for (const auto& h : hints) {
    auto it = std::find(all.begin(), all.end(), h);
    ids.push_back(static_cast<std::size_t>(it - all.begin()));
    if (it == all.end()) all.push_back(h);
  }
  return ids;
}

// The 1-based index of a named group (0: none).
int group(const re2::RE2& re, const char* name) {
  const auto& groups = re.NamedCapturingGroups();
  auto it = groups.find(name);
  return it == groups.end() ? 0 : it->second;
}

std::vector<std::string> strings_of(const YNode* n) {
  std::vector<std::string> out;
  if (n && n->is_seq())
    for (const auto& i : n->items)
      if (i.is_scalar()) out.push_back(i.text);
  return out;
}

bool load_detector(const YNode& d, SecretRules& r, std::vector<std::string>& hints) {
  Detector det;
  for (const char* k : {"id", "name", "why"})
    if (!d.get(k) || !d.get(k)->is_scalar()) {
      r.error = "data/secrets.yaml: line " + std::to_string(d.line) + ": a detector needs id, name and why";
      return false;
    }
  det.info = {d.get("id")->text, d.get("name")->text, d.get("why")->text};
  det.paths = strings_of(d.get("paths"));
  det.skip_paths = strings_of(d.get("skip_paths"));
  det.hint_ids = hint_ids(strings_of(d.get("hints")), hints);
  if (const YNode* m = d.get("min_length")) det.min_length = std::strtoull(m->text.c_str(), nullptr, 10);
  const YNode* ps = d.get("patterns");
  if (!ps || !ps->is_seq() || ps->items.empty()) {
    r.error = "data/secrets.yaml: detector " + det.info.id + " has no patterns";
    return false;
  }
  for (const auto& p : ps->items) {
    const YNode* rx = p.is_scalar() ? &p : p.get("regex");
    if (!rx || !rx->is_scalar()) {
      r.error = "data/secrets.yaml: line " + std::to_string(p.line) + ": a pattern is a regex or {regex, requires, hints}";
      return false;
    }
    Pattern pat;
    pat.re = std::make_unique<LazyRegex>(rx->text, false);
    pat.line = rx->line;
    if (p.is_map()) pat.hint_ids = hint_ids(strings_of(p.get("hints")), hints);
    if (const YNode* rq = p.is_map() ? p.get("requires") : nullptr)
      pat.requires_re = std::make_unique<LazyRegex>(rq->text, false);
    if (rx->text.find("(?P<value>") == std::string::npos) {
      r.error = "data/secrets.yaml: line " + std::to_string(rx->line) + ": the regex has no (?P<value>...) group";
      return false;
    }
    det.patterns.push_back(std::move(pat));
  }
  r.detectors.push_back(std::move(det));
  return true;
}

const SecretRules& rules() {
  static SecretRules r;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/secrets.yaml", y, r.error)) return;
    const YNode* dets = y.root.get("detectors");
    const YNode* ph = y.root.get("placeholders");
    if (!dets || !dets->is_seq() || !ph || !ph->is_map()) {
      r.error = "data/secrets.yaml: needs a detectors list and placeholders";
      return;
    }
    if (const YNode* c = ph->get("chars")) r.placeholder_chars = c->text;
    for (auto& w : strings_of(ph->get("words"))) r.placeholder_words.push_back(lower_ascii(w));
    if (const YNode* m = ph->get("min_distinct")) r.min_distinct = std::strtoull(m->text.c_str(), nullptr, 10);
    if (const YNode* l = y.root.get("limits")) {
      auto num = [&](const char* k, auto& v) {
        if (const YNode* n = l->get(k)) v = std::strtoull(n->text.c_str(), nullptr, 10);
      };
      num("max_file_bytes", r.max_file_bytes);
      num("max_total_bytes", r.max_total_bytes);
      num("max_history_blobs", r.max_history_blobs);
      num("max_findings", r.max_findings);
    }
    r.skip_files = strings_of(y.root.get("skip_files"));
    std::vector<std::string> hints;
    for (const auto& d : dets->items)
      if (!load_detector(d, r, hints)) {
        r.detectors.clear();
        return;
      }
    r.hints = LiteralSet(std::move(hints));
  });
  return r;
}

bool any_glob(const std::vector<std::string>& pats, std::string_view name) {
  return std::any_of(pats.begin(), pats.end(), [&](const std::string& p) { return glob_match(p, name); });
}

bool periodic(std::string_view v) {
  for (std::size_t p = 1; p <= v.size() / 2; ++p) {
    bool same = true;
    for (std::size_t i = p; i < v.size() && same; ++i) same = v[i] == v[i - p];
    if (same) return true;
  }
  return false;
}

}  // namespace

bool is_secret_placeholder(std::string_view value) {
  const SecretRules& r = rules();
  if (value.empty()) return true;
  if (value.find_first_of(r.placeholder_chars) != std::string_view::npos) return true;
  const std::string low = lower_ascii(value);
  for (const auto& w : r.placeholder_words)
    if (low.find(w) != std::string::npos) return true;
  // Fillers: the key's own alphabet after a fixed prefix such as hf_ or AKIA is what counts.
  std::string_view body = value;
  if (std::size_t u = body.find('_'); u != std::string_view::npos && u <= 4) body.remove_prefix(u + 1);
  else if (body.starts_with("AKIA") || body.starts_with("ASIA") || body.starts_with("AIza")) body.remove_prefix(4);
  std::set<char> distinct(body.begin(), body.end());
  distinct.erase('\n');
  distinct.erase(' ');
  if (distinct.size() < r.min_distinct) return true;
  return periodic(body);
}

std::vector<std::string> secret_redaction_pieces(std::string_view value) {
  std::vector<std::string> out{std::string(value)};
  std::string cur;
  auto flush = [&] {
    if (cur.size() >= 16 && cur != value) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size() && value[i + 1] == 'n') {  // a JSON-escaped newline
      flush();
      ++i;
    } else if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

std::vector<SecretHit> find_secrets(std::string_view path, std::string_view text) {
  const SecretRules& r = rules();
  std::vector<SecretHit> hits;
  std::set<std::string> seen;
  const std::string_view name = basename_of(path);
  re2::StringPiece input(text.data(), text.size());
  // The hints in the text, all found in one pass when a detector first asks (not when the file
  // names already rule every detector out).
  std::vector<bool> in_text;
  bool looked = false;
  auto any_in_text = [&](const std::vector<std::size_t>& ids) {
    if (!looked) {
      in_text = r.hints.find_in(text);
      looked = true;
    }
    return std::any_of(ids.begin(), ids.end(), [&](std::size_t i) { return in_text[i]; });
  };
  for (const Detector& d : r.detectors) {
    if (!d.paths.empty() && !any_glob(d.paths, name)) continue;
    if (any_glob(d.skip_paths, name)) continue;
    if (!d.hint_ids.empty() && !any_in_text(d.hint_ids)) continue;
    for (const Pattern& p : d.patterns) {
      if (!p.hint_ids.empty() && !any_in_text(p.hint_ids)) continue;
      if (p.requires_re && !p.requires_re->partial_match(text)) continue;
      if (!p.re->may_match(text)) continue;  // before compiling it
      const re2::RE2& re = p.re->re();
      if (!re.ok()) continue;  // compile_secret_detectors() says why (the tests run it)
      const int value_group = group(re, "value"), var_group = group(re, "var");
      if (!value_group) continue;
      const int n = re.NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> g(n);
      std::size_t pos = 0, counted = 0;
      int line = 1;
      while (pos <= text.size() &&
             re.Match(input, pos, text.size(), re2::RE2::UNANCHORED, g.data(), n)) {
        const std::size_t end = static_cast<std::size_t>(g[0].data() - text.data()) + g[0].size();
        pos = end > pos ? end : pos + 1;
        const re2::StringPiece v = g[value_group];
        if (v.data() == nullptr) continue;
        std::string value = trim(std::string_view(v.data(), v.size()));
        if (value.size() < d.min_length || is_secret_placeholder(value) || !seen.insert(value).second) continue;
        const std::size_t at = static_cast<std::size_t>(v.data() - text.data());
        line += static_cast<int>(std::count(text.begin() + counted, text.begin() + at, '\n'));
        counted = at;
        SecretHit h{d.info.id, std::move(value), "", line};
        if (var_group && g[var_group].data())
          h.var = std::string(g[var_group].data(), std::min<std::size_t>(g[var_group].size(), 100));
        hits.push_back(std::move(h));
      }
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SecretHit& a, const SecretHit& b) { return a.line < b.line; });
  return hits;
}

const std::string& secret_detectors_error() {
  static const std::string none_loaded = "data/secrets.yaml has no detectors";
  const SecretRules& r = rules();
  if (!r.error.empty()) return r.error;
  return r.detectors.empty() ? none_loaded : r.error;
}

std::string compile_secret_detectors() {
  const SecretRules& r = rules();
  if (!r.error.empty()) return r.error;
  for (const Detector& d : r.detectors)
    for (const Pattern& p : d.patterns) {
      for (const LazyRegex* re : {p.re.get(), p.requires_re.get()})
        if (re && !re->re().ok())
          return "data/secrets.yaml: line " + std::to_string(p.line) + ": bad regex: " + re->error();
      if (!group(p.re->re(), "value"))
        return "data/secrets.yaml: line " + std::to_string(p.line) + ": the regex has no (?P<value>...) group";
    }
  return "";
}

bool secret_scan_skips(std::string_view path) {
  const size_t slash = path.rfind('/');
  return any_glob(rules().skip_files, slash == std::string_view::npos ? path : path.substr(slash + 1));
}

SecretScanLimits secret_scan_limits() {
  const SecretRules& r = rules();
  return {r.max_file_bytes, r.max_total_bytes, r.max_history_blobs, r.max_findings};
}

const SecretDetectorInfo* secret_detector(std::string_view id) {
  for (const auto& d : rules().detectors)
    if (d.info.id == id) return &d.info;
  return nullptr;
}

}  // namespace cc
