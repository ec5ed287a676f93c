// SPDX-License-Identifier: Apache-2.0
// `cvpn-lint DIR` on small Terraform sources written by the test: variables, locals, count,
// for_each, dynamic blocks and local modules; and bad input (syntax errors with positions,
// unknown functions, reference cycles, remote modules, limits), which gives a clear message or
// an unknown, never a crash or a hang.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/cli.h"
#include "tests/run_tool.h"
#include "parsers/hcl_loader.h"
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

/// A scratch directory of `.tf` files, removed at the end of the test.
class Sources {
 public:
  explicit Sources(const std::string& name)
      : dir_(fs::temp_directory_path() /
             ("cvpn-lint-hcl-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Sources() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Sources(const Sources&) = delete;
  Sources& operator=(const Sources&) = delete;

  void Write(const std::string& path, const std::string& text) const {
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path, std::ios::binary) << text;
  }
  std::string Dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

Json Plan(const Sources& s, const std::map<std::string, std::string>& vars = {}) {
  cvpn::parsers::LoadOptions options;
  options.variables = vars;
  cvpn::InputErrors errors;
  cvpn::parsers::hcl::Plan plan;
  const bool ok = cvpn::parsers::BuildPlanFromSources(s.Dir(), options, plan, errors);
  for (const auto& e : errors) {
    UNSCOPED_INFO(e.Render());
  }
  REQUIRE(ok);
  // Written straight as text, the plan is what nlohmann::json would write of it: compact, keys
  // in order.
  Json parsed = Json::parse(plan.text);
  CHECK(parsed.dump() == plan.text);
  return parsed;
}

/// planned_values resources of every module, by address.
std::map<std::string, Json> Resources(const Json& plan) {
  std::map<std::string, Json> out;
  std::vector<const Json*> stack{&plan["planned_values"]["root_module"]};
  while (!stack.empty()) {
    const Json* m = stack.back();
    stack.pop_back();
    for (const auto& r : m->value("resources", Json::array())) {
      out[r["address"].get<std::string>()] = r;
    }
    if (m->contains("child_modules")) {
      for (const auto& c : (*m)["child_modules"]) {
        stack.push_back(&c);
      }
    }
  }
  return out;
}

Json AfterUnknown(const Json& plan, const std::string& address) {
  for (const auto& c : plan["resource_changes"]) {
    if (c["address"] == address) {
      return c["change"]["after_unknown"];
    }
  }
  return nullptr;
}

using cvpn::testing::Run;
using cvpn::testing::RunTool;
Run Cli(const std::vector<std::string>& args) { return RunTool(args); }

const char* const kProvider = R"(
provider "aws" {
  region = "us-east-1"
}
)";

/// A complete single-VPC scenario: the endpoint, two associated subnets and a database.
const char* const kNetwork = R"(
variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "db_port" {
  type    = number
  default = 5432
}

locals {
  azs     = ["us-east-1a", "us-east-1b"]
  vpn_net = { for i, az in local.azs : az => cidrsubnet(var.vpc_cidr, 8, i + 1) }
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "vpn" {
  for_each          = local.vpn_net
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = each.key
}

resource "aws_subnet" "db" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, 10 + count.index)
  availability_zone = element(local.azs, count.index)
}

resource "aws_security_group" "vpn" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = aws_subnet.vpn
    content {
      from_port   = var.db_port
      to_port     = var.db_port
      protocol    = "6"
      cidr_blocks = [ingress.value.cidr_block]
    }
  }
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = aws_subnet.db[*].id
}

resource "aws_db_instance" "orders" {
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_ec2_client_vpn_endpoint" "main" {
  server_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/server"
  client_cidr_block      = "172.16.0.0/22"
  vpc_id                 = aws_vpc.main.id
  security_group_ids     = [aws_security_group.vpn.id]
  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = "arn:aws:acm:us-east-1:123456789012:certificate/root"
  }
  connection_log_options {
    enabled = false
  }
}

resource "aws_ec2_client_vpn_network_association" "vpn" {
  for_each               = aws_subnet.vpn
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.main.id
  subnet_id              = each.value.id
}

resource "aws_ec2_client_vpn_authorization_rule" "all" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.main.id
  target_network_cidr    = aws_vpc.main.cidr_block
  authorize_all_groups   = true
}
)";

}  // namespace

