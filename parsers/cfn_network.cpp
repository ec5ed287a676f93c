// SPDX-License-Identifier: Apache-2.0
// CloudFormation resources of the VPC itself: VPCs and their extra CIDR blocks, subnets, route
// tables, routes and associations, peering, security groups and their rules, network ACLs and
// their entries, prefix lists.
#include <fmt/format.h>

#include "analyzer/graph_builders.h"

#include "parsers/cfn_loader.h"

namespace cvpn::parsers::cfn {

namespace {

Maybe<Ipv4Cidr> Unknowable(const Maybe<Ipv4Cidr>& cidr, const std::string& missing) {
  if (missing.empty() || !cidr.Known()) {
    return cidr;
  }
  return Maybe<Ipv4Cidr>::Unknown(missing);
}

std::string Item(const char* list, size_t i, const char* field) {
  return fmt::format("{}[{}].{}", list, i, field);
}

// --- Routes -------------------------------------------------------------------------------------

RouteTarget::Kind KindFromId(std::string_view id) {
  auto starts = [&](std::string_view p) { return id.rfind(p, 0) == 0; };
  if (id == "local")
    return RouteTarget::Kind::kLocal;
  if (starts("igw-"))
    return RouteTarget::Kind::kInternetGateway;
  if (starts("vgw-"))
    return RouteTarget::Kind::kVpnGateway;
  if (starts("nat-"))
    return RouteTarget::Kind::kNatGateway;
  if (starts("tgw-"))
    return RouteTarget::Kind::kTransitGateway;
  if (starts("pcx-"))
    return RouteTarget::Kind::kPeeringConnection;
  if (starts("eni-"))
    return RouteTarget::Kind::kNetworkInterface;
  if (starts("vpce-"))
    return RouteTarget::Kind::kVpcEndpoint;
  if (starts("eigw-"))
    return RouteTarget::Kind::kEgressOnlyInternetGateway;
  return RouteTarget::Kind::kOther;
}

struct TargetProperty {
  const char* name;
  RouteTarget::Kind kind;
};
constexpr TargetProperty kRouteTargets[] = {
    {"GatewayId", RouteTarget::Kind::kInternetGateway},
    {"NatGatewayId", RouteTarget::Kind::kNatGateway},
    {"TransitGatewayId", RouteTarget::Kind::kTransitGateway},
    {"VpcPeeringConnectionId", RouteTarget::Kind::kPeeringConnection},
    {"NetworkInterfaceId", RouteTarget::Kind::kNetworkInterface},
    {"InstanceId", RouteTarget::Kind::kNetworkInterface},
    {"VpcEndpointId", RouteTarget::Kind::kVpcEndpoint},
    {"EgressOnlyInternetGatewayId", RouteTarget::Kind::kEgressOnlyInternetGateway},
    {"CarrierGatewayId", RouteTarget::Kind::kOther},
    {"LocalGatewayId", RouteTarget::Kind::kOther},
    {"CoreNetworkArn", RouteTarget::Kind::kOther},
};

RouteTarget ReadRouteTarget(Loader& loader, int r) {
  RouteTarget target;
  for (const TargetProperty& p : kRouteTargets) {
    const Value* v = loader.Property(r, p.name);
    if (v == nullptr) {
      continue;
    }
    target.kind = p.kind;
    if (v->IsUnknown()) {
      target.text = fmt::format("{} ({})", p.name, v->text);
    } else if (const auto text = loader.String(r, v, p.name)) {
      if (const auto token = ParseToken(*text); token && token->kind == TokenKind::kResource) {
        const int other = loader.ResourceOf(*token);
        target.text = other >= 0 ? loader.At(other).address : token->name;
        if (std::string_view(p.name) == "GatewayId" && other >= 0 &&
            loader.Type(other) == "AWS::EC2::VPNGateway") {
          target.kind = RouteTarget::Kind::kVpnGateway;
        }
      } else {
        target.text = Readable(*text);
        const RouteTarget::Kind by_id = KindFromId(*text);
        if (by_id != RouteTarget::Kind::kOther && !ContainsToken(*text)) {
          target.kind = by_id;
        }
      }
    }
    if (target.kind == RouteTarget::Kind::kPeeringConnection) {
      target.node = loader.SingleLink(r, v, Kind::kPeering, p.name);
    } else if (target.kind == RouteTarget::Kind::kTransitGateway) {
      target.node = loader.SingleLink(r, v, Kind::kTransitGateway, p.name);
    }
    return target;
  }
  target.kind = RouteTarget::Kind::kUnknown;
  target.text = "(no target)";
  return target;
}

void LinkRoute(Loader& loader, int r) {
  const Link table = loader.SingleLink(r, "RouteTableId", Kind::kRouteTable);
  if (!table.Resolved()) {
    return;  // a table outside the inputs (or not known): nothing here uses it
  }
  Route route;
  route.origin = loader.OriginOf(r);
  const Value* destination = loader.Property(r, "DestinationCidrBlock");
  if (destination == nullptr) {
    return;  // an IPv6 or prefix-list destination never matches IPv4 traffic
  }
  route.destination =
      Unknowable(loader.Cidr(r, destination, "DestinationCidrBlock"), loader.MaybeMissing(r));
  route.target = ReadRouteTarget(loader, r);
  loader.GraphRef().route_tables[static_cast<size_t>(table.index)].routes.push_back(
      std::move(route));
}

// --- Security groups -----------------------------------------------------------------------------


int Port(Loader& loader, int r, const Value* v, const std::string& where) {
  const auto port = loader.Integer(r, v, where);
  if (!port) {
    return -1;
  }
  if (*port < -1 || *port > 65535) {
    loader.Error(
        r, v->at,
        fmt::format("`{}.{}` is {}, out of range -1..65535", loader.Logical(r), where, *port));
    return -1;
  }
  return static_cast<int>(*port);
}





/// A security group named by `GroupName` (AWS::EC2::SecurityGroupIngress of default-VPC groups,
/// SourceSecurityGroupName).
Link GroupByName(Loader& loader, const std::string& name) {
  for (int other = 0; other < loader.Count(); ++other) {
    if (loader.Type(other) != "AWS::EC2::SecurityGroup") {
      continue;
    }
    const Value* v = loader.Property(other, "GroupName");
    if (v != nullptr && v->IsScalar() && v->text == name) {
      return Link::To(loader.NodeOf(other, Kind::kSecurityGroup));
    }
  }
  return Link::Unknown(fmt::format("security group `{}` is not among the inputs", name));
}

/// The rules one rule object allows: fields shared by inline rules and standalone rule
/// resources. `fields` is the object; `prefix` names it in messages.
std::vector<SecurityGroupRule> ReadRule(Loader& loader,
                                        int r,
                                        const Value& fields,
                                        const std::string& prefix,
                                        bool egress,
                                        Origin origin,
                                        const std::string& missing) {
  std::vector<SecurityGroupRule> out;
  auto where = [&](const char* field) {
    return prefix.empty() ? std::string(field) : prefix + "." + field;
  };
  SecurityGroupRuleShape shape;
  shape.origin = std::move(origin);
  shape.egress = egress;
  shape.protocol = loader.Protocol(r, fields.Get("IpProtocol"), where("IpProtocol"));
  if (!missing.empty()) {
    shape.protocol = Maybe<int>::Unknown(missing);
  }
  shape.from = Port(loader, r, fields.Get("FromPort"), where("FromPort"));
  shape.to = Port(loader, r, fields.Get("ToPort"), where("ToPort"));
  if (const Value* cidr = fields.Get("CidrIp")) {
    out.push_back(MakeSecurityGroupRule(shape, CidrPeer(loader.Cidr(r, cidr, where("CidrIp")))));
  }
  for (const char* key : {"SourceSecurityGroupId", "DestinationSecurityGroupId"}) {
    if (const Value* group = fields.Get(key)) {
      out.push_back(MakeSecurityGroupRule(
          shape, GroupPeer(loader.SingleLink(r, group, Kind::kSecurityGroup, where(key)))));
    }
  }
  if (const Value* name = fields.Get("SourceSecurityGroupName")) {
    if (const auto text = loader.String(r, name, where("SourceSecurityGroupName"))) {
      out.push_back(MakeSecurityGroupRule(shape, GroupPeer(GroupByName(loader, *text))));
    }
  }
  for (const char* key : {"SourcePrefixListId", "DestinationPrefixListId"}) {
    if (const Value* list = fields.Get(key)) {
      out.push_back(MakeSecurityGroupRule(
          shape, PrefixListPeer(loader.SingleLink(r, list, Kind::kPrefixList, where(key)))));
    }
  }
  // CidrIpv6 rules never match the IPv4 traffic the checks are about.
  return out;
}

void LinkSecurityGroup(Loader& loader, int r) {
  const NodeIndex node = loader.NodeOf(r, Kind::kSecurityGroup);
  Graph& g = loader.GraphRef();
  std::vector<SecurityGroupRule> rules;
  const std::string missing = loader.MaybeMissing(r);
  for (const char* direction : {"SecurityGroupIngress", "SecurityGroupEgress"}) {
    const Value* list = loader.Property(r, direction);
    if (list == nullptr) {
      continue;
    }
    const bool egress = std::string_view(direction) == "SecurityGroupEgress";
    if (list->IsUnknown()) {
      g.security_groups[static_cast<size_t>(node)].rules_unknown = list->text;
      continue;
    }
    if (!list->IsList()) {
      loader.Error(r, list->at,
                   fmt::format("`{}.{}` must be a list of rules, found {}", loader.Logical(r),
                               direction, list->KindName()));
      continue;
    }
    for (size_t i = 0; i < list->items.size(); ++i) {
      const Value& item = list->items[i];
      const std::string prefix = fmt::format("{}[{}]", direction, i);
      if (item.IsUnknown()) {
        g.security_groups[static_cast<size_t>(node)].rules_unknown = item.text;
        continue;
      }
      if (!item.IsMap()) {
        loader.Error(r, item.at,
                     fmt::format("`{}.{}` must be a rule (a mapping), found {}", loader.Logical(r),
                                 prefix, item.KindName()));
        continue;
      }
      auto read = ReadRule(loader, r, item, prefix, egress, loader.OriginOf(r, item.at), missing);
      rules.insert(rules.end(), read.begin(), read.end());
    }
  }
  SecurityGroup& group = g.security_groups[static_cast<size_t>(node)];
  group.vpc = loader.SingleLink(r, "VpcId", Kind::kVpc);
  group.inline_rules = loader.Property(r, "SecurityGroupIngress") != nullptr ||
                       loader.Property(r, "SecurityGroupEgress") != nullptr;
  const Value* egress = loader.Property(r, "SecurityGroupEgress");
  // Without SecurityGroupEgress, CloudFormation leaves EC2's default allow-all egress rule in
  // place (semantics.md §5.4); unlike Terraform, which revokes it. An empty list is taken the
  // same way: AWS CDK renders "no outbound traffic" as a rule that matches nothing
  // (255.255.255.255/32, icmp 252/86) precisely because an empty list keeps the default.
  if (egress == nullptr || (egress->IsList() && egress->items.empty())) {
    SecurityGroupRuleShape shape;
    shape.origin = loader.OriginOf(r);
    shape.egress = true;
    shape.protocol = Maybe<int>::Of(kProtocolAll);
    rules.push_back(MakeSecurityGroupRule(shape, CidrPeer(Maybe<Ipv4Cidr>::Of(Ipv4Cidr{0, 0}))));
    loader.DefaultEgress().insert(node);
  }
  group.rules.insert(group.rules.begin(), rules.begin(), rules.end());
}

/// Removes CloudFormation's default allow-all egress rule from a group.
void RemoveDefaultEgress(Loader& loader, NodeIndex node) {
  if (loader.DefaultEgress().erase(node) == 0) {
    return;
  }
  SecurityGroup& group = loader.GraphRef().security_groups[static_cast<size_t>(node)];
  for (auto it = group.rules.begin(); it != group.rules.end(); ++it) {
    if (it->egress && it->origin.address == group.origin.address &&
        it->peer.kind == SecurityGroupPeer::Kind::kCidr && it->peer.cidr.Known() &&
        it->peer.cidr.value->prefix_length == 0 && it->protocol.Known() &&
        *it->protocol.value == kProtocolAll) {
      group.rules.erase(it);
      return;
    }
  }
}

/// AWS::EC2::SecurityGroupIngress / AWS::EC2::SecurityGroupEgress
void LinkStandaloneSecurityGroupRule(Loader& loader, int r, bool egress) {
  Link group = loader.SingleLink(r, "GroupId", Kind::kSecurityGroup);
  if (!group.Resolved() && loader.Property(r, "GroupId") == nullptr) {
    if (const auto name = loader.String(r, loader.Property(r, "GroupName"), "GroupName")) {
      group = GroupByName(loader, *name);
    }
  }
  if (!group.Resolved()) {
    return;  // a group outside the inputs
  }
  const Value& fields = loader.Properties(r);
  auto rules = ReadRule(loader, r, fields, {}, egress, loader.OriginOf(r), loader.MaybeMissing(r));
  if (egress) {
    // Observed, not documented (semantics.md §5.4, cfn-language-discussion#157, aws-cdk#987):
    // a standalone egress rule on a group that still has the default allow-all rule replaces it,
    // so the group then allows only its listed egress rules.
    RemoveDefaultEgress(loader, group.index);
  }
  SecurityGroup& target = loader.GraphRef().security_groups[static_cast<size_t>(group.index)];
  target.rules.insert(target.rules.end(), rules.begin(), rules.end());
}

// --- Network ACLs --------------------------------------------------------------------------------

void LinkNetworkAclEntry(Loader& loader, int r) {
  const Link acl_link = loader.SingleLink(r, "NetworkAclId", Kind::kNetworkAcl);
  if (!acl_link.Resolved()) {
    return;
  }
  NetworkAcl& acl = loader.GraphRef().network_acls[static_cast<size_t>(acl_link.index)];
  NetworkAclEntry entry;
  entry.origin = loader.OriginOf(r);
  entry.egress = loader.Bool(r, loader.Property(r, "Egress"), "Egress").value_or(false);
  const Value* number = loader.Property(r, "RuleNumber");
  const auto rule_number = loader.Integer(r, number, "RuleNumber");
  if (rule_number && (*rule_number < 1 || *rule_number > 32766)) {
    loader.Error(r, number->at,
                 fmt::format("`{}.RuleNumber` is {}, out of range 1-32766", loader.Logical(r),
                             *rule_number));
  }
  entry.rule_number = rule_number ? static_cast<int>(*rule_number) : 0;
  const auto action = loader.String(r, loader.Property(r, "RuleAction"), "RuleAction");
  if (action) {
    std::string lower = *action;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower != "allow" && lower != "deny") {
      loader.Error(r, loader.Property(r, "RuleAction")->at,
                   fmt::format("`{}.RuleAction` is `{}`; expected allow or deny", loader.Logical(r),
                               *action));
    }
    entry.allow = lower == "allow";
  }
  entry.protocol = loader.Protocol(r, loader.Property(r, "Protocol"), "Protocol");
  if (const std::string missing = loader.MaybeMissing(r); !missing.empty()) {
    entry.protocol = Maybe<int>::Unknown(missing);
  }
  int from = -1;
  int to = -1;
  if (const Value* range = loader.Property(r, "PortRange"); range != nullptr && range->IsMap()) {
    from = Port(loader, r, range->Get("From"), "PortRange.From");
    to = Port(loader, r, range->Get("To"), "PortRange.To");
  }
  if (entry.protocol.Known()) {
    entry.ports = NormalizeRuleTraffic(*entry.protocol.value, from, to).ports;
    if (*entry.protocol.value == kProtocolIcmp) {
      if (const Value* icmp = loader.Property(r, "Icmp"); icmp != nullptr && icmp->IsMap()) {
        entry.icmp_type = Port(loader, r, icmp->Get("Type"), "Icmp.Type");
        entry.icmp_code = Port(loader, r, icmp->Get("Code"), "Icmp.Code");
      }
    }
  }
  // An IPv6 entry (Ipv6CidrBlock) keeps cidr unset: it never matches IPv4 traffic.
  entry.cidr = loader.Cidr(r, loader.Property(r, "CidrBlock"), "CidrBlock");
  for (const NetworkAclEntry& other : acl.entries) {
    if (other.rule_number == entry.rule_number && other.egress == entry.egress &&
        entry.rule_number != 0) {
      loader.Error(
          r, number != nullptr ? number->at : Position{},
          fmt::format("`{}`: rule number {} ({}) is already used by `{}` in `{}`",
                      loader.Logical(r), entry.rule_number, entry.egress ? "egress" : "ingress",
                      other.origin.address, acl.origin.address));
    }
  }
  // Entries added to the default network ACL (`!GetAtt VPC.DefaultNetworkAcl`) join its
  // allow-all rule 100; the ACL is then no longer untouched.
  acl.implicit = false;
  acl.entries.push_back(std::move(entry));
}

}  // namespace

