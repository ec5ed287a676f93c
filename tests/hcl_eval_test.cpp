// SPDX-License-Identifier: Apache-2.0
// The HCL evaluator: Terraform's semantics for expressions and the functions networking code
// uses (examples from Terraform's documentation where it gives them).
#include "parsers/hcl_eval.h"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "parsers/hcl_syntax.h"

namespace {

using cvpn::parsers::hcl::Budget;
using cvpn::parsers::hcl::Evaluator;
using cvpn::parsers::hcl::ExprPtr;
using cvpn::parsers::hcl::Position;
using cvpn::parsers::hcl::Scope;
using cvpn::parsers::hcl::Value;

/// var.* from a fixed table; every resource reference is unknown, with its origin.
class TestScope : public Scope {
 public:
  Value Reference(const std::string& root, const std::string& name, Position) override {
    if (root == "var") {
      if (name == "azs") {
        return Value::List({Value::String("us-east-1a"), Value::String("us-east-1b")});
      }
      if (name == "subnets") {
        cvpn::parsers::hcl::ValueMap m;
        m.emplace("b", Value::String("10.0.2.0/24"));
        m.emplace("a", Value::String("10.0.1.0/24"));
        return Value::Object(std::move(m));
      }
      if (name == "cidr") {
        return Value::String("10.0.0.0/16");
      }
      return Value::Error("no such variable");
    }
    return Value::Unknown("known only after apply", {root + "." + name});
  }
  Value DataReference(const std::string& type, const std::string& name, Position) override {
    return Value::Unknown("data source", {"data." + type + "." + name});
  }
  const std::string& FileName() const override { return file_; }

 private:
  std::string file_ = "test.tf";
};

Value Eval(const std::string& text) {
  std::string error;
  ExprPtr expr = cvpn::parsers::hcl::ParseExpression(text, error);
  INFO(text << ": " << error);
  REQUIRE(expr);
  TestScope scope;
  Budget budget;
  Evaluator ev(scope, budget);
  return ev.Eval(*expr);
}

std::string Json(const std::string& text) {
  const Value v = Eval(text);
  INFO(text << " -> " << (v.IsUnknown() ? v.Reason() : v.ToJson().dump()));
  REQUIRE(v.IsKnown());
  REQUIRE_FALSE(v.ContainsUnknown());
  return v.ToJson().dump();
}

}  // namespace

TEST_CASE("IP address functions follow Terraform", "[hcl][functions]") {
  CHECK(Json(R"(cidrsubnet("172.16.0.0/12", 4, 2))") == R"("172.18.0.0/16")");
  CHECK(Json(R"(cidrsubnet("10.1.2.0/24", 4, 15))") == R"("10.1.2.240/28")");
  CHECK(Json(R"(cidrsubnet(var.cidr, 8, 1))") == R"("10.0.1.0/24")");
  CHECK(Json(R"(cidrsubnet("10.0.1.5/16", 8, 1))") == R"("10.0.1.0/24")");  // host bits dropped
  CHECK(Json(R"(cidrsubnets("10.1.0.0/16", 4, 4, 8, 4))") ==
        R"(["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"])");
  CHECK(Json(R"(cidrsubnets("10.0.0.0/8", 8, 8, 8))") ==
        R"(["10.0.0.0/16","10.1.0.0/16","10.2.0.0/16"])");
  CHECK(Json(R"(cidrhost("10.12.112.0/20", 16))") == R"("10.12.112.16")");
  CHECK(Json(R"(cidrhost("10.12.112.0/20", 268))") == R"("10.12.113.12")");
  CHECK(Json(R"(cidrhost("10.0.0.0/24", -2))") == R"("10.0.0.254")");
  CHECK(Json(R"(cidrnetmask("172.16.0.0/12"))") == R"("255.240.0.0")");
  CHECK(Json(R"([for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)])") ==
        R"(["10.0.0.0/24","10.0.1.0/24","10.0.2.0/24"])");
  // Out of range: an error, never a wrong address.
  CHECK(Eval(R"(cidrsubnet("10.0.0.0/30", 4, 0))").IsError());
  CHECK(Eval(R"(cidrsubnet("10.0.0.0/16", 2, 4))").IsError());
  CHECK(Eval(R"(cidrhost("10.0.0.0/30", 4))").IsError());
  CHECK(Eval(R"(cidrsubnets("10.0.0.0/24", 1, 1, 1))").IsError());
  CHECK(Eval(R"(cidrsubnet("10.0.0.300/16", 8, 1))").IsError());
}

