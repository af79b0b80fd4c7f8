#include "probes/dvc.h"

#include <map>
#include <set>
#include <vector>

#include "engine/strings.h"
#include "probes/read/file.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

const char* kProbe = "dvc";

// ---- .dvc/config (configobj-style INI) -----------------------------------------------------------

struct ParsedRemote {
  std::string name, url;
  int line = 0, url_line = 0;
};

struct ParsedConfig {
  std::vector<ParsedRemote> remotes;
  std::string default_remote;
  int default_line = 0, junk = 0;
};

// Parses .dvc/config text; `junk(line, what)` hears of the first 20 malformed lines.
template <class Junk>
ParsedConfig parse_config(std::string_view text, Junk junk_line) {
  ParsedConfig pc;
  std::string section;
  int junk = 0;
  ParsedRemote* cur = nullptr;
  auto& remotes = pc.remotes;
  for_each_line(text, [&](int ln, std::string_view raw) {
    std::string_view t = trim_view(raw);
    if (t.empty() || t[0] == '#' || t[0] == ';') return;
    if (t[0] == '[') {
      size_t close = t.rfind(']');
      cur = nullptr;
      if (close == std::string_view::npos) {
        if (++junk <= 20) junk_line(ln, "malformed section header");
        section.clear();
        return;
      }
      std::string h = trim(t.substr(1, close - 1));
      // ['remote "storage"'] (what dvc writes) or [remote "storage"]
      if (h.size() >= 2 && h.front() == '\'' && h.back() == '\'') h = h.substr(1, h.size() - 2);
      section = h;
      if (h.rfind("remote", 0) == 0) {
        std::string name = trim(std::string_view(h).substr(6));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        remotes.push_back({name, "", ln, 0});
        cur = &remotes.back();
      }
      return;
    }
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) {
      if (++junk <= 20) junk_line(ln, "not a `key = value` line: ignored");
      return;
    }
    std::string key = lower_ascii(trim(t.substr(0, eq)));
    std::string value = trim(t.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (section == "core" && key == "remote") {
      pc.default_remote = value;
      pc.default_line = ln;
    }
    if (cur && key == "url") {
      cur->url = value;
      cur->url_line = ln;
    }
  });
  pc.junk = junk;
  return pc;
}

void read_config(const std::string& path, std::string_view text, FactStore& out) {
  ParsedConfig pc = parse_config(text, [&](int ln, const char* what) {
    out.problem(path, ln, path + ":" + std::to_string(ln) + ": " + what, kProbe);
  });
  const auto& remotes = pc.remotes;
  const std::string& default_remote = pc.default_remote;
  const int default_line = pc.default_line, junk = pc.junk;
  if (junk > 20)
    out.problem(path, 0, path + ": " + std::to_string(junk) + " malformed lines in all (first 20 shown)", kProbe);
  int n = 0;
  for (const auto& r : remotes) {
    if (r.url.empty()) continue;
    ++n;
    Fact f;
    f.kind = "dvc.remote";
    f.where = {path, r.url_line ? r.url_line : r.line};
    std::string scheme = dvc_url_scheme(r.url);
    bool def = !default_remote.empty() && r.name == default_remote;
    f.attrs = {{"name", cut(r.name, 100)}, {"url", cut(r.url, 300)}, {"scheme", scheme},
               {"default", def ? "yes" : "no"}, {"file", path}};
    f.detail = "DVC remote " + cut(r.name, 100) + " -> " + cut(r.url, 300) + " (" + scheme + ")" +
               (def ? ", the default" : "");
    out.add(std::move(f));
  }
  Fact c;
  c.kind = "dvc.config";
  c.where = {path, default_line};
  c.attrs = {{"path", path}, {"remotes", std::to_string(n)}, {"default", cut(default_remote, 100)}};
  c.detail = "DVC configuration with " + std::to_string(n) + " remote(s)";
  out.add(std::move(c));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> dvc_config_remotes(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& r : parse_config(text, [](int, const char*) {}).remotes)
    if (!r.url.empty()) out.emplace_back(std::move(r.name), std::move(r.url));
  return out;
}

