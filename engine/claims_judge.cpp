#include "engine/claims_judge.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/strings.h"

namespace cc {
namespace {

constexpr size_t kMaxCandidates = 20000;
constexpr size_t kMaxEvidence = 6;

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "%";
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

Evidence ev(const Fact& f) { return {f.where.path, f.where.line, f.detail, f.origin}; }

bool active_step(const Fact& f) { return f.attr("commented") != "yes"; }

std::string extension_of(std::string_view p) {
  std::string b = lower_ascii(basename_of(p));
  size_t d = b.rfind('.');
  return d == std::string::npos || d == 0 ? std::string() : b.substr(d + 1);
}

// Files, folders, names and extensions of a snapshot, built once.
struct PathIndex {
  std::set<std::string> files, dirs;
  std::map<std::string, std::vector<std::string>, std::less<>> by_name, by_ext;
  explicit PathIndex(const Snapshot& snap) {
    for (const auto& f : snap.files()) {
      files.insert(f.path);
      by_name[std::string(basename_of(f.path))].push_back(f.path);
      by_ext[extension_of(f.path)].push_back(f.path);
      size_t s = f.path.find('/');
      while (s != std::string::npos) {
        dirs.insert(f.path.substr(0, s));
        s = f.path.find('/', s + 1);
      }
    }
  }
  bool exists(const std::string& p, bool* dir) const {
    if (files.count(p)) {
      *dir = false;
      return true;
    }
    if (dirs.count(p)) {
      *dir = true;
      return true;
    }
    return false;
  }
  // The closest existing path to a missing one (see claims_judge.h).
  std::optional<std::string> nearest(const std::string& p, bool want_dir) const {
    std::string best;
    size_t best_d = std::string::npos;
    auto consider = [&](const std::string& c, size_t limit) {
      size_t d = bounded_edit_distance(p, c, std::min(limit, best_d == std::string::npos ? limit : best_d));
      if (d <= limit && (best_d == std::string::npos || d < best_d)) {
        best_d = d;
        best = c;
      }
    };
    if (want_dir) {
      size_t n = 0;
      const size_t limit = std::max<size_t>(2, p.size() / 3);
      for (const auto& d : dirs) {
        if (++n > kMaxCandidates) break;
        consider(d, limit);
      }
      return best_d == std::string::npos ? std::nullopt : std::optional<std::string>(best);
    }
    if (auto it = by_name.find(basename_of(p)); it != by_name.end()) {
      size_t n = 0;
      for (const auto& c : it->second) {
        if (++n > kMaxCandidates) break;
        consider(c, 1u << 20);
      }
      return best;
    }
    auto it = by_ext.find(extension_of(p));
    if (it == by_ext.end()) return std::nullopt;
    const size_t limit = std::max<size_t>(2, p.size() / 3);
    size_t n = 0;
    for (const auto& c : it->second) {
      if (++n > kMaxCandidates) break;
      consider(c, limit);
    }
    return best_d == std::string::npos ? std::nullopt : std::optional<std::string>(best);
  }
};

}  // namespace

size_t bounded_edit_distance(std::string_view a, std::string_view b, size_t limit) {
  a = a.substr(0, 256);
  b = b.substr(0, 256);
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

bool is_lfs_pointer(std::string_view head) {
  return head.rfind("version https://git-lfs.github.com/spec/v1", 0) == 0;
}

std::string github_link_path(std::string_view url) {
  std::string u(url);
  size_t p = u.find("://");
  if (p == std::string::npos) return "";
  u.erase(0, p + 3);
  if (size_t h = u.find_first_of("#?"); h != std::string::npos) u.erase(h);
  std::vector<std::string> parts;
  size_t b = 0;
  while (b <= u.size() && parts.size() < 64) {
    size_t e = u.find('/', b);
    if (e == std::string::npos) e = u.size();
    parts.push_back(u.substr(b, e - b));
    b = e + 1;
  }
  std::string host = lower_ascii(parts[0]);
  size_t first = 0;
  if ((host == "github.com" || host == "www.github.com") && parts.size() >= 6 &&
      (parts[3] == "blob" || parts[3] == "tree" || parts[3] == "raw"))
    first = 5;
  else if (host == "raw.githubusercontent.com" && parts.size() >= 5)
    first = 4;
  else
    return "";
  std::string path;
  for (size_t i = first; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    if (!path.empty()) path += '/';
    path += parts[i];
  }
  return percent_decode(path);
}

// ---- coverage ------------------------------------------------------------------------------------

void judge_coverage(CoverageCheck& c, const FactStore& facts) {
  std::vector<const Fact*> with_pct, without_pct;
  for (const Fact* f : facts.of_kind("coverage.artifact")) {
    std::string p = f->attr("percent");
    bool num = !p.empty() && (std::isdigit(static_cast<unsigned char>(p[0])) != 0);
    (num ? with_pct : without_pct).push_back(f);
  }
  if (!c.claimed) {
    c.verdict = c.note.empty() ? "no-claim" : "unverifiable";
    c.reason = c.note.empty() ? "The answer gives no coverage percentage."
                              : "The percentage could not be read: " + c.note + ".";
    for (const Fact* f : with_pct)
      if (c.evidence.size() < kMaxEvidence) c.evidence.push_back(ev(*f));
    return;
  }
  const double v = *c.claimed;
  double lo = v - 2, hi = v + 2;
  const std::string q = c.qualifier;
  if (q == "approximately") {
    lo = v - 5;
    hi = v + 5;
    c.tolerance = pct(std::max(0.0, lo)) + " to " + pct(std::min(100.0, hi)) + " (approximately: 5 points either side)";
  } else if (q == "over" || q == "at least") {
    lo = v - 0.5;
    hi = 100;
    c.tolerance = "at least " + pct(v) + " (0.5 points for rounding)";
  } else if (q == "almost") {
    lo = v - 5;
    hi = v + 0.5;
    c.tolerance = pct(std::max(0.0, lo)) + " to " + pct(v) + " (almost: up to 5 points below)";
  } else if (q == "fewer than" || q == "at most") {
    lo = 0;
    hi = v + 0.5;
    c.tolerance = "at most " + pct(v);
  } else if (q == "between" && c.claimed_max) {
    lo = v - 2;
    hi = *c.claimed_max + 2;
    c.tolerance = pct(std::max(0.0, lo)) + " to " + pct(std::min(100.0, hi)) + " (the range, 2 points either side)";
  } else {
    c.tolerance = pct(std::max(0.0, lo)) + " to " + pct(std::min(100.0, hi)) + " (2 points either side)";
  }
  const std::string claim = "\"" + (c.wording.empty() ? pct(v) : c.wording) + "\"";
  if (with_pct.empty()) {
    c.verdict = "unverifiable";
    std::vector<const Fact*> ci, cfg;
    for (const Fact* f : facts.of_kind("workflow.step"))
      if (f->attr("class") == "coverage" && active_step(*f)) ci.push_back(f);
    for (const Fact* f : facts.of_kind("pytest.config"))
      if (f->attr("addopts").find("--cov") != std::string::npos) cfg.push_back(f);
    for (const auto* group : {&without_pct, &ci, &cfg})
      for (const Fact* f : *group)
        if (c.evidence.size() < kMaxEvidence) c.evidence.push_back(ev(*f));
    std::string what;
    if (!without_pct.empty())
      what = "a coverage file is committed (" + without_pct.front()->where.path +
             ") but it holds no total percentage that can be read";
    else if (!ci.empty())
      what = "coverage is measured in CI (" + ci.front()->where.path + ":" + std::to_string(ci.front()->where.line) +
             "), but no committed coverage report with a readable total was found";
    else if (!cfg.empty())
      what = "pytest is configured with --cov (" + cfg.front()->where.path +
             "), but no workflow runs it and no committed coverage report with a readable total was found";
    else
      what = "nothing in the repository measures coverage: no coverage step in a workflow, no --cov in the "
             "pytest configuration, no committed coverage report with a readable total";
    c.reason = "Claimed " + claim + "; it cannot be checked: " + what + ".";
    return;
  }
  const Fact* match = nullptr;
  for (const Fact* f : with_pct) {
    double m = std::atof(f->attr("percent").c_str());
    if (m >= lo && m <= hi) {
      match = f;
      break;
    }
  }
  const Fact* used = match ? match : with_pct.front();
  c.measured = std::atof(used->attr("percent").c_str());
  c.evidence.push_back(ev(*used));
  for (const Fact* f : with_pct)
    if (f != used && c.evidence.size() < kMaxEvidence) c.evidence.push_back(ev(*f));
  const std::string where = used->where.path + (used->attr("kind").empty() ? "" : " (" + used->attr("kind") + ")");
  if (match) {
    c.verdict = "ok";
    c.reason = "The claim of " + claim + " matches the " + pct(*c.measured) + " in " + where + ".";
  } else {
    c.verdict = *c.measured < lo ? "overclaimed" : "underclaimed";
    c.reason = "Claimed " + claim + " (allowed: " + c.tolerance + "), but " + where + " says " + pct(*c.measured) +
               (with_pct.size() > 1 ? " (no committed coverage report matches)" : "") + ".";
  }
}

// ---- paths -----------------------------------------------------------------------------------------

void judge_paths(std::vector<PathCheck>& paths, const Snapshot& snap, const PathSeenLookup* history) {
  if (paths.empty()) return;
  const PathIndex idx(snap);
  std::vector<PathCheck> kept;
  kept.reserve(paths.size());
  for (auto& p : paths) {
    const bool dir_like = p.note == "directory-like";
    p.note.clear();
    std::string mention = p.mention;
    if (p.source == "github") mention = github_link_path(p.mention);
    while (mention.size() > 1 && mention.back() == '/') mention.pop_back();
    bool dir = false;
    auto at = [&](const std::string& base, const std::string& m) -> std::optional<std::string> {
      auto n = normalize_repo_path(base, m);
      if (n && !n->empty() && idx.exists(*n, &dir)) return n;
      return std::nullopt;
    };
    std::optional<std::string> root = normalize_repo_path(p.source == "link" ? p.base_dir : "", mention);
    if (!root && p.source != "link" && p.source != "github" && !p.base_dir.empty())
      root = normalize_repo_path(p.base_dir, mention);  // "../src/x.py" written from the report's folder
    if (dir_like) {
      // Not a path unless its first folder exists (from the root or the report's folder).
      std::string first = mention.substr(0, mention.find('/'));
      bool d2 = false;
      auto from_report = normalize_repo_path(p.base_dir, first);
      if (!idx.exists(first, &d2) && !(from_report && idx.exists(*from_report, &d2))) continue;
    }
    if (!root) {
      p.outside = true;
      p.exists = false;
      p.note = mention.empty() || mention[0] != '/' ? "the path leads outside the repository (not read)"
                                                    : "an absolute path: outside the repository (not read)";
      kept.push_back(std::move(p));
      continue;
    }
    std::optional<std::string> found = at(p.source == "link" ? p.base_dir : "", mention);
    if (!found && p.source == "link") {
      if ((found = at("", mention)))
        p.note = "the link is relative to " + (p.base_dir.empty() ? std::string("the repository root") : p.base_dir + "/") +
                 " and is broken there; the file exists at " + *found;
    }
    if (!found && p.source != "link" && p.source != "github" && !p.base_dir.empty()) found = at(p.base_dir, mention);
    if (!found && p.source != "link" && p.source != "github") {
      if (mention.find('/') == std::string::npos) {
        if (auto it = idx.by_name.find(mention); it != idx.by_name.end()) {
          found = it->second.front();
          dir = false;
          if (it->second.size() > 1)
            p.note = "found at " + *found + " and " + std::to_string(it->second.size() - 1) + " other place(s)";
        }
      } else if (auto it = idx.by_name.find(basename_of(mention)); it != idx.by_name.end()) {
        for (const auto& c : it->second)
          if (c.size() > mention.size() && c.compare(c.size() - mention.size(), mention.size(), mention) == 0 &&
              c[c.size() - mention.size() - 1] == '/') {
            found = c;
            dir = false;
            p.note = "found at " + c;
            break;
          }
      }
    }
    if (found) {
      p.exists = true;
      p.path = *found;
      p.directory = dir;
    } else {
      p.exists = false;
      p.path = *root;
      p.nearest = idx.nearest(*root, dir_like);
      if (history) p.seen_at = history->seen_at(*root);
    }
    kept.push_back(std::move(p));
  }
  paths = std::move(kept);
}

// ---- figures ---------------------------------------------------------------------------------------

void judge_figures(std::vector<FigureCheck>& figures, const Snapshot& snap, const std::string& report_dir) {
  if (figures.empty()) return;
  const PathIndex idx(snap);
  size_t reads = 0;
  for (auto& f : figures) {
    std::string link = f.link;
    std::string lower = lower_ascii(link);
    std::string base = report_dir;
    if (link.find("://") != std::string::npos || lower.rfind("//", 0) == 0 || lower.rfind("data:", 0) == 0) {
      std::string gp = github_link_path(link);
      if (gp.empty()) {
        f.note = "an external URL: not checked";
        continue;  // exists stays null
      }
      link = gp;
      base.clear();
    } else {
      link = percent_decode(link);
      if (size_t h = link.find_first_of("#?"); h != std::string::npos) link.erase(h);
    }
    auto n = normalize_repo_path(base, link);
    if (!n || n->empty()) {
      f.exists = false;
      f.note = !link.empty() && link[0] == '/' ? "an absolute path: outside the repository (not read)"
                                               : "the link leads outside the repository (not read)";
      continue;
    }
    f.path = *n;
    const FileEntry* e = snap.find(*n);
    if (!e) {
      f.exists = false;
      bool d = false;
      if (idx.exists(*n, &d)) {
        f.note = "a folder, not an image file";
        continue;
      }
      // A root-relative link written in a report below the root.
      if (!base.empty()) {
        auto r = normalize_repo_path("", link);
        if (r && snap.find(*r)) {
          f.note = "not found relative to " + base + "/; the file exists at " + *r + " (the link is broken on GitHub)";
          continue;
        }
      }
      auto near = idx.nearest(*n, false);
      f.note = "not in the repository" + (near ? "; nearest: " + *near : std::string());
      continue;
    }
    f.exists = true;
    if (e->symlink) {
      f.note = "a symbolic link";
      continue;
    }
    if (++reads > 2000) continue;
    Blob b = snap.read(*n, 1024);
    if (b.state == ReadState::missing_object) {
      f.note = "its content is missing from the object database (partial clone)";
    } else if (b.ok()) {
      std::string_view d = b.data;
      if (is_lfs_pointer(d)) {
        f.note = "a Git LFS pointer (" + std::to_string(b.data.size()) +
                 " bytes), not an image: the image itself is not in the repository";
      } else {
        std::string head = lower_ascii(d.substr(0, 256));
        bool image = d.rfind("\x89PNG", 0) == 0 || d.rfind("\xFF\xD8\xFF", 0) == 0 || d.rfind("GIF8", 0) == 0 ||
                     (d.rfind("RIFF", 0) == 0 && d.size() >= 12 && d.substr(8, 4) == "WEBP") ||
                     d.rfind("BM", 0) == 0 || d.rfind("%PDF", 0) == 0 ||
                     head.find("<svg") != std::string::npos || head.rfind("<?xml", 0) == 0;
        if (d.empty()) f.note = "an empty file, not an image";
        else if (!image) f.note = "not an image: the file has no PNG, JPEG, GIF, WebP or SVG signature";
      }
    }
  }
}

// ---- CI prose --------------------------------------------------------------------------------------

void judge_ci_prose(std::vector<CiProseCheck>& claims, const FactStore& facts) {
  if (claims.empty()) return;
  const auto combos = facts.of_kind("workflow.combo");
  std::vector<const Fact*> steps;
  for (const Fact* f : facts.of_kind("workflow.step"))
    if (active_step(*f)) steps.push_back(f);
  std::set<std::string> oses, pythons;
  bool unresolved = false, python_unset = false;
  for (const Fact* f : combos) {
    oses.insert(f->attr("os"));
    if (!f->attr("python").empty()) pythons.insert(f->attr("python"));
    else python_unset = true;
    unresolved = unresolved || f->attr("matrix_unresolved") == "yes";
  }
  auto list = [](const std::set<std::string>& s) {
    std::string o;
    for (const auto& x : s) o += (o.empty() ? "" : ", ") + (x.empty() ? std::string("(none)") : x);
    return o.empty() ? std::string("none") : o;
  };
  auto add_ev = [](CiProseCheck& c, const Fact* f) {
    for (const auto& e : c.evidence)
      if (e.path == f->where.path && e.line == f->where.line) return;
    if (c.evidence.size() < kMaxEvidence) c.evidence.push_back(ev(*f));
  };
  for (auto& c : claims) {
    bool found = false;
    bool unknown = false;
    std::string reason;
    if (combos.empty() && (c.subject == "os" || c.subject == "python")) {
      reason = "no GitHub workflow job runs in this repository";
    } else if (c.subject == "os") {
      if (c.value == "several") {
        std::set<std::string> real;
        for (const auto& o : oses)
          if (o == "ubuntu" || o == "windows" || o == "macos") real.insert(o);
        found = real.size() >= 2;
        for (const Fact* f : combos) add_ev(c, f);
        unknown = !found && unresolved;
        reason = "the workflows run on " + list(oses);
      } else {
        for (const Fact* f : combos)
          if (f->attr("os") == c.value) {
            found = true;
            add_ev(c, f);
          }
        unknown = !found && (unresolved || oses.count("other") || oses.count("self-hosted"));
        if (!found)
          for (const Fact* f : combos) add_ev(c, f);
        reason = found ? "a workflow job runs on " + c.value : "the workflows run on " + list(oses);
      }
    } else if (c.subject == "python") {
      if (c.value == "several") {
        found = pythons.size() >= 2;
        for (const Fact* f : combos)
          if (!f->attr("python").empty()) add_ev(c, f);
        unknown = !found && (unresolved || (pythons.size() < 2 && python_unset));
        reason = "the workflows set Python " + list(pythons);
      } else {
        for (const Fact* f : combos) {
          const std::string py = f->attr("python");
          if (py == c.value || py.rfind(c.value + ".", 0) == 0) {
            found = true;
            add_ev(c, f);
          }
        }
        if (!found)
          for (const Fact* f : combos) add_ev(c, f);
        unknown = !found && (pythons.empty() || unresolved);
        reason = found ? "a workflow job uses Python " + c.value
                       : pythons.empty() ? "no workflow sets a Python version (the runner's default is used)"
                                         : "the workflows set Python " + list(pythons);
      }
    } else if (c.subject == "cache") {
      for (const Fact* f : steps)
        if (f->attr("class") == "cache") {
          found = true;
          add_ev(c, f);
        }
      if (!found)
        for (const Fact* f : facts.of_kind("workflow.step"))
          if (f->attr("class") == "cache") add_ev(c, f);  // commented out: shown, not counted
      reason = found ? "a workflow step caches" : c.evidence.empty() ? "no workflow step caches anything"
                                                                     : "caching appears only in commented-out lines";
    } else if (c.subject == "lint") {
      std::set<std::string> tools;
      for (const Fact* f : steps) {
        if (c.value.empty()) {
          if (f->attr("class") != "lint") continue;
          found = true;
          add_ev(c, f);
          continue;
        }
        std::string t = "," + f->attr("tool") + ",";
        for (char& ch : t)
          if (ch == ' ') ch = ',';
        if (f->attr("class") == "lint") tools.insert(f->attr("tool"));
        if (t.find("," + c.value + ",") != std::string::npos) {
          found = true;
          add_ev(c, f);
        }
      }
      if (!found)
        for (const Fact* f : steps)
          if (f->attr("class") == "lint") add_ev(c, f);
      reason = found ? (c.value.empty() ? std::string("a workflow step lints") : "a workflow step runs " + c.value)
                     : c.value.empty() ? std::string("no workflow step lints")
                     : tools.empty()   ? "no workflow step runs " + c.value + " (no lint step at all)"
                                       : "no workflow step runs " + c.value + "; the lint steps run " + list(tools);
    }
    if (unknown) {
      c.holds = "unverifiable";
      c.reason = "Cannot tell: " + reason + (unresolved ? "; a matrix could not be fully expanded" : "") + ".";
      continue;
    }
    bool holds = c.negated ? !found : found;
    c.holds = holds ? "true" : "false";
    c.reason = std::string(holds ? "Holds: " : "Does not hold: ") + reason + ".";
  }
}

}  // namespace cc
