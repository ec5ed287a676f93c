// SPDX-License-Identifier: Apache-2.0
// The CloudFormation front end: intrinsic functions, Fn::Cidr, positions, stacks wired by
// exports, bad templates, the corpus templates, and the Terraform fixtures' CloudFormation
// twins, which must give the same verdicts.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/cli.h"
#include "tests/run_tool.h"
#include "parsers/cfn_cidr.h"
#include "parsers/cfn_document.h"
#include "parsers/cfn_evaluator.h"
#include "parsers/cfn_template.h"
#include "parsers/input.h"

namespace {

namespace fs = std::filesystem;
using cvpn::InputErrors;
using cvpn::parsers::cfn::Evaluator;
using cvpn::parsers::cfn::Template;
using cvpn::parsers::cfn::Value;

// --- Helpers ----------------------------------------------------------------------------------

using cvpn::testing::Run;
using cvpn::testing::RunTool;

/// A scratch file that is removed when the test ends.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& content)
      : path_(fs::temp_directory_path() / ("cvpn-lint-cfn-" + name)) {
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

/// Templates read and their parameters resolved, ready for an Evaluator.
struct Loaded {
  std::vector<Template> templates;
  InputErrors errors;
};

Loaded Load(const std::vector<std::pair<std::string, std::string>>& files,
            const std::map<std::string, std::string>& parameters = {}) {
  Loaded out;
  for (const auto& [name, text] : files) {
    cvpn::parsers::cfn::Document doc;
    if (!cvpn::parsers::cfn::ParseDocument(name, text, {}, doc, out.errors)) {
      continue;
    }
    Template t;
    if (cvpn::parsers::cfn::ReadTemplate(std::move(doc), t, out.errors)) {
      out.templates.push_back(std::move(t));
    }
  }
  cvpn::parsers::cfn::ResolveParameters(out.templates, parameters, out.errors);
  return out;
}

/// A value as text: scalars with tokens made readable, lists in brackets, `?` for unknown.
std::string Show(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kAbsent:
      return "<absent>";
    case Value::Kind::kScalar:
      return cvpn::parsers::cfn::Readable(v.text);
    case Value::Kind::kUnknown:
      return "?";
    case Value::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) {
        out += (i == 0 ? "" : ", ") + Show(v.items[i]);
      }
      return out + "]";
    }
    case Value::Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < v.entries.size(); ++i) {
        out += (i == 0 ? "" : ", ") + v.entries[i].key + ": " + Show(v.entries[i].value);
      }
      return out + "}";
    }
  }
  return "";
}

/// The value of output `name` of the first template.
Value OutputValue(Loaded& loaded, Evaluator& evaluator, const std::string& name) {
  for (const auto& o : loaded.templates.at(0).outputs) {
    if (o.name == name) {
      return evaluator.Evaluate(0, o.value);
    }
  }
  FAIL("no output " << name);
  return {};
}

constexpr const char* kBase = R"(AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  Cidr: {Type: String, Default: 10.0.0.0/16}
  Names: {Type: CommaDelimitedList, Default: "a, b,c"}
  NoDefault: {Type: String}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk/version}
  Count: {Type: Number, Default: 3}
Mappings:
  Images:
    us-east-1: {Ami: ami-east}
    eu-west-1: {Ami: ami-west}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !Condition NotProd]
  Both: !And [!Condition IsProd, !Condition NotProd]
  Unknowable: !Equals [!Ref NoDefault, x]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      VpcId: !GetAtt Subnet.VpcId
  Custom:
    Type: Custom::Thing
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:f
  ProdOnly:
    Type: AWS::EC2::VPC
    Condition: IsProd
    Properties:
      CidrBlock: 10.9.0.0/16
Outputs:
  X:
    Value: )";

}  // namespace

// --- Fn::Cidr and Fn::GetAZs
// ----------------------------------------------------------------------

