// SPDX-License-Identifier: Apache-2.0
#include "analyzer/graph.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace cvpn {

bool ClientVpnEndpoint::CertificateOnly() const {
  if (authentication_types.empty()) {
    return false;
  }
  return std::all_of(authentication_types.begin(), authentication_types.end(),
                     [](const std::string& t) { return t == "certificate-authentication"; });
}

namespace {

Origin ImplicitOrigin(const Origin& vpc, const std::string& what) {
  Origin o = vpc;
  o.address = vpc.address + " (" + what + ")";
  return o;
}

}  // namespace

void Graph::Finalize() {
  for (NodeIndex v = 0; v < static_cast<NodeIndex>(vpcs.size()); ++v) {
    // Take a copy of the origin: the vectors below may grow and the VPC stays in place, but the
    // reference discipline is simpler this way.
    const Origin vpc_origin = vpcs[static_cast<size_t>(v)].origin;
    if (vpcs[static_cast<size_t>(v)].main_route_table == kNone) {
      RouteTable rt;
      rt.origin = ImplicitOrigin(vpc_origin, "main route table");
      rt.vpc = Link::To(v);
      rt.implicit = true;
      route_tables.push_back(std::move(rt));
      vpcs[static_cast<size_t>(v)].main_route_table = static_cast<NodeIndex>(route_tables.size() - 1);
    }
    if (vpcs[static_cast<size_t>(v)].default_network_acl == kNone) {
      NetworkAcl acl;
      acl.origin = ImplicitOrigin(vpc_origin, "default network ACL");
      acl.vpc = Link::To(v);
      acl.vpc_default = true;
      acl.implicit = true;
      for (bool egress : {false, true}) {
        NetworkAclEntry e;
        e.origin = acl.origin;
        e.rule_number = 100;
        e.egress = egress;
        e.allow = true;
        e.protocol = Maybe<int>::Of(kProtocolAll);
        e.ports = PortRange::All();
        e.cidr = Maybe<Ipv4Cidr>::Of(Ipv4Cidr{0, 0});
        acl.entries.push_back(std::move(e));
      }
      network_acls.push_back(std::move(acl));
      vpcs[static_cast<size_t>(v)].default_network_acl =
          static_cast<NodeIndex>(network_acls.size() - 1);
    }
    if (vpcs[static_cast<size_t>(v)].default_security_group == kNone) {
      SecurityGroup sg;
      sg.origin = ImplicitOrigin(vpc_origin, "default security group");
      sg.vpc = Link::To(v);
      sg.vpc_default = true;
      const auto self = static_cast<NodeIndex>(security_groups.size());
      SecurityGroupRule in;
      in.origin = sg.origin;
      in.egress = false;
      in.protocol = Maybe<int>::Of(kProtocolAll);
      in.ports = PortRange::All();
      in.peer.kind = SecurityGroupPeer::Kind::kSecurityGroup;
      in.peer.group = Link::To(self);
      sg.rules.push_back(in);
      SecurityGroupRule out;
      out.origin = sg.origin;
      out.egress = true;
      out.protocol = Maybe<int>::Of(kProtocolAll);
      out.ports = PortRange::All();
      out.peer.kind = SecurityGroupPeer::Kind::kCidr;
      out.peer.cidr = Maybe<Ipv4Cidr>::Of(Ipv4Cidr{0, 0});
      sg.rules.push_back(out);
      security_groups.push_back(std::move(sg));
      vpcs[static_cast<size_t>(v)].default_security_group = self;
    }
  }
  FinalizeTransitGateways();
  target_index_.clear();
  for (NodeIndex t = 0; t < static_cast<NodeIndex>(targets.size()); ++t) {
    target_index_.emplace(targets[static_cast<size_t>(t)].origin.address, t);
  }
  endpoint_index_.clear();
  for (NodeIndex e = 0; e < static_cast<NodeIndex>(endpoints.size()); ++e) {
    endpoint_index_.emplace(endpoints[static_cast<size_t>(e)].origin.address, e);
  }
}

