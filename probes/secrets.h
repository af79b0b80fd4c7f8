// Probe "secrets": credentials committed to the repository (issue 12), in the audited commit's
// text files and in every past version of its files (through the one history walk: a key added
// and deleted later is still in every clone). The detectors are data (probes/data/secrets.yaml):
// W&B API keys, GCP service-account keys, Google API keys, Hugging Face tokens, Kaggle keys, AWS
// keys, private key blocks, secrets in committed .env files; placeholders are not findings.
// Emits, never with a full value (each value goes to FactStore::add_secret, which masks it in
// every fact; the facts show mask_secret()'s "ab****yz"):
//   secret.found {detector, name, why, masked, var (the variable it is assigned to, or ""),
//                 path, line, commit (40 hex of the first commit that had it; "" when not
//                 known, e.g. an uncommitted worktree file), date (YYYY-MM-DD), in_head (yes|no),
//                 places (files and past versions holding it)}
//     one per distinct value: where the audited commit has it (in_head), else its first version.
//   secret.scan  {files, versions, bytes, capped (yes|no), too_large, history (yes|cut|none),
//                unlisted (distinct secrets beyond secrets.yaml's max_findings, not listed)}:
//                what was read; its detail says what was not read, when something was not.
// Each blob is read once (past versions are deduplicated by blob id; the audited commit's own
// blobs are not read again); the bytes read are capped (secrets.yaml limits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "probes/probe.h"
#include "probes/secret_detectors.h"

namespace cc {

// Limits; 0 takes the value of secrets.yaml's limits (tests set small ones).
struct SecretsLimits {
  std::uint64_t max_file_bytes = 0;
  std::uint64_t max_total_bytes = 0;
  std::size_t max_history_blobs = 0;
  std::size_t max_findings = 0;
};

class SecretsProbe : public Probe {
 public:
  explicit SecretsProbe(SecretsLimits limits = {}) : limits_(limits) {}
  std::string id() const override { return "secrets"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;
  void run_with_past(const Snapshot& snap, const PastVersions& past, FactStore& out) const override;
  bool reads_past() const override { return true; }

 private:
  SecretsLimits limits_;
};

}  // namespace cc
