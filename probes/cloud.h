// Probe "cloud": Google Cloud evidence read statically: Cloud Build configs, Vertex AI job
// configs, Cloud Run service YAML, gcloud commands in workflows/scripts/Makefiles/tasks.py/
// markdown code blocks, and gs:// buckets named in code and config. Patterns (gcloud command
// names, build step actions, placeholder bucket names) live in probes/data/cloud.yaml.
//
// Facts (attribute values are strings):
//   cloud.build_config {path, steps (count), empty (yes|no), images (count of `images:`),
//                       actions (","-joined non-"other" step actions), commented (count of
//                       commented-out steps)}                 where: the file
//   cloud.build_step   {path, index (1-based), builder, action (docker-build|docker-push|
//                       deploy-run|deploy-functions|train-vertex|other), args (first 200 bytes)}
//   cloud.commented    {path, line, action}: a YAML comment block holding a build step
//   cloud.build_trigger {path, filename}: a Cloud Build trigger config (`filename:` + `github:` or
//                       `triggerTemplate:`)
//   cloud.vertex_config {path, workerPoolSpecs (yes), machine_type, image, accelerator}
//   cloud.gcloud       {file, command (run deploy|functions deploy|ai custom-jobs create|compute
//                       instances create|builds submit|builds triggers create|alpha monitoring
//                       policies create|storage ...|other, see the data file), line_text, source
//                       (workflow|script|makefile|tasks|markdown), commented (yes|no)}
//   cloud.run_service  {path, name, image}: kind Service with apiVersion serving.knative.dev/*
//   cloud.bucket       {name, file}: gs://<name> in code or config, once per file and name
//   input.problem      (probe "cloud") for Cloud Build / Vertex / Cloud Run files that cannot be
//                       read or parsed (too large, binary, malformed or hostile YAML).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct CloudProbeOptions {
  std::uint64_t read_cap = kDefaultReadCap;  // bytes per file
  YamlLimits yaml;
  std::size_t max_files = 5000;              // text files scanned for gcloud and buckets
  // JSON and YAML files larger than this are data or generated output (profiler traces, label
  // lists, metrics), not configuration: not read (workflows and Cloud Build files always are).
  std::uint64_t max_config_bytes = 256 * 1024;
};

class CloudProbe : public Probe {
 public:
  explicit CloudProbe(CloudProbeOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "cloud"; }
  std::string summary() const override {
    return "Google Cloud: Cloud Build steps, Vertex AI configs, Cloud Run YAML, gcloud commands, "
           "gs:// buckets";
  }
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  CloudProbeOptions opt_;
};

// The name of a gcloud command line ("run deploy", ..., "other") from its text after "gcloud";
// global flags before the command group are skipped. "" when the data file is unusable.
std::string classify_gcloud(std::string_view after_gcloud);

// A Cloud Build config file: cloudbuild*.yaml / .yml / .json (any folder, any case).
bool is_cloudbuild_path(std::string_view path);

}  // namespace cc
