// One audit: open the snapshot, run every probe, parse the report, reconcile. The only place
// that wires engine, probes and reports together (with main.cpp).
#pragma once

#include <stdexcept>
#include <memory>
#include <string>

#include "engine/audit.h"
#include "engine/facts.h"
#include "engine/rules.h"

namespace cc {

class AuditStats;

// Exit statuses, as actionlint's: 0 clean, 1 something over-claimed, 2 bad usage, 3 fatal.
enum Exit { kExitClean = 0, kExitOverclaimed = 1, kExitUsage = 2, kExitFatal = 3 };

// An error that ends the run with a status and a one-line message saying what to do.
struct RunError : std::runtime_error {
  RunError(int code, const std::string& msg) : std::runtime_error(msg), exit_code(code) {}
  int exit_code;
};

struct AuditOptions {
  std::string repo = ".";
  std::string report;       // "" -> reports/README.md in the audited commit
  std::string rev;          // --rev
  std::string at;           // --at deadline
  bool worktree = false;    // --worktree
  std::string catalog_dir;  // --catalog: read rules from here instead of the built-in catalog
  // --time-budget in seconds (< 0: none): once spent, no new probe or stage starts and the
  // result is partial, with an input problem naming the cap (issue 11).
  double time_budget = -1;
  // --stats: stage and probe times are added here when set (not owned; the caller prints them).
  AuditStats* stats = nullptr;
  // Threads for the probes: the probes that read past versions run beside the others (0: two
  // when the machine has two cores or more; 1: one after the other, as a batch worker does).
  int probe_threads = 0;
};

// Run the probes only (for `claimcheck facts`).
FactStore collect_facts(const AuditOptions& opt, std::string* commit = nullptr);

// The catalog the audit uses: the built-in one, or the *.yaml files of opt.catalog_dir. Throws
// RunError for a bad catalog. For `claimcheck rules`, `explain` and the oral-exam questions.
// The built-in catalog is parsed once per process and shared (a batch parses it before forking
// its workers); a --catalog DIR is read at every call, so that edits to it are seen.
std::shared_ptr<const Catalog> load_catalog(const AuditOptions& opt);

// Parses, once per process, everything an audit reads from the built-in data whatever the
// repository (catalog, templates, contradictions, every probe's data file): a process that forks
// a worker per audit (the batch) calls it before forking, so no worker parses them again.
void preload_builtin_data(const AuditOptions& opt);

// The whole audit. Throws RunError for unreadable repositories/reports and bad catalogs.
AuditResult run_audit(const AuditOptions& opt);

}  // namespace cc
