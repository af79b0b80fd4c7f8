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
  out = read_yaml(text);
  if (!out.ok) error = std::string(name) + ": line " + std::to_string(out.error_line) + ": " + out.error;
  return out.ok;
}

}  // namespace cc