TEST_CASE("collection functions follow Terraform", "[hcl][functions]") {
  CHECK(Json(R"(element(["a", "b", "c"], 3))") == R"("a")");  // wraps around
  CHECK(Json(R"(element(var.azs, 5))") == R"("us-east-1b")");
  CHECK(Eval(R"(element([], 0))").IsError());
  CHECK(Json(R"(length(["a", "b"]))") == "2");
  CHECK(Json(R"(length({a = 1}))") == "1");
  CHECK(Json(R"(length("héllo"))") == "5");
  CHECK(Json(R"(concat(["a"], ["b", "c"]))") == R"(["a","b","c"])");
  CHECK(Json(R"(flatten([["a", "b"], [], ["c", ["d"]]]))") == R"(["a","b","c","d"])");
  CHECK(Json(R"(lookup({a = "x"}, "a", "y"))") == R"("x")");
  CHECK(Json(R"(lookup({a = "x"}, "b", "y"))") == R"("y")");
  CHECK(Eval(R"(lookup({a = "x"}, "b"))").IsError());
  CHECK(Json(R"(merge({a = 1, b = 2}, {b = 3}, null))") == R"({"a":1,"b":3})");
  CHECK(Json(R"(keys({b = 1, a = 2}))") == R"(["a","b"])");  // lexical order
  CHECK(Json(R"(values({b = 1, a = 2}))") == R"([2,1])");
  CHECK(Json(R"(toset(["b", "a", "b"]))") == R"(["a","b"])");  // sets of strings: lexical
  CHECK(Json(R"(toset([10, 9, 1]))") == R"([1,9,10])");
  CHECK(Json(R"(tolist(toset(["c", "a"])))") == R"(["a","c"])");
  CHECK(Json(R"(toset(["a", 1]))") == R"(["1","a"])");  // unified to strings
  CHECK(Json(R"(tomap({a = "x", b = 1}))") == R"({"a":"x","b":"1"})");
  CHECK(Json(R"(zipmap(["a", "b"], [1, 2]))") == R"({"a":1,"b":2})");
  CHECK(Json(R"(contains(["a", "b"], "b"))") == "true");
  CHECK(Json(R"(contains(["a", "b"], "c"))") == "false");
  CHECK(Json(R"(distinct(["a", "b", "a", "c"]))") == R"(["a","b","c"])");
  CHECK(Json(R"(compact(["a", "", null, "b"]))") == R"(["a","b"])");
  CHECK(Json(R"(coalesce("", null, "x", "y"))") == R"("x")");
  CHECK(Json(R"(range(3))") == "[0,1,2]");
  CHECK(Json(R"(range(1, 4))") == "[1,2,3]");
  CHECK(Json(R"(range(10, 0, -4))") == "[10,6,2]");
  CHECK(Eval(R"(range(2000))").IsError());  // Terraform's limit of 1024
  CHECK(Json(R"(slice(["a", "b", "c"], 1, 3))") == R"(["b","c"])");
  CHECK(Json(R"(one([]))") == "null");
  CHECK(Json(R"(setunion(["a"], ["b", "a"]))") == R"(["a","b"])");
  CHECK(Json(R"(sum([1, 2, 3]))") == "6");
  CHECK(Json(R"(max(1, 5, 3))") == "5");
}

