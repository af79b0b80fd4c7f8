#include "pipeline/stats.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

namespace cc {

AuditStats::Scope::Scope(AuditStats* stats, std::string name)
    : stats_(stats), name_(std::move(name)), start_(std::chrono::steady_clock::now()) {}

AuditStats::Scope::~Scope() {
  if (!stats_) return;
  stats_->add(name_, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count());
}

namespace {
// Adds `x` to the entry `name` of `v`, appended when first seen (the order printed).
template <class V>
void sum_into(std::vector<std::pair<std::string, V>>& v, const std::string& name, V x) {
  auto it = std::find_if(v.begin(), v.end(), [&](const auto& e) { return e.first == name; });
  if (it == v.end()) v.emplace_back(name, x);
  else it->second += x;
}
}  // namespace

void AuditStats::add(const std::string& name, double ms) {
  std::lock_guard<std::mutex> lock(mu_);
  sum_into(entries_, name, ms);
}

void AuditStats::count(const std::string& name, long n) {
  std::lock_guard<std::mutex> lock(mu_);
  sum_into(counts_, name, n);
}

std::string AuditStats::render() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t width = 5;
  for (const auto& [name, ms] : entries_) width = std::max(width, name.size());
  for (const auto& [name, n] : counts_) width = std::max(width, name.size());
  std::string out;
  char buf[256];
  double total = 0;
  for (const auto& [name, ms] : entries_) {
    // Nested entries ("probe x" inside "probes") are indented by their name and not summed.
    const bool nested = name.rfind("  ", 0) == 0;
    if (!nested) total += ms;
    std::snprintf(buf, sizeof buf, "%-*s %9.1f ms\n", int(width), name.c_str(), ms);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "%-*s %9.1f ms\n", int(width), "total", total);
  out += buf;
  std::snprintf(buf, sizeof buf, "%-*s %9.1f MiB\n", int(width), "peak memory", peak_rss_kib() / 1024.0);
  out += buf;
  for (const auto& [name, n] : counts_) {
    std::snprintf(buf, sizeof buf, "%-*s %9ld\n", int(width), name.c_str(), n);
    out += buf;
  }
  return out;
}

long peak_rss_kib() {
  struct rusage ru {};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return ru.ru_maxrss;  // KiB on Linux
}

}  // namespace cc
