#include "probes/cloud.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/file.h"
#include "probes/read/parse_cache.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "cloud";
constexpr int kMaxPerFile = 200;  // gcloud commands / buckets per file

struct NamedRe {
  std::string name;
  std::unique_ptr<LazyRegex> re;  // compiled when a text may match (most never do)
};

struct CloudData {
  std::vector<NamedRe> gcloud, actions;
  std::map<std::string, std::string> terraform;  // resource type -> fact kind
  std::set<std::string> placeholders;
  std::string error;
};

const CloudData& cloud_data() {
  static CloudData d;
  static std::once_flag once;
  std::call_once(once, [] {
    YamlLoad y;
    if (!load_probe_data("data/cloud.yaml", y, d.error)) return;
    auto rules = [&](const char* key, const char* name_key, std::vector<NamedRe>& into) {
      const YNode* n = y.root.get(key);
      if (!n || !n->is_seq()) { d.error = std::string("data/cloud.yaml: no `") + key + "` list"; return; }
      for (const auto& r : n->items) {
        const YNode* nm = r.get(name_key);
        const YNode* rx = r.get("regex");
        if (!nm || !rx) { d.error = "data/cloud.yaml: line " + std::to_string(r.line) + ": rule needs " + name_key + " and regex"; return; }
        into.push_back({nm->value(), std::make_unique<LazyRegex>(rx->value(), false)});
      }
    };
    rules("gcloud_commands", "command", d.gcloud);
    rules("build_actions", "action", d.actions);
    if (const YNode* t = y.root.get("terraform_resources"); t && t->is_seq())
      for (const auto& r : t->items) {
        const YNode* res = r.get("resource");
        const YNode* fact = r.get("fact");
        if (!res || !fact) { d.error = "data/cloud.yaml: line " + std::to_string(r.line) + ": a terraform rule needs resource and fact"; return; }
        d.terraform[res->value()] = fact->value();
      }
    if (const YNode* p = y.root.get("placeholder_buckets"); p && p->is_seq())
      for (const auto& i : p->items) d.placeholders.insert(i.value());
  });
  return d;
}

std::string classify_with(const CloudData& d, std::string_view after) {
  // Skip global flags before the command group: --project=x, --quiet, -q, --verbosity=debug.
  std::string_view s = trim_view(after);
  while (!s.empty() && s[0] == '-') {
    size_t sp = s.find_first_of(" \t");
    if (sp == std::string_view::npos) return "other";
    s = trim_view(s.substr(sp));
  }
  for (const auto& r : d.gcloud)
    if (r.re->partial_match(s)) return r.name;
  return "other";
}

std::string action_of(const CloudData& d, const std::string& text) {
  for (const auto& r : d.actions)
    if (r.re->partial_match(text)) return r.name;
  return "other";
}

}  // namespace

std::string classify_gcloud(std::string_view after_gcloud) {
  const CloudData& d = cloud_data();
  if (!d.error.empty()) return "";
  return classify_with(d, after_gcloud);
}

bool is_cloudbuild_path(std::string_view path) {
  if (lower_ascii(path).rfind(".github/workflows/", 0) == 0) return false;  // a GitHub workflow
  std::string b = lower_ascii(basename_of(path));
  if (!(ends_with(b, ".yaml") || ends_with(b, ".yml") || ends_with(b, ".json"))) return false;
  // cloudbuild.yaml, cloudbuild_api.yaml, cloud_build_and_deploy.yaml, cloud-build.yml: Cloud Build
  // takes any name given to `gcloud builds submit --config`, and groups name them freely.
  std::string squeezed;
  for (char c : b)
    if (c != '_' && c != '-' && c != '.') squeezed.push_back(c);
  return squeezed.find("cloudbuild") != std::string::npos;
}

namespace {

class Run {
 public:
  Run(const Snapshot& snap, FactStore& out, const CloudProbeOptions& opt, const CloudData& d)
      : snap_(snap), out_(out), opt_(opt), d_(d) {}

