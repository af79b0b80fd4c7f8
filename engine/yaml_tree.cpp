#include "engine/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

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

struct Parser {
  yaml_parser_t p;
  bool ok;
  Parser() : ok(yaml_parser_initialize(&p) != 0) {}
  ~Parser() {
    if (ok) yaml_parser_delete(&p);
  }
};

struct Event {
  yaml_event_t e;
  ~Event() { yaml_event_delete(&e); }
};

// As yaml-cpp reads a plain scalar: ~, null, Null, NULL and nothing at all are null.
bool plain_null(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

// Nodes and depth of a finished subtree, for an alias that copies it (both bounded by the limits,
// so the recursion is too).
void measure(const YNode& n, int depth, std::size_t& nodes, int& deepest) {
  ++nodes;
  deepest = std::max(deepest, depth);
  for (const auto& c : n.items) measure(c, depth + 1, nodes, deepest);
  for (const auto& [k, v] : n.entries) {
    measure(k, depth + 1, nodes, deepest);
    measure(v, depth + 1, nodes, deepest);
  }
}

struct Anchor {
  YNode node;
  std::size_t nodes = 0;
  int depth = 0;  // levels below the anchored node
};

// One open collection: its node, and for a map the key waiting for its value and the keys seen
// (a set only once the map is large enough for a linear look to cost).
struct Frame {
  YNode node;
  std::string anchor;
  bool have_key = false;
  YNode key;
  std::set<std::string> keys;
};

class Builder {
 public:
  Builder(const YamlLimits& l, YamlLoad& o) : limits_(l), out_(o) {}

  void fail(int line, std::string what) {
    if (failed_) return;
    failed_ = true;
    out_.ok = false;
    out_.error_line = line;
    out_.error = std::move(what);
  }
  bool failed() const { return failed_; }

  // A node starts; false (and failed) when it passes a limit.
  bool count(int line, std::size_t nodes, int depth) {
    nodes_ += nodes;
    if (nodes_ > limits_.max_nodes) {
      fail(line, "YAML expands to more than " + std::to_string(limits_.max_nodes) +
                     " nodes (an alias bomb?): file skipped");
      return false;
    }
    if (static_cast<int>(stack_.size()) + depth > limits_.max_depth) {
      fail(line, "YAML nests deeper than " + std::to_string(limits_.max_depth) + " levels (line " +
                     std::to_string(line) + "): file not parsed");
      return false;
    }
    return true;
  }

  void open(bool map, int line, const yaml_char_t* anchor) {
    if (!count(line, 1, 1)) return;
    Frame f;
    f.node.type = map ? YNode::Type::map : YNode::Type::seq;
    f.node.line = line;
    if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    remember(f.anchor, f.node);
    attach(std::move(f.node));
  }

  void scalar(const yaml_event_t& e) {
    const int line = static_cast<int>(e.start_mark.line) + 1;
    if (!count(line, 1, 0)) return;
    YNode n;
    n.line = line;
    std::string_view v(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
    n.plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !e.data.scalar.tag;
    if (n.plain && plain_null(v)) {
      n.plain = false;
    } else {
      n.type = YNode::Type::scalar;
      n.text = v;
    }
    if (e.data.scalar.anchor) remember(reinterpret_cast<const char*>(e.data.scalar.anchor), n);
    attach(std::move(n));
  }

  void alias(const yaml_event_t& e) {
    const int line = static_cast<int>(e.start_mark.line) + 1;
    auto it = anchors_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
    if (it == anchors_.end()) {
      // An anchor still open (a cyclic one) or never defined.
      fail(line, "YAML alias *" + std::string(reinterpret_cast<const char*>(e.data.alias.anchor)) +
                     " names no finished anchor (a cyclic anchor?): file skipped");
      return;
    }
    if (!count(line, it->second.nodes, it->second.depth + 1)) return;
    attach(YNode(it->second.node));
  }

 private:
  void remember(const std::string& name, const YNode& n) {
    if (name.empty()) return;
    Anchor a;
    a.node = n;
    measure(n, 0, a.nodes, a.depth);
    anchors_[name] = std::move(a);
  }

  void attach(YNode n) {
    if (stack_.empty()) {
      out_.root = std::move(n);
      return;
    }
    Frame& f = stack_.back();
    if (f.node.type == YNode::Type::seq) {
      f.node.items.push_back(std::move(n));
    } else if (!f.have_key) {
      f.key = std::move(n);
      f.have_key = true;
    } else {
      note_duplicate(f);
      f.node.entries.emplace_back(std::move(f.key), std::move(n));
      f.key = YNode{};
      f.have_key = false;
    }
  }

  void note_duplicate(Frame& f) {
    const YNode& k = f.key;
    if (!k.is_scalar()) return;
    bool dup = false;
    if (f.node.entries.size() < 16) {
      for (const auto& e : f.node.entries) dup = dup || (e.first.is_scalar() && e.first.text == k.text);
    } else {
      if (f.keys.empty())
        for (const auto& e : f.node.entries)
          if (e.first.is_scalar()) f.keys.insert(e.first.text);
      dup = !f.keys.insert(k.text).second;
    }
    if (dup && dup_seen_.insert({k.line, k.text}).second)
      out_.notes.emplace_back(k.line, "duplicate key '" + k.text +
                                          "' (the first one is used here; GitHub rejects "
                                          "workflows with duplicate keys)");
  }

  const YamlLimits& limits_;
  YamlLoad& out_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchor> anchors_;
  std::set<std::pair<int, std::string>> dup_seen_;
  std::size_t nodes_ = 0;
  bool failed_ = false;
};

std::string syntax_error(const yaml_parser_t& p) {
  std::string what = p.problem ? p.problem : "syntax error";
  if (p.context) what += std::string(" (") + p.context + ")";
  return "YAML syntax error: " + what;
}

}  // namespace

YamlLoad read_yaml(std::string_view text, const YamlLimits& limits) {
  YamlLoad out;
  Parser parser;
  if (!parser.ok) {
    out.error = "YAML could not be read: libyaml could not start a parser";
    return out;
  }
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  Builder b(limits, out);
  bool first_document_done = false;
  while (!b.failed()) {
    Event ev;
    if (!yaml_parser_parse(&parser.p, &ev.e)) {
      if (first_document_done) break;  // the text after the first document is not read
      b.fail(static_cast<int>(parser.p.problem_mark.line) + 1, syntax_error(parser.p));
      break;
    }
    const yaml_event_t& e = ev.e;
    const int line = static_cast<int>(e.start_mark.line) + 1;
    if (e.type == YAML_STREAM_END_EVENT) break;
    if (first_document_done) {
      if (e.type == YAML_DOCUMENT_START_EVENT)
        out.notes.emplace_back(line, "more than one YAML document: only the first is read");
      break;
    }
    switch (e.type) {
      case YAML_DOCUMENT_END_EVENT: first_document_done = true; break;
      case YAML_SCALAR_EVENT: b.scalar(e); break;
      case YAML_ALIAS_EVENT: b.alias(e); break;
      case YAML_SEQUENCE_START_EVENT: b.open(false, line, e.data.sequence_start.anchor); break;
      case YAML_MAPPING_START_EVENT: b.open(true, line, e.data.mapping_start.anchor); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: b.close(); break;
      default: break;
    }
  }
  if (b.failed()) {
    out.root = YNode{};
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace cc
