// The regexes of the probes' data files compile. The probes compile them on first use (a
// LazyRegex, asked only about texts that may match), so a bad one would only ever match nothing:
// this test is where a typo in probes/data/*.yaml fails, as the loaders' own checks did when they
// compiled everything at load.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "probes/read/safe_yaml.h"

using namespace cc;

namespace {

// The scalars at `path` below `n`: keys separated by '.', "[]" for every item of a list
// ("gcloud_commands[].regex", "api_calls[]", "data").
void scalars_at(const YNode& n, std::string_view path, std::vector<const YNode*>& out) {
  if (path.empty()) {
    if (n.is_scalar()) out.push_back(&n);
    return;
  }
  if (path.substr(0, 2) == "[]") {
    std::string_view rest = path.substr(2);
    if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);
    if (n.is_seq())
      for (const auto& item : n.items) scalars_at(item, rest, out);
    return;
  }
  const std::size_t end = path.find_first_of(".[");
  const std::string key(path.substr(0, end));
  std::string_view rest = end == std::string_view::npos ? std::string_view() : path.substr(end);
  if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);
  if (const YNode* child = n.get(key)) scalars_at(*child, rest, out);
}

struct PatternField {
  const char* file;
  const char* path;
  bool icase;  // as the probe compiles it
};

// Where each probe reads RE2 patterns from its data file (the probe named in brackets).
const PatternField kFields[] = {
    {"data/cloud.yaml", "gcloud_commands[].regex", false},    // cloud
    {"data/cloud.yaml", "build_actions[].regex", false},      // cloud
    {"data/docs.yaml", "pages_deploy[].regex", false},        // docs
    {"data/docker_runs.yaml", "runs[].run", false},           // docker
    {"data/frontend.yaml", "api_calls[]", false},             // frontend
    {"data/profiler_outputs.yaml", "outputs[].regex", true},  // profiler-outputs
    {"data/python_patterns.yaml", "commented_code[].regex", false},  // python-usage
    {"data/tracked_files.yaml", "data", true},                // github-workflows (trigger paths)
    {"data/tracked_files.yaml", "model", true},               // github-workflows (trigger paths)
};

}  // namespace

TEST_CASE("every regex of the probes' data files compiles") {
  for (const PatternField& f : kFields) {
    CAPTURE(f.file);
    CAPTURE(f.path);
    YamlLoad y;
    std::string error;
    REQUIRE_MESSAGE(load_probe_data(f.file, y, error), error);
    std::vector<const YNode*> found;
    scalars_at(y.root, f.path, found);
    CHECK_MESSAGE(!found.empty(), "no pattern at this path: the data file or this test moved");
    for (const YNode* n : found) {
      RE2::Options o;
      o.set_log_errors(false);
      o.set_case_sensitive(!f.icase);
      RE2 re(n->value(), o);
      CHECK_MESSAGE(re.ok(), std::string(f.file), " line ", n->line, ": ", re.error());
    }
  }
}

TEST_CASE("the data-pattern walk finds lists and keys, and a bad regex fails to compile") {
  YamlLoad y = read_yaml("a:\n  - {regex: 'x('}\n  - {regex: 'y'}\nb: [p, q]\nc: z\n");
  REQUIRE(y.ok);
  std::vector<const YNode*> found;
  scalars_at(y.root, "a[].regex", found);
  REQUIRE(found.size() == 2);
  CHECK_FALSE(RE2(found[0]->value(), RE2::Quiet).ok());
  found.clear();
  scalars_at(y.root, "b[]", found);
  CHECK(found.size() == 2);
  found.clear();
  scalars_at(y.root, "c", found);
  CHECK(found.size() == 1);
  found.clear();
  scalars_at(y.root, "missing[].regex", found);
  CHECK(found.empty());
}
