// libFuzzer target: the report parser (cmark-gfm, template recognition, claims in answers).
#include "reports/report.h"
#include "tests/fuzz/fuzz_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cc::Report r = cc::parse_report(cc::fuzz::as_text(data, size), "reports/README.md");
  (void)r;
  return 0;
}
