// --stats: where one audit's time goes, stage by stage and probe by probe, and the process's peak
// memory (as `ninja -d stats`). Printed to stderr, never into a result: times differ run to run.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cc {

class AuditStats {
 public:
  // Times from construction to destruction under `name`; a null `stats` times nothing.
  class Scope {
   public:
    Scope(AuditStats* stats, std::string name);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    AuditStats* stats_;
    std::string name_;
    std::chrono::steady_clock::time_point start_;
  };

  void add(const std::string& name, double ms);
  // A count printed after the times ("Python files parsed  1801"), summed when repeated.
  void count(const std::string& name, long n);
  // One line per entry in the order first seen ("probe pytest  12.3 ms"), then the total of the
  // top-level stages and the peak resident memory of the process.
  std::string render() const;

 private:
  std::vector<std::pair<std::string, double>> entries_;  // name -> ms, summed when repeated
  std::vector<std::pair<std::string, long>> counts_;     // name -> count, summed when repeated
  mutable std::mutex mu_;  // probes run on two threads
};

// The process's peak resident set size in KiB (getrusage), 0 when unknown.
long peak_rss_kib();

}  // namespace cc
