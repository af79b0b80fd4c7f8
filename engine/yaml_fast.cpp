#include "engine/yaml_fast.h"

#include <yaml.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cc {

namespace {

constexpr std::size_t kMaxDepth = 256;

struct Parser {
  yaml_parser_t p;
  Parser() {
    if (!yaml_parser_initialize(&p)) throw FastYamlError("libyaml: cannot start a parser");
  }
  ~Parser() { yaml_parser_delete(&p); }
};

struct Event {
  yaml_event_t e;
  ~Event() { yaml_event_delete(&e); }
};

// As yaml-cpp reads a plain scalar: ~, null, Null, NULL and nothing at all are null.
bool plain_null(const std::string& v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

}  // namespace

YAML::Node load_yaml_fast(std::string_view text) {
  Parser parser;
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  struct Frame {
    YAML::Node node;
    bool map;
    bool have_key = false;
    YAML::Node key;
  };
  std::vector<Frame> stack;
  std::map<std::string, YAML::Node> anchors;
  YAML::Node root;
  int documents = 0;
  bool have_root = false;
  // Handles are rebound with reset(): assigning one YAML::Node to another writes through it into
  // the node it refers to (yaml-cpp's reference semantics), which would rewrite an earlier key.
  auto attach = [&](const YAML::Node& n) {
    if (stack.empty()) {
      root.reset(n);
      have_root = true;
      return;
    }
    Frame& f = stack.back();
    if (!f.map) {
      f.node.push_back(n);
    } else if (!f.have_key) {
      f.key.reset(n);
      f.have_key = true;
    } else {
      f.node.force_insert(f.key, n);  // in document order, as yaml-cpp keeps them
      f.have_key = false;
    }
  };
  auto anchor = [&](const yaml_char_t* name, const YAML::Node& n) {
    if (name) anchors[reinterpret_cast<const char*>(name)].reset(n);
  };
  for (bool done = false; !done;) {
    Event ev;
    if (!yaml_parser_parse(&parser.p, &ev.e)) {
      throw FastYamlError(std::string("line ") + std::to_string(parser.p.problem_mark.line + 1) + ": " +
                          (parser.p.problem ? parser.p.problem : "syntax error"));
    }
    const yaml_event_t& e = ev.e;
    switch (e.type) {
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) throw FastYamlError("more than one document");
        break;
      case YAML_SCALAR_EVENT: {
        std::string v(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        const bool plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !e.data.scalar.tag;
        YAML::Node n = plain && plain_null(v) ? YAML::Node(YAML::NodeType::Null) : YAML::Node(v);
        if (n.IsScalar()) n.SetTag(e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? "?" : "!");  // as yaml-cpp
        anchor(e.data.scalar.anchor, n);
        attach(n);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (stack.size() >= kMaxDepth) throw FastYamlError("nested deeper than 256 levels");
        const bool map = e.type == YAML_MAPPING_START_EVENT;
        YAML::Node n(map ? YAML::NodeType::Map : YAML::NodeType::Sequence);
        anchor(map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor, n);
        stack.push_back({n, map});
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        YAML::Node n = stack.back().node;
        stack.pop_back();
        attach(n);
        break;
      }
      case YAML_ALIAS_EVENT: {
        auto it = anchors.find(reinterpret_cast<const char*>(e.data.alias.anchor));
        if (it == anchors.end()) throw FastYamlError("an alias names no anchor");
        attach(it->second);
        break;
      }
      default:
        break;
    }
  }
  return have_root ? root : YAML::Node(YAML::NodeType::Null);
}

}  // namespace cc
