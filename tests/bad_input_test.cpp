// SPDX-License-Identifier: Apache-2.0
// Bad input is normal input: every case exits with status 2 and a message naming the file (and
// the line and column where the parser knows them), and nothing crashes.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/cli.h"
#include "tests/run_tool.h"

namespace {

namespace fs = std::filesystem;

using cvpn::testing::Run;
using cvpn::testing::RunTool;

/// A scratch file that is removed when the test ends.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& content)
      : path_(fs::temp_directory_path() / ("cvpn-lint-test-" + name)) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~ScratchFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  std::string Path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::string MinimalPlan(const std::string& resources) {
  return R"({"format_version":"1.2","planned_values":{"root_module":{"resources":[)" + resources +
         R"(]}},"configuration":{"root_module":{}}})";
}

}  // namespace

TEST_CASE("unreadable or malformed inputs exit 2 with the file and position", "[bad-input]") {
  struct Case {
    const char* name;
    std::string content;
    const char* expected;  ///< a part of the message
  };
  const std::vector<Case> cases{
      {"not-json.json", "this is not json\n", ":1:1: error: not a Terraform plan"},
      {"broken.json", "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,\n}",
       ":3:22: error: invalid JSON"},
      {"truncated.json", R"({"format_version":"1.2","planned_values":{"root_module":{"resour)",
       "error: invalid JSON"},
      {"array.json", "[1, 2, 3]", "found a array"},
      {"other.json", R"({"name": "package", "version": "1.0.0"})",
       "is not a Terraform plan or state"},
      {"empty.json", "", "the file is empty"},
      {"blank.json", "  \n\t\n", "the file is empty"},
      {"wrong-version-type.json", R"({"format_version": 1, "planned_values": {}})",
       "`format_version` must be a string"},
      {"future-version.json", R"({"format_version": "2.0", "planned_values": {}})",
       "plan format version `2.0` is not supported"},
      {"planned-values-string.json", R"({"format_version": "1.2", "planned_values": "x"})",
       "`planned_values` must be a JSON object"},
      {"resources-not-list.json",
       R"({"format_version":"1.2","planned_values":{"root_module":{"resources":{}}}})",
       "is not a list"},
      {"resource-without-type.json", MinimalPlan(R"({"address":"aws_vpc.a","name":"a"})"),
       "lacks a string address, type or name"},
      {"cidr-number.json",
       MinimalPlan(R"({"address":"aws_vpc.a","type":"aws_vpc","name":"a","values":{"cidr_block":10}})"),
       "`aws_vpc.a`: `cidr_block` must be a CIDR string, found a number"},
      {"cidr-invalid.json",
       MinimalPlan(R"({"address":"aws_vpc.a","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/33"}})"),
       "not a valid IPv4 CIDR (prefix length out of range)"},
      {"cidr-octet.json",
       MinimalPlan(R"({"address":"aws_subnet.a","type":"aws_subnet","name":"a","values":{"cidr_block":"300.1.1.1/8"}})"),
       "octet out of range"},
      {"port-string.json",
       MinimalPlan(R"({"address":"aws_security_group_rule.r","type":"aws_security_group_rule","name":"r","values":{"from_port":"many","to_port":22,"protocol":"tcp","type":"ingress","security_group_id":"sg-1","cidr_blocks":["10.0.0.0/8"]}},{"address":"aws_security_group.s","type":"aws_security_group","name":"s","values":{"id":"sg-1"}})"),
       "`from_port` must be a whole number"},
      {"yaml.yaml", "Resources:\n  A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: [1]}}\n",
       ":2:52: error: `A.CidrBlock` must be a string, found a list"},
      {"no-resources.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\n",
       ":1:1: error: the template has no `Resources` section"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const ScratchFile file(c.name, c.content);
      const Run run = RunTool({file.Path()});
      INFO(run.err);
      CHECK(run.exit == 2);
      CHECK(run.out.empty());
      CHECK(run.err.find(file.Path()) != std::string::npos);
      CHECK(run.err.find(c.expected) != std::string::npos);
    }
  }
}

