// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_document.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "parsers/text_position.h"
#include "parsers/yaml_documents.h"

namespace cvpn::parsers::cfn {

namespace {

constexpr std::array<std::string_view, 18> kShortForms{
    "Ref",       "Condition", "GetAtt", "Sub",  "Join",        "Select",
    "Split",     "If",        "Equals", "And",  "Or",          "Not",
    "FindInMap", "GetAZs",    "Base64", "Cidr", "ImportValue", "Transform"};

constexpr std::string_view kStandardTagPrefix = "tag:yaml.org,2002:";

/// Standard YAML tags that CloudFormation does not accept (its template formats page).
constexpr std::array<std::string_view, 5> kUnsupportedStandardTags{"binary", "timestamp", "omap",
                                                                   "pairs", "set"};

/// At least this many nodes may be built, however small the file.
constexpr size_t kMinNodeBudget = 100000;
/// Nodes allowed per byte of input: aliases may repeat a subtree a few times, never without end.
constexpr size_t kNodesPerByte = 32;

Position PositionOf(const YAML::Mark& mark) {
  // yaml-cpp marks are 0-based, and null for nodes the parser did not read from the text.
  if (mark.is_null()) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

std::string LongForm(std::string_view tag) {
  if (tag == "Ref" || tag == "Condition") {
    return std::string(tag);
  }
  return "Fn::" + std::string(tag);
}

std::string CleanJsonMessage(const std::string& what) {
  std::string text = what;
  if (auto pos = text.find("] "); pos != std::string::npos && !text.empty() && text[0] == '[') {
    text = text.substr(pos + 2);
  }
  if (auto pos = text.find(": "); pos != std::string::npos && text.rfind("parse error", 0) == 0) {
    text = text.substr(pos + 2);
  }
  return text;
}

/// A SAX handler that builds nothing: it only keeps where nlohmann stopped and why. The DOM
/// parser loses the position of some errors (a number that overflows a double); SAX keeps it.
class JsonSyntaxCheck {
 public:
  using Json = nlohmann::json;
  bool null() { return true; }
  bool boolean(bool /*value*/) { return true; }
  bool number_integer(Json::number_integer_t /*value*/) { return true; }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return true; }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) { return true; }
  bool string(Json::string_t& /*value*/) { return true; }
  bool binary(Json::binary_t& /*value*/) { return true; }
  bool start_object(std::size_t /*size*/) { return true; }
  bool key(Json::string_t& /*value*/) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t /*size*/) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t position,
                   const std::string& last_token,
                   const nlohmann::detail::exception& e) {
    // `position` counts from 1 and is just past the character that failed. A number too large
    // for a double fails after its last digit: point at its first.
    constexpr int kNumberOverflow = 406;
    const size_t back = e.id == kNumberOverflow ? last_token.size() : 1;
    position_ = position >= back ? position - back : 0;
    message_ = CleanJsonMessage(e.what());
    return false;
  }

  std::size_t Position() const { return position_; }
  const std::string& Message() const { return message_; }

 private:
  std::size_t position_ = 0;
  std::string message_;
};

/// Checks JSON syntax first: nlohmann's messages say what JSON expected, where yaml-cpp would
/// speak of YAML.
bool CheckJson(const std::string& name,
               const std::string& text,
               const InputLimits& limits,
               InputErrors& errors) {
  if (const size_t deep = FindExcessiveNesting(text, limits.max_nesting_depth);
      deep != std::string_view::npos) {
    const TextPosition p = parsers::PositionOf(text, deep);
    errors.push_back({name, p.line, p.column,
                      fmt::format("JSON nests deeper than {} levels", limits.max_nesting_depth)});
    return false;
  }
  JsonSyntaxCheck check;
  // The byte-order mark is not JSON; nlohmann would stop at it.
  const size_t bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  try {
    if (nlohmann::json::sax_parse(text.begin() + static_cast<std::ptrdiff_t>(bom), text.end(),
                                  &check)) {
      return true;
    }
  } catch (const nlohmann::json::exception& e) {
    errors.push_back({name, 0, 0, "invalid JSON: " + CleanJsonMessage(e.what())});
    return false;
  }
  const TextPosition p = parsers::PositionOf(text, bom + check.Position());
  errors.push_back({name, p.line, p.column, "invalid JSON: " + check.Message()});
  return false;
}

