// Probe "docs": project documentation read statically: MkDocs configurations, docs folders,
// the README, and how documentation is published to GitHub Pages.
//
// Facts (attribute values are strings):
//   docs.mkdocs       {path, site_name, nav (count of pages in `nav:`, nested sections counted
//                     by their pages), plugins (","-joined names), theme, docs_dir (resolved)}
//                     for every mkdocs.yml / mkdocs.yaml outside vendored trees
//   docs.dir          {path, files, markdown_files, markdown_bytes}: each top-level docs/ folder
//                     and each folder an mkdocs config names as docs_dir (default docs/ beside it)
//   docs.readme       {path, bytes, headings (markdown headings outside code fences), words}
//                     for the root README (README.md, README.rst, README.txt, README)
//   docs.pages_deploy {file, how (see probes/data/docs.yaml), commented (yes|no)}  where: line
//                     found in workflows, shell scripts, Makefiles/justfiles and tasks.py
//   input.problem     (probe "docs") for mkdocs configs that cannot be read or parsed.
#pragma once

#include <string>

#include "engine/facts.h"
#include "engine/snapshot.h"
#include "probes/probe.h"

namespace cc {

class DocsProbe : public Probe {
 public:
  std::string id() const override { return "docs"; }
  std::string summary() const override {
    return "documentation: mkdocs configs, docs folders, README size, GitHub Pages deployment";
  }
  void run(const Snapshot& snap, FactStore& out) const override;
};

}  // namespace cc
