// libFuzzer target: the dvc probe. The input's NUL-separated parts become .dvc/config, x.dvc and
// dvc.yaml (tests/fuzz/collect_seeds.sh joins fixture files the same way).
#include "probes/dvc.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parts = cc::fuzz::split_parts(cc::fuzz::as_text(data, size), 3);
  static const char* const names[] = {".dvc/config", "x.dvc", "dvc.yaml"};
  std::map<std::string, std::string> files;
  for (std::size_t k = 0; k < parts.size(); ++k) files[names[k]] = parts[k];
  cc::fuzz::run_probe(cc::DvcProbe(), files);
  return 0;
}
