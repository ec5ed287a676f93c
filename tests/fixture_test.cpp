// SPDX-License-Identifier: Apache-2.0
// Runs the tool on every fixture scenario and compares its report with the expectations written
// beside it (expected.txt): every pair, its verdict and the status of each of the six checks.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/cli.h"
#include "tests/run_tool.h"

namespace {

namespace fs = std::filesystem;

std::string Normalize(const std::string& line) {
  std::istringstream in(line);
  std::string word;
  std::string out;
  while (in >> word) {
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

std::set<std::string> ReadExpected(const fs::path& file) {
  std::set<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const std::string n = Normalize(line);
    if (!n.empty() && n[0] != '#' && n.rfind("finding ", 0) != 0) {
      out.insert(n);
    }
  }
  return out;
}

/// The optional `finding RULE FILE:LINE` lines of expected.txt, as "RULE FILE:LINE".
std::set<std::string> ReadExpectedFindings(const fs::path& file) {
  std::set<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const std::string n = Normalize(line);
    if (n.rfind("finding ", 0) == 0) {
      out.insert(n.substr(8));
    }
  }
  return out;
}

/// The findings of a report as "RULE FILE:LINE" (the file without its directory).
std::set<std::string> ReportFindings(const nlohmann::json& report) {
  std::set<std::string> out;
  for (const auto& f : report["findings"]) {
    const auto& where = f["location"];
    if (where.is_object()) {
      out.insert(f["rule"].get<std::string>() + " " +
                 fs::path(where["file"].get<std::string>()).filename().string() + ":" +
                 std::to_string(where["line"].get<int>()));
    }
  }
  return out;
}

/// When expected.txt lists findings, the report's findings are exactly those.
void CheckFindings(const fs::path& dir, const nlohmann::json& report) {
  const std::set<std::string> expected = ReadExpectedFindings(dir / "expected.txt");
  if (expected.empty()) {
    return;
  }
  const std::set<std::string> actual = ReportFindings(report);
  for (const auto& e : expected) {
    if (actual.count(e) == 0) {
      UNSCOPED_INFO("expected finding, not reported: " << e);
    }
  }
  for (const auto& a : actual) {
    if (expected.count(a) == 0) {
      UNSCOPED_INFO("reported finding, not expected: " << a);
    }
  }
  CHECK(expected == actual);
}

using cvpn::testing::Run;
using cvpn::testing::RunTool;

std::set<std::string> ReportLines(const nlohmann::json& report) {
  std::set<std::string> out;
  for (const auto& pair : report["pairs"]) {
    std::string line = pair["endpoint"].get<std::string>() + " " +
                       pair["target"].get<std::string>() + " " +
                       (pair["port"].is_null() ? "-" : pair["port"].get<std::string>()) + " " +
                       (pair["group"].is_null() ? "-" : pair["group"].get<std::string>()) + " " +
                       pair["verdict"].get<std::string>();
    for (const auto& check : pair["checks"]) {
      line += " " + check["rule"].get<std::string>() + "=" + check["status"].get<std::string>();
    }
    if (pair["port"].is_null()) {
      std::string ports;
      for (const auto& p : pair["reachable_ports"]) {
        ports += (ports.empty() ? "" : ",") + p.get<std::string>();
      }
      line += " reachable=" + ports;
    }
    out.insert(line);
  }
  return out;
}

/// The input of a scenario: a plan, else a state.
fs::path InputOf(const fs::path& dir) {
  return fs::exists(dir / "plan.json") ? dir / "plan.json" : dir / "state.json";
}

std::vector<fs::path> Scenarios(const fs::path& root) {
  std::vector<fs::path> out;
  if (!fs::is_directory(root)) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.txt")) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every Terraform fixture gives its expected report", "[fixtures]") {
  const fs::path fixtures = fs::path(CVPN_SOURCE_DIR) / "fixtures";
  auto scenarios = Scenarios(fixtures / "terraform");
  REQUIRE(scenarios.size() >= 12);
  scenarios.push_back(fixtures / "state");
  for (const fs::path& dir : scenarios) {
    DYNAMIC_SECTION(dir.filename().string()) {
      std::vector<std::string> args{"--format", "json"};
      if (fs::exists(dir / "cvpn-lint.yaml")) {
        args.push_back("--config");
        args.push_back((dir / "cvpn-lint.yaml").string());
      }
      args.push_back(InputOf(dir).string());
      const Run run = RunTool(args);
      INFO(run.err);
      REQUIRE(run.exit != 2);
      const auto report = nlohmann::json::parse(run.out);
      const std::set<std::string> expected = ReadExpected(dir / "expected.txt");
      const std::set<std::string> actual = ReportLines(report);
      std::vector<std::string> missing;
      std::vector<std::string> extra;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                          std::back_inserter(missing));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                          std::back_inserter(extra));
      for (const auto& m : missing) {
        UNSCOPED_INFO("expected, not reported: " << m);
      }
      for (const auto& e : extra) {
        UNSCOPED_INFO("reported, not expected: " << e);
      }
      CHECK(missing.empty());
      CHECK(extra.empty());
      // The exit status follows the findings: 1 when any pair is blocked.
      const bool blocked = std::any_of(report["pairs"].begin(), report["pairs"].end(),
                                       [](const auto& p) { return p["verdict"] == "blocked"; });
      CHECK(run.exit == (blocked ? 1 : 0));
      // Every failed or unknown check of an unreachable pair is a finding with a resource.
      size_t failing = 0;
      for (const auto& p : report["pairs"]) {
        if (p["verdict"] == "reachable") {
          continue;
        }
        for (const auto& c : p["checks"]) {
          failing += c["status"] != "pass" ? size_t{1} : size_t{0};
          CHECK_FALSE(c["message"].get<std::string>().empty());
        }
      }
      CHECK(report["findings"].size() == failing);
      for (const auto& f : report["findings"]) {
        CHECK(f["resource"].is_string());
        if (f["level"] == "error") {
          CHECK(f["fix"].is_string());
        }
      }
      CheckFindings(dir, report);
    }
  }
}

