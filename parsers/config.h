// SPDX-License-Identifier: Apache-2.0
// The config file (.cvpn-lint.yaml): pair declarations, and the `--target` specs of the command
// line, which declare the same things.
#pragma once

#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/pairs.h"

namespace cvpn::parsers {

/// Reads a config file's declarations. Problems (syntax, unknown keys, wrong types, bad ports)
/// go to `errors` with line and column.
std::vector<PairDeclaration> LoadConfig(const std::string& path, InputErrors& errors);
std::vector<PairDeclaration> LoadConfigText(const std::string& name, const std::string& text,
                                            InputErrors& errors);

/// Parses `TARGET` or `TARGET=PORT[,PORT...]` (split at the last `=`).
bool ParseTargetSpec(const std::string& spec, PairDeclaration& out, std::string& error);

}  // namespace cvpn::parsers
