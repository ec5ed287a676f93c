// SPDX-License-Identifier: Apache-2.0
// The front door for inputs: reads files, detects each one's kind from its content and hands it
// to the front end that understands it. CloudFormation templates are loaded together, so that
// the exports of one resolve `Fn::ImportValue` in another.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"

namespace cvpn::parsers {

/// Limits that keep hostile inputs from exhausting the machine.
struct InputLimits {
  size_t max_file_bytes = size_t{512} << 20;
  /// CloudFormation accepts templates of up to 1 MB; this leaves room and keeps the YAML reader,
  /// which is slow on large texts, well under a second.
  size_t max_template_bytes = size_t{2} << 20;
  int max_nesting_depth = 512;
  /// The longest string a Terraform plan or state may hold (a resource's values).
  size_t max_string_bytes = size_t{16} << 20;
};

/// What the command line passes to the front ends.
struct LoadOptions {
  InputLimits limits;
  /// CloudFormation parameter values (`--parameter KEY=VALUE`), overriding template defaults.
  std::map<std::string, std::string> parameters;
  /// Terraform input variables for HCL analysis (`--var KEY=VALUE`).
  std::map<std::string, std::string> variables;
  /// Where the `.tf` sources of a plan are (`--source DIR`); empty: the plan's own directory,
  /// where it holds `.tf` files. Findings on the plan then point at the sources' lines.
  std::string source_dir;
};

/// An input read into memory, before its front end runs.
struct InputText {
  std::string name;  ///< as given on the command line, used in messages
  std::string text;
};

/// Reads and loads every input into `graph`. Returns false (with errors) when any input could
/// not be read or understood; the graph may then hold part of the inputs.
bool LoadInputs(const std::vector<std::string>& paths, Graph& graph, InputErrors& errors,
                const LoadOptions& options = {});

/// Loads inputs already in memory (for tests and fuzzing).
bool LoadInputTexts(const std::vector<InputText>& inputs, Graph& graph, InputErrors& errors,
                    const LoadOptions& options = {});

/// One input in memory; `name` is used in messages.
inline bool LoadInputText(const std::string& name, const std::string& text, Graph& graph,
                          InputErrors& errors, const LoadOptions& options = {}) {
  return LoadInputTexts({InputText{name, text}}, graph, errors, options);
}

}  // namespace cvpn::parsers