TEST_CASE("Fn::Cidr splits a block as CloudFormation does", "[cloudformation][unit]") {
  using cvpn::parsers::cfn::SplitCidr;
  const auto block = [](const char* text) { return *cvpn::ParseIpv4Cidr(text).cidr; };
  auto texts = [](const cvpn::parsers::cfn::CidrSplit& s) {
    std::vector<std::string> out;
    for (const auto& c : s.blocks) {
      out.push_back(c.ToString());
    }
    return out;
  };
  // AWS's documented example: 6 blocks with 5 host bits (/27) from a /24.
  CHECK(texts(SplitCidr(block("192.168.0.0/24"), 6, 5)) ==
        std::vector<std::string>{"192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27",
                                 "192.168.0.96/27", "192.168.0.128/27", "192.168.0.160/27"});
  CHECK(texts(SplitCidr(block("10.0.0.0/16"), 3, 8)) ==
        std::vector<std::string>{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"});
  CHECK(texts(SplitCidr(block("10.0.0.0/16"), 2, 12)) ==
        std::vector<std::string>{"10.0.0.0/20", "10.0.16.0/20"});
  CHECK(texts(SplitCidr(block("10.0.5.0/24"), 2, 7)) ==
        std::vector<std::string>{"10.0.5.0/25", "10.0.5.128/25"});
  CHECK(texts(SplitCidr(block("10.0.0.0/24"), 1, 8)) == std::vector<std::string>{"10.0.0.0/24"});
  CHECK(texts(SplitCidr(block("10.0.0.0/30"), 4, 0)).back() == "10.0.0.3/32");
  CHECK(SplitCidr(block("10.0.0.0/24"), 2, 8).error == "10.0.0.0/24 holds only 1 /24 block, not 2");
  CHECK(SplitCidr(block("10.0.0.0/24"), 1, 9).error.find("larger than") != std::string::npos);
  CHECK(SplitCidr(block("10.0.0.0/16"), 0, 8).error.find("1 to 256") != std::string::npos);
  CHECK(SplitCidr(block("10.0.0.0/16"), 257, 8).error.find("1 to 256") != std::string::npos);
  CHECK(SplitCidr(block("10.0.0.0/8"), 256, 8).blocks.size() == 256);
  CHECK(SplitCidr(block("10.0.0.0/16"), 1, 33).error.find("0 to 32") != std::string::npos);
  CHECK(cvpn::parsers::cfn::AvailabilityZones("us-east-1").size() == 6);
  CHECK(cvpn::parsers::cfn::AvailabilityZones("eu-west-1") ==
        std::vector<std::string>{"eu-west-1a", "eu-west-1b", "eu-west-1c"});
}

// --- Intrinsic functions
// --------------------------------------------------------------------------

TEST_CASE("intrinsic functions evaluate where their inputs are known", "[cloudformation][unit]") {
  struct Case {
    const char* expression;
    const char* expected;  ///< Show() of the value; "?" for unknown
  };
  const std::vector<Case> cases{
      {"!Ref Cidr", "10.0.0.0/16"},
      {"!Ref Count", "3"},
      {"!Ref Names", "[a, b, c]"},
      {"!Ref NoDefault", "?"},
      {"!Ref Ssm", "?"},
      {"!Ref AWS::Region", "us-east-1"},
      {"!Ref AWS::Partition", "aws"},
      {"!Ref AWS::URLSuffix", "amazonaws.com"},
      {"!Ref AWS::StackName", "base"},
      {"!Ref AWS::AccountId", "AWS::AccountId"},
      {"!Ref Vpc", "Vpc"},
      {"!GetAtt Vpc.CidrBlock", "10.0.0.0/16"},
      {"{\"Fn::GetAtt\": [Vpc, CidrBlock]}", "10.0.0.0/16"},
      {"!GetAtt Vpc.DefaultSecurityGroup", "Vpc.DefaultSecurityGroup"},
      {"!GetAtt Vpc.DefaultNetworkAcl", "Vpc.DefaultNetworkAcl"},
      {"!GetAtt Vpc.VpcId", "Vpc"},
      {"!GetAtt Subnet.CidrBlock", "10.0.1.0/24"},
      {"!GetAtt Subnet.VpcId", "Vpc"},
      {"!GetAtt Group.GroupId", "Group"},
      {"!GetAtt Group.VpcId", "Vpc"},
      {"!GetAtt Custom.Anything", "?"},
      {"!GetAtt Vpc.Ipv6CidrBlocks", "?"},
      {"!Sub \"${AWS::StackName}-${Env}-${Vpc}\"", "base-dev-Vpc"},
      {"!Sub \"${Vpc.CidrBlock} and ${!Literal}\"", "10.0.0.0/16 and ${Literal}"},
      {"!Sub [\"${A}:${B}\", {A: x, B: !Ref Env}]", "x:dev"},
      {"!Sub \"${NoDefault}-x\"", "?"},
      {"!Join [\"-\", [a, !Ref Env, !Ref AWS::NoValue, c]]", "a-dev-c"},
      {"!Join [\",\", !Ref Names]", "a,b,c"},
      {"!Select [2, !Ref Names]", "c"},
      {"!Select [\"1\", [x, y]]", "y"},
      {"!Split [\",\", \"a,,b\"]", "[a, , b]"},
      {"!Select [1, !Split [\"/\", !Ref Cidr]]", "16"},
      {"!If [IsProd, prod, dev]", "dev"},
      {"!If [NotProd, [a, b], !Ref AWS::NoValue]", "[a, b]"},
      {"!If [Unknowable, a, b]", "?"},
      {"[one, !If [IsProd, two, !Ref AWS::NoValue], three]", "[one, three]"},
      {"!FindInMap [Images, !Ref AWS::Region, Ami]", "ami-east"},
      {"!GetAZs \"\"", "[us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f]"},
      {"!Select [0, !GetAZs eu-west-1]", "eu-west-1a"},
      {"!Base64 abc", "YWJj"},
      {"!Base64 ab", "YWI="},
      {"!Cidr [10.1.0.0/16, 2, 8]", "[10.1.0.0/24, 10.1.1.0/24]"},
      {"!Cidr [!Ref Cidr, \"2\", \"12\"]", "[10.0.0.0/20, 10.0.16.0/20]"},
      {"!ImportValue nobody-exports-this", "?"},
      {"!Ref ProdOnly", "?"},
      {"{Key: !Ref Env, Gone: !Ref AWS::NoValue}", "{Key: dev}"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.expression) {
      Loaded loaded = Load({{"base.yaml", std::string(kBase) + c.expression + "\n"}});
      INFO((loaded.errors.empty() ? std::string() : loaded.errors.front().Render()));
      REQUIRE(loaded.templates.size() == 1);
      Evaluator evaluator(loaded.templates, loaded.errors);
      const Value v = OutputValue(loaded, evaluator, "X");
      CHECK(Show(v) == c.expected);
      CHECK(loaded.errors.empty());
    }
  }
}

TEST_CASE("unknown values say why", "[cloudformation][unit]") {
  Loaded loaded = Load({{"base.yaml", std::string(kBase) + "!Ref NoDefault\n"}});
  Evaluator evaluator(loaded.templates, loaded.errors);
  Value v = OutputValue(loaded, evaluator, "X");
  CHECK(v.text == "parameter `NoDefault` has no default; give it with --parameter NoDefault=VALUE");
  loaded = Load({{"base.yaml", std::string(kBase) + "!Ref Ssm\n"}});
  Evaluator e2(loaded.templates, loaded.errors);
  CHECK(OutputValue(loaded, e2, "X").text.find("SSM Parameter Store") != std::string::npos);
  loaded = Load({{"base.yaml", std::string(kBase) + "!GetAtt Custom.Arn\n"}});
  Evaluator e3(loaded.templates, loaded.errors);
  CHECK(OutputValue(loaded, e3, "X").text.find("custom resource") != std::string::npos);
  loaded = Load({{"base.yaml", std::string(kBase) + "!ImportValue other-VpcId\n"}});
  Evaluator e4(loaded.templates, loaded.errors);
  CHECK(OutputValue(loaded, e4, "X").text.find("no input template exports `other-VpcId`") !=
        std::string::npos);
  loaded = Load({{"base.yaml", std::string(kBase) + "!Ref ProdOnly\n"}});
  Evaluator e5(loaded.templates, loaded.errors);
  CHECK(OutputValue(loaded, e5, "X").text ==
        "`ProdOnly` is not created: its condition `IsProd` is false");
}

TEST_CASE("parameters come from defaults, overridden per stack or for all",
          "[cloudformation][unit]") {
  Loaded loaded =
      Load({{"base.yaml", std::string(kBase) + "!Sub \"${Env}/${Cidr}/${AWS::Region}\"\n"}},
           {{"Env", "prod"}, {"base.Cidr", "10.5.0.0/16"}, {"AWS::Region", "eu-west-1"}});
  REQUIRE(loaded.errors.empty());
  Evaluator evaluator(loaded.templates, loaded.errors);
  CHECK(Show(OutputValue(loaded, evaluator, "X")) == "prod/10.5.0.0/16/eu-west-1");
  CHECK(evaluator.ConditionValue(0, "IsProd", {}).value == true);
  CHECK(evaluator.ConditionValue(0, "Both", {}).value == false);
  CHECK(evaluator.ConditionValue(0, "Either", {}).value == true);
  CHECK_FALSE(evaluator.ConditionValue(0, "Unknowable", {}).Known());

  loaded = Load({{"base.yaml", std::string(kBase) + "!Ref AWS::StackName\n"}},
                {{"AWS::StackName", "prod-network"}});
  Evaluator e2(loaded.templates, loaded.errors);
  CHECK(Show(OutputValue(loaded, e2, "X")) == "prod-network");

  loaded = Load({{"base.yaml", std::string(kBase) + "!Ref Env\n"}},
                {{"Envv", "x"}, {"nostack.Env", "y"}, {"Env", "staging"}});
  REQUIRE(loaded.errors.size() == 2);
  CHECK(loaded.errors[0].message.find("`Envv`: no input template declares a parameter") == 0);
  CHECK(loaded.errors[1].message.find("no input template has the stack name `nostack`") !=
        std::string::npos);
}

TEST_CASE("conditions that refer to themselves are errors", "[cloudformation][unit]") {
  const std::string text = R"(Conditions:
  A: !And [!Condition B, !Equals [x, x]]
  B: !Not [!Condition A]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Condition: A
    Properties: {CidrBlock: 10.0.0.0/16}
)";
  const ScratchFile file("cycle.yaml", text);
  const Run run = RunTool({file.Path()});
  CHECK(run.exit == 2);
  CHECK(run.err.find("depends on itself") != std::string::npos);
}

TEST_CASE("exports of one template resolve Fn::ImportValue in another", "[cloudformation]") {
  // The second stack's export name is built from an import of the first: a fixed point.
  const std::string network = R"(Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.7.0.0/16}
Outputs:
  Prefix:
    Value: shared
    Export: {Name: !Sub "${AWS::StackName}-Prefix"}
  VpcId:
    Value: !Ref Vpc
    Export: {Name: network-VpcId}
)";
  const std::string middle = R"(Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      VpcId: !ImportValue network-VpcId
Outputs:
  Cidr:
    Value: 10.7.0.0/16
    Export:
      Name: !Join ["-", [!ImportValue network-Prefix, Cidr]]
)";
  const std::string last = R"(Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: y
      VpcId: !ImportValue network-VpcId
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !ImportValue shared-Cidr
)";
  const ScratchFile a("network.yaml", network);
  const ScratchFile b("middle.yaml", middle);
  const ScratchFile c("last.yaml", last);
  // Stack names default to file stems: these files are "cvpn-lint-cfn-network" and so on.
  const Run run =
      RunTool({"--dump-graph", "--parameter", "cvpn-lint-cfn-network.AWS::StackName=network",
               c.Path(), b.Path(), a.Path()});
  INFO(run.err);
  REQUIRE(run.exit == 0);
  // Same logical ID in two inputs: the stack name tells them apart.
  CHECK(run.out.find("security_group cvpn-lint-cfn-last.Sg ingress tcp 22 10.7.0.0/16") !=
        std::string::npos);
  CHECK(run.out.find("security_group cvpn-lint-cfn-middle.Sg vpc=Vpc") != std::string::npos);
}