TEST_CASE("a missing file or a directory without sources exits 2", "[bad-input]") {
  Run run = RunTool({"/nonexistent/plan.json"});
  CHECK(run.exit == 2);
  CHECK(run.err.find("/nonexistent/plan.json: error: no such file or directory") !=
        std::string::npos);
  const fs::path empty = fs::temp_directory_path() / ("cvpn-lint-empty-" + std::to_string(::getpid()));
  fs::create_directories(empty);
  run = RunTool({empty.string()});
  fs::remove_all(empty);
  CHECK(run.exit == 2);
  CHECK(run.err.find("the directory holds no Terraform `.tf` files") != std::string::npos);
}

TEST_CASE("deeply nested JSON is refused before parsing", "[bad-input]") {
  const ScratchFile file("deep.json", "{\"a\":" + std::string(100000, '[') + "]");
  const Run run = RunTool({file.Path()});
  CHECK(run.exit == 2);
  CHECK(run.err.find(":1:") != std::string::npos);
  CHECK(run.err.find("nests deeper than") != std::string::npos);
}

TEST_CASE("unknown resource types are ignored, not errors", "[bad-input]") {
  const ScratchFile file(
      "unknown-type.json",
      MinimalPlan(R"({"address":"aws_made_up.x","type":"aws_made_up","name":"x","values":{"cidr_block":12}},)"
                  R"({"address":"random_pet.p","type":"random_pet","name":"p","values":{}})"));
  const Run run = RunTool({file.Path()});
  INFO(run.err);
  CHECK(run.exit == 0);
  CHECK(run.out.find("no Client VPN endpoint in the inputs") != std::string::npos);
}

TEST_CASE("a byte-order mark and CRLF line ends are accepted", "[bad-input]") {
  const ScratchFile file("bom.json", "\xEF\xBB\xBF" + MinimalPlan("") + "\r\n");
  const Run run = RunTool({file.Path()});
  INFO(run.err);
  CHECK(run.exit == 0);
}

TEST_CASE("bad config files exit 2 with line and column", "[bad-input]") {
  const ScratchFile plan("config-plan.json", MinimalPlan(""));
  struct Case {
    const char* name;
    const char* content;
    const char* expected;
  };
  const std::vector<Case> cases{
      {"syntax.yaml", "targets:\n  - target: [unclosed\n", "invalid YAML"},
      {"not-map.yaml", "- a\n- b\n", ":1:1: error: the config must be a mapping"},
      {"unknown-key.yaml", "targes: []\n", ":1:1: error: unknown key `targes`"},
      {"bad-port.yaml", "targets:\n  - target: aws_instance.a\n    ports: [tcp/70000]\n",
       ":3:13: error: port `tcp/70000`: port 70000 is out of range 0-65535"},
      {"bad-field.yaml", "targets:\n  - target: aws_instance.a\n    prots: [tcp/22]\n",
       ":3:5: error: unknown key `prots`"},
      {"target-list.yaml", "targets:\n  - target: [a, b]\n", "`target` must be a non-empty string"},
      {"unknown-target.yaml", "targets:\n  - target: aws_instance.nothing\n",
       ":2:5: error: target `aws_instance.nothing` is not a resource the inputs place in a subnet"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const ScratchFile config(c.name, c.content);
      const Run run = RunTool({"--config", config.Path(), plan.Path()});
      INFO(run.err);
      CHECK(run.exit == 2);
      CHECK(run.err.find(config.Path()) != std::string::npos);
      CHECK(run.err.find(c.expected) != std::string::npos);
    }
  }
}

