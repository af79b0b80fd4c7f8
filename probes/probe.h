// A probe reads one kind of evidence from a Snapshot and emits facts. It knows nothing of
// reports or checklists. One probe per file pair in probes/, listed in probes/registry.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/snapshot.h"

namespace cc {

class History;

// The audited commit's past, for the probes that read earlier versions of files too (a secret or
// a model committed and deleted later stays in every clone): the one history walk, and a reader
// of its blobs by id. Empty (null history) when there is no history, e.g. an in-memory snapshot.
struct PastVersions {
  const History* history = nullptr;
  // A blob by its 40-hex id, as Snapshot::read: at most `cap` bytes; too_large carries the size.
  std::function<Blob(const std::string& id, std::uint64_t cap)> read_blob;
  // The same through another reader of the same objects, for a second thread reading at the same
  // time (each reader is one thread's at a time); null when there is no second core.
  std::function<Blob(const std::string& id, std::uint64_t cap)> read_blob_beside;
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string id() const = 0;           // kebab-case, e.g. "github-workflows"
  virtual std::string summary() const = 0;      // one line: what it reads
  virtual void run(const Snapshot& snap, FactStore& out) const = 0;
  // What the pipeline calls: the probes that read the past override it, the others ignore it.
  virtual void run_with_past(const Snapshot& snap, const PastVersions& past, FactStore& out) const {
    (void)past;
    run(snap, out);
  }
  // True for the probes that read past versions: the pipeline runs them beside the others, on a
  // second core, with their own reader of the repository's objects (PastVersions::read_blob).
  virtual bool reads_past() const { return false; }
  // Before any probe runs, one at a time: announces the files this probe will read through the
  // audit's shared parse cache, each read once, as it will make them (expect_python_tree and
  // python_tree(..., Use::declared), probes/read/parse_cache.h). A tree two probes read is then
  // kept until both have it, and one whose readers are done goes first when memory is short.
  // Only a hint: a read left out is still shared as any other, one announced and not made only
  // keeps its tree longer.
  virtual void declare_reads(const Snapshot& snap) const { (void)snap; }
  // How long the probe runs compared to the others, roughly (0: short): the pipeline starts the
  // costly ones first so that the short ones fill in beside them.
  virtual int cost() const { return 0; }
};

// Every probe, in the order of probes/registry.cpp. `threads`: how many threads a probe that
// works in parallel (python-usage) may run, as the audit's --threads (0: one per core).
std::vector<std::unique_ptr<Probe>> all_probes(unsigned threads = 0);

}  // namespace cc