TEST_CASE("elements keep the line and column of their logical ID", "[cloudformation]") {
  const std::string yaml = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # a comment
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
)";
  cvpn::Graph graph;
  InputErrors errors;
  REQUIRE(cvpn::parsers::LoadInputText("t.yaml", yaml, graph, errors));
  REQUIRE(graph.vpcs.size() == 1);
  CHECK(graph.vpcs[0].origin.line == 4);
  CHECK(graph.vpcs[0].origin.column == 3);
  CHECK(graph.vpcs[0].origin.language == cvpn::Origin::Language::kCloudFormationYaml);
  const std::string json =
      "{\n \"Resources\": {\n  \"Vpc\": {\"Type\": \"AWS::EC2::VPC\", "
      "\"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}}\n }\n}\n";
  cvpn::Graph g2;
  REQUIRE(cvpn::parsers::LoadInputText("t.json", json, g2, errors));
  REQUIRE(g2.vpcs.size() == 1);
  CHECK(g2.vpcs[0].origin.line == 3);
  CHECK(g2.vpcs[0].origin.column == 3);
  CHECK(g2.vpcs[0].origin.language == cvpn::Origin::Language::kCloudFormationJson);
}

// --- Bad input
// ------------------------------------------------------------------------------------

TEST_CASE("bad templates exit 2 with the file, line, column and a clear message",
          "[cloudformation][bad-input]") {
  struct Case {
    const char* name;
    std::string content;
    const char* expected;  ///< a part of the message
  };
  const std::string vpc = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n";
  const std::vector<Case> cases{
      {"syntax.yaml", "Resources:\n  Vpc: [unclosed\n  Other: 1\n", ":3:"},
      {"syntax2.yaml", "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n   Bad: indentation\n",
       "invalid YAML"},
      {"tag.yaml", vpc + "    Properties:\n      CidrBlock: !Reff Cidr\n",
       ":5:18: error: unknown tag `!Reff`"},
      {"no-resources.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: nothing\n",
       "has no `Resources` section"},
      {"empty-resources.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n",
       "`Resources` is empty"},
      {"resources-list.yaml", "Resources: [a, b]\n", "`Resources` must be a mapping"},
      {"no-type.yaml", "Resources:\n  Vpc:\n    Properties: {}\n",
       ":2:3: error: resource `Vpc` needs a `Type`"},
      {"cidr-list.yaml", vpc + "    Properties:\n      CidrBlock: [10.0.0.0/16]\n",
       ":5:18: error: `Vpc.CidrBlock` must be a string, found a list"},
      {"cidr-invalid.yaml", vpc + "    Properties:\n      CidrBlock: 10.0.0.0/33\n",
       "`Vpc.CidrBlock` is `10.0.0.0/33`, which is not a valid IPv4 CIDR"},
      {"port-text.yaml",
       vpc +
           "  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
           "      VpcId: !Ref Vpc\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n"
           "          FromPort: many\n          ToPort: 22\n          CidrIp: 10.0.0.0/8\n",
       ":11:21: error: `Sg.SecurityGroupIngress[0].FromPort` must be a whole number, found `many`"},
      {"ref-unknown.yaml", vpc + "    Properties:\n      CidrBlock: !Ref Nothing\n",
       "`Ref` names `Nothing`, which is neither a parameter nor a resource"},
      {"select-range.yaml", vpc + "    Properties:\n      CidrBlock: !Select [3, [a, b]]\n",
       "`Fn::Select` index 3 is out of range"},
      {"cidr-too-many.yaml",
       vpc + "    Properties:\n      CidrBlock: !Select [0, !Cidr [10.0.0.0/24, 2, 8]]\n",
       "holds only 1 /24 block, not 2"},
      {"unknown-fn.yaml", vpc + "    Properties:\n      CidrBlock: {\"Fn::Frobnicate\": x}\n",
       "unknown intrinsic function `Fn::Frobnicate`"},
      {"duplicate.yaml", vpc + "  Vpc:\n    Type: AWS::EC2::VPC\n",
       ":4:3: error: duplicate key `Vpc`"},
      {"bad-condition.yaml", vpc + "    Condition: Missing\n",
       "names `Missing`, which `Conditions` does not declare"},
      {"not-a-map.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\n---\n- Resources\n", "error"},
      {"bom-crlf.yaml",
       "\xEF\xBB\xBFResources:\r\n  Vpc:\r\n    Type: AWS::EC2::VPC\r\n    Properties:\r\n"
       "      CidrBlock: 10.0.0.0/33\r\n",
       ":5:18: error: `Vpc.CidrBlock` is `10.0.0.0/33`"},
      {"broken.json", "{\n \"Resources\": {\n  \"Vpc\": {\"Type\": \"AWS::EC2::VPC\",}\n }\n}\n",
       ":3:"},
      {"json-list.json",
       "{\"Resources\": {\"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": "
       "{\"CidrBlock\": 10}}}}",
       "`Vpc.CidrBlock` is `10`, which is not a valid IPv4 CIDR"},
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

TEST_CASE("an alias bomb is refused quickly", "[cloudformation][bad-input]") {
  // Billion laughs: 10 levels of 9 aliases each would expand to 9^10 strings.
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 10; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) {
      text += (j == 0 ? "*a" : ", *a") + std::to_string(i - 1);
    }
    text += "]\n";
  }
  text += "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      X: *a10\n";
  const ScratchFile file("bomb.yaml", text);
  const auto start = std::chrono::steady_clock::now();
  const Run run = RunTool({file.Path()});
  const auto took = std::chrono::steady_clock::now() - start;
  INFO(run.err);
  CHECK(run.exit == 2);
  CHECK(run.err.find("alias bomb") != std::string::npos);
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("deep nesting is refused without a crash", "[cloudformation][bad-input]") {
  // 1000 levels: deeper than the limit (512), yet under the template size limit (2 MiB).
  std::string block = "Resources:\n";
  for (int i = 0; i < 1000; ++i) {
    block += std::string(static_cast<size_t>(2 * (i + 1)), ' ') + "k" + std::to_string(i) + ":\n";
  }
  const ScratchFile deep_block("deep-block.yaml", block);
  Run run = RunTool({deep_block.Path()});
  CHECK(run.exit == 2);
  CHECK(run.err.find("nests") != std::string::npos);

  const ScratchFile deep_flow("deep-flow.yaml", "Resources: " + std::string(100000, '[') + "\n");
  run = RunTool({deep_flow.Path()});
  CHECK(run.exit == 2);
  CHECK(run.err.find(deep_flow.Path()) != std::string::npos);

  const ScratchFile deep_json("deep.json", "{\"Resources\": " + std::string(100000, '[') + "}");
  run = RunTool({deep_json.Path()});
  CHECK(run.exit == 2);
  CHECK(run.err.find("nests deeper than") != std::string::npos);

  // Intrinsic functions nested beyond the evaluation limit are an error, not a crash; nested
  // deeper still, the YAML reader refuses them.
  for (const auto& [levels, message] : std::vector<std::pair<int, std::string>>{
           {120, "the expression nests deeper than 200 levels"}, {300, "nests too deeply"}}) {
    std::string nested = "x";
    for (int i = 0; i < levels; ++i) {
      nested = "{\"Fn::Join\": [\"\", [" + nested + "]]}";
    }
    const ScratchFile deep_fn("deep-fn.yaml",
                              "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n"
                              "      Name: " +
                                  nested + "\n");
    run = RunTool({deep_fn.Path()});
    INFO(levels);
    CHECK(run.exit == 2);
    CHECK(run.err.find(message) != std::string::npos);
  }
}

TEST_CASE("a template of garbage or truncated text never crashes", "[cloudformation][bad-input]") {
  const std::string good = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "${AWS::StackName}-x"
      VpcId: !Ref Vpc
)";
  for (size_t cut = 1; cut < good.size(); cut += 7) {
    cvpn::Graph graph;
    InputErrors errors;
    (void)cvpn::parsers::LoadInputText("cut.yaml", good.substr(0, cut), graph, errors);
    for (const auto& e : errors) {
      CHECK(e.file == "cut.yaml");
    }
  }
  cvpn::Graph graph;
  InputErrors errors;
  CHECK(cvpn::parsers::LoadInputText("good.yaml", good, graph, errors));
}