namespace {

// ---- *.dvc, dvc.yaml, dvc.lock ------------------------------------------------------------------

std::vector<std::string> list_of(const YNode* n, bool map_keys_as_items = true) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n->is_scalar()) out.push_back(n->text);
  if (n->is_seq())
    for (const auto& i : n->items) {
      if (i.is_scalar()) out.push_back(i.text);
      else if (i.is_map() && map_keys_as_items)  // - data/out: {cache: false}
        for (const auto& [k, v] : i.entries) out.push_back(k.text);
    }
  return out;
}

void dvc_file(const std::string& path, std::string_view text, const DvcProbeOptions& opt, FactStore& out) {
  YamlLoad y = read_yaml(text, opt.yaml);
  if (!y.ok) {
    out.problem(path, y.error_line, path + ": " + y.error, kProbe);
    return;
  }
  std::vector<std::string> outs;
  bool all_hashed = true;
  int n = 0;
  std::string dir = dirname_of(path);
  if (const YNode* o = y.root.get("outs"); o && o->is_seq()) {
    for (const auto& item : o->items) {
      if (!item.is_map()) continue;
      const YNode* p = item.get("path");
      if (!p || !p->is_scalar()) continue;
      ++n;
      auto rp = normalize_repo_path(dir, p->text);
      if (!rp && normalize_repo_path(dir, p->text + "/x") == std::optional<std::string>("x")) rp = ".";
      if (!rp) {
        out.problem(path, p->line, path + ": out '" + cut(p->text, 200) + "' is outside the repository", kProbe);
        continue;
      }
      outs.push_back(*rp);
      bool hashed = false;
      for (const char* h : {"md5", "etag", "checksum"})  // (`hash: md5` names the algorithm only)
        if (const YNode* v = item.get(h); v && v->is_scalar() && !v->text.empty()) hashed = true;
      if (!hashed) all_hashed = false;
    }
  }
  Fact f;
  f.kind = "dvc.tracked";
  f.where = {path, 0};
  f.attrs = {{"path", path}, {"outs", cut(join_nonempty(outs), 2000)}, {"md5", n > 0 && all_hashed ? "yes" : "no"}};
  f.detail = path + " tracks " + (outs.empty() ? std::string("nothing") : cut(join_nonempty(outs, ", "), 200));
  out.add(std::move(f));
}

void dvc_yaml(const std::string& path, std::string_view text, const DvcProbeOptions& opt, FactStore& out) {
  YamlLoad y = read_yaml(text, opt.yaml);
  if (!y.ok) {
    out.problem(path, y.error_line, path + ": " + y.error, kProbe);
    return;
  }
  const YNode* stages = y.root.get("stages");
  if (!stages || !stages->is_map()) return;
  for (const auto& [k, v] : stages->entries) {
    if (!v.is_map()) continue;
    const YNode* body = &v;
    // foreach/matrix stages keep their definition under `do:` (foreach) or at the top (matrix).
    if (const YNode* d = v.get("do"); d && d->is_map()) body = d;
    std::vector<std::string> cmds = list_of(body->get("cmd"));
    Fact f;
    f.kind = "dvc.stage";
    f.where = {path, k.line};
    f.attrs = {{"name", cut(k.text, 100)}, {"cmd", cut(join_nonempty(cmds, " && "), 1000)},
               {"deps", cut(join_nonempty(list_of(body->get("deps"))), 2000)},
               {"outs", cut(join_nonempty(list_of(body->get("outs"))), 2000)}, {"file", path}};
    f.detail = "DVC stage " + cut(k.text, 100) + ": " + cut(join_nonempty(cmds, " && "), 200);
    out.add(std::move(f));
  }
}

