// SPDX-License-Identifier: Apache-2.0
#include "analyzer/engine.h"

#include <algorithm>
#include <map>
#include <memory>

namespace cvpn {

namespace {

/// Runs the rules on pairs. Consecutive pairs of the same endpoint and target share their context
/// and the results of the checks that read neither port nor group (or only the group).
class PairRunner {
 public:
  PairRunner(const Graph& graph, const std::vector<Rule>& rules)
      : index_(graph), rules_(rules), reused_(rules.size()), last_(rules.size()) {}

  CheckResults Run(const Pair& pair, const PortSpec& port) {
    if (!context_ || context_->endpoint != pair.endpoint || context_->target != pair.target) {
      context_.emplace(MakePairContext(index_, pair.endpoint, pair.target, port, std::nullopt));
      for (auto& results : reused_) {
        results.clear();
      }
      for (auto& result : last_) {
        result.reset();
      }
    }
    context_->port = port;
    context_->group = pair.group;
    CheckResults checks;
    checks.reserve(rules_.size());
    for (size_t i = 0; i < rules_.size(); ++i) {
      const Rule& rule = rules_[i];
      if (rule.reads_port) {
        // Many ports often give the very same result (a network ACL that allows all traffic):
        // then it is kept once.
        CheckResult result = rule.check(*context_);
        if (last_[i] == nullptr || !(*last_[i] == result)) {
          last_[i] = std::make_shared<const CheckResult>(std::move(result));
        }
        checks.push_back(last_[i]);
        continue;
      }
      const std::optional<std::string>& key = rule.reads_group ? pair.group : no_group_;
      auto it = reused_[i].find(key);
      if (it == reused_[i].end()) {
        it = reused_[i].emplace(key, std::make_shared<const CheckResult>(rule.check(*context_)))
                 .first;
      }
      checks.push_back(it->second);
    }
    return checks;
  }

 private:
  const NetworkIndex index_;
  const std::vector<Rule>& rules_;
  const std::optional<std::string> no_group_;
  std::optional<PairContext> context_;
  /// Per rule that does not read the port: its results for the current endpoint and target, by
  /// group (a rule that does not read the group has one, under no group).
  std::vector<std::map<std::optional<std::string>, std::shared_ptr<const CheckResult>>> reused_;
  /// Per rule that reads the port: its last result for the current endpoint and target.
  std::vector<std::shared_ptr<const CheckResult>> last_;
};

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

template <typename Checks>
size_t Count(const Checks& checks, Status status) {
  return static_cast<size_t>(std::count_if(
      checks.begin(), checks.end(), [&](const CheckResult& c) { return c.status == status; }));
}

template <typename Checks>
Verdict VerdictOfChecks(const Checks& checks) {
  if (Count(checks, Status::kFail) > 0) {
    return Verdict::kBlocked;
  }
  if (Count(checks, Status::kUnknown) > 0) {
    return Verdict::kUnknown;
  }
  return Verdict::kReachable;
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

Verdict VerdictOf(const std::vector<CheckResult>& checks) { return VerdictOfChecks(checks); }

Verdict VerdictOf(const CheckResults& checks) { return VerdictOfChecks(checks); }

std::vector<PairResult> Analyze(const Graph& graph, const std::vector<Pair>& pairs,
                                const std::vector<Rule>& rules) {
  std::vector<PairResult> results;
  results.reserve(pairs.size());
  PairRunner runner(graph, rules);
  for (const Pair& pair : pairs) {
    PairResult r;
    r.pair = pair;
    if (pair.port) {
      r.checks = runner.Run(pair, *pair.port);
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
    std::optional<CheckResults> shown;
    std::optional<CheckResults> closest;
    for (const PortSpec& spec : candidates) {
      CheckResults checks = runner.Run(pair, spec);
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
