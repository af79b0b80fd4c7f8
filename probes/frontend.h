// Probe "frontend": web frontends beyond Python (HTML/JavaScript/TypeScript apps, React, Vue,
// Svelte) and whether they call an HTTP API. Streamlit/Gradio apps are Python (python usage).
//
// Apps: each package.json folder is one app (kind from its dependencies: react|vue|svelte|
// angular, else js); other HTML/JS files are grouped by folder (kind html when the folder holds
// an .html file, else js). Skipped: vendored trees, build output and other folders listed in
// probes/data/frontend.yaml, *.min.js, files over its max_bytes (bundles), generated HTML
// (a <meta name="generator">, coverage reports), and everything under docs/ and reports/.
//
// Fact:
//   frontend.app {path (the app folder, "" for the root), kind, calls_api (yes|no), files,
//                 endpoint (first literal URL or path called, "" when none)}
//                 where: the first file and line calling an API, else the first file (line 0)
#pragma once

#include <string>
#include <string_view>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

class FrontendProbe : public Probe {
 public:
  std::string id() const override { return "frontend"; }
  std::string summary() const override {
    return "web frontends (html/js, React, Vue, Svelte) and whether they call an HTTP API";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
};

// 1-based line of the first API call in a frontend source (0 when none); *endpoint receives the
// literal URL or path called when there is one.
int first_api_call(std::string_view source, std::string* endpoint);

}  // namespace cc
