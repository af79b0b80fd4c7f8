// The explicit list of every probe (as cppcheck's lib/checks.cpp): no static registration.
#include "probes/cloud.h"
#include "probes/code_style.h"
#include "probes/committed_data.h"
#include "probes/coverage_artifacts.h"
#include "probes/dependencies.h"
#include "probes/docker.h"
#include "probes/docs.h"
#include "probes/dvc.h"
#include "probes/frontend.h"
#include "probes/github_workflows.h"
#include "probes/hydra_configs.h"
#include "probes/layout.h"
#include "probes/probe.h"
#include "probes/profiler_outputs.h"
#include "probes/project_commands.h"
#include "probes/pytest_tests.h"
#include "probes/python_usage.h"
#include "probes/repository.h"
#include "probes/secrets.h"

namespace cc {

std::vector<std::unique_ptr<Probe>> all_probes(unsigned threads) {
  std::vector<std::unique_ptr<Probe>> v;
  v.push_back(std::make_unique<GithubWorkflowsProbe>());
  v.push_back(std::make_unique<PytestProbe>());
  PythonUsageOptions python;
  python.threads = threads;
  v.push_back(std::make_unique<PythonUsageProbe>(nullptr, python));
  v.push_back(std::make_unique<RepositoryProbe>());
  v.push_back(std::make_unique<HydraConfigsProbe>());
  v.push_back(std::make_unique<LayoutProbe>());
  v.push_back(std::make_unique<CloudProbe>());
  v.push_back(std::make_unique<DocsProbe>());
  v.push_back(std::make_unique<CoverageArtifactsProbe>());
  v.push_back(std::make_unique<FrontendProbe>());
  v.push_back(std::make_unique<DvcProbe>());
  v.push_back(std::make_unique<DockerProbe>());
  v.push_back(std::make_unique<DependenciesProbe>());
  v.push_back(std::make_unique<CodeStyleProbe>());
  v.push_back(std::make_unique<ProjectCommandsProbe>());
  v.push_back(std::make_unique<ProfilerOutputsProbe>());
  v.push_back(std::make_unique<SecretsProbe>());
  v.push_back(std::make_unique<CommittedDataProbe>());
  return v;
}

}  // namespace cc
