// Probe "code-style": linter/formatter/type-checker configuration and pre-commit, read statically.
//
// Facts, each with its file and line:
//   style.config     {tool (ruff|flake8|black|pylint|mypy|isort), file, section}: from
//                    pyproject.toml [tool.X] (toml++, probes/read/toml.h), ruff.toml/.ruff.toml,
//                    .flake8, setup.cfg/tox.ini sections ([flake8], [mypy], [isort], [pylint*],
//                    [tool:isort]), mypy.ini/.mypy.ini, .pylintrc/pylintrc, .isort.cfg
//   precommit.hook   {repo, id, class (lint|format|types|other), file} per hook of every
//                    .pre-commit-config.y*ml
//   precommit.config {path, hooks (count), stock (yes when every hook is one of the course
//                    template's stock hooks), lint_hooks (comma list of lint/format/types hook ids)}
// Stock hook ids and hook classes: probes/data/precommit_hooks.yaml. Unparsable YAML (alias bombs,
// deep nesting) is an input.problem; pyproject.toml parse problems are reported by the
// "dependencies" probe only.
#pragma once

#include <cstdint>
#include <string>

#include "engine/snapshot.h"
#include "probes/probe.h"
#include "probes/read/safe_yaml.h"

namespace cc {

struct CodeStyleOptions {
  std::uint64_t read_cap = kDefaultReadCap;
  YamlLimits yaml;
};

class CodeStyleProbe : public Probe {
 public:
  explicit CodeStyleProbe(CodeStyleOptions opt = {}) : opt_(opt) {}
  std::string id() const override { return "code-style"; }
  std::string summary() const override;
  void run(const Snapshot& snap, FactStore& out) const override;

 private:
  CodeStyleOptions opt_;
};

}  // namespace cc