/// Builds the tree iteratively (no recursion over input-shaped data), copying aliased subtrees
/// under a node budget.
class Builder {
 public:
  Builder(const std::string& name, size_t budget, int max_depth, Document& doc, InputErrors& errors)
      : name_(name), budget_(budget), max_depth_(max_depth), doc_(doc), errors_(errors) {}

  bool Build(const YAML::Node& root) {
    doc_.root = NewNode();
    work_.push_back({root, doc_.root, 0, false});
    while (!work_.empty()) {
      Work w = std::move(work_.back());
      work_.pop_back();
      if (!Visit(w)) {
        return false;
      }
    }
    if (doc_.nodes.size() > budget_) {
      return Fail({}, fmt::format("the template expands to more than {} values through YAML "
                                  "aliases (an alias bomb?); refusing to expand it",
                                  budget_));
    }
    return true;
  }

 private:
  struct Work {
    YAML::Node node;
    NodeId id;
    int depth;
    bool tag_done;  ///< the short-form tag of this node has been turned into a mapping already
  };

  NodeId NewNode() {
    doc_.nodes.emplace_back();
    return static_cast<NodeId>(doc_.nodes.size() - 1);
  }

  bool Fail(const Position& at, std::string message) {
    errors_.push_back({name_, at.line, at.column, std::move(message)});
    return false;
  }

  bool Visit(const Work& w) {
    const Position at = PositionOf(w.node.Mark());
    if (doc_.nodes.size() > budget_) {
      return Fail(at, fmt::format("the template expands to more than {} values through YAML "
                                  "aliases (an alias bomb?); refusing to expand it",
                                  budget_));
    }
    if (w.depth > max_depth_) {
      return Fail(at, fmt::format("the template nests deeper than {} levels", max_depth_));
    }
    doc_.nodes[static_cast<size_t>(w.id)].at = at;
    const std::string tag = w.tag_done ? std::string() : w.node.Tag();
    bool quoted = tag == "!";
    if (!tag.empty() && tag != "?" && tag != "!") {
      if (tag.rfind(kStandardTagPrefix, 0) == 0) {
        const std::string_view standard = std::string_view(tag).substr(kStandardTagPrefix.size());
        if (std::find(kUnsupportedStandardTags.begin(), kUnsupportedStandardTags.end(), standard) !=
            kUnsupportedStandardTags.end()) {
          return Fail(at,
                      fmt::format("CloudFormation does not accept the YAML tag `!!{}`", standard));
        }
        quoted = standard == "str";
      } else if (tag[0] == '!' && IsShortFormTag(std::string_view(tag).substr(1))) {
        Node& n = doc_.nodes[static_cast<size_t>(w.id)];
        n.kind = Node::Kind::kMapping;
        const NodeId child = NewNode();
        doc_.nodes[static_cast<size_t>(w.id)].entries.push_back(
            {LongForm(std::string_view(tag).substr(1)), at, child});
        work_.push_back({w.node, child, w.depth + 1, true});
        return true;
      } else {
        return Fail(at, fmt::format("unknown tag `{}`; CloudFormation's short forms are !Ref, "
                                    "!GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !And, "
                                    "!Or, !Not, !Condition, !FindInMap, !GetAZs, !Base64, !Cidr "
                                    "and !ImportValue",
                                    tag));
      }
    }
    switch (w.node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        doc_.nodes[static_cast<size_t>(w.id)].kind = Node::Kind::kNull;
        return true;
      case YAML::NodeType::Scalar: {
        Node& n = doc_.nodes[static_cast<size_t>(w.id)];
        n.kind = Node::Kind::kScalar;
        n.quoted = quoted;
        n.text = w.node.Scalar();
        return true;
      }
      case YAML::NodeType::Sequence: {
        doc_.nodes[static_cast<size_t>(w.id)].kind = Node::Kind::kSequence;
        std::vector<NodeId> items;
        for (const YAML::Node& item : w.node) {
          if (doc_.nodes.size() > budget_) {
            break;  // reported when the next node is visited
          }
          const NodeId child = NewNode();
          items.push_back(child);
          pending_.push_back({item, child, w.depth + 1, false});
        }
        doc_.nodes[static_cast<size_t>(w.id)].items = std::move(items);
        break;
      }
      case YAML::NodeType::Map: {
        doc_.nodes[static_cast<size_t>(w.id)].kind = Node::Kind::kMapping;
        std::vector<Entry> entries;
        // Key to entry index: a mapping may hold many thousand keys (a linear search per key
        // would be quadratic).
        std::unordered_map<std::string, size_t> seen;
        for (auto it = w.node.begin(); it != w.node.end(); ++it) {
          const Position key_at = PositionOf(it->first.Mark());
          if (!it->first.IsScalar()) {
            return Fail(key_at, "a mapping key must be a string");
          }
          const std::string key = it->first.Scalar();
          if (key == "<<" && it->first.Tag() != "!") {
            // yaml-cpp would read a merge key as a key named `<<`.
            return Fail(key_at,
                        "CloudFormation does not accept YAML merge keys (`<<`); write the keys "
                        "out");
          }
          if (auto same = seen.find(key); same != seen.end()) {
            return Fail(key_at, fmt::format("duplicate key `{}` (first at line {})", key,
                                            entries[same->second].at.line));
          }
          seen.emplace(key, entries.size());
          if (doc_.nodes.size() > budget_) {
            break;
          }
          const NodeId child = NewNode();
          entries.push_back({key, key_at, child});
          pending_.push_back({it->second, child, w.depth + 1, false});
        }
        doc_.nodes[static_cast<size_t>(w.id)].entries = std::move(entries);
        break;
      }
    }
    // Children go on the stack in reverse, so they are visited in document order.
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      work_.push_back(std::move(*it));
    }
    pending_.clear();
    return true;
  }

  const std::string& name_;
  size_t budget_;
  int max_depth_;
  Document& doc_;
  InputErrors& errors_;
  std::vector<Work> work_;
  std::vector<Work> pending_;
};

}  // namespace