TEST_CASE("the same fixture gives byte-identical reports", "[fixtures]") {
  const fs::path root = fs::path(CVPN_SOURCE_DIR) / "fixtures" / "terraform";
  for (const fs::path& dir : Scenarios(root)) {
    std::vector<std::string> args{"--format", "json", (dir / "plan.json").string()};
    if (fs::exists(dir / "cvpn-lint.yaml")) {
      args.insert(args.begin(), {"--config", (dir / "cvpn-lint.yaml").string()});
    }
    const Run first = RunTool(args);
    const Run second = RunTool(args);
    CHECK(first.out == second.out);
    args[1] = "text";
    CHECK(RunTool(args).out == RunTool(args).out);
  }
}

/// The command line of a CloudFormation scenario: every template in the directory (sorted),
/// its cvpn-lint.yaml and the KEY=VALUE lines of parameters.txt as --parameter.
std::vector<std::string> CloudFormationArgs(const fs::path& dir, const std::string& format) {
  std::vector<std::string> args{"--format", format};
  if (fs::exists(dir / "cvpn-lint.yaml")) {
    args.push_back("--config");
    args.push_back((dir / "cvpn-lint.yaml").string());
  }
  if (std::ifstream params(dir / "parameters.txt"); params) {
    std::string line;
    while (std::getline(params, line)) {
      const std::string n = Normalize(line);
      if (!n.empty() && n[0] != '#') {
        args.push_back("--parameter");
        args.push_back(n);
      }
    }
  }
  std::vector<std::string> templates;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.path().filename() != "cvpn-lint.yaml" &&
        (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      templates.push_back(entry.path().string());
    }
  }
  std::sort(templates.begin(), templates.end());
  args.insert(args.end(), templates.begin(), templates.end());
  return args;
}

TEST_CASE("every CloudFormation fixture gives its expected report", "[fixtures]") {
  const auto scenarios = Scenarios(fs::path(CVPN_SOURCE_DIR) / "fixtures" / "cloudformation");
  REQUIRE(scenarios.size() >= 10);
  for (const fs::path& dir : scenarios) {
    DYNAMIC_SECTION(dir.filename().string()) {
      const Run run = RunTool(CloudFormationArgs(dir, "json"));
      INFO(run.err);
      REQUIRE(run.exit != 2);
      const auto report = nlohmann::json::parse(run.out);
      const std::set<std::string> expected = ReadExpected(dir / "expected.txt");
      const std::set<std::string> actual = ReportLines(report);
      for (const auto& m : expected) {
        if (actual.count(m) == 0) {
          UNSCOPED_INFO("expected, not reported: " << m);
        }
      }
      for (const auto& e : actual) {
        if (expected.count(e) == 0) {
          UNSCOPED_INFO("reported, not expected: " << e);
        }
      }
      CHECK(expected == actual);
      const bool blocked = std::any_of(report["pairs"].begin(), report["pairs"].end(),
                                       [](const auto& p) { return p["verdict"] == "blocked"; });
      CHECK(run.exit == (blocked ? 1 : 0));
      for (const auto& f : report["findings"]) {
        CHECK(f["resource"].is_string());
        CHECK(f["location"].is_object());  // every finding on a template has a line
        if (f["level"] == "error") {
          CHECK(f["fix"].is_string());
        }
      }
      CheckFindings(dir, report);
      // Deterministic: the same inputs give byte-identical reports, in both formats.
      CHECK(RunTool(CloudFormationArgs(dir, "json")).out == run.out);
      CHECK(RunTool(CloudFormationArgs(dir, "text")).out ==
            RunTool(CloudFormationArgs(dir, "text")).out);
    }
  }
}
