// The explicit list of every probe (as cppcheck's lib/checks.cpp): no static registration.
#include "probes/github_workflows.h"
#include "probes/probe.h"
#include "probes/pytest_tests.h"
#include "probes/repository.h"

namespace cc {

std::vector<std::unique_ptr<Probe>> all_probes() {
  std::vector<std::unique_ptr<Probe>> v;
  v.push_back(std::make_unique<GithubWorkflowsProbe>());
  v.push_back(std::make_unique<PytestProbe>());
  v.push_back(std::make_unique<RepositoryProbe>());
  return v;
}

}  // namespace cc
