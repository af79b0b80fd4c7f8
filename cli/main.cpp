// claimcheck: checks a DTU 02476 MLOps report's claims against the group's repository.
// Thin: parses the command line and hands over to the pipeline library (pipeline/audit.cpp).
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/batch_cli.h"
#include "engine/heap_pages.h"
#include "engine/libgit2_offline.h"
#include "pipeline/audit.h"
#include "pipeline/stats.h"
#include "engine/render.h"
#include "engine/render_links.h"
#include "engine/rules_doc.h"
#include "probes/probe.h"
#include "reports/template_catalog.h"

namespace {

int fail(int code, const std::string& msg) {
  std::cerr << "claimcheck: " << msg << "\n";
  return code;
}

// -o FILE, or stdout. A file that cannot be written is a fatal error, said in one line.
void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (!f || !f.flush()) throw cc::RunError(cc::kExitFatal, "cannot write " + path + " (check the folder exists and is writable)");
}

// The web address evidence links point into: --repo-url, else the origin remote when it is on GitHub.
std::string web_address(const std::string& given, const cc::AuditOptions& opt) {
  if (!given.empty()) {
    std::string u = cc::clean_repo_url(given);
    if (u.empty())
      throw cc::RunError(cc::kExitUsage, "--repo-url must be an http(s) address such as https://github.com/OWNER/NAME, got '" +
                                             given + "'");
    return u;
  }
  return cc::github_web_url(cc::origin_remote_url(opt.repo));
}

int run(int argc, char** argv);

}  // namespace

