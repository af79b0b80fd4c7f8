// What makes an audit result reusable: the engine that produced it and the catalog it judged
// with. A repository whose commit, engine and catalog are unchanged is not audited again.
#pragma once

#include <string>

namespace cc {

// "claimcheck <version> (<16 hex>)": the hex is a hash of the running executable, so any rebuild
// with different code or embedded data counts as a new engine (no version bump to forget).
std::string engine_version();

// A hash of the catalog the audits use: the built-in files, or the *.yaml files of `catalog_dir`
// (file names and contents, in name order; a copy of the built-in catalog hashes the same). Throws std::runtime_error when the folder cannot be read.
std::string catalog_hash(const std::string& catalog_dir);

}  // namespace cc
