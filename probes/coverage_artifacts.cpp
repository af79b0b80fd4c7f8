#include "probes/coverage_artifacts.h"

#include <re2/re2.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

#include "engine/lazy_regex.h"
#include "engine/strings.h"
#include "probes/read/file.h"
#include "probes/read/text.h"
#include "probes/skip_paths.h"

namespace cc {

namespace {

constexpr const char* kProbe = "coverage-artifacts";

// A decimal number (no exponent) at the start of s.
std::optional<double> leading_number(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  size_t j = i;
  bool digit = false;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) {
    if (s[j] != '.') digit = true;
    ++j;
    if (j - i > 32) return std::nullopt;
  }
  if (!digit) return std::nullopt;
  std::string t(s.substr(i, j - i));
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (!end || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

int coverage_round(double pc) {
  if (pc <= 0) return 0;
  if (pc >= 100) return 100;
  int r = static_cast<int>(std::floor(pc + 0.5));
  if (r == 100) r = 99;
  if (r == 0) r = 1;
  return r;
}

std::optional<double> cobertura_line_rate(std::string_view xml) {
  // Skip the prolog: <?xml ...?>, <!-- ... -->, <!DOCTYPE ...>; the first element must be
  // <coverage ...>.
  size_t i = 0;
  for (;;) {
    i = xml.find('<', i);
    if (i == std::string_view::npos) return std::nullopt;
    std::string_view r = xml.substr(i);
    if (r.substr(0, 4) == "<!--") {
      size_t e = xml.find("-->", i + 4);
      if (e == std::string_view::npos) return std::nullopt;
      i = e + 3;
    } else if (r.substr(0, 2) == "<?" || r.substr(0, 2) == "<!") {
      size_t e = xml.find('>', i + 2);
      if (e == std::string_view::npos) return std::nullopt;
      i = e + 1;
    } else {
      break;
    }
  }
  std::string_view r = xml.substr(i);
  if (r.substr(0, 9) != "<coverage" || r.size() < 10 ||
      !(r[9] == ' ' || r[9] == '\t' || r[9] == '\n' || r[9] == '\r' || r[9] == '>'))
    return std::nullopt;
  size_t end = r.find('>');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view tag = r.substr(0, end);
  // line-rate="x" (or 'x'), preceded by whitespace so that branch-line-rate does not count.
  size_t k = 0;
  while ((k = tag.find("line-rate", k)) != std::string_view::npos) {
    bool boundary = k > 0 && (tag[k - 1] == ' ' || tag[k - 1] == '\t' || tag[k - 1] == '\n' || tag[k - 1] == '\r');
    size_t v = k + 9;
    k = v;
    if (!boundary) continue;
    while (v < tag.size() && (tag[v] == ' ' || tag[v] == '\t')) ++v;
    if (v >= tag.size() || tag[v] != '=') continue;
    ++v;
    while (v < tag.size() && (tag[v] == ' ' || tag[v] == '\t')) ++v;
    if (v >= tag.size() || (tag[v] != '"' && tag[v] != '\'')) return std::nullopt;
    char q = tag[v];
    size_t close = tag.find(q, v + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view val = tag.substr(v + 1, close - v - 1);
    std::string_view tv = trim_view(val);
    if (tv.empty() || tv.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
    auto num = leading_number(tv);
    if (!num) return std::nullopt;
    if (*num < 0 || *num > 1) return std::nullopt;
    return num;
  }
  return std::nullopt;
}

std::optional<double> coverage_json_percent(std::string_view json) {
  size_t t = json.rfind("\"totals\"");
  if (t == std::string_view::npos) return std::nullopt;
  size_t k = t;
  while ((k = json.find("\"percent_covered\"", k)) != std::string_view::npos) {
    size_t v = k + 17;
    while (v < json.size() && (json[v] == ' ' || json[v] == '\t' || json[v] == '\n' || json[v] == '\r')) ++v;
    k = v;
    if (v >= json.size() || json[v] != ':') continue;
    auto num = leading_number(json.substr(v + 1, 64));
    if (!num || *num > 100) return std::nullopt;
    return num;
  }
  return std::nullopt;
}

void CoverageArtifactsProbe::run(const Snapshot& snap, FactStore& out) const {
  const PathSkipper vendored(snap);
  auto artifact = [&](const std::string& path, int line, const std::string& kind,
                      std::optional<double> pc, const std::string& how) {
    Fact f;
    f.kind = "coverage.artifact";
    f.where = {path, line};
    f.attrs = {{"path", path}, {"kind", kind}, {"percent", pc ? std::to_string(coverage_round(*pc)) : ""}};
    f.detail = "coverage " + kind + " artefact" +
               (pc ? ": " + std::to_string(coverage_round(*pc)) + "% " + how : how.empty() ? "" : ": " + how);
    out.add(std::move(f));
  };
  auto problem = [&](const std::string& path, const std::string& what) { out.problem(path, 0, what, kProbe); };
  auto config = [&](const std::string& path, const std::string& kind) {
    Fact f;
    f.kind = "coverage.config";
    f.where = {path, 0};
    f.attrs = {{"file", path}, {"kind", kind}};
    f.detail = "coverage configuration (" + kind + ")";
    out.add(std::move(f));
  };
  // Compiled when a text may match: most repositories hold no coverage report nor badge.
  static const LazyRegex pc_cov(R"(<span\s+class=["']pc_cov["']\s*>\s*([0-9]+(?:\.[0-9]+)?)\s*%)", false);
  static const LazyRegex total_row(R"(^\s*\|?\s*\**TOTAL\**\s*\|?\s*[0-9]+\s*\|?\s*[0-9]+\s*\|?(?:\s*[0-9]+\s*\|?\s*[0-9]+\s*\|?)?\s*\**([0-9]+(?:\.[0-9]+)?)\s*%)", false);
  static const LazyRegex url(R"re((https?://[^\s)"'<>\]]+))re", false);
  static const LazyRegex url_pc(R"((?i)coverage[^0-9/]{0,12}?([0-9]{1,3}(?:\.[0-9]+)?)\s*(?:%25|%))", false);
  static const LazyRegex badge_url(R"((?i)(?:img\.shields\.io/[^\s]*cov|codecov\.io/.*(?:badge|graph)|coveralls\.io/.*badge|coverage[^/\s]*\.svg))", false);
  // A coverage report's text, or (when it cannot be read) its problem and a "not read" artifact.
  auto read_report = [&](const std::string& path, const char* what, const char* kind) -> std::optional<Blob> {
    Blob b = snap.read_text(path);
    if (b.ok()) return b;
    problem(path, not_read_detail(what, b));
    artifact(path, 0, kind, std::nullopt, "not read");
    return std::nullopt;
  };
  int scanned_md = 0;
  for (const auto& f : snap.files()) {
    const std::string& p = f.path;
    if (f.symlink || vendored(p)) continue;
    std::string lp = lower_ascii(p);
    std::string base(basename_of(lp));
    bool under_reports = lp.rfind("reports/", 0) == 0;
    if (base == "coverage.xml" || (base.rfind("cobertura", 0) == 0 && ends_with(base, ".xml"))) {
      auto read = read_report(p, "coverage XML", "cobertura");
      if (!read) continue;
      const Blob& b = *read;
      auto r = cobertura_line_rate(b.data);
      if (!r) problem(p, "coverage XML has no root <coverage line-rate=\"...\"> between 0 and 1: malformed");
      artifact(p, 0, "cobertura", r ? std::optional<double>(*r * 100) : std::nullopt,
               r ? "(line-rate)" : "malformed");
    } else if (base == "coverage.json") {
      auto read = read_report(p, "coverage JSON", "json");
      if (!read) continue;
      const Blob& b = *read;
      auto r = coverage_json_percent(b.data);
      if (!r) problem(p, "coverage JSON has no totals.percent_covered: malformed or another tool's file");
      artifact(p, 0, "json", r, r ? "(totals.percent_covered)" : "malformed");
    } else if (base == "index.html" && (lp.find("htmlcov/") != std::string::npos || lp.find("cov") != std::string::npos)) {
      auto read = read_report(p, "coverage HTML", "html");
      if (!read) continue;
      const Blob& b = *read;
      std::string num;
      if (pc_cov.partial_match(b.data, &num)) {
        artifact(p, 0, "html", std::strtod(num.c_str(), nullptr), "(pc_cov)");
      } else if (lp.find("htmlcov/") != std::string::npos) {
        problem(p, "htmlcov/index.html has no pc_cov total");
        artifact(p, 0, "html", std::nullopt, "no total found");
      }
    } else if (base == "lcov.info" || ends_with(base, ".lcov")) {
      auto read = read_report(p, "lcov file", "lcov");
      if (!read) continue;
      const Blob& b = *read;
      unsigned long long lf = 0, lh = 0;
      size_t i = 0;
      while (i < b.data.size()) {
        size_t e = b.data.find('\n', i);
        if (e == std::string::npos) e = b.data.size();
        std::string_view l(b.data.data() + i, e - i);
        if (l.substr(0, 3) == "LF:") lf += std::strtoull(std::string(l.substr(3, 20)).c_str(), nullptr, 10);
        if (l.substr(0, 3) == "LH:") lh += std::strtoull(std::string(l.substr(3, 20)).c_str(), nullptr, 10);
        i = e + 1;
      }
      artifact(p, 0, "lcov", lf && lh <= lf ? std::optional<double>(100.0 * lh / lf) : std::nullopt, "(LH/LF)");
    } else if (base == ".coverage" || base.rfind(".coverage.", 0) == 0) {
      artifact(p, 0, "data", std::nullopt, "coverage.py data file (no total read)");
    } else if (base == "codecov.yml" || base == "codecov.yaml" || base == ".codecov.yml" || base == ".codecov.yaml") {
      config(p, "codecov");
    } else if (base == ".coveragerc") {
      config(p, ".coveragerc");
    } else if ((base == "setup.cfg" || base == "tox.ini") && p.find('/') == std::string::npos) {
      Blob b = snap.read_text(p);
      if (b.ok() && (b.data.find("[coverage:") != std::string::npos || b.data.find("[tool:coverage") != std::string::npos))
        config(p, base);
    } else if (ends_with(base, ".md") && !under_reports && scanned_md < 2000) {
      ++scanned_md;
      bool readme = base.rfind("readme", 0) == 0;
      Blob b = snap.read_text(p);
      if (!b.ok()) continue;
      int no = 0, tables = 0, badges = 0;
      size_t i = 0;
      while (i < b.data.size() && tables + badges < 100) {
        size_t e = b.data.find('\n', i);
        if (e == std::string::npos) e = b.data.size();
        std::string_view l(b.data.data() + i, e - i);
        ++no;
        i = e + 1;
        if (l.size() > 8192) continue;
        re2::StringPiece sp(l.data(), l.size());
        std::string num;
        if (l.find("TOTAL") != std::string_view::npos && total_row.partial_match(l, &num)) {
          artifact(p, no, "table", std::strtod(num.c_str(), nullptr), "(a pasted coverage report TOTAL row)");
          ++tables;
        }
        if (!readme) continue;
        if (!url.may_match(l)) continue;
        re2::StringPiece in = sp;
        std::string u;
        while (re2::RE2::FindAndConsume(&in, url.re(), &u)) {
          if (!badge_url.partial_match(u)) continue;
          std::string pcs;
          bool has_pc = url_pc.partial_match(u, &pcs);
          Fact f;
          f.kind = "coverage.badge";
          f.where = {p, no};
          f.attrs = {{"path", p}, {"url", cut(u, 300)},
                     {"percent", has_pc ? std::to_string(coverage_round(std::strtod(pcs.c_str(), nullptr))) : ""}};
          f.detail = "coverage badge" + (has_pc ? " showing " + f.attrs["percent"] + "%" : std::string());
          out.add(std::move(f));
          ++badges;
        }
      }
    }
  }
}

}  // namespace cc
