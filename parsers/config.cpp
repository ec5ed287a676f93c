// SPDX-License-Identifier: Apache-2.0
#include "parsers/config.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "parsers/config_yaml.h"
#include "parsers/text_position.h"
#include "parsers/yaml_documents.h"

namespace cvpn::parsers {

namespace {

constexpr size_t kMaxConfigBytes = size_t{4} << 20;

// The reader works on yaml-cpp's nodes and on the plain reader's alike (parsers/config_yaml.h):
// these give the items of a sequence, the entries of a mapping and the value of one key.
template <typename F>
void ForEachItem(const YAML::Node& node, F f) {
  for (const YAML::Node& item : node) {
    f(item);
  }
}
template <typename F>
void ForEachItem(const PlainYamlNode& node, F f) {
  for (const PlainYamlNode& item : node.Items()) {
    f(item);
  }
}
template <typename F>
void ForEachEntry(const YAML::Node& node, F f) {
  for (const auto& entry : node) {
    f(entry.first, entry.second);
  }
}
template <typename F>
void ForEachEntry(const PlainYamlNode& node, F f) {
  const auto& list = node.KeysAndValues();
  for (size_t i = 0; i + 1 < list.size(); i += 2) {
    f(list[i], list[i + 1]);
  }
}
/// The value of `key` in a mapping, or null (a default-constructed, undefined node).
std::optional<YAML::Node> ValueOf(YAML::Node node, const char* key) {
  YAML::Node value = node[key];
  if (!value) {
    return std::nullopt;
  }
  return value;
}
std::optional<PlainYamlNode> ValueOf(const PlainYamlNode& node, const char* key) {
  const auto& list = node.KeysAndValues();
  for (size_t i = 0; i + 1 < list.size(); i += 2) {
    if (list[i].IsScalar() && list[i].Scalar() == key) {
      return list[i + 1];
    }
  }
  return std::nullopt;
}

template <typename Node>
InputError ErrorAt(const std::string& file, const Node& node, std::string message) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    return {file, 0, 0, std::move(message)};
  }
  // yaml-cpp marks are 0-based.
  return {file, mark.line + 1, mark.column + 1, std::move(message)};
}

template <typename Node>
std::string KindName(const Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return fmt::format("`{}`", node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

template <typename Node>
bool ReadString(const std::string& file, const Node& node, const char* key,
                std::string& out, InputErrors& errors) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    errors.push_back(ErrorAt(file, node, fmt::format("`{}` must be a non-empty string, found {}",
                                                     key, KindName(node))));
    return false;
  }
  out = node.Scalar();
  return true;
}

template <typename Node>
void ReadPorts(const std::string& file, const Node& node, PairDeclaration& d,
               InputErrors& errors) {
  auto add = [&](const Node& item) {
    if (!item.IsScalar()) {
      errors.push_back(ErrorAt(file, item, fmt::format("a port must be a string like tcp/443, "
                                                       "found {}",
                                                       KindName(item))));
      return;
    }
    const PortSpecParseResult parsed = ParsePortSpec(item.Scalar());
    if (!parsed.spec) {
      errors.push_back(ErrorAt(file, item, fmt::format("port `{}`: {}", item.Scalar(),
                                                       parsed.error)));
      return;
    }
    d.ports.push_back(*parsed.spec);
  };
  if (node.IsSequence()) {
    ForEachItem(node, add);
  } else {
    add(node);
  }
}

/// The first problem with the keys of a mapping: a key given twice (yaml-cpp keeps both), a
/// merge key (yaml-cpp reads `<<` as a plain key), or a key that is not a string.
bool CheckKeys(const std::string& file, const YAML::Node& map, InputErrors& errors) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) {
      errors.push_back(ErrorAt(file, entry.first, "a key must be a string"));
      return false;
    }
    const std::string& key = entry.first.Scalar();
    if (key == "<<" && entry.first.Tag() != "!") {
      errors.push_back(ErrorAt(file, entry.first,
                               "YAML merge keys (`<<`) are not supported; write the keys out"));
      return false;
    }
    if (!seen.insert(key).second) {
      errors.push_back(ErrorAt(file, entry.first, fmt::format("`{}` is given twice", key)));
      return false;
    }
  }
  return true;
}
/// The plain reader takes no duplicate keys and no tags: nothing to check.
bool CheckKeys(const std::string& /*file*/, const PlainYamlNode& /*map*/, InputErrors& /*errors*/) {
  return true;
}

