// SPDX-License-Identifier: Apache-2.0
// The Terraform plan model: reference syntax, module paths, and the resolution of values known
// only after apply through configuration references, with count and for_each pairing.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "parsers/json_view.h"
#include "parsers/plan_model.h"

namespace {

using cvpn::parsers::ConfigPathOf;
using cvpn::parsers::JsonDocument;
using cvpn::parsers::PlanModel;
using cvpn::parsers::SplitReference;

/// A plan document parsed from text, as the front end parses files.
std::unique_ptr<JsonDocument> Plan(std::string text) {
  cvpn::InputErrors errors;
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  auto document = JsonDocument::Parse("plan.json", text, 512, errors);
  REQUIRE(errors.empty());
  return document;
}

/// The addresses an attribute of `address` resolves to.
std::vector<std::string> Resolve(const PlanModel& model, const std::string& address,
                                 const std::string& attribute) {
  for (int i = 0; i < static_cast<int>(model.Instances().size()); ++i) {
    if (model.Instance(i).address == address) {
      std::vector<std::string> out;
      for (const auto& t : model.Attribute(i, attribute).targets) {
        out.push_back(model.Instance(t.instance).address + "." + t.attribute);
      }
      return out;
    }
  }
  FAIL("no instance " << address);
  return {};
}

}  // namespace

TEST_CASE("references split into steps", "[plan]") {
  CHECK(SplitReference("aws_vpc.main.id") == std::vector<std::string>{"aws_vpc", "main", "id"});
  CHECK(SplitReference("aws_subnet.a[0].id") ==
        std::vector<std::string>{"aws_subnet", "a", "[0]", "id"});
  CHECK(SplitReference(R"(module.net["a.b"].ids)") ==
        std::vector<std::string>{"module", "net", R"(["a.b"])", "ids"});
  CHECK(SplitReference("data.aws_vpc.x.cidr_block") ==
        std::vector<std::string>{"data", "aws_vpc", "x", "cidr_block"});
}

TEST_CASE("module instance addresses map to configuration paths", "[plan]") {
  CHECK(ConfigPathOf("") == "");
  CHECK(ConfigPathOf("module.a") == "module.a");
  CHECK(ConfigPathOf("module.a[0].module.b[\"x]y\"]") == "module.a.module.b");
}

TEST_CASE("count.index and each.key pair instances, splats take them all", "[plan]") {
  const auto plan = Plan(R"({
    "format_version": "1.2",
    "planned_values": {"root_module": {"resources": [
      {"address": "aws_subnet.s[0]", "type": "aws_subnet", "name": "s", "index": 0, "values": {}},
      {"address": "aws_subnet.s[1]", "type": "aws_subnet", "name": "s", "index": 1, "values": {}},
      {"address": "aws_subnet.m[\"a\"]", "type": "aws_subnet", "name": "m", "index": "a", "values": {}},
      {"address": "aws_subnet.m[\"b\"]", "type": "aws_subnet", "name": "m", "index": "b", "values": {}},
      {"address": "aws_x.c[0]", "type": "aws_x", "name": "c", "index": 0, "values": {}},
      {"address": "aws_x.c[1]", "type": "aws_x", "name": "c", "index": 1, "values": {}},
      {"address": "aws_x.e[\"b\"]", "type": "aws_x", "name": "e", "index": "b", "values": {}},
      {"address": "aws_x.v[\"a\"]", "type": "aws_x", "name": "v", "index": "a", "values": {}},
      {"address": "aws_x.splat", "type": "aws_x", "name": "splat", "values": {}},
      {"address": "aws_x.known", "type": "aws_x", "name": "known", "values": {"subnet_id": "subnet-1"}}
    ]}},
    "resource_changes": [
      {"address": "aws_x.c[0]", "change": {"after_unknown": {"subnet_id": true}}},
      {"address": "aws_x.c[1]", "change": {"after_unknown": {"subnet_id": true}}},
      {"address": "aws_x.e[\"b\"]", "change": {"after_unknown": {"subnet_id": true}}},
      {"address": "aws_x.v[\"a\"]", "change": {"after_unknown": {"subnet_id": true}}},
      {"address": "aws_x.splat", "change": {"after_unknown": {"subnet_ids": true}}}
    ],
    "configuration": {"root_module": {"resources": [
      {"address": "aws_x.c", "type": "aws_x", "name": "c",
       "expressions": {"subnet_id": {"references": ["aws_subnet.s", "count.index"]}}},
      {"address": "aws_x.e", "type": "aws_x", "name": "e",
       "expressions": {"subnet_id": {"references": ["aws_subnet.m", "each.key"]}}},
      {"address": "aws_x.v", "type": "aws_x", "name": "v",
       "for_each_expression": {"references": ["aws_subnet.m"]},
       "expressions": {"subnet_id": {"references": ["each.value.id", "each.value"]}}},
      {"address": "aws_x.splat", "type": "aws_x", "name": "splat",
       "expressions": {"subnet_ids": {"references": ["aws_subnet.s"]}}},
      {"address": "aws_x.known", "type": "aws_x", "name": "known",
       "expressions": {"subnet_id": {"constant_value": "subnet-1"}}}
    ]}}
  })");
  cvpn::InputErrors errors;
  const PlanModel model(plan->Root(), "plan.json", errors);
  CHECK(errors.empty());
  CHECK(Resolve(model, "aws_x.c[0]", "subnet_id") == std::vector<std::string>{"aws_subnet.s[0]."});
  CHECK(Resolve(model, "aws_x.c[1]", "subnet_id") == std::vector<std::string>{"aws_subnet.s[1]."});
  CHECK(Resolve(model, "aws_x.e[\"b\"]", "subnet_id") ==
        std::vector<std::string>{"aws_subnet.m[\"b\"]."});
  CHECK(Resolve(model, "aws_x.v[\"a\"]", "subnet_id") ==
        std::vector<std::string>{"aws_subnet.m[\"a\"].id"});
  CHECK(Resolve(model, "aws_x.splat", "subnet_ids") ==
        std::vector<std::string>{"aws_subnet.s[0].", "aws_subnet.s[1]."});
  CHECK(Resolve(model, "aws_x.known", "subnet_id").empty());
}

