// SPDX-License-Identifier: Apache-2.0
#include "analyzer/engine.h"

#include <algorithm>

#include <fmt/format.h>

namespace cvpn {

namespace {

std::vector<CheckResult> RunRules(const Graph& graph, const Pair& pair, const PortSpec& port,
                                  const std::vector<Rule>& rules) {
  const PairContext context = MakePairContext(graph, pair.endpoint, pair.target, port, pair.group);
  std::vector<CheckResult> checks;
  for (const Rule& rule : rules) {
    checks.push_back(rule.check(context));
  }
  return checks;
}

/// The port ranges worth trying for a pair without a port: what the target's groups open.
std::vector<PortSpec> CandidatePorts(const Graph& graph, NodeIndex target) {
  std::vector<PortSpec> out;
  const Target& t = graph.targets[static_cast<size_t>(target)];
  if (!t.has_security_groups) {
    return {PortSpec{kProtocolAll, PortRange::All()}};
  }
  for (const Link& l : graph.TargetSecurityGroups(target)) {
    if (!l.Resolved()) {
      continue;
    }
    for (const SecurityGroupRule& r : graph.security_groups[static_cast<size_t>(l.index)].rules) {
      if (r.egress || !r.protocol.Known()) {
        continue;
      }
      const int protocol = *r.protocol.value;
      PortSpec spec;
      if (protocol == kProtocolAll) {
        spec = PortSpec{kProtocolAll, PortRange::All()};
      } else if (protocol == kProtocolTcp || protocol == kProtocolUdp) {
        spec = PortSpec{protocol, r.ports};
      } else if (protocol == kProtocolIcmp) {
        spec = PortSpec{kProtocolIcmp, PortRange::All()};
      } else {
        continue;
      }
      if (std::find(out.begin(), out.end(), spec) == out.end()) {
        out.push_back(spec);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t Count(const std::vector<CheckResult>& checks, Status status) {
  return static_cast<size_t>(std::count_if(checks.begin(), checks.end(),
                                           [&](const CheckResult& c) { return c.status == status; }));
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReachable:
      return "reachable";
    case Verdict::kBlocked:
      return "blocked";
    case Verdict::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Verdict VerdictOf(const std::vector<CheckResult>& checks) {
  if (Count(checks, Status::kFail) > 0) {
    return Verdict::kBlocked;
  }
  if (Count(checks, Status::kUnknown) > 0) {
    return Verdict::kUnknown;
  }
  return Verdict::kReachable;
}

std::vector<PairResult> Analyze(const Graph& graph, const std::vector<Pair>& pairs,
                                const std::vector<Rule>& rules) {
  std::vector<PairResult> results;
  results.reserve(pairs.size());
  for (const Pair& pair : pairs) {
    PairResult r;
    r.pair = pair;
    if (pair.port) {
      r.checks = RunRules(graph, pair, *pair.port, rules);
      r.verdict = VerdictOf(r.checks);
      results.push_back(std::move(r));
      continue;
    }
    // No port: try what the target's groups open; report the first reachable attempt, or the
    // attempt that came closest.
    std::vector<PortSpec> candidates = CandidatePorts(graph, pair.target);
    if (candidates.empty()) {
      candidates.push_back(PortSpec{kProtocolAll, PortRange::All()});
    }
    std::optional<std::vector<CheckResult>> shown;
    std::optional<std::vector<CheckResult>> closest;
    for (const PortSpec& spec : candidates) {
      std::vector<CheckResult> checks = RunRules(graph, pair, spec, rules);
      const Verdict v = VerdictOf(checks);
      if (v == Verdict::kReachable) {
        r.reachable_ports.push_back(spec);
        if (!shown) {
          shown = checks;
        }
      } else if (!closest || Count(checks, Status::kFail) < Count(*closest, Status::kFail)) {
        closest = std::move(checks);
      }
    }
    r.checks = shown ? *shown : *closest;
    r.verdict = r.reachable_ports.empty() ? VerdictOf(r.checks) : Verdict::kReachable;
    if (r.reachable_ports.empty() && r.verdict == Verdict::kReachable) {
      r.verdict = Verdict::kUnknown;
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace cvpn
