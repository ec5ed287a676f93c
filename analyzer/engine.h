// SPDX-License-Identifier: Apache-2.0
// The engine: runs every rule on every pair and decides each pair's verdict. For a pair without a
// port it finds the ports that are reachable, trying each port range the target's security groups
// open.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/check_results.h"
#include "analyzer/graph.h"
#include "analyzer/pairs.h"
#include "analyzer/rule.h"

namespace cvpn {

enum class Verdict { kReachable, kBlocked, kUnknown };
std::string_view VerdictName(Verdict verdict);

struct PairResult {
  Pair pair;
  CheckResults checks;  ///< one per rule, in rule order
  Verdict verdict = Verdict::kUnknown;
  std::vector<PortSpec> reachable_ports;  ///< for pairs without a port
};

/// Runs `rules` on all pairs.
std::vector<PairResult> Analyze(const Graph& graph, const std::vector<Pair>& pairs,
                                const std::vector<Rule>& rules);

/// The verdict of a set of checks: blocked if any fails, else unknown if any is unknown.
Verdict VerdictOf(const std::vector<CheckResult>& checks);
Verdict VerdictOf(const CheckResults& checks);

}  // namespace cvpn
