#include "probes/secrets.h"

#include <atomic>
#include <functional>
#include <map>
#include <system_error>
#include <thread>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/heap_pages.h"
#include "engine/history.h"
#include "engine/redact.h"
#include "probes/secret_detectors.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "secrets";
// Past versions from which a second thread reads beside the first (fewer: not worth a thread).
constexpr std::size_t kParallelFrom = 32;

// One distinct secret over the audited commit and its past.
struct Finding {
  SecretHit hit;
  std::string path;
  int commit = -1;  // index in History::commits(); -1: not known
  bool in_head = false;
  int places = 0;
};

// What one file or past version gave: read and searched on any thread, counted in order.
struct Scanned {
  bool too_large = false;
  std::uint64_t bytes = 0;  // text scanned (0: not read, binary or too large)
  std::vector<SecretHit> hits;
};

Scanned scan_blob(const std::string& path, const Blob& b) {
  Scanned s;
  s.too_large = b.state == ReadState::too_large;
  if (!b.ok() || looks_binary(b.data)) return s;
  s.bytes = b.data.size();
  s.hits = find_secrets(path, b.data);
  return s;
}

class Scan {
 public:
  Scan(const History* h, std::uint64_t max_total, std::size_t max_findings)
      : history_(h), max_total_(max_total), max_findings_(max_findings) {}

  // One file or past version, read and searched (scan_blob); false when the byte budget is spent.
  bool add(const std::string& path, Scanned s, int commit, bool in_head) {
    if (s.too_large) {
      ++too_large_;
      return true;
    }
    if (s.bytes == 0) return true;
    if (bytes_ + s.bytes > max_total_) {
      capped_ = true;
      return false;
    }
    bytes_ += s.bytes;
    for (auto& h : s.hits) {
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

  void emit(FactStore& out, bool worktree) const {
    for (const auto& value : unlisted_)
      for (const auto& piece : secret_redaction_pieces(value)) out.add_secret(piece);
    for (const auto& [value, f] : found_) {
      for (const auto& piece : secret_redaction_pieces(value)) out.add_secret(piece);
      const SecretDetectorInfo& d = *secret_detector(f.hit.detector);
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
      else d_text += "No commit read is known to have it (not committed, or older than the history read)";
      if (f.in_head) d_text += worktree ? "; in the working tree" : "; still in the audited commit";
      else d_text += "; removed since, but every clone still has it";
      if (f.places > 1) d_text += "; " + std::to_string(f.places) + " files or past versions hold it";
      fact.detail = d_text + ". Revoke it and issue a new one.";
      out.add(std::move(fact));
    }
  }

 private:
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
  if (const std::string& error = secret_detectors_error(); !error.empty()) {
    out.problem("", 0, error, kProbe);
    return;
  }
  const SecretScanLimits r = secret_scan_limits();
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
  Scan scan(h, max_total, max_findings);
  const PathSkipper vendored(snap);
  std::size_t files = 0, past_read = 0, skipped = 0;
  for (const auto& e : snap.files()) {
    if (e.symlink || vendored(e.path)) continue;
    if (secret_scan_skips(e.path)) {
      ++skipped;
      continue;
    }
    auto it = head_commit.find(e.path);
    ++files;
    if (!scan.add(e.path, scan_blob(e.path, snap.read(e.path, max_file)), it == head_commit.end() ? -1 : it->second, true))
      break;
  }
  // The past versions to read, in history order: each distinct blob once, at most max_blobs.
  std::vector<const PathVersion*> todo;
  bool over_count = false;
  // Whether a path is passed over, decided once per path: a history holds each path many times.
  std::unordered_map<std::string_view, bool> passed_over;
  auto passes_over = [&](const std::string& path) {
    auto [it, fresh] = passed_over.try_emplace(path, false);
    if (fresh) it->second = in_skipped_dir(path) || secret_scan_skips(path);
    return it->second;
  };
  for (std::size_t k = 0; k < versions.size() && !scan.capped(); ++k) {
    const PathVersion& v = versions[k];
    if (v.audited || passes_over(v.path) || !read_blobs.insert(v.blob).second) continue;
    if (todo.size() >= max_blobs) {
      over_count = true;
      break;
    }
    todo.push_back(&v);
  }
  // Read and searched on two threads when there is a second reader, each taking the next version
  // in order; counted here in order, so that the findings and the byte cap come out as on one. A
  // thread takes no more once the bytes searched pass the cap: every version before the one that
  // passes it has been searched by then.
  std::vector<Scanned> done(todo.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> searched{scan.bytes()};
  auto work = [&](const std::function<Blob(const std::string&, std::uint64_t)>& read) {
    advise_thread_heap();
    for (std::size_t i; searched.load() <= max_total && (i = next.fetch_add(1)) < todo.size();) {
      done[i] = scan_blob(todo[i]->path, read(todo[i]->blob, max_file));
      searched += done[i].bytes;
    }
  };
  if (!scan.capped() && !todo.empty()) {
    std::thread beside;
    if (past.read_blob_beside && todo.size() >= kParallelFrom) {
      try {
        beside = std::thread(work, std::cref(past.read_blob_beside));
      } catch (const std::system_error&) {  // no thread: this one reads them all
      }
    }
    work(past.read_blob);
    if (beside.joinable()) beside.join();
  }
  for (std::size_t i = 0; i < todo.size() && !scan.capped(); ++i) {
    const PathVersion& v = *todo[i];
    ++past_read;
    if (!scan.add(v.path, std::move(done[i]), static_cast<int>(v.commit - h->commits().data()), false)) break;
  }
  if (over_count && !scan.capped()) scan.cap();
  scan.emit(out, snap.commit_id() == "worktree");

  Fact f;
  f.kind = "secret.scan";
  f.attrs = {{"files", std::to_string(files)},
             {"versions", std::to_string(past_read)},
             {"bytes", std::to_string(scan.bytes())},
             {"capped", scan.capped() ? "yes" : "no"},
             {"too_large", std::to_string(scan.too_large())},
             {"history", !h ? "none" : h->cut() ? "cut" : "yes"},
             {"unlisted", std::to_string(scan.unlisted())},
             {"skipped_files", std::to_string(skipped)}};
  f.detail = "scanned for secrets: " + std::to_string(files) + " files of the audited commit and " +
             std::to_string(past_read) + " past versions (" + std::to_string(scan.bytes()) + " bytes)";
  if (skipped)
    f.detail += "; " + std::to_string(skipped) + " file(s) not read by name (lock files, images, model weights)";
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
