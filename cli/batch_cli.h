// The staff subcommands (issue 10): batch, history, diff, dashboard, merge. Argument parsing and
// output only; the work is in batch/.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

namespace cc {

class BatchCli {
 public:
  explicit BatchCli(CLI::App& app);
  ~BatchCli();
  // The exit status when one of its subcommands was given, else -1.
  int run();

 private:
  int run_batch_command();
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace cc
