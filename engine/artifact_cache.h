// What probes make from a Snapshot's files (a Python syntax tree, a YAML tree, ...), kept for the
// audit so that each file is parsed once and every probe that reads it shares the result. Owned
// by the Snapshot (Snapshot::artifacts()): every probe of one audit receives the same one.
//
// Thread-safe: the first caller of a key makes the artifact (others wait for it); makers of
// different keys run concurrently. Bounded: each artifact declares its approximate size, and one
// that would take the cache over its budget is handed to its caller without being kept (a later
// caller makes it again), so a repository of huge files cannot grow memory without limit.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace cc {

class ArtifactCache {
 public:
  static constexpr std::size_t kDefaultBudget = 16u << 20;  // approximate bytes kept at most

  ArtifactCache() = default;
  ArtifactCache(const ArtifactCache&) : ArtifactCache() {}  // a copy of a Snapshot starts empty
  ArtifactCache& operator=(const ArtifactCache&) {
    clear();
    return *this;
  }

  // The artifact of `kind` for `path`. `make()` returns {artifact, approximate bytes}; it is
  // called once per key while the artifact is kept. T must be the same for a given kind.
  template <class T, class Make>
  std::shared_ptr<const T> get(std::string_view kind, std::string_view path, Make make) {
    std::shared_ptr<Slot> slot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& s = slots_[key(kind, path)];
      if (!s) s = std::make_shared<Slot>();
      slot = s;
    }
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->value) return std::static_pointer_cast<const T>(slot->value);
    std::pair<std::shared_ptr<const T>, std::size_t> made = make();
    std::lock_guard<std::mutex> lock2(mu_);
    ++made_[std::string(kind)];
    if (bytes_ + made.second <= budget_) {
      bytes_ += made.second;
      slot->value = made.first;
    } else {
      slots_.erase(key(kind, path));  // not kept: over the budget
    }
    return made.first;
  }

  // How many artifacts of `kind` were made since the cache was created or cleared (parses).
  std::size_t made(std::string_view kind) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = made_.find(std::string(kind));
    return it == made_.end() ? 0 : it->second;
  }
  std::size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_;
  }
  void set_budget(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    budget_ = bytes;
  }
  // Drops every artifact (callers holding one keep theirs alive) and the counts.
  void clear() { (void)release(); }
  // Empties the cache and hands over what it kept: freed when the last holder lets go (another
  // thread may free a few thousand parsed trees while this one goes on).
  std::shared_ptr<void> release() {
    auto kept = std::make_shared<decltype(slots_)>();
    std::lock_guard<std::mutex> lock(mu_);
    kept->swap(slots_);
    made_.clear();
    bytes_ = 0;
    return kept;
  }

 private:
  struct Slot {
    std::mutex mu;
    std::shared_ptr<const void> value;
  };
  static std::string key(std::string_view kind, std::string_view path) {
    std::string k(kind);
    k += '\0';
    k += path;
    return k;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::map<std::string, std::size_t, std::less<>> made_;
  std::size_t bytes_ = 0;
  std::size_t budget_ = kDefaultBudget;
};

}  // namespace cc