  void go() {
    size_t scanned = 0;
    for (const auto& f : snap_.files()) {
      const std::string& p = f.path;
      if (f.symlink || vendored(p)) continue;
      if (is_cloudbuild_path(p)) {
        cloudbuild(p);
        continue;
      }
      std::string lp = lower_ascii(p);
      std::string base(basename_of(lp));
      std::string source = source_of(lp, base);
      bool yaml = ends_with(lp, ".yaml") || ends_with(lp, ".yml");
      bool json = ends_with(lp, ".json");
      bool bucket_file = bucket_candidate(lp, base);
      if ((yaml || json) && source.empty() && !bucket_file && f.size > opt_.max_config_bytes) continue;
      if (source.empty() && !yaml && !json && !bucket_file) continue;
      if (scanned >= opt_.max_files) continue;
      if (f.size > opt_.read_cap) continue;  // large data files: not configuration
      ++scanned;
      Blob b = snap_.read_text(p, opt_.read_cap);
      if (!b.ok()) continue;
      if (!source.empty()) gcloud(p, b.data, source);
      if (ends_with(lp, ".tf")) terraform(p, b.data);
      if (yaml || json) structured(p, b.data);
      if (bucket_file || yaml || json) buckets(p, b.data);
      run_urls(p, b.data);
    }
  }

 private:
  const Snapshot& snap_;
  const PathSkipper vendored{snap_};
  FactStore& out_;
  const CloudProbeOptions& opt_;
  const CloudData& d_;

  static std::string source_of(const std::string& lp, const std::string& base) {
    if (lp.rfind(".github/workflows/", 0) == 0 && (ends_with(lp, ".yml") || ends_with(lp, ".yaml")))
      return "workflow";
    if (ends_with(base, ".sh") || ends_with(base, ".bash") || ends_with(base, ".zsh")) return "script";
    if (base == "makefile" || base == "gnumakefile" || ends_with(base, ".mk") || base == "justfile" ||
        base == ".justfile")
      return "makefile";
    if (base == "tasks.py") return "tasks";
    if (ends_with(base, ".md") && lp.rfind("reports/", 0) != 0) return "markdown";
    return "";
  }

  static bool bucket_candidate(const std::string& lp, const std::string& base) {
    static const char* exts[] = {".py", ".toml", ".cfg", ".ini", ".sh", ".bash", ".ipynb", ".env.example",
                                 ".dockerfile", ".tf", ".mk"};
    for (const char* e : exts)
      if (ends_with(base, e)) return true;
    return base == "makefile" || base == "justfile" || base == "dockerfile" ||
           base.rfind("dockerfile.", 0) == 0 || lp == ".dvc/config" || lp == ".dvc/config.local";
  }

  void problem(const std::string& path, int line, const std::string& what) {
    out_.problem(path, line, what, kProbe);
  }

  // ---- Cloud Build
  void cloudbuild(const std::string& p) {
    auto doc = yaml_doc(snap_, p, opt_.read_cap, opt_.yaml);  // the audit's shared tree
    const Blob& b = doc->read;
    if (!b.ok()) {
      problem(p, 0, not_read_detail("Cloud Build config", b));
      return;
    }
    const YamlLoad& y = doc->load;
    if (!y.ok) {
      problem(p, y.error_line, "Cloud Build config not parsed: " + y.error);
      return;
    }
    buckets(p, b.data);
    const YNode& root = y.root;
    const YNode* steps = root.get("steps");
    std::set<std::string> actions;
    int nsteps = 0;
    if (steps && steps->is_seq()) {
      for (const auto& s : steps->items) {
        if (!s.is_map()) continue;
        ++nsteps;
        std::string builder, args, script;
        std::string text = step_text(s, builder, args, script);
        std::string action = action_of(d_, text);
        if (action != "other") actions.insert(action);
        Fact f;
        f.kind = "cloud.build_step";
        f.where = {p, s.line};
        f.attrs = {{"path", p}, {"index", std::to_string(nsteps)}, {"builder", cut(builder, 200)},
                   {"action", action}, {"args", cut(args.empty() ? script : args, 200)}};
        if (const YNode* id = s.get("id")) f.attrs["id"] = cut(id->value(), 100);
        f.detail = "Cloud Build step " + std::to_string(nsteps) + " (" + cut(builder, 80) + "): " + action;
        out_.add(std::move(f));
      }
    }
    int commented = commented_steps(p, b.data);
    int images = 0;
    if (const YNode* im = root.get("images"); im && im->is_seq()) images = static_cast<int>(im->items.size());
    std::string acts;
    for (const auto& a : actions) acts += (acts.empty() ? "" : ",") + a;
    Fact f;
    f.kind = "cloud.build_config";
    f.where = {p, 0};
    bool empty = nsteps == 0;
    f.attrs = {{"path", p}, {"steps", std::to_string(nsteps)}, {"empty", empty ? "yes" : "no"},
               {"images", std::to_string(images)}, {"actions", acts},
               {"commented", std::to_string(commented)}};
    f.detail = empty ? std::string("Cloud Build config with no steps") +
                           (root.is_null() ? " (the file is empty)" : "") +
                           (commented ? ", " + std::to_string(commented) + " commented out" : "")
                     : "Cloud Build config, " + std::to_string(nsteps) + " step(s)" +
                           (acts.empty() ? "" : ": " + acts) +
                           (commented ? ", " + std::to_string(commented) + " commented out" : "");
    out_.add(std::move(f));
  }

