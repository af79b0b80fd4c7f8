// An in-memory Snapshot for unit tests (the VirtualFileSystem of ninja's tests).
#pragma once

#include <algorithm>
#include <map>

#include "engine/snapshot.h"

namespace cc {

class MemorySnapshot : public Snapshot {
 public:
  MemorySnapshot() = default;
  explicit MemorySnapshot(std::map<std::string, std::string> files) {
    for (auto& [p, d] : files) add(p, d);
  }
  void add(const std::string& path, std::string data);
  // A path whose blob is absent, as in a partial clone.
  void add_missing(const std::string& path, std::uint64_t size);

  const std::vector<FileEntry>& files() const override { return entries_; }
  Blob read(std::string_view path, std::uint64_t cap = kDefaultReadCap) const override;
  std::string commit_id() const override { return "0000000000000000000000000000000000000000"; }
  std::string describe() const override { return "in-memory tree"; }

 private:
  void rebuild();
  std::map<std::string, std::string> data_;
  std::map<std::string, std::uint64_t> missing_;
  std::vector<FileEntry> entries_;
};

}  // namespace cc
