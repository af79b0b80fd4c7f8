#include "probes/repository.h"

namespace cc {

void RepositoryProbe::run(const Snapshot& snap, FactStore& out) const {
  Fact f;
  f.kind = "repo.snapshot";
  f.attrs["commit"] = snap.commit_id();
  f.attrs["files"] = std::to_string(snap.files().size());
  // Not describe(): it names the local path, and output must not depend on where the repo sits.
  std::string id = snap.commit_id();
  f.detail = (id == "worktree" ? std::string("working tree") : "commit " + id.substr(0, 7)) + ", " +
             std::to_string(snap.files().size()) + " files";
  out.add(std::move(f));
}

}  // namespace cc
