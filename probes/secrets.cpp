#include "probes/secrets.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/history.h"
#include "engine/redact.h"
#include "engine/strings.h"
#include "probes/safe_yaml.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "secrets";

struct Pattern {
  std::unique_ptr<re2::RE2> re;
  std::unique_ptr<re2::RE2> requires_re;  // null: every file
  int value_group = 0, var_group = 0;     // 1-based capture indices (0: none)
};

struct Detector {
  std::string id, name, why;
  std::vector<std::string> paths, skip_paths;  // file-name globs
  std::vector<std::string> hints;              // a file holds one of these, or is not searched
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
  std::string error;
};

std::unique_ptr<re2::RE2> compile(const std::string& text, int line, std::string& error) {
  re2::RE2::Options o;
  o.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(text, o);
  if (!re->ok()) {
    error = "data/secrets.yaml: line " + std::to_string(line) + ": bad regex: " + re->error();
    return nullptr;
  }
  return re;
}

std::vector<std::string> strings_of(const YNode* n) {
  std::vector<std::string> out;
  if (n && n->is_seq())
    for (const auto& i : n->items)
      if (i.is_scalar()) out.push_back(i.text);
  return out;
}

bool load_detector(const YNode& d, SecretRules& r) {
  Detector det;
  for (const char* k : {"id", "name", "why"})
    if (!d.get(k) || !d.get(k)->is_scalar()) {
      r.error = "data/secrets.yaml: line " + std::to_string(d.line) + ": a detector needs id, name and why";
      return false;
    }
  det.id = d.get("id")->text;
  det.name = d.get("name")->text;
  det.why = d.get("why")->text;
  det.paths = strings_of(d.get("paths"));
  det.skip_paths = strings_of(d.get("skip_paths"));
  det.hints = strings_of(d.get("hints"));
  if (const YNode* m = d.get("min_length")) det.min_length = std::strtoull(m->text.c_str(), nullptr, 10);
  const YNode* ps = d.get("patterns");
  if (!ps || !ps->is_seq() || ps->items.empty()) {
    r.error = "data/secrets.yaml: detector " + det.id + " has no patterns";
    return false;
  }
  for (const auto& p : ps->items) {
    const YNode* rx = p.is_scalar() ? &p : p.get("regex");
    if (!rx || !rx->is_scalar()) {
      r.error = "data/secrets.yaml: line " + std::to_string(p.line) + ": a pattern is a regex or {regex, requires}";
      return false;
    }
    Pattern pat;
    pat.re = compile(rx->text, rx->line, r.error);
    if (!pat.re) return false;
    if (const YNode* rq = p.is_map() ? p.get("requires") : nullptr) {
      pat.requires_re = compile(rq->text, rq->line, r.error);
      if (!pat.requires_re) return false;
    }
    const auto& groups = pat.re->NamedCapturingGroups();
    if (auto it = groups.find("value"); it != groups.end()) pat.value_group = it->second;
    if (auto it = groups.find("var"); it != groups.end()) pat.var_group = it->second;
    if (!pat.value_group) {
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
    for (const auto& d : dets->items)
      if (!load_detector(d, r)) {
        r.detectors.clear();
        return;
      }
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
  for (const Detector& d : r.detectors) {
    if (!d.paths.empty() && !any_glob(d.paths, name)) continue;
    if (any_glob(d.skip_paths, name)) continue;
    if (!d.hints.empty() && std::none_of(d.hints.begin(), d.hints.end(), [&](const std::string& h) {
          return text.find(h) != std::string_view::npos;
        }))
      continue;
    for (const Pattern& p : d.patterns) {
      if (p.requires_re && !re2::RE2::PartialMatch(input, *p.requires_re)) continue;
      const int n = p.re->NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> g(n);
      std::size_t pos = 0, counted = 0;
      int line = 1;
      while (pos <= text.size() &&
             p.re->Match(input, pos, text.size(), re2::RE2::UNANCHORED, g.data(), n)) {
        const std::size_t end = static_cast<std::size_t>(g[0].data() - text.data()) + g[0].size();
        pos = end > pos ? end : pos + 1;
        const re2::StringPiece v = g[p.value_group];
        if (v.data() == nullptr) continue;
        std::string value = trim(std::string_view(v.data(), v.size()));
        if (value.size() < d.min_length || is_secret_placeholder(value) || !seen.insert(value).second) continue;
        const std::size_t at = static_cast<std::size_t>(v.data() - text.data());
        line += static_cast<int>(std::count(text.begin() + counted, text.begin() + at, '\n'));
        counted = at;
        SecretHit h{d.id, std::move(value), "", line};
        if (p.var_group && g[p.var_group].data())
          h.var = std::string(g[p.var_group].data(), std::min<std::size_t>(g[p.var_group].size(), 100));
        hits.push_back(std::move(h));
      }
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SecretHit& a, const SecretHit& b) { return a.line < b.line; });
  return hits;
}

namespace {

// One distinct secret over the audited commit and its past.
struct Finding {
  SecretHit hit;
  std::string path;
  int commit = -1;  // index in History::commits(); -1: not known
  bool in_head = false;
  int places = 0;
};

class Scan {
 public:
  Scan(const SecretRules& r, const History* h, std::uint64_t max_total, std::size_t max_findings)
      : rules_(r), history_(h), max_total_(max_total), max_findings_(max_findings) {}

  // The text of one file or past version; false when the byte budget is spent.
  bool add(const std::string& path, const Blob& b, int commit, bool in_head) {
    if (b.state == ReadState::too_large) {
      ++too_large_;
      return true;
    }
    if (!b.ok() || looks_binary(b.data)) return true;
    if (bytes_ + b.data.size() > max_total_) {
      capped_ = true;
      return false;
    }
    bytes_ += b.data.size();
    for (auto& h : find_secrets(path, b.data)) {
      if (found_.size() >= max_findings_ && !found_.count(h.value)) {
        // Not listed, but still masked wherever another probe quotes it (bounded memory).
        if (unlisted_.size() < kMaxUnlisted) unlisted_.insert(std::move(h.value));
        continue;
      }
      auto [it, fresh] = found_.try_emplace(h.value);
      Finding& f = it->second;
      ++f.places;
      if (fresh) {
        f.hit = std::move(h);
        f.path = path;
        f.commit = commit;
        f.in_head = in_head;
      } else if (commit >= 0 && (f.commit < 0 || commit < f.commit)) {
        f.commit = commit;  // keep where the audited commit has it, name the first commit
      }
    }
    return true;
  }

  std::uint64_t bytes() const { return bytes_; }
  bool capped() const { return capped_; }
  void cap() { capped_ = true; }
  std::size_t too_large() const { return too_large_; }

  std::size_t unlisted() const { return unlisted_.size(); }

  void emit(FactStore& out) const {
    for (const auto& value : unlisted_)
      for (const auto& piece : secret_redaction_pieces(value)) out.add_secret(piece);
    std::map<std::string, const Detector*> by_id;
    for (const auto& d : rules_.detectors) by_id[d.id] = &d;
    for (const auto& [value, f] : found_) {
      for (const auto& piece : secret_redaction_pieces(value)) out.add_secret(piece);
      const Detector& d = *by_id.at(f.hit.detector);
      const CommitInfo* c = history_ && f.commit >= 0 ? &history_->commits()[f.commit] : nullptr;
      Fact fact;
      fact.kind = "secret.found";
      fact.where = {f.path, f.hit.line};
      fact.attrs = {{"detector", d.id},
                    {"name", d.name},
                    {"why", d.why},
                    {"masked", mask_secret(value)},
                    {"var", f.hit.var},
                    {"path", f.path},
                    {"line", std::to_string(f.hit.line)},
                    {"commit", c ? c->id : ""},
                    {"date", c ? commit_day(*c) : ""},
                    {"in_head", f.in_head ? "yes" : "no"},
                    {"places", std::to_string(f.places)}};
      std::string d_text = d.name + " " + mask_secret(value) + (f.hit.var.empty() ? "" : " (" + f.hit.var + ")") +
                           ": " + d.why + ". ";
      if (c) d_text += "Committed in " + c->id.substr(0, 7) + " (" + commit_day(*c) + ")";
      else d_text += "Not in a commit the history walk read";
      d_text += f.in_head ? "; still in the audited commit" : "; removed since, but every clone still has it";
      if (f.places > 1) d_text += "; " + std::to_string(f.places) + " files or past versions hold it";
      fact.detail = d_text + ". Revoke it and issue a new one.";
      out.add(std::move(fact));
    }
  }

 private:
  const SecretRules& rules_;
  const History* history_;
  std::uint64_t max_total_;
  std::size_t max_findings_;
  static constexpr std::size_t kMaxUnlisted = 100000;
  std::map<std::string, Finding> found_;  // by value: ordered, so facts come out deterministically
  std::set<std::string> unlisted_;        // beyond max_findings
  std::uint64_t bytes_ = 0;
  bool capped_ = false;
  std::size_t too_large_ = 0;
};

}  // namespace

std::string SecretsProbe::summary() const {
  return "leaked credentials (W&B, GCP, Google, Hugging Face, Kaggle, AWS keys, private keys, .env) in every "
         "text file and in the history";
}

void SecretsProbe::run(const Snapshot& snap, FactStore& out) const { run_with_past(snap, PastVersions{}, out); }

void SecretsProbe::run_with_past(const Snapshot& snap, const PastVersions& past, FactStore& out) const {
  const SecretRules& r = rules();
  if (!r.error.empty() || r.detectors.empty()) {
    out.problem("", 0, r.error.empty() ? "data/secrets.yaml has no detectors" : r.error, kProbe);
    return;
  }
  const History* h = past.read_blob ? past.history : nullptr;
  std::vector<PathVersion> versions;
  if (h) versions = h->versions();
  // The audited content of each path: its first commit, and its blob (not read a second time).
  std::unordered_map<std::string, int> head_commit;
  std::unordered_set<std::string> read_blobs;
  for (const auto& v : versions)
    if (v.audited) {
      head_commit.emplace(v.path, static_cast<int>(v.commit - h->commits().data()));
      read_blobs.insert(v.blob);
    }

  const std::uint64_t max_file = limits_.max_file_bytes ? limits_.max_file_bytes : r.max_file_bytes;
  const std::uint64_t max_total = limits_.max_total_bytes ? limits_.max_total_bytes : r.max_total_bytes;
  const std::size_t max_blobs = limits_.max_history_blobs ? limits_.max_history_blobs : r.max_history_blobs;
  const std::size_t max_findings = limits_.max_findings ? limits_.max_findings : r.max_findings;
  Scan scan(r, h, max_total, max_findings);
  const PathSkipper vendored(snap);
  std::size_t files = 0, past_read = 0;
  for (const auto& e : snap.files()) {
    if (e.symlink || vendored(e.path)) continue;
    auto it = head_commit.find(e.path);
    ++files;
    if (!scan.add(e.path, snap.read(e.path, max_file), it == head_commit.end() ? -1 : it->second, true))
      break;
  }
  for (const auto& v : versions) {
    if (scan.capped()) break;
    if (v.audited || in_skipped_dir(v.path) || !read_blobs.insert(v.blob).second) continue;
    if (past_read >= max_blobs) {
      scan.cap();
      break;
    }
    ++past_read;
    if (!scan.add(v.path, past.read_blob(v.blob, max_file), static_cast<int>(v.commit - h->commits().data()),
                  false))
      break;
  }
  scan.emit(out);

  Fact f;
  f.kind = "secret.scan";
  f.attrs = {{"files", std::to_string(files)},
             {"versions", std::to_string(past_read)},
             {"bytes", std::to_string(scan.bytes())},
             {"capped", scan.capped() ? "yes" : "no"},
             {"too_large", std::to_string(scan.too_large())},
             {"history", !h ? "none" : h->cut() ? "cut" : "yes"},
             {"unlisted", std::to_string(scan.unlisted())}};
  f.detail = "scanned for secrets: " + std::to_string(files) + " files of the audited commit and " +
             std::to_string(past_read) + " past versions (" + std::to_string(scan.bytes()) + " bytes)";
  if (!h) f.detail += "; no history was read, so past versions of files were not scanned";
  else if (h->cut()) f.detail += "; the history walk was cut, so the oldest versions were not scanned";
  if (scan.capped())
    f.detail += "; stopped at the cap of " + std::to_string(max_total) + " bytes or " + std::to_string(max_blobs) +
                " past versions: the rest was not scanned";
  if (scan.unlisted())
    f.detail += "; more than " + std::to_string(max_findings) + " distinct secrets: " +
                std::to_string(scan.unlisted()) + " more are not listed (but masked)";
  if (scan.too_large())
    f.detail += "; " + std::to_string(scan.too_large()) + " file(s) or version(s) over " + std::to_string(max_file) +
                " bytes were not scanned";
  out.add(std::move(f));
}

}  // namespace cc
