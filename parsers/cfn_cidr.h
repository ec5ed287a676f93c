// SPDX-License-Identifier: Apache-2.0
// The arithmetic behind `Fn::Cidr` and the fixed answer of `Fn::GetAZs`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/cidr.h"

namespace cvpn::parsers::cfn {

/// The outcome of SplitCidr: the blocks, or an error for a person.
struct CidrSplit {
  std::vector<Ipv4Cidr> blocks;
  std::string error;
};

/// `Fn::Cidr [block, count, cidr_bits]` as CloudFormation computes it: `count` consecutive
/// blocks of 32 - `cidr_bits` prefix length (cidr_bits are the *host* bits of each block), from
/// the first address of `block` upwards. Errors when `count` is outside 1..256, `cidr_bits`
/// outside 0..32, the blocks would be larger than `block`, or fewer than `count` fit in it.
CidrSplit SplitCidr(const Ipv4Cidr& block, int count, int cidr_bits);

/// The Availability Zones `Fn::GetAZs` is taken to return offline. AWS's answer depends on the
/// account (zone letters are mapped per account) and changes over time, so the tool uses a fixed,
/// documented list: for us-east-1, us-east-1a to us-east-1f; for every other region, its `a`, `b`
/// and `c` zones. Only `Fn::Select` positions and subnet placement messages depend on it.
std::vector<std::string> AvailabilityZones(std::string_view region);

}  // namespace cvpn::parsers::cfn
