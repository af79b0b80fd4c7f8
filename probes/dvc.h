// Probe "dvc": data version control, read statically.
// Reads .dvc/config (and .dvc/config.local when committed), every *.dvc file, every dvc.yaml and
// dvc.lock, and every .gitattributes. Emits, each with its file and line:
//   dvc.remote  {name, url, scheme (gs|s3|gdrive|azure|http|ssh|local|other), default (yes|no),
//                file} per [remote "name"] section with a url
//   dvc.config  {path, remotes (count), default (the core.remote name, "" when none)}
//   dvc.tracked {path (the .dvc file), outs (comma list of repository paths), md5 (yes|no: every
//                out has a content hash: md5, etag or checksum)}
//   dvc.stage   {name, cmd (list items joined " && "), deps, outs (comma lists), file}
//   dvc.lock    {path, stages (count of stages locked, when it parses)}
//   lfs.pattern {pattern, file} per .gitattributes line with filter=lfs
// Junk lines in .dvc/config, unparsable YAML (alias bombs, deep nesting: probes/read/safe_yaml.h) and
// outs that leave the repository are input.problem facts; the audit continues.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct DvcProbeOptions {
  std::uint64_t read_cap = kDefaultReadCap;
  YamlLimits yaml;
  std::size_t max_dvc_files = 5000;  // *.dvc files read
};

class DvcProbe : public Probe {
 public:
  explicit DvcProbe(DvcProbeOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "dvc"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  DvcProbeOptions opt_;
};

// A DVC remote URL's storage kind: gs | s3 | gdrive | azure | http | ssh | local | other.
std::string dvc_url_scheme(std::string_view url);

// The remotes of a .dvc/config text that have a url, as (name, url), in file order; the same
// parser the probe uses (malformed lines are skipped silently here).
std::vector<std::pair<std::string, std::string>> dvc_config_remotes(std::string_view text);

}  // namespace cc
