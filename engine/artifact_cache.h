// What probes make from a Snapshot's files (a Python syntax tree, a YAML tree, ...), kept for the
// audit so that each file is parsed once and every probe that reads it shares the result. Owned
// by the Snapshot (Snapshot::artifacts()): every probe of one audit receives the same one.
//
// Thread-safe: the first caller of a key makes the artifact (others wait for it); makers of
// different keys run concurrently. Bounded: each artifact declares its approximate size, and one
// that would take the cache over its budget is handed to its caller without being kept (a later
// caller makes it again), so a repository of huge files cannot grow memory without limit.
//
// Declared reads: before the probes run, a probe that reads many files may declare each read it
// will make (expect()), and then make it as declared (get(..., Use::declared)). An artifact whose
// declared reads have all been made is spent: when a new one would not fit, the spent ones go
// first, oldest first. So a file two probes read stays until the second has it, even when a
// thousand files read by one probe only pass through the cache meanwhile. Artifacts no read was
// declared for are never dropped for another: a probe that walks the files in the order another
// one did would find none of them if each new one pushed out the oldest.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

  enum class Use {
    undeclared,  // a read no one announced: kept while it fits, never dropped for another
    declared,    // one of the reads announced with expect()
  };

  // Announces one read of `kind` for `path` that a probe will make with Use::declared.
  void expect(std::string_view kind, std::string_view path) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& s = slots_[key(kind, path)];
    if (!s) s = std::make_shared<Slot>();
    ++s->expected;
    s->declared = true;
  }

  // The artifact of `kind` for `path`. `make()` returns {artifact, approximate bytes}; it is
  // called once per key while the artifact is kept. T must be the same for a given kind.
  template <class T, class Make>
  std::shared_ptr<const T> get(std::string_view kind, std::string_view path, Make make,
                               Use use = Use::undeclared) {
    const std::string k = key(kind, path);
    std::shared_ptr<Slot> slot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& s = slots_[k];
      if (!s) s = std::make_shared<Slot>();
      slot = s;
    }
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->value) {
      std::lock_guard<std::mutex> lock2(mu_);
      if (use == Use::declared) read_declared(*slot, k);
      return std::static_pointer_cast<const T>(slot->value);
    }
    std::pair<std::shared_ptr<const T>, std::size_t> made = make();
    std::lock_guard<std::mutex> lock2(mu_);
    ++made_[std::string(kind)];
    while (bytes_ + made.second > budget_ && !spent_.empty()) drop_oldest_spent();
    if (bytes_ + made.second > budget_) {  // not kept: over the budget
      if (!slot->declared) slots_.erase(k);
      else if (use == Use::declared && slot->expected > 0) --slot->expected;  // the count goes on
      return made.first;
    }
    bytes_ += made.second;
    slot->bytes = made.second;
    slot->value = made.first;
    if (use == Use::declared) read_declared(*slot, k);
    if (slot->expected > 0) waiting_[std::string(kind)].emplace_back(path);
    return made.first;
  }

  // The paths of `kind` whose artifact was made and kept while declared reads of it were still
  // to come, in the order they were made, from the `from`th on. A probe that reads many files
  // reads these first (python-usage), so that what another probe parsed leaves the cache soon
  // instead of waiting for its turn in a long list.
  std::vector<std::string> waiting_since(std::string_view kind, std::size_t from) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = waiting_.find(kind);
    if (it == waiting_.end() || from >= it->second.size()) return {};
    return {it->second.begin() + std::ptrdiff_t(from), it->second.end()};
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
    spent_.clear();
    waiting_.clear();
    made_.clear();
    bytes_ = 0;
    return kept;
  }

 private:
  struct Slot {
    std::mutex mu;
    std::shared_ptr<const void> value;  // written with both mu and the cache's mu_ held
    std::size_t bytes = 0;              // value's approximate size, as counted in bytes_
    int expected = 0;                   // declared reads not made yet (under mu_)
    bool declared = false;              // reads were declared for it (under mu_)
  };
  // Under mu_: one declared read of the kept artifact in `s` made; the last one makes it spent.
  void read_declared(Slot& s, const std::string& k) {
    if (s.expected > 0 && --s.expected == 0) spent_.push_back(k);
  }
  // Under mu_: forgets the oldest spent artifact (its holders keep it alive). The checks are a
  // guard: an entry whose artifact is gone or not spent drops nothing.
  void drop_oldest_spent() {
    auto it = slots_.find(spent_.front());
    spent_.pop_front();
    if (it == slots_.end() || !it->second->value || !it->second->declared || it->second->expected > 0) return;
    bytes_ -= it->second->bytes;
    slots_.erase(it);
  }
  static std::string key(std::string_view kind, std::string_view path) {
    std::string k(kind);
    k += '\0';
    k += path;
    return k;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::map<std::string, std::size_t, std::less<>> made_;
  std::deque<std::string> spent_;  // keys whose declared reads were all made, oldest first
  std::map<std::string, std::vector<std::string>, std::less<>> waiting_;  // kind -> paths (waiting_since)
  std::size_t bytes_ = 0;
  std::size_t budget_ = kDefaultBudget;
};

}  // namespace cc