TEST_CASE("usage errors exit 2 with a hint", "[cli]") {
  Run run = RunTool({"--formt", "json", "plan.json"});
  CHECK(run.exit == 2);
  CHECK(run.err.find("unknown option `--formt`; did you mean `--format`?") != std::string::npos);
  run = RunTool({"--format", "yaml", "plan.json"});
  CHECK(run.exit == 2);
  CHECK(run.err.find("unknown format `yaml`") != std::string::npos);
  run = RunTool({"--fail-on", "sometimes", "plan.json"});
  CHECK(run.exit == 2);
  run = RunTool({});
  CHECK(run.exit == 2);
  CHECK(run.err.find("no input given") != std::string::npos);
  run = RunTool({"--config"});
  CHECK(run.exit == 2);
  CHECK(run.err.find("`--config` needs a value") != std::string::npos);
  run = RunTool({"--target", "=tcp/22", "plan.json"});
  CHECK(run.exit == 2);
  run = RunTool({"--explain", "CVPN999"});
  CHECK(run.exit == 2);
}

TEST_CASE("informational options exit 0", "[cli]") {
  Run run = RunTool({"--version"});
  CHECK(run.exit == 0);
  CHECK(run.out == "cvpn-lint 0.1.0\n");
  run = RunTool({"--help"});
  CHECK(run.exit == 0);
  CHECK(run.out.find("usage: cvpn-lint") == 0);
  run = RunTool({"--list-rules"});
  CHECK(run.exit == 0);
  for (const char* id : {"CVPN001", "CVPN002", "CVPN003", "CVPN004", "CVPN005", "CVPN006"}) {
    CHECK(run.out.find(id) != std::string::npos);
  }
  run = RunTool({"--explain", "cvpn003"});
  CHECK(run.exit == 0);
  CHECK(run.out.find("# CVPN003 network-acls") == 0);
}

TEST_CASE("text findings show the source line; colour only on a terminal", "[cli]") {
  const std::string dir = std::string(CVPN_SOURCE_DIR) + "/fixtures/terraform/two_subnets_sg_one_cidr";
  const std::vector<std::string> args{"--target", "aws_instance.bastion=tcp/22", dir};
  Run run = RunTool(args);
  CHECK(run.exit == 1);
  CHECK(run.out.find("main.tf:61:1: error:") != std::string::npos);
  CHECK(run.out.find("  61 | resource \"aws_security_group\" \"bastion\" {\n") != std::string::npos);
  CHECK(run.out.find("     | ^\n") != std::string::npos);
  CHECK(run.out.find('\x1b') == std::string::npos);
  std::ostringstream out;
  std::ostringstream err;
  ::unsetenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe): a test's own environment
  CHECK(cvpn::RunCli(args, out, err, /*stdout_is_terminal=*/true) == 1);
  CHECK(out.str().find("\x1b[31m") != std::string::npos);
  ::setenv("NO_COLOR", "1", 1);  // NOLINT(concurrency-mt-unsafe)
  std::ostringstream plain;
  CHECK(cvpn::RunCli(args, plain, err, true) == 1);
  CHECK(plain.str().find('\x1b') == std::string::npos);
  ::unsetenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe)
}

TEST_CASE("findings on a plan point at the .tf sources beside it or given with --source",
          "[cli]") {
  const std::string dir = std::string(CVPN_SOURCE_DIR) + "/fixtures/terraform/two_subnets_sg_one_cidr";
  const std::vector<std::string> base{"--format", "json", "--target", "aws_instance.bastion=tcp/22"};
  std::vector<std::string> args = base;
  args.push_back(dir + "/plan.json");
  Run run = RunTool(args);
  CHECK(run.exit == 1);
  CHECK(run.out.find("\"file\": \"" + dir + "/main.tf\",\n        \"line\": 61") !=
        std::string::npos);
  // Sources elsewhere: none here, so no position, and no error either.
  args = base;
  args.insert(args.end(), {"--source", "/nonexistent", dir + "/plan.json"});
  run = RunTool(args);
  CHECK(run.exit == 1);
  CHECK(run.out.find("\"location\": null") != std::string::npos);
}
