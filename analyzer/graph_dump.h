// SPDX-License-Identifier: Apache-2.0
// A compact, deterministic text dump of the graph, for parser tests and `--dump-graph`.
#pragma once

#include <string>

#include "analyzer/graph.h"

namespace cvpn {

/// One line per element and per rule, route or entry, sorted by kind then address.
std::string DumpGraph(const Graph& graph);

}  // namespace cvpn