/// Whether a node carries a tag the config gives no meaning to (`!Ref App`: a CloudFormation
/// habit), which would otherwise be dropped without a word.
bool HasForeignTag(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return !tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org,2002:", 0) != 0;
}
std::string TagOf(const YAML::Node& node) { return node.Tag(); }
bool HasForeignTag(const PlainYamlNode& /*node*/) { return false; }
std::string TagOf(const PlainYamlNode& /*node*/) { return {}; }

/// The declarations of a config document.
template <typename Node>
void ReadDeclarations(const std::string& name, const Node& root, std::vector<PairDeclaration>& out,
                      InputErrors& errors) {
  if (root.IsNull()) {
    return;  // an empty config declares nothing
  }
  if (!root.IsMap()) {
    errors.push_back(ErrorAt(name, root, fmt::format("the config must be a mapping with "
                                                     "`targets`, found {}",
                                                     KindName(root))));
    return;
  }
  if (!CheckKeys(name, root, errors)) {
    return;
  }
  ForEachEntry(root, [&](const Node& key_node, const Node&) {
    const std::string key = key_node.IsScalar() ? key_node.Scalar() : "";
    if (key != "targets") {
      errors.push_back(ErrorAt(name, key_node,
                               fmt::format("unknown key `{}`; the config has `targets`", key)));
    }
  });
  const std::optional<Node> found = ValueOf(root, "targets");
  if (!found || found->IsNull()) {
    return;
  }
  const Node& targets = *found;
  if (!targets.IsSequence()) {
    errors.push_back(ErrorAt(name, targets, fmt::format("`targets` must be a list, found {}",
                                                        KindName(targets))));
    return;
  }
  ForEachItem(targets, [&](const Node& item) {
    PairDeclaration d;
    d.where = ErrorAt(name, item, "");
    if (item.IsScalar()) {
      std::string error;
      if (!ParseTargetSpec(item.Scalar(), d, error)) {
        errors.push_back(ErrorAt(name, item, error));
        return;
      }
      out.push_back(std::move(d));
      return;
    }
    if (!item.IsMap()) {
      errors.push_back(ErrorAt(name, item, fmt::format("a target must be a mapping with "
                                                       "`target`, found {}",
                                                       KindName(item))));
      return;
    }
    if (!CheckKeys(name, item, errors)) {
      return;
    }
    bool ok = true;
    ForEachEntry(item, [&](const Node& key_node, const Node& value) {
      if (HasForeignTag(value)) {
        errors.push_back(ErrorAt(
            name, value, fmt::format("the tag `{}` has no meaning in the config", TagOf(value))));
        ok = false;
        return;
      }
      const std::string key = key_node.IsScalar() ? key_node.Scalar() : "";
      if (key == "target") {
        ok = ReadString(name, value, "target", d.target, errors) && ok;
      } else if (key == "ports") {
        const size_t before = errors.size();
        ReadPorts(name, value, d, errors);
        ok = ok && errors.size() == before;
      } else if (key == "endpoint") {
        std::string s;
        ok = ReadString(name, value, "endpoint", s, errors) && ok;
        d.endpoint = s;
      } else if (key == "group") {
        if (!value.IsNull()) {
          std::string s;
          ok = ReadString(name, value, "group", s, errors) && ok;
          d.group = s;
        }
      } else {
        errors.push_back(ErrorAt(name, key_node,
                                 fmt::format("unknown key `{}`; a target has `target`, "
                                             "`ports`, `endpoint` and `group`",
                                             key)));
        ok = false;
      }
    });
    if (d.target.empty() && ok) {
      errors.push_back(ErrorAt(name, item, "a target needs `target`"));
      ok = false;
    }
    if (ok) {
      out.push_back(std::move(d));
    }
  });
}

}  // namespace

