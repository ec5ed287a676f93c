// SPDX-License-Identifier: Apache-2.0
#include "analyzer/describe.h"

#include <fmt/format.h>

namespace cvpn {

std::string Quote(const std::string& text) { return fmt::format("`{}`", text); }

std::string Name(const Origin& origin) {
  const std::string& address = origin.address;
  const auto paren = address.find(" (");
  if (paren == std::string::npos || address.back() != ')') {
    return Quote(address);
  }
  return fmt::format("the {} of `{}`", address.substr(paren + 2, address.size() - paren - 3),
                     address.substr(0, paren));
}

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
    out += Name(graph.security_groups[static_cast<size_t>(g.index)].origin);
  }
  return out.empty() ? "(none)" : out;
}

std::string DescribeTraffic(const PortSpec& spec) {
  return spec.protocol == kProtocolAll ? "all traffic" : spec.ToString();
}

}  // namespace cvpn