TEST_CASE("a directory is evaluated into a plan as Terraform would plan it", "[hcl][sources]") {
  Sources s("network");
  s.Write("main.tf", std::string(kProvider) + kNetwork);
  const Json plan = Plan(s);
  const auto resources = Resources(plan);
  // for_each over a map built with a for expression: keys are the map's keys.
  REQUIRE(resources.count("aws_subnet.vpn[\"us-east-1a\"]") == 1);
  CHECK(resources.at("aws_subnet.vpn[\"us-east-1a\"]")["values"]["cidr_block"] == "10.0.1.0/24");
  CHECK(resources.at("aws_subnet.vpn[\"us-east-1b\"]")["values"]["cidr_block"] == "10.0.2.0/24");
  CHECK(resources.at("aws_subnet.vpn[\"us-east-1b\"]")["index"] == "us-east-1b");
  // count with count.index and element().
  CHECK(resources.at("aws_subnet.db[1]")["values"]["cidr_block"] == "10.0.11.0/24");
  CHECK(resources.at("aws_subnet.db[1]")["values"]["availability_zone"] == "us-east-1b");
  CHECK(resources.at("aws_subnet.db[1]")["index"] == 1);
  // IDs are unknown; the configuration carries Terraform's references instead.
  CHECK(AfterUnknown(plan, "aws_subnet.db[0]")["id"] == true);
  CHECK(AfterUnknown(plan, "aws_subnet.db[0]")["vpc_id"] == true);
  // A dynamic block becomes inline rules with the provider's shape: protocol "6" is "tcp".
  const Json& ingress = resources.at("aws_security_group.db")["values"]["ingress"];
  REQUIRE(ingress.size() == 2);
  CHECK(ingress[0]["protocol"] == "tcp");
  CHECK(ingress[0]["from_port"] == 5432);
  CHECK(ingress[0]["cidr_blocks"] == Json::array({"10.0.1.0/24"}));
  CHECK(ingress[0]["self"] == false);
  CHECK(ingress[0]["security_groups"] == Json::array());
  // An omitted Optional+Computed block is unknown, as in real plans.
  CHECK(AfterUnknown(plan, "aws_security_group.db")["egress"] == true);
  // Provider defaults.
  CHECK(resources.at("aws_ec2_client_vpn_endpoint.main")["values"]["split_tunnel"] == false);
  // Source positions for findings.
  const Json& source = resources.at("aws_db_instance.orders")["cvpn_source"];
  CHECK(source["line"] == 67);
  CHECK(source["column"] == 1);
  CHECK(source["file"].get<std::string>().find("main.tf") != std::string::npos);
  // Configuration: references in Terraform's format, and instance keys for each.value.
  Json association;
  for (const auto& r : plan["configuration"]["root_module"]["resources"]) {
    if (r["address"] == "aws_ec2_client_vpn_network_association.vpn") {
      association = r;
    }
  }
  CHECK(association["expressions"]["subnet_id"]["references"] ==
        Json::array({"each.value.id", "each.value"}));
  CHECK(association["for_each_expression"]["references"] == Json::array({"aws_subnet.vpn"}));
}

TEST_CASE("cvpn-lint DIR checks sources without a plan", "[hcl][sources]") {
  Sources s("cli");
  s.Write("main.tf", std::string(kProvider) + kNetwork);
  const Run run = Cli({"--format", "json", "--target", "aws_db_instance.orders=tcp/5432", s.Dir()});
  INFO(run.err);
  REQUIRE(run.exit == 0);
  const Json report = Json::parse(run.out);
  REQUIRE(report["pairs"].size() == 1);
  CHECK(report["pairs"][0]["verdict"] == "reachable");
  // A variable changes the outcome: the rules then admit another port.
  const Run other = Cli({"--format", "json", "--var", "db_port=3306", "--target",
                         "aws_db_instance.orders=tcp/5432", s.Dir()});
  REQUIRE(other.exit == 1);
  const Json blocked = Json::parse(other.out);
  CHECK(blocked["pairs"][0]["verdict"] == "blocked");
  // The finding points at the .tf block to change.
  bool located = false;
  for (const auto& f : blocked["findings"]) {
    if (f["rule"] == "CVPN002" && f["location"].is_object()) {
      located = f["location"]["file"].get<std::string>().find("main.tf") != std::string::npos &&
                f["location"]["line"] == 49;
    }
  }
  CHECK(located);
}

