// SPDX-License-Identifier: Apache-2.0
// The plain YAML reader (parsers/config_yaml.h) builds exactly yaml-cpp's tree, positions
// included, for every document it takes, and gives up on what it does not handle.
#include "parsers/config_yaml.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cvpn::parsers {
namespace {

namespace fs = std::filesystem;

/// Compares a plain node with yaml-cpp's; describes the first difference in `why`.
bool Same(const PlainYamlNode& plain, const YAML::Node& node, std::string& why) {
  const YAML::Mark a = plain.Mark();
  const YAML::Mark b = node.Mark();
  if (plain.Type() != node.Type() || a.line != b.line || a.column != b.column || a.pos != b.pos) {
    why = "type or position differs at line " + std::to_string(b.line + 1) + " column " +
          std::to_string(b.column + 1) + " (plain: line " + std::to_string(a.line + 1) +
          " column " + std::to_string(a.column + 1) + ")";
    return false;
  }
  if (node.IsScalar()) {
    if (plain.Scalar() != node.Scalar()) {
      why = "scalar `" + plain.Scalar() + "` is `" + node.Scalar() + "` for yaml-cpp";
      return false;
    }
    return true;
  }
  std::vector<YAML::Node> children;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      children.push_back(item);
    }
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      children.push_back(entry.first);
      children.push_back(entry.second);
    }
  }
  const auto& mine = node.IsMap() ? plain.KeysAndValues() : plain.Items();
  if (mine.size() != children.size()) {
    why = "a different number of children at line " + std::to_string(b.line + 1);
    return false;
  }
  for (size_t i = 0; i < mine.size(); ++i) {
    if (!Same(mine[i], children[i], why)) {
      return false;
    }
  }
  return true;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("the plain YAML reader builds yaml-cpp's tree", "[config]") {
  std::vector<std::string> documents = {
      "targets:\n  - target: aws_instance.a\n    ports: [tcp/22]\n",
      "targets:\n- target: aws_instance.a\n  ports: [tcp/22, udp/53]\n"
      "- aws_db_instance.b=tcp/5432\n",
      "# comment\n\ntargets:   # trailing\n\n  # between\n"
      "  - target: 'aws_instance.a'   # x\n"
      "    ports:\n      - tcp/22\n      - \"tcp/443\"\n"
      "    endpoint: aws_ec2_client_vpn_endpoint.main\n"
      "    group: devs\n",
      "targets:\n    -   target: aws_instance.app[\"s001\"]\n"
      "        ports: [ tcp/8000 ,tcp/8001 ]\n",
      "targets: []\n",
      "targets:\n  - target: x\n    ports: []\n",
      "targets:\n  - target: a#b\n    ports: all\n  - target: c\n    group: \"\"\n",
      "targets:\n  - \"aws_instance.a=tcp/22\"\n  - 'b'\n",
      "targets:\n  - target: x\n    ports: [icmp, all, tcp/1-65535]\nother: 1\n",
      "targets:\n  - target: x y z  \n",
      "targets:\n  - target: true\n    ports: 22\n",
      "targets:\n  - target: x\n    unknown: y\n",
      "targets:\n  - target: x\n\n\n",
      "targets:\n  - target: x\n# end",
      "targets:\n  - target: aws_instance.a[\"k\"].b\n",
  };
  const fs::path fixtures = fs::path(CVPN_SOURCE_DIR) / "fixtures";
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    if (entry.path().filename() == "cvpn-lint.yaml") {
      documents.push_back(ReadFile(entry.path()));
    }
  }
  size_t taken = 0;
  for (const std::string& text : documents) {
    INFO(text);
    const std::optional<PlainYamlNode> plain = ReadPlainYaml(text);
    REQUIRE(plain.has_value());
    ++taken;
    std::string why;
    CHECK(Same(*plain, YAML::Load(text), why));
    INFO(why);
  }
  CHECK(taken == documents.size());
}

TEST_CASE("the plain YAML reader leaves the rest of YAML to yaml-cpp", "[config]") {
  const std::vector<std::string> documents = {
      "",
      "# only a comment\n",
      "---\ntargets: []\n",
      "targets: []\n...\n",
      "- a\n",
      "a scalar\n",
      "targets:\n  - &a target: x\n",
      "targets:\n  - target: *a\n",
      "targets:\n  - target: !!str x\n",
      "targets:\n  - target: |\n      x\n",
      "targets:\n  - target: >\n      x\n",
      "targets:\n  - target: x\n      y\n",
      "targets:\n  - target: \"x\\ty\"\n",
      "targets:\n  - target: 'it''s'\n",
      "targets:\n  - target: \"x\n    y\"\n",
      "targets:\n  - {target: x}\n",
      "targets:\n  - target: x\n    ports: [[tcp/22]]\n",
      "targets:\n  - target: x\n    ports: [tcp/22, ]\n",
      "targets:\n  - target: x\n    ports: [tcp/22\n",
      "targets:\n  - target:\n",
      "targets:\n  - target: ~\n",
      "targets:\n  - target: null\n",
      "targets:\n  -\n    target: x\n",
      "targets:\n  - - x\n",
      "targets:\n\t- target: x\n",
      "targets:\r\n  - target: x\r\n",
      "targets:\n  - target: caf\xC3\xA9\n",
      "targets:\n  - target: x\n    target: y\n",
      "targets:\n  - target: a: b\n",
      "targets:\n  - target: -x\n",
      "targets:\n  - target: x\n   ports: [tcp/22]\n",
      "targets:\n  - target: x\n  ports: [tcp/22]\n",
      "\"targets\": []\n",
      "targets: x\n  y: z\n",
      // Found by comparing with yaml-cpp under a fuzzer: `?` ends a flow scalar, a null key, DEL.
      "targets:\n  - target: x\n    ports: [tcp/8000?-8100]\n",
      "targets:\n  - target: x\nNULL: 1\n",
      "targets:\n  - target: a\x7f\n",
  };
  for (const std::string& text : documents) {
    INFO(text);
    CHECK_FALSE(ReadPlainYaml(text).has_value());
  }
}

}  // namespace
}  // namespace cvpn::parsers
