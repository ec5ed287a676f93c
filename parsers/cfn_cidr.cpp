// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_cidr.h"

#include <fmt/format.h>

namespace cvpn::parsers::cfn {

CidrSplit SplitCidr(const Ipv4Cidr& block, int count, int cidr_bits) {
  CidrSplit out;
  if (count < 1 || count > 256) {
    out.error = fmt::format("the count is {}; Fn::Cidr makes 1 to 256 blocks", count);
    return out;
  }
  if (cidr_bits < 0 || cidr_bits > 32) {
    out.error = fmt::format("cidrBits is {}; for IPv4 it is 0 to 32", cidr_bits);
    return out;
  }
  const int prefix = 32 - cidr_bits;
  if (prefix < block.prefix_length) {
    out.error = fmt::format("cidrBits {} makes /{} blocks, larger than {}", cidr_bits, prefix,
                            block.ToString());
    return out;
  }
  const uint64_t available = uint64_t{1} << (prefix - block.prefix_length);
  if (static_cast<uint64_t>(count) > available) {
    out.error = fmt::format("{} holds only {} /{} block{}, not {}", block.ToString(), available,
                            prefix, available == 1 ? "" : "s", count);
    return out;
  }
  const uint64_t step = uint64_t{1} << cidr_bits;
  for (int i = 0; i < count; ++i) {
    const uint64_t address = uint64_t{block.First()} + step * static_cast<uint64_t>(i);
    out.blocks.push_back(Ipv4Cidr{static_cast<uint32_t>(address), static_cast<uint8_t>(prefix)});
  }
  return out;
}

std::vector<std::string> AvailabilityZones(std::string_view region) {
  const std::string r(region);
  if (r == "us-east-1") {
    return {"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"};
  }
  return {r + "a", r + "b", r + "c"};
}

}  // namespace cvpn::parsers::cfn