void CreateNetworkNodes(Loader& loader, int r) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Type(r);
  if (type == "AWS::EC2::VPC") {
    Vpc vpc;
    vpc.origin = loader.OriginOf(r);
    const Value* cidr = loader.Property(r, "CidrBlock");
    if (cidr != nullptr) {
      vpc.cidr_blocks.push_back(loader.Cidr(r, cidr, "CidrBlock"));
    } else {
      vpc.cidr_blocks.push_back(Maybe<Ipv4Cidr>::Unknown(fmt::format(
          "`{}` gets its CIDR block from an IPAM pool at deployment", loader.At(r).address)));
    }
    g.vpcs.push_back(std::move(vpc));
    loader.Register(r, Kind::kVpc, static_cast<NodeIndex>(g.vpcs.size() - 1));
  } else if (type == "AWS::EC2::Subnet") {
    Subnet subnet;
    subnet.origin = loader.OriginOf(r);
    const Value* cidr = loader.Property(r, "CidrBlock");
    if (cidr != nullptr) {
      subnet.cidr = loader.Cidr(r, cidr, "CidrBlock");
    } else if (loader.Property(r, "Ipv4IpamPoolId") != nullptr) {
      subnet.cidr = Maybe<Ipv4Cidr>::Unknown(fmt::format(
          "`{}` gets its CIDR block from an IPAM pool at deployment", loader.At(r).address));
    }
    subnet.availability_zone =
        loader.String(r, loader.Property(r, "AvailabilityZone"), "AvailabilityZone").value_or("");
    g.subnets.push_back(std::move(subnet));
    loader.Register(r, Kind::kSubnet, static_cast<NodeIndex>(g.subnets.size() - 1));
  } else if (type == "AWS::EC2::RouteTable") {
    RouteTable table;
    table.origin = loader.OriginOf(r);
    g.route_tables.push_back(std::move(table));
    loader.Register(r, Kind::kRouteTable, static_cast<NodeIndex>(g.route_tables.size() - 1));
  } else if (type == "AWS::EC2::VPCPeeringConnection") {
    PeeringConnection peering;
    peering.origin = loader.OriginOf(r);
    g.peerings.push_back(std::move(peering));
    loader.Register(r, Kind::kPeering, static_cast<NodeIndex>(g.peerings.size() - 1));
  } else if (type == "AWS::EC2::SecurityGroup") {
    SecurityGroup group;
    group.origin = loader.OriginOf(r);
    g.security_groups.push_back(std::move(group));
    loader.Register(r, Kind::kSecurityGroup, static_cast<NodeIndex>(g.security_groups.size() - 1));
  } else if (type == "AWS::EC2::NetworkAcl") {
    NetworkAcl acl;
    acl.origin = loader.OriginOf(r);
    g.network_acls.push_back(std::move(acl));
    loader.Register(r, Kind::kNetworkAcl, static_cast<NodeIndex>(g.network_acls.size() - 1));
  } else if (type == "AWS::EC2::PrefixList") {
    PrefixList list;
    list.origin = loader.OriginOf(r);
    g.prefix_lists.push_back(std::move(list));
    loader.Register(r, Kind::kPrefixList, static_cast<NodeIndex>(g.prefix_lists.size() - 1));
  }
}

