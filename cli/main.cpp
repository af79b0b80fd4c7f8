// claimcheck: checks a DTU 02476 MLOps report's claims against the group's repository.
// Thin: parses the command line and hands over to the pipeline library (pipeline/audit.cpp).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/audit.h"
#include "engine/render.h"
#include "probes/probe.h"
#include "reports/template_catalog.h"

namespace {

int fail(int code, const std::string& msg) {
  std::cerr << "claimcheck: " << msg << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"claimcheck: checks the claims of a DTU 02476 MLOps exam report against the group's "
               "git repository, statically, with evidence."};
  app.set_version_flag("--version", "claimcheck 0.1.0");
  app.require_subcommand(1);

  cc::AuditOptions opt;
  std::string format = "text";
  std::string color = "auto";
  auto add_repo_options = [&](CLI::App* cmd) {
    cmd->add_option("repo", opt.repo, "repository: a clone, a bare mirror, or a directory with --worktree")
        ->capture_default_str();
    cmd->add_option("--rev", opt.rev, "audit this commit, branch or tag instead of HEAD");
    cmd->add_option("--at", opt.at,
                    "audit the last first-parent commit at or before this instant, e.g. "
                    "2026-01-23T23:59:59+01:00 (the hand-in deadline)");
    cmd->add_flag("--worktree", opt.worktree, "audit the working tree, uncommitted changes included");
  };

  auto* check = app.add_subcommand("check", "audit a repository and its report");
  add_repo_options(check);
  check->add_option("--report", opt.report,
                    "the report: a path in the repository or a file outside it (default reports/README.md)");
  check->add_option("--format", format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  check->add_option("--color", color, "colour the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  check->add_option("--catalog", opt.catalog_dir, "read the catalog (rules) from this folder of *.yaml files");
  check->add_option("--time-budget", opt.time_budget,
                    "seconds: start no new probe or stage after this; the result is then partial")
      ->check(CLI::NonNegativeNumber);

  auto* facts = app.add_subcommand("facts", "list what the probes find in a repository (JSON)");
  add_repo_options(facts);

  auto* probes = app.add_subcommand("probes", "list the probes");

  std::string tmpl_file, tmpl_id, tmpl_date;
  auto* fp = app.add_subcommand("template-fingerprint",
                                "print the catalog entry (reports/catalog/templates.yaml) for a new template version");
  fp->add_option("file", tmpl_file, "the template's markdown")->required();
  fp->add_option("--id", tmpl_id, "version id, e.g. 2027-01-05_abcdef12")->required();
  fp->add_option("--date", tmpl_date, "the template's date, e.g. 2027-01-05")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(cc::kExitUsage, std::string("error: ") + e.what() + " (see claimcheck --help)");
  }

  try {
    if (*check) {
      cc::AuditResult r = cc::run_audit(opt);
      bool use_color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO));
      std::cout << (format == "json" ? cc::render_json(r) : cc::render_text(r, use_color));
      return r.overclaimed() ? cc::kExitOverclaimed : cc::kExitClean;
    }
    if (*facts) {
      std::string commit;
      cc::FactStore store = cc::collect_facts(opt, &commit);
      nlohmann::ordered_json j;
      j["schema"] = "claimcheck-facts/1";
      j["commit"] = commit;
      j["facts"] = nlohmann::ordered_json::array();
      for (const auto& f : store.all())
        j["facts"].push_back({{"kind", f.kind},
                              {"path", f.where.path},
                              {"line", f.where.line},
                              {"attrs", f.attrs},
                              {"detail", f.detail},
                              {"origin", f.origin}});
      std::cout << j.dump(2) << "\n";
      return cc::kExitClean;
    }
    if (*probes) {
      for (const auto& p : cc::all_probes()) std::cout << p->id() << "\t" << p->summary() << "\n";
      return cc::kExitClean;
    }
    if (*fp) {
      std::ifstream f(tmpl_file, std::ios::binary);
      if (!f) return fail(cc::kExitFatal, "cannot read " + tmpl_file);
      std::ostringstream ss;
      ss << f.rdbuf();
      std::cout << cc::template_fingerprint_yaml(ss.str(), tmpl_id, tmpl_date);
      return cc::kExitClean;
    }
  } catch (const cc::RunError& e) {
    return fail(e.exit_code, e.what());
  } catch (const std::exception& e) {
    return fail(cc::kExitFatal, std::string("internal error: ") + e.what() +
                                    " (please report it with the repository that caused it)");
  }
  return cc::kExitUsage;
}
