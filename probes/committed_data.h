// Probe "committed-data": data and model files committed to git that belong in DVC, Git LFS or a
// bucket (issue 12): model weights, datasets, notebooks with large outputs, any large file, in the
// audited commit and among the past versions of files (a 200 MB checkpoint deleted later still
// weighs on every clone). Kinds, names and size thresholds are data (data/committed_data.yaml).
// Emits:
//   data.scan {capped: yes} when there were more past versions than it looks at (detail says so)
//   data.committed {kind (model|dataset|notebook|large-file), what, path, size (bytes), commit
//                   (40 hex of the commit that added that content, "" when not known), date,
//                   in_head (yes|no), versions (past versions counted, for in_head=no)}
//     one per file of the audited commit, and one per path whose past versions qualify (the
//     largest of them; `size` is that version's, the detail gives the total).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "probes/probe.h"

namespace cc {

// The kind a file of this name and size takes, "" when none (committed_data.yaml's kinds).
std::string committed_data_kind(std::string_view path, std::uint64_t size);

// "12.3 MiB", "850 KiB", "42 bytes".
std::string human_size(std::uint64_t bytes);

class CommittedDataProbe : public Probe {
 public:
  std::string id() const override { return "committed-data"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;
  void run_with_past(const Snapshot& snap, const PastVersions& past, FactStore& out) const override;
  bool reads_past() const override { return true; }
};

}  // namespace cc
