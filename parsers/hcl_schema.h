// SPDX-License-Identifier: Apache-2.0
// What the AWS provider (hashicorp/aws 5.x) does to a configuration before a plan shows it, for
// the resource types cvpn-lint reads: defaults it fills in, attributes it computes (unknown until
// apply), nested blocks and their element shapes, sets, and normalisations (inline security
// group rules spell protocol "6" as "tcp"). Taken from real plans (semantics.md §9 and the plans
// in fixtures/terraform). Types not listed get only `id` and `arn` computed.
#pragma once

#include <set>
#include <string>

#include "parsers/hcl_value.h"

namespace cvpn::parsers::hcl {

/// Shapes the evaluated configuration attributes of one resource instance as the plan shows
/// them: defaults added, nested blocks completed, values converted to the schema's types.
/// Attributes the provider computes are left out; their names go to `computed` (for
/// after_unknown). Nested blocks omitted in the configuration that the provider computes are
/// also left out and named in `computed`.
ValueMap ShapeResource(const std::string& type,
                       const ValueMap& configured,
                       std::set<std::string>& computed);

/// The attributes of a data source whose value equals the argument that selected it (a data
/// `aws_vpc` with `cidr_block = X` reads a VPC whose CIDR is X). Everything else a data source
/// returns is read from AWS at plan time and unknown here.
ValueMap ShapeDataSource(const std::string& type, const ValueMap& configured);

/// Whether a nested block of `type` is an "attribute as blocks" (one configuration expression for
/// all blocks of that name in plan JSON), e.g. aws_security_group ingress.
bool IsAttributeAsBlocks(const std::string& type, const std::string& block);

/// The provider's registry name for a resource type: registry.terraform.io/hashicorp/aws.
std::string ProviderName(const std::string& type);

}  // namespace cvpn::parsers::hcl
