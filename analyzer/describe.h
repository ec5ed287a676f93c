// SPDX-License-Identifier: Apache-2.0
// How elements are named in messages: addresses in backticks, with their CIDRs where that helps.
#pragma once

#include <string>

#include "analyzer/graph.h"

namespace cvpn {

/// "`aws_subnet.a`"
std::string Quote(const std::string& text);
/// How an element is named in messages: "`aws_route_table.a`", or for elements AWS creates
/// implicitly, "the main route table of `aws_vpc.main`".
std::string Name(const Origin& origin);
/// "`aws_subnet.a` (10.0.1.0/24)"
std::string DescribeSubnet(const Graph& graph, NodeIndex subnet);
/// "`aws_security_group.db`, `aws_security_group.app`" or "(none)"
std::string DescribeGroups(const Graph& graph, const std::vector<Link>& groups);
/// "tcp/5432" etc. for the pair, "traffic" for all.
std::string DescribeTraffic(const PortSpec& spec);

}  // namespace cvpn
