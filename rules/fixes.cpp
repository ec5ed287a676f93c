// SPDX-License-Identifier: Apache-2.0
#include "rules/fixes.h"

#include <cctype>

#include <fmt/format.h>

namespace cvpn::rules {

namespace {

/// A resource name for a new block: the name part of an address, made HCL-safe.
/// `module.net.aws_subnet.vpn["a"]` -> `vpn_a`.
std::string NameOf(const Origin& origin) {
  std::string address = origin.address;
  if (auto paren = address.find(" ("); paren != std::string::npos) {
    address = address.substr(0, paren);
  }
  size_t last_dot = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < address.size(); ++i) {
    if (address[i] == '[') {
      ++depth;
    } else if (address[i] == ']') {
      --depth;
    } else if (address[i] == '.' && depth == 0) {
      last_dot = i;
    }
  }
  const std::string name = last_dot == std::string::npos ? address : address.substr(last_dot + 1);
  std::string out;
  for (char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    if (keep) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out.empty() ? "cvpn" : out;
}

std::string CidrName(const Ipv4Cidr& cidr) {
  std::string s = cidr.ToString();
  for (char& c : s) {
    if (c == '.' || c == '/') {
      c = '_';
    }
  }
  return s;
}

bool IsTerraform(const Origin& o) { return o.language == Origin::Language::kTerraform; }

std::string ProtocolField(int protocol) {
  return protocol == kProtocolAll ? "-1" : ProtocolName(protocol);
}

}  // namespace

std::string IdOf(const Origin& origin) {
  std::string address = origin.address;
  // An implicit element: `aws_vpc.main (default security group)`.
  if (auto paren = address.find(" (default security group)"); paren != std::string::npos) {
    return address.substr(0, paren) + ".default_security_group_id";
  }
  if (auto paren = address.find(" (default network ACL)"); paren != std::string::npos) {
    return address.substr(0, paren) + ".default_network_acl_id";
  }
  if (auto paren = address.find(" (main route table)"); paren != std::string::npos) {
    return address.substr(0, paren) + ".main_route_table_id";
  }
  return address + ".id";
}

std::string FixSecurityGroupRule(const Origin& group, bool egress, const PortSpec& want,
                                 const std::optional<Origin>& peer_group,
                                 const std::optional<Ipv4Cidr>& peer_cidr) {
  if (!IsTerraform(group)) {
    return {};
  }
  const std::string type =
      egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
  const std::string peer =
      peer_group ? fmt::format("  referenced_security_group_id = {}\n", IdOf(*peer_group))
                 : fmt::format("  cidr_ipv4                    = \"{}\"\n",
                               peer_cidr ? peer_cidr->ToString() : "0.0.0.0/0");
  std::string ports;
  if (ProtocolHasPorts(want.protocol)) {
    ports = fmt::format("  from_port                    = {}\n  to_port                      = {}\n",
                        want.ports.first, want.ports.last);
  }
  return fmt::format(
      "resource \"{}\" \"{}_{}_client_vpn\" {{\n"
      "  security_group_id            = {}\n"
      "{}"
      "  ip_protocol                  = \"{}\"\n"
      "{}"
      "}}",
      type, NameOf(group), egress ? "to" : "from", IdOf(group), peer,
      ProtocolField(want.protocol), ports);
}

std::string FixNetworkAclEntry(const Origin& acl, bool egress, int rule_number, int protocol,
                               const PortRange& ports, const Ipv4Cidr& cidr) {
  if (!IsTerraform(acl)) {
    return {};
  }
  const bool has_ports = ProtocolHasPorts(protocol);
  return fmt::format(
      "resource \"aws_network_acl_rule\" \"{}_{}_{}\" {{\n"
      "  network_acl_id = {}\n"
      "  rule_number    = {}\n"
      "  egress         = {}\n"
      "  protocol       = \"{}\"\n"
      "  rule_action    = \"allow\"\n"
      "  cidr_block     = \"{}\"\n"
      "  from_port      = {}\n"
      "  to_port        = {}\n"
      "}}",
      NameOf(acl), egress ? "out" : "in", rule_number, IdOf(acl), rule_number,
      egress ? "true" : "false", ProtocolField(protocol), cidr.ToString(),
      has_ports ? ports.first : 0, has_ports ? ports.last : 0);
}

std::string FixAuthorizationRule(const Origin& endpoint, const Ipv4Cidr& cidr,
                                 const std::optional<std::string>& group) {
  if (!IsTerraform(endpoint)) {
    return {};
  }
  const std::string grant =
      group ? fmt::format("  access_group_id        = \"{}\"\n", *group)
            : std::string("  authorize_all_groups   = true\n");
  return fmt::format(
      "resource \"aws_ec2_client_vpn_authorization_rule\" \"{}\" {{\n"
      "  client_vpn_endpoint_id = {}\n"
      "  target_network_cidr    = \"{}\"\n"
      "{}"
      "}}",
      group ? NameOf(endpoint) + "_" + *group : NameOf(endpoint) + "_target", IdOf(endpoint),
      cidr.ToString(), grant);
}

std::string FixClientVpnRoute(const Origin& endpoint, const Ipv4Cidr& destination,
                              const Origin& subnet) {
  if (!IsTerraform(endpoint)) {
    return {};
  }
  return fmt::format(
      "resource \"aws_ec2_client_vpn_route\" \"{}_via_{}\" {{\n"
      "  client_vpn_endpoint_id = {}\n"
      "  destination_cidr_block = \"{}\"\n"
      "  target_vpc_subnet_id   = {}\n"
      "}}",
      NameOf(endpoint), NameOf(subnet), IdOf(endpoint), destination.ToString(), IdOf(subnet));
}

std::string FixVpcRoute(const Origin& route_table, const Ipv4Cidr& destination,
                        const std::string& target_attribute, const std::string& target) {
  if (!IsTerraform(route_table)) {
    return {};
  }
  return fmt::format(
      "resource \"aws_route\" \"{}_to_{}\" {{\n"
      "  route_table_id         = {}\n"
      "  destination_cidr_block = \"{}\"\n"
      "  {} = {}\n"
      "}}",
      NameOf(route_table), CidrName(destination), IdOf(route_table), destination.ToString(),
      target_attribute, target);
}

std::string FixVpcPeering(const Origin& from_vpc, const Origin& to_vpc, const Origin& route_table,
                          const Ipv4Cidr& destination) {
  if (!IsTerraform(route_table)) {
    return {};
  }
  const std::string name = NameOf(from_vpc) + "_" + NameOf(to_vpc);
  return fmt::format(
      "resource \"aws_vpc_peering_connection\" \"{}\" {{\n"
      "  vpc_id      = {}\n"
      "  peer_vpc_id = {}\n"
      "  auto_accept = true\n"
      "}}\n\n{}\n(and the route back in the other VPC)",
      name, IdOf(from_vpc), IdOf(to_vpc),
      FixVpcRoute(route_table, destination, "vpc_peering_connection_id",
                  "aws_vpc_peering_connection." + name + ".id"));
}

}  // namespace cvpn::rules
