#include "batch/roster.h"

#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "engine/git_snapshot.h"  // parse_instant: a deadline is checked as --at would be

namespace cc {
namespace {

constexpr std::size_t kMaxField = 4096;

// One CSV record (RFC 4180: quoted fields, "" for a quote, CRLF or LF). `pos` moves past it;
// `lines` counts the newlines it spans (a quoted field may hold some). Returns false on an
// unterminated quote, with `error` set.
bool read_record(std::string_view t, std::size_t& pos, std::vector<std::string>& fields, int& lines,
                 std::string& error) {
  fields.assign(1, "");
  lines = 1;
  bool quoted = false;
  while (pos < t.size()) {
    char c = t[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < t.size() && t[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++lines;
        fields.back() += c;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) {
    error = "a quoted field is not closed";
    return false;
  }
  return true;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

bool is_url(const std::string& s) {
  return s.find("://") != std::string::npos || (s.find('@') != std::string::npos && s.find(':') != std::string::npos);
}

}  // namespace

Roster parse_roster(std::string_view text, const std::string& base_dir) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM from spreadsheet exports
  Roster r;
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> fields;
  std::string error;
  int span = 0;
  // The header: the first non-blank record.
  std::map<std::string, std::size_t> col;
  while (pos < text.size() && col.empty()) {
    if (!read_record(text, pos, fields, span, error))
      throw std::invalid_argument("roster line " + std::to_string(line) + ": " + error);
    int here = line;
    line += span;
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      std::string name = trim(fields[i]);
      static const std::set<std::string> known{"group", "repo", "branch", "report", "deadline"};
      if (!known.count(name))
        throw std::invalid_argument("roster line " + std::to_string(here) + ": unknown column '" + name +
                                    "' (the columns are group,repo and optionally branch,report,deadline)");
      if (col.count(name))
        throw std::invalid_argument("roster line " + std::to_string(here) + ": column '" + name + "' twice");
      col[name] = i;
    }
    if (!col.count("group") || !col.count("repo"))
      throw std::invalid_argument("roster line " + std::to_string(here) +
                                  ": the header must name the columns group and repo");
  }
  if (col.empty()) throw std::invalid_argument("the roster is empty (it needs a header: group,repo)");

  std::set<std::string> seen;
  auto get = [&](const char* name) {
    auto it = col.find(name);
    return it == col.end() || it->second >= fields.size() ? std::string() : trim(fields[it->second]);
  };
  while (pos < text.size()) {
    int here = line;
    if (!read_record(text, pos, fields, span, error)) {
      r.skipped.push_back({here, error});
      break;  // the rest of the file is inside the open quote
    }
    line += span;
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    auto skip = [&](const std::string& why) { r.skipped.push_back({here, why}); };
    if (fields.size() != col.size()) {
      skip(std::to_string(fields.size()) + " fields where the header has " + std::to_string(col.size()));
      continue;
    }
    RosterRow row;
    row.line = here;
    row.group = get("group");
    row.repo = get("repo");
    row.branch = get("branch");
    row.report = get("report");
    row.deadline = get("deadline");
    bool bad_text = false;
    for (const auto* f : {&row.group, &row.repo, &row.branch, &row.report, &row.deadline})
      if (has_control(*f) || f->size() > kMaxField) bad_text = true;
    if (bad_text) {
      skip("a field holds control characters or is over 4096 bytes");
      continue;
    }
    if (row.group.empty()) {
      skip("no group id");
      continue;
    }
    if (row.repo.empty()) {
      skip("no repository for group '" + row.group + "'");
      continue;
    }
    if (!seen.insert(row.group).second) {
      skip("group '" + row.group + "' is already on an earlier line");
      continue;
    }
    if (!row.branch.empty() && (row.branch.find("..") != std::string::npos || row.branch[0] == '-' ||
                                row.branch.find_first_of(" ~^:?*[\\") != std::string::npos)) {
      skip("'" + row.branch + "' is not a branch name");
      continue;
    }
    if (!row.deadline.empty()) {
      try {
        parse_instant(row.deadline);
      } catch (const std::exception& e) {
        skip(std::string("deadline: ") + e.what());
        continue;
      }
    }
    if (!is_url(row.repo)) {
      std::filesystem::path p(row.repo);
      if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
      row.repo = p.lexically_normal().string();
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

Shard parse_shard(const std::string& text) {
  auto slash = text.find('/');
  auto bad = [&] { return std::invalid_argument("--shard wants K/N with 1 <= K <= N, e.g. 2/4, not '" + text + "'"); };
  if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size()) throw bad();
  Shard s;
  try {
    std::size_t used = 0;
    s.k = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw bad();
    s.n = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw bad();
  } catch (const std::logic_error&) {
    throw bad();
  }
  if (s.n < 1 || s.k < 1 || s.k > s.n || s.n > 100000) throw bad();
  return s;
}

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool in_shard(const std::string& group, const Shard& shard) {
  return fnv1a64(group) % static_cast<std::uint64_t>(shard.n) == static_cast<std::uint64_t>(shard.k - 1);
}

}  // namespace cc
