// SPDX-License-Identifier: Apache-2.0
// Issue 5's agreement test: for every Terraform fixture (HCL sources beside the plan Terraform
// made from them), `cvpn-lint DIR` and `cvpn-lint plan.json` give the same pairs, verdicts and
// check statuses; and findings from sources point at the `.tf` file.
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/cli.h"
#include "tests/run_tool.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using cvpn::testing::Run;
using cvpn::testing::RunTool;

/// (endpoint, target, port, group) -> verdict, six statuses and reachable ports.
std::map<std::string, std::string> Outcomes(const Json& report) {
  std::map<std::string, std::string> out;
  for (const auto& p : report["pairs"]) {
    const std::string key = p["endpoint"].get<std::string>() + " " +
                            p["target"].get<std::string>() + " " +
                            (p["port"].is_null() ? "-" : p["port"].get<std::string>()) + " " +
                            (p["group"].is_null() ? "-" : p["group"].get<std::string>());
    std::string value = p["verdict"].get<std::string>();
    for (const auto& c : p["checks"]) {
      value += " " + c["rule"].get<std::string>() + "=" + c["status"].get<std::string>();
    }
    if (p.contains("reachable_ports")) {
      value += " reachable=" + p["reachable_ports"].dump();
    }
    out[key] = value;
  }
  return out;
}

std::vector<fs::path> Scenarios() {
  std::vector<fs::path> out;
  const fs::path root = fs::path(CVPN_SOURCE_DIR) / "fixtures" / "terraform";
  if (!fs::is_directory(root)) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path& d = entry.path();
    if (entry.is_directory() && fs::exists(d / "main.tf") && fs::exists(d / "plan.json") &&
        fs::exists(d / "expected.txt")) {
      out.push_back(d);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("sources and their plan give the same verdicts on every fixture", "[hcl][agreement]") {
  const auto scenarios = Scenarios();
  REQUIRE(scenarios.size() >= 12);
  for (const fs::path& dir : scenarios) {
    DYNAMIC_SECTION(dir.filename().string()) {
      std::vector<std::string> args{"--format", "json"};
      if (fs::exists(dir / "cvpn-lint.yaml")) {
        args.push_back("--config");
        args.push_back((dir / "cvpn-lint.yaml").string());
      }
      std::vector<std::string> plan_args = args;
      plan_args.push_back((dir / "plan.json").string());
      std::vector<std::string> dir_args = args;
      dir_args.push_back(dir.string());
      const Run from_plan = RunTool(plan_args);
      const Run from_sources = RunTool(dir_args);
      INFO("plan: " << from_plan.err);
      INFO("sources: " << from_sources.err);
      REQUIRE(from_plan.exit != 2);
      REQUIRE(from_sources.exit != 2);
      CHECK(from_sources.exit == from_plan.exit);
      const auto expected = Outcomes(Json::parse(from_plan.out));
      const Json report = Json::parse(from_sources.out);
      const auto actual = Outcomes(report);
      for (const auto& [pair, outcome] : expected) {
        auto it = actual.find(pair);
        if (it == actual.end()) {
          UNSCOPED_INFO("only from the plan: " << pair << " " << outcome);
        } else if (it->second != outcome) {
          UNSCOPED_INFO(pair << "\n  plan:    " << outcome << "\n  sources: " << it->second);
        }
      }
      for (const auto& [pair, outcome] : actual) {
        if (expected.count(pair) == 0) {
          UNSCOPED_INFO("only from the sources: " << pair << " " << outcome);
        }
      }
      CHECK(actual == expected);
      // Findings from sources point at a .tf file of the scenario, with a line.
      for (const auto& f : report["findings"]) {
        if (f["location"].is_object()) {
          CHECK(f["location"]["file"].get<std::string>().find(".tf") != std::string::npos);
          CHECK(f["location"]["line"].get<int>() > 0);
        }
      }
    }
  }
}

TEST_CASE("sources give byte-identical reports", "[hcl][agreement]") {
  const auto scenarios = Scenarios();
  for (size_t i = 0; i < scenarios.size(); i += 7) {
    const fs::path& dir = scenarios[i];
    std::vector<std::string> args{"--format", "json"};
    if (fs::exists(dir / "cvpn-lint.yaml")) {
      args.insert(args.end(), {"--config", (dir / "cvpn-lint.yaml").string()});
    }
    args.push_back(dir.string());
    INFO(dir.filename().string());
    CHECK(RunTool(args).out == RunTool(args).out);
  }
}