// The process ends without running the destructors of what lives until exit (the parsed catalog,
// rules and probe data: thousands of compiled patterns and small allocations, a few ms that
// nobody waits for). Everything the run writes is flushed first; the sanitizer builds exit
// normally, so that LeakSanitizer still looks at everything.
int main(int argc, char** argv) {
  // Every heap glibc makes starts with 8 MiB usable (M_TOP_PAD), not 132 KiB grown by one
  // mprotect per step (about 1,500 calls per audit, each blocking the other threads' page
  // faults), and is advised for huge pages (engine/heap_pages.h): an audit's 4,000 page faults
  // become about 900. Untouched pages cost no memory.
  cc::prepare_heap_pages(8 << 20);
  const int rc = run(argc, argv);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return rc;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return rc;
#endif
#endif
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(rc);
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{"claimcheck: checks the claims of a DTU 02476 MLOps exam report against the group's "
               "git repository, statically, with evidence."};
  app.set_version_flag("--version", "claimcheck 0.1.0");
  app.require_subcommand(1);

  cc::AuditOptions opt;
  std::string format = "text";
  std::string color = "auto";
  std::string output, repo_url;
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
      ->check(CLI::IsMember({"text", "json", "html", "sarif", "markdown"}))
      ->capture_default_str();
  check->add_option("-o,--output", output, "write the output to this file instead of stdout");
  check->add_option("--repo-url", repo_url,
                    "web address of the repository (https://github.com/OWNER/NAME) for evidence links; "
                    "default: the origin remote when it is on GitHub");
  check->add_option("--color", color, "colour the text output (auto: a terminal, and NO_COLOR unset)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  check->add_option("--catalog", opt.catalog_dir, "read the catalog (rules) from this folder of *.yaml files");
  // A comma list: one threshold of the checklist (overclaimed, weak, unverifiable or never: an
  // item this bad or worse fails the run) and/or `secrets` (a leaked credential fails it).
  std::vector<std::string> fail_on{"overclaimed"};
  check->add_option("--fail-on", fail_on,
                    "exit 1 when any of these is found: overclaimed (a ticked box the repository does not "
                    "show; the default), weak (also one it shows only in part), unverifiable (also one it "
                    "cannot show), never (no checklist item fails the run), secrets (a leaked credential, "
                    "in the audited commit or its history); comma-separated")
      ->delimiter(',')
      ->check(CLI::IsMember({"overclaimed", "weak", "unverifiable", "never", "secrets"}))
      ->capture_default_str();
  check->add_option("--time-budget", opt.time_budget,
                    "seconds: start no new probe or stage after this; the result is then partial")
      ->check(CLI::NonNegativeNumber);
  check->add_option("--threads", opt.probe_threads,
                    "threads for the probes: the probes that read past versions run beside the others "
                    "(default: 2 on a machine with two cores or more; 1 runs them one after the other)")
      ->check(CLI::Range(1, 64));
  bool stats = false;
  check->add_flag("--stats", stats,
                  "print to stderr where the audit's time went (stages and probes) and its peak memory");

  auto* facts = app.add_subcommand("facts", "list what the probes find in a repository (JSON)");
  add_repo_options(facts);

  auto* probes = app.add_subcommand("probes", "list the probes");

  std::string catalog_only;
  auto* rules = app.add_subcommand("rules", "list the catalog's checklist item rules: id, module, families, what supports it");
  rules->add_option("--catalog", catalog_only, "read the catalog from this folder of *.yaml files");
  std::string explain_id;
  auto* explain = app.add_subcommand("explain", "print one rule: what it looks for, which probes, its outcomes");
  explain->add_option("item", explain_id, "a catalog item id (see claimcheck rules), e.g. ci-lint")->required();
  explain->add_option("--catalog", catalog_only, "read the catalog from this folder of *.yaml files");

  std::string tmpl_file, tmpl_id, tmpl_date;
  auto* fp = app.add_subcommand("template-fingerprint",
                                "print the catalog entry (reports/catalog/templates.yaml) for a new template version");
  fp->add_option("file", tmpl_file, "the template's markdown")->required();
  fp->add_option("--id", tmpl_id, "version id, e.g. 2027-01-05_abcdef12")->required();
  fp->add_option("--date", tmpl_date, "the template's date, e.g. 2027-01-05")->required();

  cc::BatchCli staff(app);  // batch, history, diff, dashboard, merge (issue 10)

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(cc::kExitUsage, std::string("error: ") + e.what() + " (see claimcheck --help)");
  }

  // The audit commands open no connection: libgit2 skips its TLS and SSH set-up for them
  // (engine/libgit2_offline.h). The batch fetches, and keeps it.
  if (*check || *facts) cc::set_libgit2_offline();
  try {
    if (int rc = staff.run(); rc >= 0) return rc;
    if (*check) {
      // A bad --repo-url is a usage error, said before the audit's work.
      std::string web = format == "html" || format == "sarif" || format == "markdown" || !repo_url.empty()
                            ? web_address(repo_url, opt)
                            : std::string();
      cc::AuditStats audit_stats;
      if (stats) opt.stats = &audit_stats;
      cc::AuditResult r = cc::run_audit(opt);
      // https://no-color.org: NO_COLOR (non-empty) turns the default off; --color always still wins.
      const char* no_color = std::getenv("NO_COLOR");
      bool use_color = color == "always" || (color == "auto" && output.empty() && isatty(STDOUT_FILENO) &&
                                              !(no_color && *no_color));
      std::string text;
      std::optional<cc::AuditStats::Scope> render_timed;
      if (stats) render_timed.emplace(&audit_stats, "render " + format);
      if (format == "json") {
        text = cc::render_json(r);
      } else if (format == "text") {
        text = cc::render_text(r, use_color);
      } else {
        std::shared_ptr<const cc::Catalog> cat = cc::load_catalog(opt);
        cc::RenderOptions ro;
        ro.repo_url = web;
        ro.questions = &cat->questions();
        text = format == "html" ? cc::render_html(r, ro) : format == "sarif" ? cc::render_sarif(r, ro)
                                                                             : cc::render_markdown(r, ro);
      }
      write_output(output, text);
      render_timed.reset();
      if (stats) std::cerr << audit_stats.render();
      auto wants = [&](const char* what) { return std::find(fail_on.begin(), fail_on.end(), what) != fail_on.end(); };
      // The strictest checklist threshold given (none given with only `secrets`: the checklist does not fail).
      std::string threshold = "never";
      for (const char* t : {"overclaimed", "weak", "unverifiable"})
        if (wants(t)) threshold = t;
      bool failed = r.fails_at(threshold) || (wants("secrets") && r.secrets_found());
      return failed ? cc::kExitOverclaimed : cc::kExitClean;
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
    if (*rules || *explain) {
      cc::AuditOptions copt;
      copt.catalog_dir = catalog_only;
      std::shared_ptr<const cc::Catalog> catalog = cc::load_catalog(copt);
      const cc::Catalog& cat = *catalog;
      if (*rules) {
        std::cout << cc::list_rules(cat);
        return cc::kExitClean;
      }
      auto text = cc::explain_rule(cat, explain_id);
      if (!text) return fail(cc::kExitUsage, "no rule '" + explain_id + "' in the catalog (claimcheck rules lists them)");
      std::cout << *text;
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
}  // namespace