TEST_CASE("subnets of a VPC outside the inputs are analysed without a crash",
          "[cloudformation][bad-input]") {
  // A common pattern: the VPC comes in as a parameter (here without a value), so no subnet's VPC
  // is known. Found by fuzzing: the checks must report, not crash.
  const std::string text = R"(Parameters:
  VpcId: {Type: "AWS::EC2::VPC::Id"}
Resources:
  VpnSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.0.1.0/24}
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.0.2.0/24}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      VpcId: !Ref VpcId
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.1.0/24}]
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      SubnetId: !Ref AppSubnet
      SecurityGroupIds: [!Ref Sg]
      Tags: [{Key: "cvpn-lint:ports", Value: tcp/22}]
  Endpoint:
    Type: AWS::EC2::ClientVpnEndpoint
    Properties:
      ClientCidrBlock: 172.16.0.0/22
      ServerCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/server
      VpcId: !Ref VpcId
      SecurityGroupIds: [!Ref Sg]
      AuthenticationOptions: [{Type: certificate-authentication}]
      ConnectionLogOptions: {Enabled: false}
  Association:
    Type: AWS::EC2::ClientVpnTargetNetworkAssociation
    Properties: {ClientVpnEndpointId: !Ref Endpoint, SubnetId: !Ref VpnSubnet}
)";
  const ScratchFile file("vpc-parameter.yaml", text);
  const Run run = RunTool({"--format", "json", file.Path()});
  INFO(run.err);
  CHECK((run.exit == 0 || run.exit == 1));
  const auto report = nlohmann::json::parse(run.out);
  REQUIRE(report["pairs"].size() == 1);
  CHECK(report["pairs"][0]["checks"][0]["status"] == "unknown");  // CVPN001: VPC not known
}