  // "<builder> <program> <args> <script>" of a step, as build_actions patterns see it.
  static std::string step_text(const YNode& s, std::string& builder, std::string& args,
                               std::string& script) {
    builder = s.get("name") ? s.get("name")->value() : "";
    std::string program;
    if (const YNode* e = s.get("entrypoint")) program = e->value();
    if (program.empty()) {
      std::string_view bn = basename_of(builder);
      program = std::string(bn.substr(0, bn.find(':')));
    }
    args.clear();
    if (const YNode* a = s.get("args")) {
      if (a->is_seq()) {
        for (const auto& x : a->items) {
          if (args.size() > 8192) break;
          args += (args.empty() ? "" : " ") + (x.is_scalar() ? x.text : x.value());
        }
      } else {
        args = a->is_scalar() ? a->text : a->value();
      }
    }
    script = s.get("script") ? s.get("script")->value() : "";
    return builder + " " + program + " " + args + " " + script;
  }

  // The action of a commented-out step: its lines uncommented and read as YAML when they parse,
  // else its text with YAML punctuation blanked.
  std::string commented_action(const std::vector<std::string>& body) const {
    size_t indent = std::string::npos;
    for (const auto& l : body) {
      size_t i = l.find_first_not_of(' ');
      if (i != std::string::npos) indent = std::min(indent, i);
    }
    std::string block;
    for (const auto& l : body) block += (indent != std::string::npos && l.size() >= indent ? l.substr(indent) : l) + "\n";
    YamlLimits small = opt_.yaml;
    small.max_nodes = 2000;
    YamlLoad y = read_yaml(block, small);
    if (y.ok && y.root.is_seq() && !y.root.items.empty() && y.root.items[0].is_map()) {
      std::string b, a, sc;
      return action_of(d_, step_text(y.root.items[0], b, a, sc));
    }
    std::string flat;
    for (const auto& l : body) flat += l + " ";
    for (char& c : flat)
      if (c == '[' || c == ']' || c == '\'' || c == '"' || c == ',') c = ' ';
    return action_of(d_, flat);
  }