TEST_CASE("variables come from defaults, tfvars files and --var, in Terraform's order",
          "[hcl][sources]") {
  Sources s("vars");
  s.Write("main.tf", R"(
variable "a" { default = "from-default" }
variable "b" { default = "from-default" }
variable "c" { default = "from-default" }
variable "d" {}
variable "ports" { type = list(number) }
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { a = var.a, b = var.b, c = var.c, d = var.d, p = tostring(var.ports[1]) }
}
)");
  s.Write("terraform.tfvars", "b = \"from-tfvars\"\nc = \"from-tfvars\"\nports = [1, 2]\n");
  s.Write("x.auto.tfvars", "c = \"from-auto\"\n");
  const Json plan = Plan(s, {{"d", "from-cli"}, {"ports", "[22, 443]"}});
  const Json tags = Resources(plan).at("aws_vpc.v")["values"]["tags"];
  CHECK(tags["a"] == "from-default");
  CHECK(tags["b"] == "from-tfvars");
  CHECK(tags["c"] == "from-auto");
  CHECK(tags["d"] == "from-cli");
  CHECK(tags["p"] == "443");
}

TEST_CASE("local modules are expanded with their instances and outputs", "[hcl][sources]") {
  Sources s("modules");
  s.Write("main.tf", R"(
module "net" {
  source = "./modules/net"
  count  = 2
  cidr   = cidrsubnet("10.0.0.0/8", 8, count.index)
}
resource "aws_security_group" "app" {
  vpc_id = module.net[0].vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [module.net[1].cidr]
  }
}
)");
  s.Write("modules/net/main.tf", R"(
variable "cidr" { type = string }
resource "aws_vpc" "this" { cidr_block = var.cidr }
output "vpc_id" { value = aws_vpc.this.id }
output "cidr" { value = aws_vpc.this.cidr_block }
)");
  const Json plan = Plan(s);
  const auto resources = Resources(plan);
  REQUIRE(resources.count("module.net[1].aws_vpc.this") == 1);
  CHECK(resources.at("module.net[1].aws_vpc.this")["values"]["cidr_block"] == "10.1.0.0/16");
  CHECK(resources.at("aws_security_group.app")["values"]["ingress"][0]["cidr_blocks"][0] ==
        "10.1.0.0/16");
  const Json& call = plan["configuration"]["root_module"]["module_calls"]["net"];
  CHECK(call["source"] == "./modules/net");
  CHECK(call["module"]["outputs"]["vpc_id"]["expression"]["references"] ==
        Json::array({"aws_vpc.this.id", "aws_vpc.this"}));
  CHECK(resources.at("module.net[0].aws_vpc.this")["cvpn_source"]["file"].get<std::string>().find(
            "modules/net/main.tf") != std::string::npos);
}

TEST_CASE("syntax errors stop with the file, line and column", "[hcl][bad]") {
  Sources s("syntax");
  s.Write("main.tf",
          "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n\n"
          "resource \"aws_subnet\" \"s\" {\n  cidr_block = \n}\n");
  const Run run = Cli({s.Dir()});
  CHECK(run.exit == 2);
  CHECK_THAT(run.err, Catch::Contains("main.tf:") && Catch::Contains("syntax error"));
  Sources t("syntax2");
  t.Write("a.tf", "locals {\n  x = [1, 2\n}\n");
  const Run run2 = Cli({t.Dir()});
  CHECK(run2.exit == 2);
  CHECK_THAT(run2.err, Catch::Contains("a.tf:"));
  Sources u("syntax3");
  u.Write("main.tf", "variable \"x\" {\n  default = \"${\"\n}\n");
  CHECK(Cli({u.Dir()}).exit == 2);
}

