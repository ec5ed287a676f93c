// SPDX-License-Identifier: Apache-2.0
// Pairs to check: (Client VPN endpoint, target, port, group), from the declarations of the config
// file and the command line, from `cvpn-lint:ports` tags, or inferred when nothing is declared.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"
#include "analyzer/ports.h"

namespace cvpn {

/// One declared target, as written in the config file or given with --target.
struct PairDeclaration {
  std::string target;           ///< address or logical ID; without an index it names every instance
  std::vector<PortSpec> ports;  ///< empty: the ports the target's type implies, or none
  std::optional<std::string> endpoint;
  std::optional<std::string> group;
  InputError where;  ///< file, line and column of the declaration, for messages (message unused)
};

struct Pair {
  NodeIndex endpoint = kNone;
  NodeIndex target = kNone;
  std::optional<PortSpec> port;  ///< none: report which ports are reachable
  std::optional<std::string> group;
};

/// Resolves declarations (or tags, or inference) into the sorted, de-duplicated list of pairs.
/// Declarations naming what is not in the inputs are errors.
std::vector<Pair> ResolvePairs(const Graph& graph, const std::vector<PairDeclaration>& declared,
                               InputErrors& errors);

}  // namespace cvpn