// --- The corpus
// -----------------------------------------------------------------------------------

namespace {

fs::path CorpusDir() {
  if (const char* env = std::getenv("CVPN_CORPUS_DIR")) {  // NOLINT(concurrency-mt-unsafe)
    return env;
  }
  return fs::path(CVPN_SOURCE_DIR) / ".." / "shared" / "corpus";
}

}  // namespace

TEST_CASE("the CloudFormation templates in the corpus load and report",
          "[cloudformation][corpus]") {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) {
    WARN("corpus not found at " << dir << "; skipped");
    return;
  }
  std::vector<fs::path> templates;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto& p = entry.path();
    const std::string name = p.filename().string();
    if (entry.is_regular_file() && (p.extension() == ".yml" || p.extension() == ".yaml" ||
                                    name.find(".template.json") != std::string::npos)) {
      templates.push_back(p);
    }
  }
  std::sort(templates.begin(), templates.end());
  CHECK(templates.size() >= 7);
  for (const fs::path& t : templates) {
    DYNAMIC_SECTION(t.filename().string()) {
      const Run run = RunTool({"--format", "json", t.string()});
      INFO(run.err);
      CHECK(run.exit != 2);
      CHECK_NOTHROW(nlohmann::json::parse(run.out));
    }
  }
  // Checked by hand: the FSx sample admits the endpoint's group on 445 (its implied SMB port).
  const fs::path fsx = dir / "aws-samples-fsx-clientvpn" / "main.yaml";
  if (fs::exists(fsx)) {
    const Run run = RunTool({"--format", "json", fsx.string()});
    const auto report = nlohmann::json::parse(run.out);
    REQUIRE(report["pairs"].size() == 1);
    CHECK(report["pairs"][0]["endpoint"] == "ClientVpnEndpoint");
    CHECK(report["pairs"][0]["target"] == "WindowsFSx");
    CHECK(report["pairs"][0]["port"] == "tcp/445");
    CHECK(report["pairs"][0]["verdict"] == "reachable");
  }
  // The webscale stack set, wired as Sceptre would, through logical IDs in --parameter.
  const fs::path webscale = dir / "webscale-client-vpn-templates" / "templates";
  if (fs::is_directory(webscale)) {
    const Run run = RunTool(
        {"--dump-graph", "--parameter",
         "client-vpn.PrivateSubnetIds=PrivateSubnet1,PrivateSubnet2,PrivateSubnet3", "--parameter",
         "natgw.PublicSubnetIds=PublicSubnet1,PublicSubnet2,PublicSubnet3", "--parameter",
         "natgw.PrivateRouteTableIds=PrivateRouteTable1,PrivateRouteTable2,PrivateRouteTable3",
         (webscale / "vpc.yml").string(), (webscale / "natgw.yml").string(),
         (webscale / "client-vpn.yml").string()});
    INFO(run.err);
    CHECK(run.exit == 0);
    CHECK(run.out.find("endpoint ClientVPN association PrivateSubnet3 (TargetNetwork3)") !=
          std::string::npos);
    CHECK(run.out.find("route_table PrivateRouteTable2 route 0.0.0.0/0 -> nat:NatGateway2") !=
          std::string::npos);
  }
}