TEST_CASE("what cannot be evaluated is unknown with its reason", "[hcl][bad]") {
  Sources s("unknowns");
  s.Write("main.tf", R"(
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}
data "aws_vpc" "existing" {
  cidr_block = "10.9.0.0/16"
}
resource "aws_vpc" "v" {
  cidr_block = nosuchfunction("10.0.0.0/16")
}
resource "aws_subnet" "remote" {
  vpc_id     = module.remote.vpc_id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "existing" {
  vpc_id     = data.aws_vpc.existing.id
  cidr_block = cidrsubnet(data.aws_vpc.existing.cidr_block, 8, 1)
}
resource "aws_subnet" "counted" {
  count      = length(data.aws_vpc.existing.cidr_block_associations)
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
)");
  const Json plan = Plan(s);
  const auto resources = Resources(plan);
  CHECK_THAT(resources.at("aws_vpc.v")["cvpn_unknown"]["cidr_block"].get<std::string>(),
             Catch::Contains("`nosuchfunction` is not a function"));
  CHECK(AfterUnknown(plan, "aws_vpc.v")["cidr_block"] == true);
  CHECK_THAT(resources.at("aws_subnet.remote")["cvpn_unknown"]["vpc_id"].get<std::string>(),
             Catch::Contains("not a local path"));
  // A data source's filter is known; what it reads is not.
  CHECK(resources.at("data.aws_vpc.existing")["values"]["cidr_block"] == "10.9.0.0/16");
  CHECK(resources.at("aws_subnet.existing")["values"]["cidr_block"] == "10.9.1.0/24");
  CHECK(AfterUnknown(plan, "aws_subnet.existing")["vpc_id"] == true);
  // count over an unknown: one placeholder instance, unknown where it depends on the count.
  CHECK(resources.count("aws_subnet.counted") == 1);
  // The tool still reports, with no crash and no exit 2.
  const Run run = Cli({"--format", "json", s.Dir()});
  INFO(run.err);
  CHECK(run.exit != 2);
}

TEST_CASE("hostile sources hit limits with a clear message", "[hcl][bad]") {
  Sources s("limits");
  s.Write("main.tf", R"(
resource "aws_subnet" "many" {
  count      = 1000000
  vpc_id     = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
)");
  const Run run = Cli({s.Dir()});
  CHECK(run.exit == 2);
  CHECK_THAT(run.err, Catch::Contains("main.tf:3:") && Catch::Contains("at most 10000 "));

  Sources deep("deep");
  std::string nested = "locals {\n  x = ";
  for (int i = 0; i < 5000; ++i) {
    nested += "[";
  }
  for (int i = 0; i < 5000; ++i) {
    nested += "]";
  }
  nested += "\n}\n";
  deep.Write("main.tf", nested);
  const Run deep_run = Cli({deep.Dir()});
  CHECK(deep_run.exit == 2);
  CHECK_THAT(deep_run.err, Catch::Contains("deeper than"));

  Sources chain("chain");
  std::string locals = "locals {\n  l0 = 1\n";
  for (int i = 1; i < 3000; ++i) {
    locals += "  l" + std::to_string(i) + " = local.l" + std::to_string(i - 1) + " + 1\n";
  }
  locals +=
      "}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = { n = local.l2999 "
      "}\n}\n";
  chain.Write("main.tf", locals);
  const Run chain_run = Cli({chain.Dir()});  // deep reference chains stop at the depth limit
  CHECK(chain_run.exit == 2);
  CHECK_THAT(chain_run.err, Catch::Contains("main.tf:") && Catch::Contains("nest deeper than"));

  Sources self("self");
  self.Write("main.tf", "module \"me\" {\n  source = \"./\"\n}\n");
  const Run self_run = Cli({self.Dir()});  // a module calling itself: Terraform would not end
  CHECK(self_run.exit == 2);
  CHECK_THAT(self_run.err, Catch::Contains("main.tf:1:1:") && Catch::Contains("calls `./`"));

  Sources cycle("cycle");
  cycle.Write("main.tf", R"(
locals {
  a = local.b
  b = local.a
}
resource "aws_subnet" "cycle" {
  vpc_id     = "vpc-1"
  cidr_block = local.a
}
)");
  const Run cycle_run = Cli({cycle.Dir()});  // Terraform refuses a cycle too
  CHECK(cycle_run.exit == 2);
  CHECK_THAT(cycle_run.err, Catch::Contains("main.tf:3:3: error: reference cycle: local.a -> "
                                            "local.b -> local.a"));

  Sources empty("empty");
  const Run empty_run = Cli({empty.Dir()});
  CHECK(empty_run.exit == 2);
  CHECK_THAT(empty_run.err, Catch::Contains("no Terraform `.tf` files"));
}