TEST_CASE("module inputs and outputs are followed", "[plan]") {
  const auto plan = Plan(R"({
    "format_version": "1.2",
    "planned_values": {"root_module": {
      "resources": [
        {"address": "aws_vpc.v", "type": "aws_vpc", "name": "v", "values": {}},
        {"address": "aws_x.uses_output", "type": "aws_x", "name": "uses_output", "values": {}}
      ],
      "child_modules": [{"address": "module.net", "resources": [
        {"address": "module.net.aws_subnet.s", "type": "aws_subnet", "name": "s", "values": {}}
      ]}]}},
    "resource_changes": [
      {"address": "module.net.aws_subnet.s", "change": {"after_unknown": {"vpc_id": true}}},
      {"address": "aws_x.uses_output", "change": {"after_unknown": {"subnet_id": true}}}
    ],
    "configuration": {"root_module": {
      "resources": [
        {"address": "aws_vpc.v", "type": "aws_vpc", "name": "v", "expressions": {}},
        {"address": "aws_x.uses_output", "type": "aws_x", "name": "uses_output",
         "expressions": {"subnet_id": {"references": ["module.net.subnet_id", "module.net"]}}}
      ],
      "module_calls": {"net": {
        "source": "./net",
        "expressions": {"vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}},
        "module": {
          "resources": [{"address": "aws_subnet.s", "type": "aws_subnet", "name": "s",
                         "expressions": {"vpc_id": {"references": ["var.vpc_id"]}}}],
          "outputs": {"subnet_id": {"expression": {"references": ["aws_subnet.s.id", "aws_subnet.s"]}}}
        }}}}}
  })");
  cvpn::InputErrors errors;
  const PlanModel model(plan->Root(), "plan.json", errors);
  CHECK(errors.empty());
  CHECK(Resolve(model, "module.net.aws_subnet.s", "vpc_id") ==
        std::vector<std::string>{"aws_vpc.v.id"});
  CHECK(Resolve(model, "aws_x.uses_output", "subnet_id") ==
        std::vector<std::string>{"module.net.aws_subnet.s.id"});
}

TEST_CASE("existing, updated and destroyed resources are read as after apply", "[plan]") {
  // format_version 1.1: an existing VPC (no-op, known ID), a subnet being created that names it by
  // ID, and a security group only in prior_state: it is being destroyed, so it is gone.
  const auto plan = Plan(R"({
    "format_version": "1.1",
    "planned_values": {"root_module": {"resources": [
      {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v",
       "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}},
      {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
       "values": {"vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24"}}
    ]}},
    "resource_changes": [
      {"address": "aws_vpc.v", "change": {"actions": ["no-op"], "after_unknown": {}}},
      {"address": "aws_subnet.s", "change": {"actions": ["create"], "after_unknown": {"id": true}}},
      {"address": "aws_security_group.old", "change": {"actions": ["delete"], "after": null}}
    ],
    "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
      {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v",
       "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}},
      {"address": "aws_security_group.old", "mode": "managed", "type": "aws_security_group",
       "name": "old", "values": {"id": "sg-old", "vpc_id": "vpc-1"}},
      {"address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared",
       "values": {"id": "vpc-2", "cidr_block": "10.9.0.0/16"}}
    ]}}},
    "configuration": {"root_module": {"resources": [
      {"address": "aws_subnet.s", "type": "aws_subnet", "name": "s",
       "expressions": {"vpc_id": {"constant_value": "vpc-1"}}}
    ]}}
  })");
  cvpn::InputErrors errors;
  const PlanModel model(plan->Root(), "plan.json", errors);
  CHECK(errors.empty());
  std::vector<std::string> addresses;
  for (const auto& i : model.Instances()) {
    addresses.push_back(i.address);
  }
  CHECK(addresses ==
        std::vector<std::string>{"aws_subnet.s", "aws_vpc.v", "data.aws_vpc.shared"});
  CHECK(model.FindById("vpc-1") >= 0);
  CHECK(model.FindById("sg-old") == -1);
  CHECK(model.FindById("vpc-2") >= 0);
}
