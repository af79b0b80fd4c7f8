#include "probes/read/safe_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "engine/embedded.h"
#include "probes/read/text.h"

namespace cc {

YNode::YNode() = default;
YNode::~YNode() = default;
YNode::YNode(const YNode&) = default;
YNode::YNode(YNode&&) noexcept = default;
YNode& YNode::operator=(const YNode&) = default;
YNode& YNode::operator=(YNode&&) noexcept = default;

const YNode* YNode::get(std::string_view key) const {
  if (type != Type::map) return nullptr;
  for (const auto& [k, v] : entries)
    if (k.is_scalar() && k.text == key) return &v;
  return nullptr;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YAML 1.2 core schema number forms (what GitHub's parser reads as numbers).
bool is_int(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return all_digits(s);
}

bool is_float(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  size_t e = s.find_first_of("eE");
  std::string_view mant = s.substr(0, e);
  if (e != std::string_view::npos) {
    std::string_view ex = s.substr(e + 1);
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.remove_prefix(1);
    if (!all_digits(ex)) return false;
  }
  size_t dot = mant.find('.');
  if (dot == std::string_view::npos) return all_digits(mant) && e != std::string_view::npos;
  std::string_view a = mant.substr(0, dot), b = mant.substr(dot + 1);
  if (a.empty() && b.empty()) return false;
  return (a.empty() || all_digits(a)) && (b.empty() || all_digits(b));
}

std::string canonical_plain(const std::string& t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return "";
  if (t == "true" || t == "True" || t == "TRUE") return "true";
  if (t == "false" || t == "False" || t == "FALSE") return "false";
  if (is_int(t) && t.size() < 19) {
    long long v = std::strtoll(t.c_str(), nullptr, 10);
    return std::to_string(v);
  }
  if (is_float(t) && t.size() < 64) {
    double d = std::strtod(t.c_str(), nullptr);
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    if (r.ec == std::errc()) {
      std::string s(buf, r.ptr);
      // JSON-like: 1e+20 stays as to_chars writes it; integral values print without ".0".
      return s;
    }
  }
  return t;
}

}  // namespace

namespace {

// Canonical text of a node, at most about `limit` bytes (then "..."): values of hostile size
// (a mapping of 100,000 aliased nodes) cost a bounded amount each time they are compared.
void value_into(const YNode& n, std::string& out, size_t limit) {
  if (out.size() >= limit) return;
  switch (n.type) {
    case YNode::Type::null: return;
    case YNode::Type::scalar: out += n.plain ? canonical_plain(n.text) : n.text; break;
    case YNode::Type::seq:
      out += '[';
      for (size_t i = 0; i < n.items.size() && out.size() < limit; ++i) {
        if (i) out += ',';
        value_into(n.items[i], out, limit);
      }
      out += ']';
      break;
    case YNode::Type::map: {
      std::vector<std::string> kv;
      size_t used = out.size();
      for (const auto& [k, v] : n.entries) {
        if (used >= limit) break;
        std::string e;
        value_into(k, e, limit - used);
        e += ':';
        value_into(v, e, limit - used);
        used += e.size() + 1;
        kv.push_back(std::move(e));
      }
      std::sort(kv.begin(), kv.end());
      out += '{';
      for (size_t i = 0; i < kv.size(); ++i) out += (i ? "," : "") + kv[i];
      out += '}';
      break;
    }
  }
  if (out.size() > limit) {
    out.resize(limit);
    out += "...";
  }
}

}  // namespace

std::string YNode::value() const {
  std::string s;
  value_into(*this, s, 4096);
  return s;
}

namespace {

// A line's content (trailing comment and blanks removed) ends with a block scalar indicator:
// "key: |", "- >-", "run: |2".
bool opens_block_scalar(std::string_view head) {
  size_t k = head.size();
  while (k > 0 && (std::isdigit(static_cast<unsigned char>(head[k - 1])) || head[k - 1] == '+' || head[k - 1] == '-'))
    --k;
  return k > 0 && (head[k - 1] == '|' || head[k - 1] == '>') && (k == 1 || head[k - 2] == ' ' || head[k - 2] == '\t');
}
}  // namespace

std::pair<int, int> yaml_nesting_depth(std::string_view text) {
  int max_depth = 0, max_line = 0;
  std::vector<int> stack;  // block indentation columns
  int flow = 0;            // open flow brackets
  bool in_block_scalar = false;
  int block_parent_indent = -1;
  for_each_line(text, [&](int lineno, std::string_view line) {
    int indent = 0;
    while (indent < static_cast<int>(line.size()) && line[indent] == ' ') ++indent;
    std::string_view rest = line.substr(indent);
    if (in_block_scalar) {
      if (rest.empty() || indent > block_parent_indent) {
        return;
      }
      in_block_scalar = false;
    }
    if (rest.empty() || rest[0] == '#') {
      return;
    }
    size_t pos = indent;
    if (flow == 0) {
      if (indent == 0 && (rest.substr(0, 3) == "---" || rest.substr(0, 3) == "...")) {
        stack.clear();
        pos = 3;
      } else {
        while (!stack.empty() && stack.back() > indent) stack.pop_back();
        if (stack.empty() || stack.back() < indent) stack.push_back(indent);
        // "- - - x" and "? x": each indicator opens one more level on the same line.
        while (pos < line.size() && (line[pos] == '-' || line[pos] == '?') &&
               (pos + 1 == line.size() || line[pos + 1] == ' ' || line[pos + 1] == '\t')) {
          pos += 1;
          while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
          stack.push_back(static_cast<int>(pos));
        }
      }
    }
    int depth = static_cast<int>(stack.size()) + flow;
    if (depth > max_depth) { max_depth = depth; max_line = lineno; }
    // Flow brackets outside quotes and comments.
    char prev = ' ';  // previous non-blank character on this line ("line start" counts as blank)
    size_t last_content = pos;
    for (size_t i = pos; i < line.size(); ++i) {
      char c = line[i];
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      bool value_start = flow > 0 || prev == ' ' || prev == ':' || prev == '-' || prev == ',' ||
                         prev == '?' || prev == '[' || prev == '{';
      if ((c == '\'' || c == '"') && value_start) {
        size_t j = i + 1;
        while (j < line.size()) {
          if (c == '\'' && line[j] == '\'') {
            if (j + 1 < line.size() && line[j + 1] == '\'') { j += 2; continue; }
            break;
          }
          if (c == '"' && line[j] == '\\') { j += 2; continue; }
          if (c == '"' && line[j] == '"') break;
          ++j;
        }
        i = std::min(j, line.size());
        prev = c;
        last_content = i;
        continue;
      }
      if ((c == '[' || c == '{') && value_start) {
        ++flow;
        int d = static_cast<int>(stack.size()) + flow;
        if (d > max_depth) { max_depth = d; max_line = lineno; }
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      if (c != ' ' && c != '\t') { prev = c; last_content = i; }
    }
    // A block scalar indicator ends the line: "key: |", "- >-", "run: |2".
    if (flow == 0 && opens_block_scalar(line.substr(0, last_content + 1))) {
      in_block_scalar = true;
      block_parent_indent = indent;
    }
  });
  return {max_depth, max_line};
}

std::vector<int> yaml_comment_lines(std::string_view text) {
  std::vector<int> out;
  bool in_block_scalar = false;
  int block_parent_indent = -1;
  for_each_line(text, [&](int lineno, std::string_view line) {
    int indent = 0;
    while (indent < static_cast<int>(line.size()) && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    std::string_view rest = line.substr(indent);
    if (in_block_scalar && (rest.empty() || indent > block_parent_indent)) {
      return;
    }
    in_block_scalar = false;
    if (!rest.empty() && rest[0] == '#') {
      out.push_back(lineno);
    } else if (!rest.empty()) {
      // Does the line open a block scalar? Look at its end, before any trailing comment.
      size_t cut = rest.size();
      for (size_t i = 1; i < rest.size(); ++i)
        if (rest[i] == '#' && (rest[i - 1] == ' ' || rest[i - 1] == '\t')) { cut = i; break; }
      std::string_view head = rest.substr(0, cut);
      while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.remove_suffix(1);
      if (opens_block_scalar(head)) {
        in_block_scalar = true;
        block_parent_indent = indent;
      }
    }
  });
  return out;
}

namespace {

// Line of a "---" that starts a second document (one after content), or 0.
int second_document_line(std::string_view text) {
  bool content = false;
  int found = 0;
  for_each_line(text, [&](int lineno, std::string_view l) {
    if (l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t')) {
      if (content) found = lineno;
      return found == 0;
    }
    if (l.substr(0, 3) == "...") return true;
    size_t k = l.find_first_not_of(" \t");
    if (k != std::string_view::npos && l[k] != '#' && l[0] != '%') content = true;
    return true;
  });
  return found;
}

struct Copier {
  Copier(const YamlLimits& l, YamlLoad& o) : limits(l), out(o) {}
  const YamlLimits& limits;
  YamlLoad& out;
  std::size_t nodes = 0;
  bool failed = false;
  std::set<std::pair<int, std::string>> dup_seen;

  void fail(int line, std::string what) {
    if (failed) return;
    failed = true;
    out.ok = false;
    out.error_line = line;
    out.error = std::move(what);
  }

  void copy(const YAML::Node& n, YNode& dst, int depth) {
    if (failed) return;
    int line = n.Mark().is_null() ? 0 : n.Mark().line + 1;
    dst.line = line;
    if (++nodes > limits.max_nodes) {
      fail(line, "YAML expands to more than " + std::to_string(limits.max_nodes) +
                     " nodes (an alias bomb?): file skipped");
      return;
    }
    if (depth > limits.max_depth) {
      fail(line, "YAML nests deeper than " + std::to_string(limits.max_depth) +
                     " levels (through aliases or a cyclic anchor): file skipped");
      return;
    }
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        dst.type = YNode::Type::null;
        break;
      case YAML::NodeType::Scalar:
        dst.type = YNode::Type::scalar;
        dst.text = n.Scalar();
        dst.plain = n.Tag() == "?";
        break;
      case YAML::NodeType::Sequence:
        dst.type = YNode::Type::seq;
        for (const auto& c : n) {
          dst.items.emplace_back();
          copy(c, dst.items.back(), depth + 1);
          if (failed) return;
        }
        break;
      case YAML::NodeType::Map: {
        dst.type = YNode::Type::map;
        std::set<std::string> keys;
        for (auto it = n.begin(); it != n.end(); ++it) {
          dst.entries.emplace_back();
          copy(it->first, dst.entries.back().first, depth + 1);
          if (failed) return;
          copy(it->second, dst.entries.back().second, depth + 1);
          if (failed) return;
          const YNode& k = dst.entries.back().first;
          if (k.is_scalar() && !keys.insert(k.text).second &&
              dup_seen.insert({k.line, k.text}).second)
            out.notes.emplace_back(k.line, "duplicate key '" + k.text +
                                               "' (the first one is used here; GitHub rejects "
                                               "workflows with duplicate keys)");
        }
        break;
      }
    }
  }
};

}  // namespace

YamlLoad load_yaml(std::string_view text, const YamlLimits& limits) {
  YamlLoad out;
  auto [depth, depth_line] = yaml_nesting_depth(text);
  if (depth > limits.max_depth) {
    out.error_line = depth_line;
    out.error = "YAML nests deeper than " + std::to_string(limits.max_depth) +
                " levels (line " + std::to_string(depth_line) + "): file not parsed";
    return out;
  }
  // YAML::Load, not LoadAll: yaml-cpp 0.7's LoadAll never ends (allocating until memory runs
  // out) on a stray ',' after a document, e.g. the text ", a". Extra documents are found by a
  // text scan instead.
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    out.error_line = e.mark.is_null() ? 0 : e.mark.line + 1;
    out.error = "YAML syntax error: " + e.msg;
    return out;
  } catch (const std::exception& e) {
    out.error = std::string("YAML could not be read: ") + e.what();
    return out;
  }
  out.ok = true;
  if (int extra = second_document_line(text))
    out.notes.emplace_back(extra, "more than one YAML document: only the first is read");
  Copier c(limits, out);
  try {
    c.copy(doc, out.root, 0);
  } catch (const std::exception& e) {
    c.fail(0, std::string("YAML could not be read: ") + e.what());
  }
  if (c.failed) out.root = YNode{};
  return out;
}

bool load_probe_data(std::string_view name, YamlLoad& out, std::string& error) {
  std::string_view text = find_embedded(embedded_probe_data(), name);
  if (text.empty()) {
    error = std::string(name) + " is not embedded";
    return false;
  }
  out = load_yaml(text);
  if (!out.ok) error = std::string(name) + ": line " + std::to_string(out.error_line) + ": " + out.error;
  return out.ok;
}

}  // namespace cc
