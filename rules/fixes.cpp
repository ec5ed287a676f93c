// SPDX-License-Identifier: Apache-2.0
#include "rules/fixes.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "rules/fixes_cloudformation.h"

namespace cvpn::rules {

namespace {

/// The address without the note of an implicit element: `aws_vpc.main (default ...)`.
std::string BareAddress(const Origin& origin) {
  const std::string& address = origin.address;
  const auto paren = address.find(" (");
  return paren == std::string::npos ? address : address.substr(0, paren);
}

/// A resource name for a new block: the name part of an address, made HCL-safe.
/// `module.net.aws_subnet.vpn["a"]` -> `vpn_a`.
std::string NameOf(const Origin& origin) {
  const std::string address = BareAddress(origin);
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

/// `resource "aws_security_group" "db"` for the block that declares an element.
std::string ResourceHeader(const Origin& origin) {
  std::string address = BareAddress(origin);
  if (auto bracket = address.rfind('['); bracket != std::string::npos) {
    address = address.substr(0, bracket);
  }
  const auto dot = address.rfind('.');
  const auto type_start = address.rfind('.', dot == 0 ? 0 : dot - 1);
  const std::string type = address.substr(type_start == std::string::npos ? 0 : type_start + 1,
                                          dot - (type_start == std::string::npos ? 0 : type_start + 1));
  return fmt::format("resource \"{}\" \"{}\"", type, address.substr(dot + 1));
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
  const std::string& address = origin.address;
  const std::string bare = BareAddress(origin);
  if (address.find(" (default security group)") != std::string::npos) {
    return bare + ".default_security_group_id";
  }
  if (address.find(" (default network ACL)") != std::string::npos) {
    return bare + ".default_network_acl_id";
  }
  if (address.find(" (main route table)") != std::string::npos) {
    return bare + ".main_route_table_id";
  }
  return bare + ".id";
}

std::string FixSecurityGroupRule(const SecurityGroup& group, bool egress, const PortSpec& want,
                                 const FixPeer& peer) {
  if (!IsTerraform(group.origin)) {
    return CfnFixSecurityGroupRule(group, egress, want, peer);
  }
  const bool has_ports = ProtocolHasPorts(want.protocol);
  const int from = has_ports ? want.ports.first : (want.protocol == kProtocolAll ? 0 : -1);
  const int to = has_ports ? want.ports.last : (want.protocol == kProtocolAll ? 0 : -1);
  const std::string cidr = peer.cidr ? peer.cidr->ToString() : "0.0.0.0/0";
  if (group.inline_rules && !group.origin.address.ends_with(")")) {
    std::string peer_line;
    if (peer.self) {
      peer_line = "    self            = true\n";
    } else if (peer.group) {
      peer_line = fmt::format("    security_groups = [{}]\n", IdOf(*peer.group));
    } else {
      peer_line = fmt::format("    cidr_blocks     = [\"{}\"]\n", cidr);
    }
    return fmt::format(
        "# add to {} {{ ... }}\n"
        "  {} {{\n"
        "    protocol        = \"{}\"\n"
        "    from_port       = {}\n"
        "    to_port         = {}\n"
        "{}"
        "  }}",
        ResourceHeader(group.origin), egress ? "egress" : "ingress", ProtocolField(want.protocol),
        from, to, peer_line);
  }
  const std::string type =
      egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
  const std::string peer_line =
      peer.group || peer.self
          ? fmt::format("  referenced_security_group_id = {}\n",
                        peer.self ? IdOf(group.origin) : IdOf(*peer.group))
          : fmt::format("  cidr_ipv4                    = \"{}\"\n", cidr);
  std::string ports;
  if (has_ports || want.protocol == kProtocolIcmp) {
    ports = fmt::format("  from_port                    = {}\n  to_port                      = {}\n",
                        from, to);
  }
  const std::string other = peer.self      ? std::string("self")
                            : peer.group   ? NameOf(*peer.group)
                            : peer.cidr    ? CidrName(*peer.cidr)
                                           : std::string("anywhere");
  return fmt::format(
      "resource \"{}\" \"{}_{}_{}\" {{\n"
      "  security_group_id            = {}\n"
      "{}"
      "  ip_protocol                  = \"{}\"\n"
      "{}"
      "}}",
      type, NameOf(group.origin), egress ? "to" : "from", other, IdOf(group.origin), peer_line,
      ProtocolField(want.protocol), ports);
}

std::string FixNetworkAclEntry(const NetworkAcl& acl, bool egress, int rule_number, int protocol,
                               const PortRange& ports, const Ipv4Cidr& cidr) {
  if (!IsTerraform(acl.origin)) {
    return CfnFixNetworkAclEntry(acl, egress, rule_number, protocol, ports, cidr);
  }
  const bool has_ports = ProtocolHasPorts(protocol);
  const int from = has_ports ? ports.first : 0;
  const int to = has_ports ? ports.last : 0;
  // Without icmp_type/icmp_code the provider allows only type 0 code 0 (echo replies).
  const bool icmp = protocol == kProtocolIcmp;
  if (acl.inline_entries && !acl.implicit) {
    return fmt::format(
        "# add to {} {{ ... }}\n"
        "  {} {{\n"
        "    rule_no    = {}\n"
        "    action     = \"allow\"\n"
        "    protocol   = \"{}\"\n"
        "    from_port  = {}\n"
        "    to_port    = {}\n"
        "    cidr_block = \"{}\"\n"
        "{}"
        "  }}",
        ResourceHeader(acl.origin), egress ? "egress" : "ingress", rule_number,
        ProtocolField(protocol), from, to, cidr.ToString(),
        icmp ? "    icmp_type  = -1\n    icmp_code  = -1\n" : "");
  }
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
      "{}"
      "}}",
      NameOf(acl.origin), egress ? "out" : "in", rule_number, IdOf(acl.origin), rule_number,
      egress ? "true" : "false", ProtocolField(protocol), cidr.ToString(), from, to,
      icmp ? "  icmp_type      = -1\n  icmp_code      = -1\n" : "");
}

std::string FixAuthorizationRule(const Origin& endpoint, const Ipv4Cidr& cidr,
                                 const std::optional<std::string>& group) {
  if (!IsTerraform(endpoint)) {
    return CfnFixAuthorizationRule(endpoint, cidr, group);
  }
  const std::string grant = group ? fmt::format("  access_group_id        = \"{}\"\n", *group)
                                  : std::string("  authorize_all_groups   = true\n");
  return fmt::format(
      "resource \"aws_ec2_client_vpn_authorization_rule\" \"{}_{}\" {{\n"
      "  client_vpn_endpoint_id = {}\n"
      "  target_network_cidr    = \"{}\"\n"
      "{}"
      "}}",
      NameOf(endpoint), CidrName(cidr), IdOf(endpoint), cidr.ToString(), grant);
}

std::string FixClientVpnRoute(const Origin& endpoint, const Ipv4Cidr& destination,
                              const Origin& subnet, const std::optional<Origin>& association) {
  if (!IsTerraform(endpoint)) {
    return CfnFixClientVpnRoute(endpoint, destination, subnet, association);
  }
  // Naming the association's subnet_id makes Terraform create the route after the association.
  return fmt::format(
      "resource \"aws_ec2_client_vpn_route\" \"{}_{}_via_{}\" {{\n"
      "  client_vpn_endpoint_id = {}\n"
      "  destination_cidr_block = \"{}\"\n"
      "  target_vpc_subnet_id   = {}\n"
      "}}",
      NameOf(endpoint), CidrName(destination), NameOf(subnet), IdOf(endpoint),
      destination.ToString(),
      association ? BareAddress(*association) + ".subnet_id" : IdOf(subnet));
}

std::string FixSetAttribute(const Origin& resource, const std::string& attribute,
                            const std::string& value) {
  return FixSetAttributes(resource, {{attribute, value}});
}

std::string FixSetAttributes(const Origin& resource,
                             const std::vector<std::pair<std::string, std::string>>& attributes,
                             const std::string& note) {
  if (!IsTerraform(resource)) {
    return CfnFixSetAttributes(resource, attributes, note);
  }
  size_t width = 0;
  for (const auto& [name, value] : attributes) {
    width = std::max(width, name.size());
  }
  std::string out = fmt::format("# in {} {{ ... }}{}", ResourceHeader(resource),
                                note.empty() ? "" : " (" + note + ")");
  for (const auto& [name, value] : attributes) {
    out += fmt::format("\n  {:<{}} = {}", name, width, value);
  }
  return out;
}

std::string FixTransitGatewayAttachment(const Origin& tgw, const Origin& vpc,
                                        const Origin& subnet) {
  if (!IsTerraform(tgw)) {
    return CfnFixTransitGatewayAttachment(tgw, vpc, subnet);
  }
  return fmt::format(
      "resource \"aws_ec2_transit_gateway_vpc_attachment\" \"{}\" {{\n"
      "  transit_gateway_id = {}\n"
      "  vpc_id             = {}\n"
      "  subnet_ids         = [{}]\n"
      "}}",
      NameOf(vpc), IdOf(tgw), IdOf(vpc), IdOf(subnet));
}

std::string FixVpcRoute(const RouteTable& table, const Ipv4Cidr& destination,
                        const std::string& target_attribute, const std::string& target) {
  if (!IsTerraform(table.origin)) {
    return CfnFixVpcRoute(table, destination, target_attribute, target);
  }
  if (table.inline_routes && !table.implicit) {
    return fmt::format(
        "# add to {} {{ ... }}\n"
        "  route {{\n"
        "    {:<{}} = \"{}\"\n"
        "    {} = {}\n"
        "  }}",
        ResourceHeader(table.origin), "cidr_block", target_attribute.size(),
        destination.ToString(), target_attribute, target);
  }
  const size_t width = std::max<size_t>(22, target_attribute.size());
  return fmt::format(
      "resource \"aws_route\" \"{}_to_{}\" {{\n"
      "  {:<{}} = {}\n"
      "  {:<{}} = \"{}\"\n"
      "  {:<{}} = {}\n"
      "}}",
      NameOf(table.origin), CidrName(destination), "route_table_id", width, IdOf(table.origin),
      "destination_cidr_block", width, destination.ToString(), target_attribute, width, target);
}

std::string FixVpcPeering(const Origin& from_vpc, const Origin& to_vpc, const RouteTable& table,
                          const Ipv4Cidr& destination) {
  if (!IsTerraform(table.origin)) {
    return CfnFixVpcPeering(from_vpc, to_vpc, table, destination);
  }
  const std::string name = NameOf(from_vpc) + "_" + NameOf(to_vpc);
  return fmt::format(
      "resource \"aws_vpc_peering_connection\" \"{}\" {{\n"
      "  vpc_id      = {}\n"
      "  peer_vpc_id = {}\n"
      "  auto_accept = true\n"
      "}}\n\n{}\n# and the route back in the other VPC's route tables",
      name, IdOf(from_vpc), IdOf(to_vpc),
      FixVpcRoute(table, destination, "vpc_peering_connection_id",
                  "aws_vpc_peering_connection." + name + ".id"));
}

std::string FixTransitGatewayPropagation(const Origin& route_table, const Origin& attachment) {
  if (!IsTerraform(route_table)) {
    return CfnFixTransitGatewayPropagation(route_table, attachment);
  }
  const bool is_default = route_table.address.find(" (default route table)") != std::string::npos;
  return fmt::format(
      "resource \"aws_ec2_transit_gateway_route_table_propagation\" \"{}\" {{\n"
      "  transit_gateway_attachment_id  = {}\n"
      "  transit_gateway_route_table_id = {}\n"
      "}}",
      NameOf(attachment), IdOf(attachment),
      is_default ? BareAddress(route_table) + ".propagation_default_route_table_id"
                 : IdOf(route_table));
}

}  // namespace cvpn::rules