void LinkNetworkNodes(Loader& loader, int r) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Type(r);
  const std::string missing = loader.MaybeMissing(r);
  if (type == "AWS::EC2::Subnet") {
    g.subnets[static_cast<size_t>(loader.NodeOf(r, Kind::kSubnet))].vpc =
        loader.SingleLink(r, "VpcId", Kind::kVpc);
  } else if (type == "AWS::EC2::VPCCidrBlock") {
    const Link vpc = loader.SingleLink(r, "VpcId", Kind::kVpc);
    const Value* cidr = loader.Property(r, "CidrBlock");
    if (vpc.Resolved() && cidr != nullptr) {
      g.vpcs[static_cast<size_t>(vpc.index)].cidr_blocks.push_back(
          Unknowable(loader.Cidr(r, cidr, "CidrBlock"), missing));
    }
  } else if (type == "AWS::EC2::RouteTable") {
    g.route_tables[static_cast<size_t>(loader.NodeOf(r, Kind::kRouteTable))].vpc =
        loader.SingleLink(r, "VpcId", Kind::kVpc);
  } else if (type == "AWS::EC2::Route") {
    LinkRoute(loader, r);
  } else if (type == "AWS::EC2::SubnetRouteTableAssociation") {
    const Link subnet = loader.SingleLink(r, "SubnetId", Kind::kSubnet);
    const Link table = loader.SingleLink(r, "RouteTableId", Kind::kRouteTable);
    if (subnet.Resolved()) {
      g.subnets[static_cast<size_t>(subnet.index)].route_table =
          missing.empty() ? table : Link::Unknown(missing);
    }
  } else if (type == "AWS::EC2::SubnetNetworkAclAssociation") {
    const Link subnet = loader.SingleLink(r, "SubnetId", Kind::kSubnet);
    const Link acl = loader.SingleLink(r, "NetworkAclId", Kind::kNetworkAcl);
    if (subnet.Resolved()) {
      g.subnets[static_cast<size_t>(subnet.index)].network_acl =
          missing.empty() ? acl : Link::Unknown(missing);
    }
  } else if (type == "AWS::EC2::VPCPeeringConnection") {
    PeeringConnection& p = g.peerings[static_cast<size_t>(loader.NodeOf(r, Kind::kPeering))];
    p.requester_vpc = loader.SingleLink(r, "VpcId", Kind::kVpc);
    p.accepter_vpc = loader.SingleLink(r, "PeerVpcId", Kind::kVpc);
    const Template& tpl = loader.TemplateOf(r);
    const std::string region = tpl.parameters.at("AWS::Region").text;
    const auto peer_region = loader.String(r, loader.Property(r, "PeerRegion"), "PeerRegion");
    p.same_region = !peer_region || *peer_region == region;
    const Value* owner = loader.Property(r, "PeerOwnerId");
    const std::string account = tpl.parameters.at("AWS::AccountId").text;
    const bool same_account = owner == nullptr || (owner->IsScalar() && owner->text == account);
    if (!missing.empty()) {
      p.active = Maybe<bool>::Unknown(missing);
    } else if (same_account || loader.Property(r, "PeerRoleArn") != nullptr) {
      // CloudFormation accepts a peering within one account itself, and across accounts with
      // the accepter's PeerRoleArn.
      p.active = Maybe<bool>::Of(true);
    } else {
      p.active = Maybe<bool>::Unknown(fmt::format(
          "`{}` peers with another account and has no PeerRoleArn, so that account must "
          "accept it",
          loader.At(r).address));
    }
  } else if (type == "AWS::EC2::SecurityGroup") {
    LinkSecurityGroup(loader, r);
  } else if (type == "AWS::EC2::NetworkAcl") {
    g.network_acls[static_cast<size_t>(loader.NodeOf(r, Kind::kNetworkAcl))].vpc =
        loader.SingleLink(r, "VpcId", Kind::kVpc);
  } else if (type == "AWS::EC2::PrefixList") {
    PrefixList& list = g.prefix_lists[static_cast<size_t>(loader.NodeOf(r, Kind::kPrefixList))];
    if (const Value* entries = loader.Property(r, "Entries");
        entries != nullptr && entries->IsList()) {
      for (size_t i = 0; i < entries->items.size(); ++i) {
        list.entries.push_back(
            loader.Cidr(r, entries->items[i].Get("Cidr"), Item("Entries", i, "Cidr")));
      }
    }
  }
}