  // YAML comment blocks that hold a build step (`- name: gcr.io/...`, `args: [...]`).
  int commented_steps(const std::string& p, std::string_view text) {
    std::vector<int> cl = yaml_comment_lines(text);
    if (cl.empty()) return 0;
    auto lines = split_lines(text);
    int n = 0;
    static const re2::RE2 step_start(R"(^\s*#+\s*-\s*name\s*:\s*\S)");
    static const re2::RE2 builderish(R"(gcr\.io|docker|gcloud|cloud-sdk|kaniko|pkg\.dev)");
    size_t b = 0;
    while (b < cl.size() && n < kMaxPerFile) {
      size_t e = b + 1;
      while (e < cl.size() && cl[e] == cl[e - 1] + 1) ++e;
      // Split the block at each "- name:" line; each part is one commented step.
      int start = 0;
      std::vector<std::string> body;
      std::string flat;
      auto flush = [&]() {
        if (start && re2::RE2::PartialMatch(flat, builderish)) {
          Fact f;
          f.kind = "cloud.commented";
          f.where = {p, start};
          f.attrs = {{"path", p}, {"line", std::to_string(start)}, {"action", commented_action(body)}};
          f.detail = "commented-out Cloud Build step (" + f.attrs["action"] + "): it never runs";
          out_.add(std::move(f));
          ++n;
        }
        start = 0;
        body.clear();
        flat.clear();
      };
      for (size_t k = b; k < e; ++k) {
        std::string_view l = lines[static_cast<size_t>(cl[k]) - 1];
        if (re2::RE2::PartialMatch(re2::StringPiece(l.data(), l.size()), step_start)) {
          flush();
          start = cl[k];
        }
        if (start && body.size() < 200) {
          std::string_view r = l.substr(l.find('#'));
          while (!r.empty() && r[0] == '#') r.remove_prefix(1);
          body.emplace_back(r.substr(0, 1024));
          flat += " " + body.back();
        }
      }
      flush();
      b = e;
    }
    return n;
  }

  // ---- other YAML/JSON: Vertex AI job configs, Cloud Run services, build triggers
  void structured(const std::string& p, const std::string& text) {
    bool vertex = text.find("workerPoolSpecs") != std::string::npos ||
                  text.find("worker_pool_specs") != std::string::npos;
    bool knative = text.find("serving.knative.dev") != std::string::npos;
    bool trigger = text.find("filename") != std::string::npos &&
                   (text.find("github") != std::string::npos || text.find("triggerTemplate") != std::string::npos);
    if (!vertex && !knative && !trigger) return;
    auto doc = yaml_doc(snap_, p, opt_.read_cap, opt_.yaml);  // `text` is p's text: the shared tree
    const YamlLoad& y = doc->load;
    if (!y.ok) {
      if (vertex || knative) problem(p, y.error_line, "cloud config not parsed: " + y.error);
      return;
    }
    const YNode& root = y.root;
    if (vertex) {
      // Find the specs anywhere (iterative).
      const YNode* specs = nullptr;
      std::vector<const YNode*> todo{&root};
      while (!todo.empty() && !specs) {
        const YNode* n = todo.back();
        todo.pop_back();
        if (n->is_map()) {
          for (const auto& [k, v] : n->entries) {
            if (k.is_scalar() && (k.text == "workerPoolSpecs" || k.text == "worker_pool_specs")) { specs = &v; break; }
            todo.push_back(&v);
          }
        } else if (n->is_seq()) {
          for (const auto& i : n->items) todo.push_back(&i);
        }
      }
      if (specs) {
        std::string machine, image, accel;
        std::vector<const YNode*> t2{specs};
        while (!t2.empty()) {
          const YNode* n = t2.back();
          t2.pop_back();
          if (n->is_map()) {
            for (const auto& [k, v] : n->entries) {
              std::string key = k.is_scalar() ? k.text : "";
              if ((key == "machineType" || key == "machine_type") && machine.empty()) machine = v.value();
              else if ((key == "imageUri" || key == "image_uri") && image.empty()) image = v.value();
              else if ((key == "acceleratorType" || key == "accelerator_type") && accel.empty()) accel = v.value();
              else t2.push_back(&v);
            }
          } else if (n->is_seq()) {
            for (const auto& i : n->items) t2.push_back(&i);
          }
        }
        Fact f;
        f.kind = "cloud.vertex_config";
        f.where = {p, specs->line};
        f.attrs = {{"path", p}, {"workerPoolSpecs", "yes"}, {"machine_type", cut(machine, 100)},
                   {"image", cut(image, 200)}, {"accelerator", cut(accel, 100)}};
        f.detail = "Vertex AI custom job config" + (machine.empty() ? "" : ", machine " + cut(machine, 60)) +
                   (image.empty() ? "" : ", image " + cut(image, 100));
        out_.add(std::move(f));
      }
    }
    if (knative && root.is_map()) {
      const YNode* api = root.get("apiVersion");
      const YNode* kind = root.get("kind");
      if (api && kind && api->value().rfind("serving.knative.dev", 0) == 0 && kind->value() == "Service") {
        std::string name, image;
        if (const YNode* m = root.get("metadata")) if (const YNode* n = m->get("name")) name = n->value();
        if (const YNode* s = root.get("spec"))
          if (const YNode* t = s->get("template"))
            if (const YNode* ts = t->get("spec"))
              if (const YNode* cs = ts->get("containers"); cs && cs->is_seq() && !cs->items.empty())
                if (const YNode* im = cs->items[0].get("image")) image = im->value();
        Fact f;
        f.kind = "cloud.run_service";
        f.where = {p, kind->line};
        f.attrs = {{"path", p}, {"name", cut(name, 100)}, {"image", cut(image, 200)}};
        f.detail = "Cloud Run service " + cut(name, 60) + (image.empty() ? "" : " (" + cut(image, 100) + ")");
        out_.add(std::move(f));
      }
    }
    if (trigger && root.is_map()) {
      const YNode* fn = root.get("filename");
      if (fn && fn->is_scalar() && (root.get("github") || root.get("triggerTemplate"))) {
        Fact f;
        f.kind = "cloud.build_trigger";
        f.where = {p, fn->line};
        f.attrs = {{"path", p}, {"filename", cut(fn->value(), 200)}};
        f.detail = "Cloud Build trigger running " + cut(fn->value(), 100);
        out_.add(std::move(f));
      }
    }
  }

