// The secret detectors of probes/data/secrets.yaml (issue 12), apart from the probe that scans a
// repository with them (probes/secrets.h): loading the data, matching one text, telling a
// placeholder from a key, and the pieces of a value that must be masked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cc {

struct SecretHit {
  std::string detector;  // detector id
  std::string value;     // the secret itself: only ever masked before it leaves the probe
  std::string var;       // variable name when the pattern names it
  int line = 0;          // 1-based
};

// The detectors of secrets.yaml over one file's text (`path` decides the file-name rules),
// placeholders left out, one hit per distinct value, in text order.
std::vector<SecretHit> find_secrets(std::string_view path, std::string_view text);

// A value that only stands for a key: a template or reference, a filler, a repeated run.
bool is_secret_placeholder(std::string_view value);

// A secret split into the pieces another text may show on their own (the lines of a private key
// block, the "\n"-separated parts of a JSON-escaped key), each of 16 or more characters, plus
// the whole value: what a Redactor must mask.
std::vector<std::string> secret_redaction_pieces(std::string_view value);

// What a detector is, for a person (secrets.yaml's id, name and why).
struct SecretDetectorInfo {
  std::string id, name, why;
};

// secrets.yaml's limits.
struct SecretScanLimits {
  std::uint64_t max_file_bytes, max_total_bytes;
  std::size_t max_history_blobs, max_findings;
};

// "" when secrets.yaml loaded with detectors, else why not (file and line).
const std::string& secret_detectors_error();
// Compiles every detector's regexes now (they are compiled on first use): "" or the first
// regex that does not compile or has no value group. The unit tests and the batch (before it
// forks) call it.
std::string compile_secret_detectors();
SecretScanLimits secret_scan_limits();
// Whether the scan skips the file at `path` (secrets.yaml skip_files: lock files), in any version.
bool secret_scan_skips(std::string_view path);
// A detector by id; null when there is none.
const SecretDetectorInfo* secret_detector(std::string_view id);

}  // namespace cc
