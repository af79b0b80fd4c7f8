// libFuzzer target: the github-workflows probe (bounded YAML, matrix expansion, step classes).
#include "probes/github_workflows.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cc::fuzz::run_probe(cc::GithubWorkflowsProbe(),
                      {{".github/workflows/x.yml", std::string(cc::fuzz::as_text(data, size))}});
  return 0;
}