const Entry* Document::Find(NodeId id, std::string_view key) const {
  if (id == kNoNode || At(id).kind != Node::Kind::kMapping) {
    return nullptr;
  }
  for (const Entry& e : At(id).entries) {
    if (e.key == key) {
      return &e;
    }
  }
  return nullptr;
}

bool IsShortFormTag(std::string_view name) {
  return std::find(kShortForms.begin(), kShortForms.end(), name) != kShortForms.end();
}

bool ParseDocument(const std::string& name,
                   const std::string& text,
                   const InputLimits& limits,
                   Document& out,
                   InputErrors& errors) {
  out = Document{};
  out.file = name;
  if (text.size() > limits.max_template_bytes) {
    errors.push_back({name, 0, 0,
                      fmt::format("the template is {} bytes; CloudFormation accepts templates of "
                                  "up to 1 MB, and cvpn-lint reads up to {}",
                                  text.size(), limits.max_template_bytes)});
    return false;
  }
  if (const EncodingProblem bad = FindEncodingProblem(text, /*control_characters=*/true);
      bad.Found()) {
    const TextPosition p = parsers::PositionOf(text, bad.offset);
    errors.push_back({name, p.line, p.column, bad.message});
    return false;
  }
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r' ||
                                 text[start] == '\n')) {
    ++start;
  }
  out.json = start < text.size() && text[start] == '{';
  if (out.json && !CheckJson(name, text, limits, errors)) {
    return false;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    const Position at = PositionOf(e.mark);
    errors.push_back({name, at.line, at.column, "the template nests too deeply to be read"});
    return false;
  } catch (const YAML::Exception& e) {
    const Position at = PositionOf(e.mark);
    errors.push_back({name, at.line, at.column,
                      fmt::format("invalid {}: {}", out.json ? "JSON" : "YAML", e.msg)});
    return false;
  }
  if (const auto second = SecondYamlDocument(text)) {
    errors.push_back({name, second->line, second->column,
                      "a second YAML document starts here; a template is one document"});
    return false;
  }
  const size_t budget = std::max(kMinNodeBudget, text.size() * kNodesPerByte);
  try {
    Builder builder(name, budget, limits.max_nesting_depth, out, errors);
    return builder.Build(root);
  } catch (const YAML::Exception& e) {
    const Position at = PositionOf(e.mark);
    errors.push_back({name, at.line, at.column, "unreadable YAML: " + e.msg});
    return false;
  }
}

}  // namespace cvpn::parsers::cfn
