// SPDX-License-Identifier: Apache-2.0
// The JSON report, exactly as contract.md shows it.
#include <nlohmann/json.hpp>

#include "analyzer/report.h"
#include "analyzer/version.h"

namespace cvpn {

namespace {

using Ordered = nlohmann::ordered_json;

Ordered Nullable(const std::optional<std::string>& s) {
  return s ? Ordered(*s) : Ordered(nullptr);
}

}  // namespace

std::string RenderJson(const Graph& graph, const Report& report) {
  Ordered out;
  out["tool"] = {{"name", "cvpn-lint"}, {"version", kVersion}};
  out["inputs"] = report.inputs;
  Ordered pairs = Ordered::array();
  for (const PairResult& r : report.results) {
    Ordered p;
    p["endpoint"] = graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address;
    p["target"] = graph.targets[static_cast<size_t>(r.pair.target)].origin.address;
    p["port"] = Nullable(PortText(r.pair));
    p["group"] = Nullable(r.pair.group);
    p["verdict"] = std::string(VerdictName(r.verdict));
    Ordered checks = Ordered::array();
    for (const CheckResult& c : r.checks) {
      checks.push_back({{"rule", c.rule},
                        {"status", std::string(StatusName(c.status))},
                        {"message", c.message}});
    }
    p["checks"] = std::move(checks);
    if (!r.pair.port) {
      Ordered ports = Ordered::array();
      for (const PortSpec& s : r.reachable_ports) {
        ports.push_back(s.ToString());
      }
      p["reachable_ports"] = std::move(ports);
    }
    pairs.push_back(std::move(p));
  }
  out["pairs"] = std::move(pairs);
  Ordered findings = Ordered::array();
  for (const Finding& f : report.findings) {
    Ordered j;
    j["rule"] = f.rule;
    j["level"] = f.level == Level::kError ? "error" : "warning";
    j["message"] = f.message;
    j["endpoint"] = f.endpoint;
    j["target"] = f.target;
    j["resource"] = f.resource ? Ordered(f.resource->address) : Ordered(nullptr);
    if (f.resource && f.resource->line > 0) {
      j["location"] = {{"file", f.resource->file},
                       {"line", f.resource->line},
                       {"column", f.resource->column > 0 ? f.resource->column : 1}};
    } else {
      j["location"] = nullptr;
    }
    j["fix"] = f.fix.empty() ? Ordered(nullptr) : Ordered(f.fix);
    findings.push_back(std::move(j));
  }
  out["findings"] = std::move(findings);
  out["summary"] = {{"pairs", report.results.size()},
                    {"reachable", report.reachable},
                    {"blocked", report.blocked},
                    {"unknown", report.unknown}};
  return out.dump(2, ' ', false, Ordered::error_handler_t::replace) + "\n";
}

}  // namespace cvpn