  // ---- Terraform: the resources that stand for a Cloud Run service, a function, an alert policy...
  void terraform(const std::string& p, std::string_view text) {
    // Lengths are checked after the match: a counted repetition ({1,200}) is compiled into as
    // many copies of its class, which made this one pattern about 1 ms of RE2 compilation.
    static const re2::RE2 re(R"re(^\s*resource\s+"([A-Za-z0-9_]+)"\s+"([^"]+)")re");
    auto lines = split_lines(text);
    int n = 0;
    for (size_t i = 0; i < lines.size() && n < kMaxPerFile; ++i) {
      std::string type, name;
      if (!re2::RE2::PartialMatch(lines[i], re, &type, &name) || name.size() > 200) continue;
      auto it = d_.terraform.find(type);
      if (it == d_.terraform.end()) continue;
      Fact f;
      f.kind = it->second;
      f.where = {p, static_cast<int>(i) + 1};
      f.attrs = {{"path", p}, {"name", cut(name, 100)}, {"resource", type}, {"source", "terraform"}};
      f.detail = "Terraform " + type + " \"" + cut(name, 60) + "\"";
      out_.add(std::move(f));
      ++n;
    }
  }

  // ---- gcloud commands
  void gcloud(const std::string& p, std::string_view text, const std::string& source) {
    if (text.find("gcloud") == std::string_view::npos) return;
    auto lines = split_lines(text);
    bool fenced = false;
    std::string fence;
    int n = 0;
    static const re2::RE2 word(R"((?:^|[\s;&|(`"'$=])gcloud\s+([^;&|`]*))");
    for (size_t i = 0; i < lines.size() && n < kMaxPerFile; ++i) {
      std::string_view l = lines[i];
      if (source == "markdown") {
        std::string_view t = trim_view(l);
        if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") {
          if (!fenced) { fenced = true; fence = std::string(t.substr(0, 3)); }
          else if (t.substr(0, 3) == fence) fenced = false;
          continue;
        }
        if (!fenced) continue;
      }
      if (l.find("gcloud") == std::string_view::npos) continue;
      int first = static_cast<int>(i) + 1;
      // Join continuation lines (a trailing backslash, or a PowerShell backtick).
      std::string cmd(l.substr(0, 4096));
      while (i + 1 < lines.size() && !cmd.empty() &&
             (trim_view(cmd).empty() ? false : (trim_view(cmd).back() == '\\' || trim_view(cmd).back() == '`')) &&
             cmd.size() < 4096) {
        std::string t = trim(cmd);
        t.pop_back();
        cmd = t + " " + trim(lines[++i].substr(0, 4096));
      }
      std::string_view tl = trim_view(cmd);
      bool commented = !tl.empty() && tl[0] == '#';
      re2::StringPiece in(cmd);
      re2::StringPiece rest;
      while (n < kMaxPerFile && re2::RE2::FindAndConsume(&in, word, &rest)) {
        std::string command = classify_with(d_, std::string_view(rest.data(), rest.size()));
        Fact f;
        f.kind = "cloud.gcloud";
        f.where = {p, first};
        f.attrs = {{"file", p}, {"command", command}, {"line_text", cut(trim(cmd), 200)},
                   {"source", source}, {"commented", commented ? "yes" : "no"}};
        f.detail = "gcloud " + command + " in " + source + (commented ? " (commented out)" : "");
        out_.add(std::move(f));
        ++n;
      }
    }
  }

  // ---- Cloud Run URLs (https://<service>-<hash>.<region>.run.app): the code calls a deployed service
  void run_urls(const std::string& p, std::string_view text) {
    if (text.find(".run.app") == std::string_view::npos) return;
    static const re2::RE2 re(R"((https?://[a-z0-9][a-z0-9.-]*\.run\.app)\b)");  // host length below
    auto lines = split_lines(text);
    std::set<std::string> seen;
    for (size_t i = 0; i < lines.size() && seen.size() < 20; ++i) {
      if (lines[i].find(".run.app") == std::string_view::npos) continue;
      std::string url;
      if (!re2::RE2::PartialMatch(lines[i], re, &url)) continue;
      if (url.size() - url.find("://") - 3 > 1 + 200 + 8 || !seen.insert(url).second) continue;
      Fact f;
      f.kind = "cloud.run_url";
      f.where = {p, static_cast<int>(i) + 1};
      f.attrs = {{"file", p}, {"url", cut(url, 200)}};
      f.detail = "calls the Cloud Run service " + cut(url, 120);
      out_.add(std::move(f));
    }
  }

  // ---- gs:// buckets
  void buckets(const std::string& p, std::string_view text) {
    if (text.find("gs://") == std::string_view::npos) return;
    // A bucket name is 3 to 222 characters; a longer run is cut there (what the counted form
    // [a-z0-9][a-z0-9._-]{1,220}[a-z0-9] matched, without its 1 ms of compilation).
    static const re2::RE2 re(R"(gs://([a-z0-9][a-z0-9._-]*[a-z0-9]))");
    std::set<std::string> seen;
    auto lines = split_lines(text);
    for (size_t i = 0; i < lines.size() && seen.size() < kMaxPerFile; ++i) {
      std::string_view l = lines[i];
      if (l.find("gs://") == std::string_view::npos) continue;
      re2::StringPiece in(l.data(), l.size());
      std::string name;
      while (seen.size() < kMaxPerFile && re2::RE2::FindAndConsume(&in, re, &name)) {
        if (name.size() > 222) {
          name.resize(222);
          while (!name.empty() && !std::isdigit(static_cast<unsigned char>(name.back())) &&
                 !(name.back() >= 'a' && name.back() <= 'z'))
            name.pop_back();
        }
        if (name.size() < 3) continue;
        if (d_.placeholders.count(name) || !seen.insert(name).second) continue;
        Fact f;
        f.kind = "cloud.bucket";
        f.where = {p, static_cast<int>(i) + 1};
        f.attrs = {{"name", name}, {"file", p}};
        f.detail = "bucket gs://" + name;
        out_.add(std::move(f));
      }
    }
  }
};

}  // namespace

void CloudProbe::run(const Snapshot& snap, FactStore& out) const {
  const CloudData& d = cloud_data();
  if (!d.error.empty()) {
    out.problem("", 0, "cloud patterns unavailable: " + d.error, kProbe);
    return;
  }
  Run(snap, out, opt_, d).go();
}

}  // namespace cc