// --- Terraform fixtures and their CloudFormation twins
// ---------------------------------------------

namespace {

/// "endpoint target port group verdict statuses..." per pair, addresses renamed by `names`.
std::set<std::string> Verdicts(const nlohmann::json& report,
                               const std::map<std::string, std::string>& names) {
  auto name = [&](const std::string& address) {
    auto it = names.find(address);
    return it == names.end() ? address : it->second;
  };
  std::set<std::string> out;
  for (const auto& p : report["pairs"]) {
    std::string line = name(p["endpoint"].get<std::string>()) + " " +
                       name(p["target"].get<std::string>()) + " " +
                       (p["port"].is_null() ? "-" : p["port"].get<std::string>()) + " " +
                       (p["group"].is_null() ? "-" : p["group"].get<std::string>()) + " " +
                       p["verdict"].get<std::string>();
    for (const auto& c : p["checks"]) {
      line += " " + c["rule"].get<std::string>() + "=" + c["status"].get<std::string>();
    }
    out.insert(line);
  }
  return out;
}

}  // namespace

TEST_CASE("Terraform fixtures and their CloudFormation twins give the same verdicts",
          "[cloudformation][fixtures]") {
  struct Twin {
    const char* scenario;
    const char* cfn_template;
    std::map<std::string, std::string> names;  ///< Terraform address -> logical ID
  };
  const std::vector<Twin> twins{
      {"rds_same_vpc_reachable",
       "template.yaml",
       {{"aws_ec2_client_vpn_endpoint.main", "Main"}, {"aws_db_instance.orders", "Orders"}}},
      {"nacl_vpn_subnet_no_return",
       "template.json",
       {{"aws_ec2_client_vpn_endpoint.main", "Main"}, {"aws_instance.build", "Build"}}},
      {"peering_routes_both_sides",
       "template.yaml",
       {{"aws_ec2_client_vpn_endpoint.main", "Main"}, {"aws_instance.web", "Web"}}},
      {"auth_group_devs",
       "template.yaml",
       {{"aws_ec2_client_vpn_endpoint.main", "Main"}, {"aws_instance.grafana", "Grafana"}}},
  };
  const fs::path fixtures = fs::path(CVPN_SOURCE_DIR) / "fixtures";
  for (const Twin& twin : twins) {
    DYNAMIC_SECTION(twin.scenario) {
      const fs::path tf = fixtures / "terraform" / twin.scenario;
      const fs::path cfn = fixtures / "cloudformation" / twin.scenario;
      const Run a = RunTool({"--format", "json", "--config", (tf / "cvpn-lint.yaml").string(),
                             (tf / "plan.json").string()});
      const Run b = RunTool({"--format", "json", "--config", (cfn / "cvpn-lint.yaml").string(),
                             (cfn / twin.cfn_template).string()});
      INFO(a.err << b.err);
      REQUIRE(a.exit != 2);
      REQUIRE(b.exit != 2);
      const auto terraform = Verdicts(nlohmann::json::parse(a.out), twin.names);
      const auto cloudformation = Verdicts(nlohmann::json::parse(b.out), {});
      CHECK(!terraform.empty());
      CHECK(terraform == cloudformation);
      CHECK(a.exit == b.exit);
    }
  }
}
