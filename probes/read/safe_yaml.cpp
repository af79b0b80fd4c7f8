#include "probes/read/safe_yaml.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "engine/embedded.h"
#include "engine/yaml_pack.h"
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

bool load_probe_data(std::string_view name, YamlLoad& out, std::string& error) {
  const EmbeddedFile* f = find_embedded_file(embedded_probe_data(), name);
  if (!f || f->data.empty()) {
    error = std::string(name) + " is not embedded";
    return false;
  }
  out = embedded_yaml(*f);  // the tree read at build time
  if (!out.ok) error = std::string(name) + ": line " + std::to_string(out.error_line) + ": " + out.error;
  return out.ok;
}

}  // namespace cc