void dvc_lock(const std::string& path, std::string_view text, const DvcProbeOptions& opt, FactStore& out) {
  YamlLoad y = read_yaml(text, opt.yaml);
  Fact f;
  f.kind = "dvc.lock";
  f.where = {path, 0};
  f.attrs = {{"path", path}};
  if (!y.ok) {
    out.problem(path, y.error_line, path + ": " + y.error, kProbe);
    f.attrs["stages"] = "";
  } else {
    const YNode* st = y.root.get("stages");
    f.attrs["stages"] = std::to_string(st && st->is_map() ? st->entries.size() : 0);
  }
  f.detail = "DVC lock file " + path;
  out.add(std::move(f));
}

void gitattributes(const std::string& path, std::string_view text, FactStore& out) {
  for_each_line(text, [&](int ln, std::string_view raw) {
    std::string_view t = trim_view(raw);
    if (t.empty() || t[0] == '#') return;
    size_t sp = t.find_first_of(" \t");
    if (sp == std::string_view::npos) return;
    std::string_view pattern = t.substr(0, sp);
    std::string_view rest = t.substr(sp);
    bool lfs = false;
    size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      size_t j = rest.find_first_of(" \t", i);
      if (j == std::string_view::npos) j = rest.size();
      if (rest.substr(i, j - i) == "filter=lfs") lfs = true;
      i = j;
    }
    if (!lfs) return;
    Fact f;
    f.kind = "lfs.pattern";
    f.where = {path, ln};
    f.attrs = {{"pattern", cut(std::string(pattern), 300)}, {"file", path}};
    f.detail = "Git LFS stores " + cut(std::string(pattern), 300);
    out.add(std::move(f));
  });
}

}  // namespace

std::string dvc_url_scheme(std::string_view url) {
  std::string u = lower_ascii(trim_view(url));
  auto starts = [&](const char* p) { return u.rfind(p, 0) == 0; };
  if (starts("gs://") || starts("gcs://")) return "gs";
  if (starts("s3://")) return "s3";
  if (starts("gdrive://")) return "gdrive";
  if (starts("azure://") || starts("az://") || starts("abfs://") || starts("abfss://")) return "azure";
  if (starts("http://") || starts("https://") || starts("webdav://") || starts("webdavs://")) return "http";
  if (starts("ssh://") || starts("sftp://")) return "ssh";
  if (u.find("://") != std::string::npos) return "other";
  if (u.empty()) return "other";
  return "local";  // a path: /mnt/storage, ../dvc-store, C:\storage, ~/dvc
}

std::string DvcProbe::summary() const {
  return ".dvc/config remotes, *.dvc files, dvc.yaml stages, dvc.lock, git-lfs patterns in .gitattributes";
}

void DvcProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  std::size_t dvc_files = 0;
  bool capped = false;
  for (const auto& e : snap.files()) {
    const std::string& p = e.path;
    if (vendored(p)) continue;
    std::string base(basename_of(p));
    bool in_dvc_dir = p.rfind(".dvc/", 0) == 0 || p.find("/.dvc/") != std::string::npos;
    Blob b;
    // A DVC project may live in a subfolder (`dvc init --subdir` in data/): data/.dvc/config.
    if (base == "config" || base == "config.local" ? (p == ".dvc/" + base || ends_with(p, "/.dvc/" + base)) : false) {
      if (read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap, true})) read_config(p, b.data, out);
    } else if (!in_dvc_dir && ends_with(base, ".dvc") && base.size() > 4) {
      if (dvc_files >= opt_.max_dvc_files) { capped = true; continue; }
      ++dvc_files;
      if (read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap, true})) dvc_file(p, b.data, opt_, out);
    } else if (base == "dvc.yaml" || base == "dvc.yml") {
      if (read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap, true})) dvc_yaml(p, b.data, opt_, out);
    } else if (base == "dvc.lock") {
      if (read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap, true})) dvc_lock(p, b.data, opt_, out);
    } else if (base == ".gitattributes") {
      if (read_or_problem(snap, p, out, kProbe, b, {{}, opt_.read_cap, true})) gitattributes(p, b.data, out);
    }
  }
  if (capped)
    out.problem("", 0, "more than " + std::to_string(opt_.max_dvc_files) + " *.dvc files: the rest not read",
                kProbe);
}

}  // namespace cc
