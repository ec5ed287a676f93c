// SPDX-License-Identifier: Apache-2.0
// The front door for inputs: reads a file, detects its kind from its content and hands it to the
// front end that understands it.
#pragma once

#include <string>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"

namespace cvpn::parsers {

/// Limits that keep hostile inputs from exhausting the machine.
struct InputLimits {
  size_t max_file_bytes = size_t{512} << 20;
  int max_nesting_depth = 512;
};

/// Reads `path` and adds what it describes to `graph`. Returns false (with errors) when the input
/// could not be read or understood; the graph may then hold part of it.
bool LoadInput(const std::string& path, Graph& graph, InputErrors& errors,
               const InputLimits& limits = {});

/// Loads input text already in memory (for tests and fuzzing); `name` is used in messages.
bool LoadInputText(const std::string& name, const std::string& text, Graph& graph,
                   InputErrors& errors, const InputLimits& limits = {});

}  // namespace cvpn::parsers
