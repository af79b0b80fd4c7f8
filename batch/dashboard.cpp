#include "batch/dashboard.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/embedded.h"

namespace cc {
const std::vector<EmbeddedFile>& embedded_chartjs();  // batch/chartjs.cmake (npm chart.js, pinned)

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string dumps(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// JSON inside <script>: "</" would end the element early.
std::string script_safe(std::string s) {
  for (std::size_t p = 0; (p = s.find("</", p)) != std::string::npos; p += 3) s.replace(p, 2, "<\\/");
  return s;
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << data;
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

json dashboard_data(Store& store, long long latest, const fs::path& dir) {
  sqlite3* db = store.db().get();
  json d;
  d["runs"] = json::array();
  {
    Stmt s(db, "SELECT id, label, started, coalesce(finished, '') FROM runs ORDER BY id");
    while (s.step())
      d["runs"].push_back({{"id", s.integer(0)}, {"label", s.text(1)}, {"started", s.text(2)}, {"finished", s.text(3)}});
  }
  d["latest"] = latest;

  // The table: every group of the latest run.
  d["groups"] = json::array();
  Stmt g(db,
         "SELECT r.grp, rr.state, rr.reason, coalesce(a.commit_id, ''), coalesce(a.overclaimed, 0), coalesce(a.weak, 0), "
         "coalesce(a.unverifiable, 0), coalesce(a.ok, 0), coalesce(a.activity, '{}'), coalesce(a.json, ''), "
         "coalesce(a.partial, 0) FROM run_repos rr JOIN repositories r ON r.id = rr.repo_id "
         "LEFT JOIN audits a ON a.id = rr.audit_id WHERE rr.run_id=? ORDER BY r.grp");
  g.bind(1, latest);
  fs::create_directories(dir / "audits");
  while (g.step()) {
    json row;
    std::string grp = g.text(0);
    row["group"] = grp;
    row["state"] = g.text(1);
    row["reason"] = g.text(2);
    row["commit"] = g.text(3);
    row["overclaimed"] = g.integer(4);
    row["weak"] = g.integer(5);
    row["unverifiable"] = g.integer(6);
    row["ok"] = g.integer(7);
    row["partial"] = g.integer(10) != 0;
    json act = json::parse(g.text(8), nullptr, false);
    row["activity"] = act.is_object() ? act : json::object();
    std::string file = safe_file_name(grp);
    if (!g.text(9).empty()) {
      write_file(dir / "audits" / (file + ".json"), g.text(9));
      row["audit_file"] = "audits/" + file + ".json";
    } else {
      row["audit_file"] = nullptr;
    }
    std::error_code ec;
    row["report_file"] = fs::exists(dir / "reports" / (file + ".html"), ec) ? json("reports/" + file + ".html") : json(nullptr);
    d["groups"].push_back(std::move(row));
  }

  // Over-claim rate per checklist item over the groups of the latest run (by rule; items with
  // no rule by their text).
  std::map<std::string, json> items;
  Stmt it(db,
          "SELECT v.rule, v.text, v.module, v.ticked, v.verdict FROM run_repos rr JOIN item_verdicts v "
          "ON v.audit_id = rr.audit_id WHERE rr.run_id=? ORDER BY rr.repo_id, v.idx");
  it.bind(1, latest);
  while (it.step()) {
    std::string key = it.text(0).empty() ? "text:" + it.text(1) : it.text(0);
    json& e = items[key];
    if (e.is_null()) e = {{"key", key}, {"text", it.text(1)}, {"module", it.text(2)}, {"ticked", 0}, {"overclaimed", 0}, {"weak", 0}};
    if (it.integer(3)) e["ticked"] = e["ticked"].get<int>() + 1;
    if (it.text(4) == "overclaimed") e["overclaimed"] = e["overclaimed"].get<int>() + 1;
    if (it.text(4) == "weak") e["weak"] = e["weak"].get<int>() + 1;
  }
  d["items"] = json::array();
  for (auto& [k, e] : items) d["items"].push_back(e);

  // Each group's counts in every run it has an audit in (carried-over runs repeat the counts).
  json trend = json::object();
  Stmt t(db,
         "SELECT r.grp, rr.run_id, a.overclaimed, a.weak, a.unverifiable, a.ok FROM run_repos rr "
         "JOIN repositories r ON r.id = rr.repo_id JOIN audits a ON a.id = rr.audit_id ORDER BY r.grp, rr.run_id");
  while (t.step()) {
    json p = {{"run", t.integer(1)}, {"overclaimed", t.integer(2)}, {"weak", t.integer(3)},
              {"unverifiable", t.integer(4)}, {"ok", t.integer(5)}};
    trend[t.text(0)].push_back(std::move(p));
  }
  d["trend"] = std::move(trend);
  return d;
}

const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimcheck dashboard</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: .2em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
.meta { color: #666; }
table { border-collapse: collapse; font-size: .9em; }
th, td { padding: .25em .6em; border-bottom: 1px solid #ddd; text-align: left; }
th { cursor: pointer; background: #f4f4f4; user-select: none; }
th.sorted::after { content: " \25BE"; } th.sorted.asc::after { content: " \25B4"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { color: #a33; }
.over { color: #b00; font-weight: bold; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1.5em; }
.chart { position: relative; height: 340px; }
#errors { color: #b00; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>claimcheck: the groups' claims against their repositories</h1>
<div class="meta" id="meta"></div>
<div id="errors"></div>
<h2>Groups (click a heading to sort)</h2>
<table id="groups"><thead></thead><tbody></tbody></table>
<div class="charts">
 <section><h2>Over-claim rate per checklist item (share of the groups that ticked it)</h2>
  <div class="chart" style="height: var(--items-height, 340px)"><canvas id="items"></canvas></div></section>
 <section><h2>Trend of <select id="trend-group"></select> across the runs</h2>
  <div class="chart"><canvas id="trend"></canvas></div></section>
 <section><h2>Git activity of <select id="activity-group"></select>: commits per day</h2>
  <div class="chart"><canvas id="activity"></canvas></div>
  <table id="authors"><thead><tr><th>author</th><th>commits</th></tr></thead><tbody></tbody></table></section>
</div>
<script>/*CHARTJS*/</script>
<script type="application/json" id="data">/*DATA*/</script>
<script>
"use strict";
window.onerror = function (m) { document.getElementById("errors").textContent += "error: " + m + "\n"; };
const D = JSON.parse(document.getElementById("data").textContent);
const el = (t, attrs, text) => { const e = document.createElement(t); Object.assign(e, attrs || {}); if (text !== undefined) e.textContent = text; return e; };
const latest = D.runs.find(r => r.id === D.latest);
document.getElementById("meta").textContent = "run " + D.latest + " (" + latest.label + ", started " + latest.started +
  ") — " + D.groups.length + " groups, " + D.runs.length + " run(s) in the database";

// ---- groups table --------------------------------------------------------------------------
const cols = [
  ["group", r => r.group, false], ["state", r => r.state, false],
  ["over-claimed", r => r.overclaimed, true], ["weak", r => r.weak, true],
  ["unverifiable", r => r.unverifiable, true], ["ok", r => r.ok, true],
  ["commits", r => r.activity.commits || 0, true], ["contributors", r => r.activity.contributors || 0, true],
  ["merges", r => r.activity.merges || 0, true], ["workflows", r => r.activity.workflow_files || 0, true],
  ["test files", r => r.activity.test_files || 0, true], ["last commit", r => r.activity.last || "", false],
  ["commit", r => (r.commit || "").slice(0, 7), false], ["audit", r => r.audit_file ? 1 : 0, false]];
let sortCol = 2, sortAsc = false;
const short = (s, n) => s.length > n ? s.slice(0, n - 1) + "…" : s;
function drawTable() {
  const head = document.querySelector("#groups thead"), body = document.querySelector("#groups tbody");
  head.replaceChildren(); body.replaceChildren();
  const tr = el("tr");
  cols.forEach((c, i) => {
    const th = el("th", {}, c[0]);
    if (i === sortCol) th.className = "sorted" + (sortAsc ? " asc" : "");
    th.onclick = () => { sortAsc = sortCol === i ? !sortAsc : !c[2]; sortCol = i; drawTable(); };
    tr.appendChild(th);
  });
  head.appendChild(tr);
  const rows = D.groups.slice().sort((a, b) => {
    const x = cols[sortCol][1](a), y = cols[sortCol][1](b);
    const c = x < y ? -1 : x > y ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
    return sortAsc ? c : -c;
  });
  for (const r of rows) {
    const row = el("tr", {className: r.state === "failed" ? "failed" : ""});
    cols.forEach((c, i) => {
      const v = c[1](r);
      const td = el("td", {className: c[2] ? "n" : ""});
      if (i === 2 && v > 0) td.classList.add("over");
      if (c[0] === "state" && r.state === "failed") td.title = r.reason;
      if (c[0] === "state") td.textContent = r.state === "failed" ? "failed: " + short(r.reason, 70) : r.state;
      else if (r.state === "failed" && c[2]) td.textContent = "–";
      else if (c[0] === "audit") {
        if (r.audit_file) td.appendChild(el("a", {href: r.audit_file}, "json"));
        if (r.report_file) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("a", {href: r.report_file}, "report")); }
      } else td.textContent = v;
      row.appendChild(td);
    });
    body.appendChild(row);
  }
}
drawTable();

// ---- charts (Chart.js) ---------------------------------------------------------------------
const charts = [];
const items = D.items.filter(i => i.ticked > 0).map(i => Object.assign({rate: i.overclaimed / i.ticked}, i))
  .sort((a, b) => b.rate - a.rate || b.ticked - a.ticked || (a.key < b.key ? -1 : 1));
document.querySelector("#items").parentNode.style.setProperty("--items-height", Math.max(340, 22 * items.length + 60) + "px");
charts.push(new Chart(document.getElementById("items"), {
  type: "bar",
  data: { labels: items.map(i => (i.module ? i.module + " " : "") + short(i.text.replace(/\s*\(M\d+\)\s*$/, ""), 42)),
          datasets: [{ label: "over-claimed (% of groups that ticked it)", data: items.map(i => Math.round(1000 * i.rate) / 10),
                       backgroundColor: "#c0392b" },
                     { label: "weak (%)", data: items.map(i => Math.round(1000 * i.weak / i.ticked) / 10), backgroundColor: "#e6a23c" }] },
  options: { indexAxis: "y", animation: false, maintainAspectRatio: false,
             scales: { x: { min: 0, max: 100, title: { display: true, text: "% of the groups that ticked the item" } } },
             plugins: { tooltip: { callbacks: { title: c => items[c[0].dataIndex].text, afterLabel: c => items[c.dataIndex].overclaimed + " of " + items[c.dataIndex].ticked + " groups" } } } }
}));

const groupNames = D.groups.map(g => g.group);
function fillSelect(id, onChange) {
  const s = document.getElementById(id);
  groupNames.forEach(g => s.appendChild(el("option", {value: g}, g)));
  s.onchange = () => onChange(s.value);
  return s;
}
const runLabel = id => { const r = D.runs.find(x => x.id === id); return "run " + id + (r ? " (" + r.label + ")" : ""); };
const trend = new Chart(document.getElementById("trend"), {
  type: "line", data: { labels: [], datasets: [] },
  options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
charts.push(trend);
function showTrend(g) {
  const pts = D.trend[g] || [];
  trend.data.labels = pts.map(p => runLabel(p.run));
  trend.data.datasets = [["overclaimed", "#c0392b"], ["weak", "#e6a23c"], ["unverifiable", "#7f8c8d"], ["ok", "#27ae60"]]
    .map(([k, c]) => ({ label: k, data: pts.map(p => p[k]), borderColor: c, backgroundColor: c, tension: 0 }));
  trend.update();
}
const activity = new Chart(document.getElementById("activity"), {
  type: "bar", data: { labels: [], datasets: [{ label: "commits", data: [], backgroundColor: "#2c7fb8" }] },
  options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
charts.push(activity);
function showActivity(g) {
  const a = (D.groups.find(x => x.group === g) || {}).activity || {};
  activity.data.labels = (a.per_day || []).map(p => p.day);
  activity.data.datasets[0].data = (a.per_day || []).map(p => p.commits);
  activity.update();
  const body = document.querySelector("#authors tbody");
  body.replaceChildren();
  for (const p of a.per_author || []) { const tr = el("tr"); tr.appendChild(el("td", {}, p.author)); tr.appendChild(el("td", {className: "n"}, p.commits)); body.appendChild(tr); }
}
if (groupNames.length) {
  fillSelect("trend-group", showTrend); fillSelect("activity-group", showActivity);
  showTrend(groupNames[0]); showActivity(groupNames[0]);
}
document.body.dataset.charts = String(charts.length);
document.body.dataset.rows = String(document.querySelectorAll("#groups tbody tr").length);
</script>
</body>
</html>
)HTML";

void replace_once(std::string& s, const std::string& what, const std::string& with) {
  auto p = s.find(what);
  if (p == std::string::npos) throw std::logic_error("dashboard template lacks " + what);
  s.replace(p, what.size(), with);
}

}  // namespace

std::string safe_file_name(const std::string& group) {
  std::string out;
  for (unsigned char c : group) {
    if (std::isalnum(c) || c == '-') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "_%02X", c);
      out += buf;
    }
  }
  return out.empty() ? "_" : out.substr(0, 200);
}

DashboardSummary write_dashboard(Store& store, const std::string& dir) {
  auto runs = store.run_ids();
  if (runs.empty()) throw std::invalid_argument("the database has no runs yet (run claimcheck batch first)");
  DashboardSummary sum;
  sum.run = runs.back();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  json data = dashboard_data(store, sum.run, dir);
  sum.groups = static_cast<long long>(data["groups"].size());
  std::string chart = std::string(find_embedded(embedded_chartjs(), "dist/chart.umd.min.js"));
  if (chart.empty()) throw std::logic_error("chart.js is not embedded in this build");
  std::string page = kPage;
  // Data first: the library's text must not be searched for the data placeholder.
  replace_once(page, "/*DATA*/", script_safe(dumps(data)));
  replace_once(page, "/*CHARTJS*/", script_safe(chart));
  write_file(fs::path(dir) / "index.html", page);
  return sum;
}

}  // namespace cc
