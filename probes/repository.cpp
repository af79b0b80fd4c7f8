#include "probes/repository.h"

namespace cc {

void RepositoryProbe::run(const Snapshot& snap, FactStore& out) const {
  Fact f;
  f.kind = "repo.snapshot";
  f.attrs["commit"] = snap.commit_id();
  f.attrs["files"] = std::to_string(snap.files().size());
  f.detail = snap.describe() + ", " + std::to_string(snap.files().size()) + " files";
  out.add(std::move(f));
}

}  // namespace cc