std::vector<PairDeclaration> LoadConfigText(const std::string& name, const std::string& text,
                                            InputErrors& errors) {
  std::vector<PairDeclaration> out;
  if (text.size() > kMaxConfigBytes) {
    errors.push_back({name, 0, 0, "the config file is larger than 4 MiB"});
    return out;
  }
  if (const EncodingProblem bad = FindEncodingProblem(text, /*control_characters=*/true);
      bad.Found()) {
    const TextPosition p = PositionOf(text, bad.offset);
    errors.push_back({name, p.line, p.column, bad.message});
    return out;
  }
  // Plain configs, nearly all of them, are read without yaml-cpp, which takes thousands of
  // instructions per byte; anything the plain reader does not take, or finds a problem in, is
  // read again with yaml-cpp so that every message stays as it was.
  if (const std::optional<PlainYamlNode> plain = ReadPlainYaml(text)) {
    InputErrors plain_errors;
    ReadDeclarations(name, *plain, out, plain_errors);
    if (plain_errors.empty()) {
      return out;
    }
    out.clear();
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back({name, e.mark.is_null() ? 0 : e.mark.line + 1,
                      e.mark.is_null() ? 0 : e.mark.column + 1, "invalid YAML: " + e.msg});
    return out;
  }
  // yaml-cpp's LoadAll never returns on some broken texts: a second document is found by events.
  if (const auto second = SecondYamlDocument(text)) {
    errors.push_back({name, second->line, second->column,
                      "a second YAML document starts here; the config is one document"});
    return out;
  }
  if (root.IsNull()) {
    // An empty config declares nothing; but yaml-cpp also gives nothing for some broken texts
    // (`,x - y: z`), which must not pass for an empty config.
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      const size_t first = line.find_first_not_of(" \t\r\xEF\xBB\xBF");
      if (first == std::string::npos || line[first] == '#') {
        continue;
      }
      const std::string content = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
      if (content != "---" && content != "..." && content != "~" && content != "null") {
        errors.push_back({name, number, static_cast<int>(first) + 1,
                          "invalid YAML: nothing can be read from here on"});
        break;
      }
    }
    return out;
  }
  try {
    ReadDeclarations(name, root, out, errors);
  } catch (const YAML::Exception& e) {
    errors.push_back({name, e.mark.is_null() ? 0 : e.mark.line + 1,
                      e.mark.is_null() ? 0 : e.mark.column + 1, e.msg});
  }
  return out;
}

std::vector<PairDeclaration> LoadConfig(const std::string& path, InputErrors& errors) {
  // Checked before reading: a huge (or endless) file is refused without being read.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxConfigBytes) {
    errors.push_back({path, 0, 0, "the config file is larger than 4 MiB"});
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, 0, 0, "cannot open the config file"});
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return LoadConfigText(path, buffer.str(), errors);
}

bool ParseTargetSpec(const std::string& spec, PairDeclaration& out, std::string& error) {
  const size_t eq = spec.rfind('=');
  if (eq != std::string::npos && eq + 1 < spec.size()) {
    const PortSpecListParseResult ports = ParsePortSpecList(spec.substr(eq + 1));
    if (ports.error.empty()) {
      out.target = spec.substr(0, eq);
      out.ports = ports.specs;
      if (out.target.empty()) {
        error = fmt::format("`{}` names no target before `=`", spec);
        return false;
      }
      return true;
    }
    // A quoted key may hold `=`: only a valid port list after the last `=` is split off.
    if (spec.find(']', eq) == std::string::npos) {
      error = fmt::format("`{}`: {}", spec, ports.error);
      return false;
    }
  }
  if (spec.empty() || spec.back() == '=') {
    error = fmt::format("`{}` is not TARGET or TARGET=PORT[,PORT...]", spec);
    return false;
  }
  out.target = spec;
  return true;
}

}  // namespace cvpn::parsers
