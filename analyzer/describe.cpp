// SPDX-License-Identifier: Apache-2.0
#include "analyzer/describe.h"

#include <fmt/format.h>

namespace cvpn {

std::string Quote(const std::string& text) { return fmt::format("`{}`", text); }

std::string DescribeSubnet(const Graph& graph, NodeIndex subnet) {
  const Subnet& s = graph.subnets[static_cast<size_t>(subnet)];
  if (s.cidr.Known()) {
    return fmt::format("`{}` ({})", s.origin.address, s.cidr.value->ToString());
  }
  return Quote(s.origin.address);
}

std::string DescribeGroups(const Graph& graph, const std::vector<Link>& groups) {
  std::string out;
  for (const Link& g : groups) {
    if (!g.Resolved()) {
      continue;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += Quote(graph.security_groups[static_cast<size_t>(g.index)].origin.address);
  }
  return out.empty() ? "(none)" : out;
}

std::string DescribeTraffic(const PortSpec& spec) {
  return spec.protocol == kProtocolAll ? "all traffic" : spec.ToString();
}

}  // namespace cvpn