void Graph::FinalizeTransitGateways() {
  for (NodeIndex t = 0; t < static_cast<NodeIndex>(transit_gateways.size()); ++t) {
    TransitGateway& tgw = transit_gateways[static_cast<size_t>(t)];
    if (tgw.default_route_table != kNone ||
        (!tgw.default_association && !tgw.default_propagation)) {
      continue;
    }
    TransitGatewayRouteTable table;
    table.origin = tgw.origin;
    table.origin.address = tgw.origin.address + " (default route table)";
    table.transit_gateway = Link::To(t);
    table.gateway_default = true;
    transit_gateway_route_tables.push_back(std::move(table));
    tgw.default_route_table = static_cast<NodeIndex>(transit_gateway_route_tables.size() - 1);
  }
  // Attachments join the default route table as the gateway's defaults (or their own flags) say,
  // unless associated explicitly elsewhere. Looked up in sets, not lists: a gateway may have
  // thousands of attachments.
  const size_t attachment_count = transit_gateway_attachments.size();
  std::vector<bool> associated_elsewhere(attachment_count, false);
  for (const TransitGatewayRouteTable& rt : transit_gateway_route_tables) {
    if (rt.gateway_default) {
      continue;
    }
    for (const NodeIndex a : rt.associations) {
      if (a >= 0 && static_cast<size_t>(a) < attachment_count) {
        associated_elsewhere[static_cast<size_t>(a)] = true;
      }
    }
  }
  std::map<NodeIndex, std::pair<std::set<NodeIndex>, std::set<NodeIndex>>> default_tables;
  for (NodeIndex a = 0; a < static_cast<NodeIndex>(attachment_count); ++a) {
    const TransitGatewayAttachment& att = transit_gateway_attachments[static_cast<size_t>(a)];
    if (!att.transit_gateway.Resolved()) {
      continue;
    }
    const TransitGateway& tgw = transit_gateways[static_cast<size_t>(att.transit_gateway.index)];
    if (tgw.default_route_table == kNone) {
      continue;
    }
    TransitGatewayRouteTable& table =
        transit_gateway_route_tables[static_cast<size_t>(tgw.default_route_table)];
    auto [it, added] = default_tables.try_emplace(tgw.default_route_table);
    auto& [associations, propagations] = it->second;
    if (added) {
      associations.insert(table.associations.begin(), table.associations.end());
      propagations.insert(table.propagations.begin(), table.propagations.end());
    }
    const bool associate = att.default_association.Known() ? *att.default_association.value
                                                           : tgw.default_association;
    const bool propagate = att.default_propagation.Known() ? *att.default_propagation.value
                                                           : tgw.default_propagation;
    if (associate && !associated_elsewhere[static_cast<size_t>(a)] &&
        associations.insert(a).second) {
      table.associations.push_back(a);
    }
    if (propagate && propagations.insert(a).second) {
      table.propagations.push_back(a);
    }
  }
}

Link Graph::AssociatedRouteTable(NodeIndex attachment) const {
  for (NodeIndex r = 0; r < static_cast<NodeIndex>(transit_gateway_route_tables.size()); ++r) {
    const auto& list = transit_gateway_route_tables[static_cast<size_t>(r)].associations;
    if (std::find(list.begin(), list.end(), attachment) != list.end()) {
      return Link::To(r);
    }
  }
  return Link{};
}

NodeIndex Graph::VpcOfSubnet(NodeIndex subnet) const {
  if (subnet == kNone) {
    return kNone;
  }
  return subnets[static_cast<size_t>(subnet)].vpc.index;
}

Link Graph::RouteTableOf(NodeIndex subnet) const {
  const Subnet& s = subnets[static_cast<size_t>(subnet)];
  if (s.route_table.Resolved() || s.route_table.IsUnknown()) {
    return s.route_table;
  }
  if (!s.vpc.Resolved()) {
    return Link::Unknown(s.vpc.unknown.empty() ? "the subnet's VPC is not known" : s.vpc.unknown);
  }
  return Link::To(vpcs[static_cast<size_t>(s.vpc.index)].main_route_table);
}

Link Graph::NetworkAclOf(NodeIndex subnet) const {
  const Subnet& s = subnets[static_cast<size_t>(subnet)];
  if (s.network_acl.Resolved() || s.network_acl.IsUnknown()) {
    return s.network_acl;
  }
  if (!s.vpc.Resolved()) {
    return Link::Unknown(s.vpc.unknown.empty() ? "the subnet's VPC is not known" : s.vpc.unknown);
  }
  return Link::To(vpcs[static_cast<size_t>(s.vpc.index)].default_network_acl);
}

Link Graph::EndpointVpc(NodeIndex endpoint) const {
  const ClientVpnEndpoint& e = endpoints[static_cast<size_t>(endpoint)];
  if (e.vpc.Resolved()) {
    return e.vpc;
  }
  for (const ClientVpnAssociation& a : e.associations) {
    if (a.subnet.Resolved()) {
      const Link& vpc = subnets[static_cast<size_t>(a.subnet.index)].vpc;
      if (vpc.Resolved()) {
        return vpc;
      }
    }
  }
  if (e.vpc.IsUnknown()) {
    return e.vpc;
  }
  return Link::Unknown("the endpoint's VPC is not known: no vpc_id and no resolved association");
}

std::vector<Link> Graph::EndpointSecurityGroups(NodeIndex endpoint) const {
  const ClientVpnEndpoint& e = endpoints[static_cast<size_t>(endpoint)];
  if (e.security_groups_given) {
    return e.security_groups;
  }
  const Link vpc = EndpointVpc(endpoint);
  if (!vpc.Resolved()) {
    return {Link::Unknown(vpc.unknown)};
  }
  return {Link::To(vpcs[static_cast<size_t>(vpc.index)].default_security_group)};
}

std::vector<Link> Graph::TargetSecurityGroups(NodeIndex target) const {
  const Target& t = targets[static_cast<size_t>(target)];
  if (t.security_groups_given) {
    return t.security_groups;
  }
  for (const Link& s : t.subnets) {
    if (s.Resolved()) {
      const NodeIndex vpc = VpcOfSubnet(s.index);
      if (vpc != kNone) {
        return {Link::To(vpcs[static_cast<size_t>(vpc)].default_security_group)};
      }
    }
  }
  return {Link::Unknown("the target's VPC is not known, so neither is its default security group")};
}

NodeIndex Graph::FindTarget(const std::string& address) const {
  auto it = target_index_.find(address);
  return it == target_index_.end() ? kNone : it->second;
}

NodeIndex Graph::FindEndpoint(const std::string& address) const {
  auto it = endpoint_index_.find(address);
  return it == endpoint_index_.end() ? kNone : it->second;
}

}  // namespace cvpn
