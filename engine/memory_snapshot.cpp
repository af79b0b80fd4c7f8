#include "engine/memory_snapshot.h"

namespace cc {

void MemorySnapshot::add(const std::string& path, std::string data) {
  data_[path] = std::move(data);
  missing_.erase(path);
  rebuild();
}

void MemorySnapshot::add_missing(const std::string& path, std::uint64_t size) {
  data_.erase(path);
  missing_[path] = size;
  rebuild();
}

void MemorySnapshot::rebuild() {
  artifacts().clear();  // files changed: nothing parsed before still holds
  entries_.clear();
  for (auto& [p, d] : data_) entries_.push_back({p, d.size(), false});
  for (auto& [p, s] : missing_) entries_.push_back({p, s, false});
  std::sort(entries_.begin(), entries_.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
}

Blob MemorySnapshot::read(std::string_view path, std::uint64_t cap) const {
  Blob b;
  std::string key(path);
  if (auto m = missing_.find(key); m != missing_.end()) {
    b.state = ReadState::missing_object;
    b.size = m->second;
    b.note = "blob not in the object database (partial clone?)";
    return b;
  }
  auto it = data_.find(key);
  if (it == data_.end()) {
    b.state = ReadState::not_found;
    b.note = "no such file";
    return b;
  }
  b.size = it->second.size();
  if (b.size > cap) {
    b.state = ReadState::too_large;
    b.note = "file of " + std::to_string(b.size) + " bytes exceeds the cap of " +
             std::to_string(cap) + " bytes";
    return b;
  }
  b.state = ReadState::ok;
  b.data = it->second;
  return b;
}

}  // namespace cc