TEST_CASE("string functions and templates follow Terraform", "[hcl][functions]") {
  CHECK(Json(R"(format("%s-%03d", "web", 7))") == R"("web-007")");
  CHECK(Json(R"(format("%v/%d", "10.0.0.0", 16))") == R"("10.0.0.0/16")");
  CHECK(Json(R"(format("%q", "a"))") == R"("\"a\"")");
  CHECK(Json(R"(formatlist("%s:%d", ["a", "b"], 80))") == R"(["a:80","b:80"])");
  CHECK(Json(R"(join(",", ["a", "b"]))") == R"("a,b")");
  CHECK(Json(R"(split(",", "a,b,,c"))") == R"(["a","b","","c"])");
  CHECK(Json(R"(split(",", ""))") == R"([""])");
  CHECK(Json(R"(replace("a-b-c", "-", "_"))") == R"("a_b_c")");
  CHECK(Json(R"(upper("ab"))") == R"("AB")");
  CHECK(Json(R"(trimspace("  x "))") == R"("x")");
  CHECK(Json(R"(substr("hello", 1, 3))") == R"("ell")");
  CHECK(Json(R"("${var.cidr}-x")") == R"("10.0.0.0/16-x")");
  CHECK(Json(R"("a%{ if true }b%{ else }c%{ endif }d")") == R"("abd")");
  CHECK(Json(R"("%{ for s in ["x", "y"] }${s},%{ endfor }")") == R"("x,y,")");
  CHECK(Json(R"("${1 + 1}")") == "2");  // a lone interpolation keeps its type
  CHECK(Json(R"("esc\"aped\n$${literal}")") == R"("esc\"aped\n${literal}")");
  CHECK(Json("<<-EOT\n    a\n      b\n    EOT") == R"("a\n  b\n")");
}

TEST_CASE("expressions follow Terraform", "[hcl][eval]") {
  CHECK(Json("1 + 2 * 3") == "7");
  CHECK(Json("true ? 1 : false ? 2 : 3") == "1");
  CHECK(Json("false ? 1 : false ? 2 : 3") == "3");  // right-associative
  CHECK(Json("false ? 1 : true ? 2 : 3") == "2");
  CHECK(Json(R"([for k, v in var.subnets : "${k}=${v}"])") ==
        R"(["a=10.0.1.0/24","b=10.0.2.0/24"])");  // maps iterate by key
  CHECK(Json(R"({for k, v in var.subnets : v => k})") ==
        R"({"10.0.1.0/24":"a","10.0.2.0/24":"b"})");
  CHECK(Json(R"({for s in ["a", "b", "a"] : s => s...})") == R"({"a":["a","a"],"b":["b"]})");
  CHECK(Json(R"([for s in ["a", "b"] : upper(s) if s != "a"])") == R"(["B"])");
  CHECK(Json(R"([{a = 1}, {a = 2}][*].a)") == "[1,2]");
  CHECK(Json(R"([{a = {b = 1}}].*.a.b)") == "[1]");
  CHECK(Json(R"(var.azs[1])") == R"("us-east-1b")");
  CHECK(Json(R"(var.subnets["a"])") == R"("10.0.1.0/24")");
  CHECK(Json(R"(var.subnets.b)") == R"("10.0.2.0/24")");
  CHECK(Json(R"(try(var.subnets.c, "none"))") == R"("none")");
  CHECK(Json(R"(can(var.subnets.c))") == "false");
  CHECK(Json(R"(!(1 == 2) && 3 >= 3)") == "true");
  CHECK(Json(R"(-5 % 3)") == "-2");
  CHECK(Eval(R"(var.azs[2])").IsError());
}

TEST_CASE("unknown values propagate with their origins", "[hcl][eval]") {
  const Value id = Eval("aws_vpc.main.id");
  REQUIRE(id.IsUnknown());
  CHECK_FALSE(id.IsError());
  CHECK(id.Origins() == std::vector<std::string>{"aws_vpc.main.id"});
  const Value list = Eval("[aws_subnet.a.id, \"subnet-1\"]");
  REQUIRE(list.IsList());
  CHECK(list.Items()[0].IsUnknown());
  CHECK(list.Items()[1].IsString());
  CHECK(Eval("length([aws_subnet.a.id, aws_subnet.b.id])").ToJson() == 2);
  CHECK(Eval("\"${aws_vpc.main.id}-x\"").IsUnknown());
  CHECK(Eval("data.aws_vpc.x.cidr_block").Origins() ==
        std::vector<std::string>{"data.aws_vpc.x.cidr_block"});
  // A set with an unknown element is unknown as a whole.
  CHECK(Eval("toset([aws_subnet.a.id])").IsUnknown());
  // An unknown condition gives an unknown result with both sides' origins.
  const Value c = Eval("aws_vpc.a.id == \"x\" ? aws_subnet.a.id : aws_subnet.b.id");
  REQUIRE(c.IsUnknown());
  CHECK(c.Origins().size() == 3);
}

TEST_CASE("errors are values, never exceptions", "[hcl][eval]") {
  const Value unknown_function = Eval("nosuchfunction(1)");
  REQUIRE(unknown_function.IsError());
  CHECK_THAT(unknown_function.Reason(), Catch::Contains("`nosuchfunction` is not a function") &&
                                            Catch::Contains("test.tf:1:"));
  CHECK(Eval("1 / 0").IsError());
  CHECK(Eval("\"a\" + 1").IsError());
  CHECK(Eval("[1][\"x\"]").IsError());
  CHECK(Eval("null.a").IsError());
  CHECK(Eval("provider::aws::arn_parse(\"x\")").IsError());
  CHECK(Eval("file(\"x\")").IsError());
  // Deep nesting stops at the depth limit.
  std::string deep;
  for (int i = 0; i < 150; ++i) {
    deep += "[";
  }
  deep += "1";
  for (int i = 0; i < 150; ++i) {
    deep += "]";
  }
  std::string error;
  ExprPtr expr = cvpn::parsers::hcl::ParseExpression(deep, error);
  if (expr) {
    TestScope scope;
    Budget budget;
    budget.max_depth = 100;
    Evaluator ev(scope, budget);
    CHECK(ev.Eval(*expr).IsError());
  }
}

TEST_CASE("Terraform's reference format for plan JSON", "[hcl][syntax]") {
  auto refs = [](const std::string& text) {
    std::string error;
    ExprPtr expr = cvpn::parsers::hcl::ParseExpression(text, error);
    REQUIRE(expr);
    return cvpn::parsers::hcl::TerraformReferences(cvpn::parsers::hcl::ReferencesOf(*expr));
  };
  using V = std::vector<std::string>;
  CHECK(refs("aws_vpc.main.id") == V{"aws_vpc.main.id", "aws_vpc.main"});
  CHECK(refs("aws_subnet.vpn[\"a\"].cidr_block") ==
        V{"aws_subnet.vpn[\"a\"].cidr_block", "aws_subnet.vpn[\"a\"]", "aws_subnet.vpn"});
  CHECK(refs("aws_subnet.x[count.index].id") == V{"aws_subnet.x", "count.index"});
  CHECK(refs("[for s in aws_subnet.vpn : s.cidr_block]") == V{"aws_subnet.vpn"});
  CHECK(refs("each.value.id") == V{"each.value.id", "each.value"});
  CHECK(refs("module.net.ids") == V{"module.net.ids", "module.net"});
  CHECK(refs("module.net[0].ids") == V{"module.net[0].ids", "module.net[0]"});
  CHECK(refs("data.aws_vpc.v.id") == V{"data.aws_vpc.v.id", "data.aws_vpc.v"});
  CHECK(refs("element(aws_subnet.x[*].id, count.index)") == V{"aws_subnet.x", "count.index"});
  CHECK(refs("var.x") == V{"var.x"});
  CHECK(refs("\"literal\"").empty());
}
