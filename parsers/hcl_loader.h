// SPDX-License-Identifier: Apache-2.0
// `cvpn-lint DIR`: a directory of Terraform sources (and the local modules it calls) evaluated
// statically into a synthetic plan, which the Terraform plan front end (PlanModel, PlanLoader)
// then reads exactly as a real plan. Set CVPN_HCL_DUMP_PLAN=FILE to write that plan to FILE
// ("-" for standard error), to compare it with what `terraform show -json` gives.
// Not evaluated: `.tf.json` files, override files (override.tf, *_override.tf), provider
// default_tags, TF_VAR_* environment variables and -var-file; remote modules are read only when
// `terraform init` installed them (.terraform/modules/modules.json).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"
#include "parsers/hcl_plan.h"
#include "parsers/input.h"

namespace cvpn::parsers {

/// Reads and evaluates the `.tf` files of `dir` into a plan document. Returns false with errors
/// (file, line, column) when the sources cannot be read or have syntax errors; values that
/// cannot be known statically are unknown in the plan, with their reasons.
bool BuildPlanFromSources(const std::string& dir,
                          const LoadOptions& options,
                          hcl::Plan& plan,
                          InputErrors& errors);

/// Loads a directory of `.tf` sources into the graph.
bool LoadTerraformSources(const std::string& dir,
                          Graph& graph,
                          InputErrors& errors,
                          const LoadOptions& options);

}  // namespace cvpn::parsers