void LinkStandaloneRules(Loader& loader, int r) {
  const std::string& type = loader.Type(r);
  if (type == "AWS::EC2::SecurityGroupIngress") {
    LinkStandaloneSecurityGroupRule(loader, r, false);
  } else if (type == "AWS::EC2::SecurityGroupEgress") {
    LinkStandaloneSecurityGroupRule(loader, r, true);
  } else if (type == "AWS::EC2::NetworkAclEntry") {
    LinkNetworkAclEntry(loader, r);
  } else if (type == "Custom::VpcRestrictDefaultSG") {
    // AWS CDK's restrictDefaultSecurityGroup: a custom resource that revokes every rule of the
    // VPC's default security group at deployment.
    const Link group = loader.SingleLink(r, "DefaultSecurityGroupId", Kind::kSecurityGroup);
    if (group.Resolved() && loader.MaybeMissing(r).empty()) {
      SecurityGroup& sg = loader.GraphRef().security_groups[static_cast<size_t>(group.index)];
      std::erase_if(sg.rules, [&](const SecurityGroupRule& rule) {
        return rule.origin.address == sg.origin.address;  // the rules AWS created with the VPC
      });
      loader.DefaultEgress().erase(group.index);
    }
  }
}

}  // namespace cvpn::parsers::cfn
