// SPDX-License-Identifier: Apache-2.0
// Terraform resources of the VPC itself: VPCs, subnets, route tables and routes, peering,
// security groups and their rules, network ACLs and their entries, prefix lists.
#include <fmt/format.h>

#include "analyzer/graph_builders.h"

#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

AttributePath Path(std::initializer_list<PathStep> steps) { return AttributePath(steps); }
PathStep Key(std::string key) { return PathStep{std::move(key), -1}; }
PathStep At(int index) { return PathStep{{}, index}; }

/// A member of an object that is present and not null; absent otherwise.
JsonView Field(JsonView object, std::string_view key) {
  const JsonView value = object[key];
  return value.IsNull() ? JsonView() : value;
}

/// A port (-1 .. 65535), or `fallback` when unknown or invalid (an input error).
int PortValue(PlanLoader& loader, int instance, std::optional<int64_t> v, int fallback) {
  if (!v) {
    return fallback;
  }
  if (*v < -1 || *v > 65535) {
    loader.Error(instance, fmt::format("port {} is out of range -1..65535", *v));
    return fallback;
  }
  return static_cast<int>(*v);
}

int IntField(PlanLoader& loader, int instance, const AttributePath& path, int fallback) {
  return PortValue(loader, instance, loader.Integer(instance, path), fallback);
}

/// A port field of a block that is read straight from the document when its attribute has
/// nothing unknown (`direct`) and the field is set, else through Attribute().
int BlockPort(PlanLoader& loader, int instance, bool direct, JsonView block,
              const AttributePath& base, const char* key, int fallback) {
  if (const JsonView value = Field(block, key); direct && value) {
    return PortValue(loader, instance,
                     loader.IntegerValue(instance, value,
                                         [&] {
                                           AttributePath p = base;
                                           p.push_back(Key(key));
                                           return PathText(p);
                                         }),
                     fallback);
  }
  AttributePath p = base;
  p.push_back(Key(key));
  return IntField(loader, instance, p, fallback);
}

/// Whether a list-of-blocks attribute (ingress, egress, route) is managed by this resource: set in
/// the configuration, or known in the values.
bool BlocksKnown(PlanLoader& loader, int instance, std::string_view key) {
  const JsonView blocks = loader.Model().Instance(instance).values[key];
  if (blocks && !blocks.IsNull() && !blocks.IsArray()) {
    loader.Error(instance, fmt::format("`{}` must be a list of blocks, found a {}", key,
                                       blocks.TypeName()));
  }
  return blocks.IsArray();
}

std::string UnknownBlocksReason(const PlanLoader& loader, int instance, std::string_view key) {
  if (!loader.IsSet(instance, key)) {
    return {};  // not managed inline: no inline rules
  }
  return fmt::format("the inline `{}` blocks of `{}` are known only after apply", key,
                     loader.Model().Instance(instance).address);
}

// --- Routes -------------------------------------------------------------------------------------

RouteTarget::Kind KindFromId(std::string_view id) {
  auto starts = [&](std::string_view p) { return id.rfind(p, 0) == 0; };
  if (id == "local") return RouteTarget::Kind::kLocal;
  if (starts("igw-")) return RouteTarget::Kind::kInternetGateway;
  if (starts("vgw-")) return RouteTarget::Kind::kVpnGateway;
  if (starts("nat-")) return RouteTarget::Kind::kNatGateway;
  if (starts("tgw-")) return RouteTarget::Kind::kTransitGateway;
  if (starts("pcx-")) return RouteTarget::Kind::kPeeringConnection;
  if (starts("eni-")) return RouteTarget::Kind::kNetworkInterface;
  if (starts("vpce-")) return RouteTarget::Kind::kVpcEndpoint;
  if (starts("eigw-")) return RouteTarget::Kind::kEgressOnlyInternetGateway;
  return RouteTarget::Kind::kOther;
}

struct TargetAttribute {
  const char* name;
  RouteTarget::Kind kind;
};
constexpr TargetAttribute kRouteTargets[] = {
    {"gateway_id", RouteTarget::Kind::kInternetGateway},
    {"nat_gateway_id", RouteTarget::Kind::kNatGateway},
    {"transit_gateway_id", RouteTarget::Kind::kTransitGateway},
    {"vpc_peering_connection_id", RouteTarget::Kind::kPeeringConnection},
    {"network_interface_id", RouteTarget::Kind::kNetworkInterface},
    {"vpc_endpoint_id", RouteTarget::Kind::kVpcEndpoint},
    {"egress_only_gateway_id", RouteTarget::Kind::kEgressOnlyInternetGateway},
    {"carrier_gateway_id", RouteTarget::Kind::kOther},
    {"local_gateway_id", RouteTarget::Kind::kOther},
    {"core_network_arn", RouteTarget::Kind::kOther},
    {"instance_id", RouteTarget::Kind::kNetworkInterface},
};

/// Reads a route's target from the attributes at `base` (empty for aws_route, route[i] inline).
RouteTarget ReadRouteTarget(PlanLoader& loader, int instance, const AttributePath& base,
                            JsonView element) {
  RouteTarget target;
  const PlanModel& model = loader.Model();
  for (const TargetAttribute& attr : kRouteTargets) {
    AttributePath path = base;
    path.push_back(Key(attr.name));
    const AttributeValue value = model.Attribute(instance, path);
    const bool unknown_in_values =
        !element[attr.name];  // absent element field
    std::string text;
    if (value.known.IsString()) {
      text = std::string(value.known.String());
    }
    if (text.empty() && value.targets.empty()) {
      continue;
    }
    if (!text.empty()) {
      target.kind = KindFromId(text);
      target.text = text;
      if (target.kind == RouteTarget::Kind::kOther && attr.kind != RouteTarget::Kind::kOther &&
          std::string_view(attr.name) != "gateway_id") {
        target.kind = attr.kind;
      }
    } else {
      // Known only after apply: the attribute and the referenced resource type tell the kind.
      if (base.empty() || unknown_in_values) {
        target.kind = attr.kind;
      }
      const PlanInstance& ref = model.Instance(value.targets.front().instance);
      target.text = ref.address;
      if (std::string_view(attr.name) == "gateway_id") {
        target.kind = ref.type == "aws_vpn_gateway" ? RouteTarget::Kind::kVpnGateway
                                                    : RouteTarget::Kind::kInternetGateway;
      } else {
        target.kind = attr.kind;
      }
    }
    if (target.kind == RouteTarget::Kind::kPeeringConnection ||
        target.kind == RouteTarget::Kind::kTransitGateway) {
      auto links = loader.Links(instance, path,
                                target.kind == RouteTarget::Kind::kPeeringConnection
                                    ? NodeKind::kPeering
                                    : NodeKind::kTransitGateway);
      for (const Link& l : links) {
        if (l.Resolved() || target.node.unknown.empty()) {
          target.node = l;
        }
        if (l.Resolved()) {
          break;
        }
      }
    }
    return target;
  }
  target.kind = RouteTarget::Kind::kUnknown;
  target.text = "(no target)";
  return target;
}

void AddInlineRoutes(PlanLoader& loader, int instance, RouteTable& table) {
  if (!BlocksKnown(loader, instance, "route")) {
    table.routes_unknown = UnknownBlocksReason(loader, instance, "route");
    return;
  }
  int i = -1;
  for (const JsonView element : loader.Model().Instance(instance).values["route"].Items()) {
    ++i;
    Route route;
    route.origin = loader.OriginOf(instance);
    route.destination = loader.Cidr(instance, Path({Key("route"), At(i), Key("cidr_block")}));
    if (!route.destination.Known() && route.destination.unknown.empty()) {
      continue;  // IPv6 or prefix-list destination: never matches IPv4 traffic
    }
    route.target = ReadRouteTarget(loader, instance, Path({Key("route"), At(i)}), element);
    table.routes.push_back(std::move(route));
  }
}

// --- Security groups -----------------------------------------------------------------------------






/// Inline `ingress`/`egress` blocks of aws_security_group and aws_default_security_group.
void AddInlineRules(PlanLoader& loader, int instance, NodeIndex self, SecurityGroup& group) {
  for (const char* direction : {"ingress", "egress"}) {
    if (!BlocksKnown(loader, instance, direction)) {
      const std::string why = UnknownBlocksReason(loader, instance, direction);
      if (!why.empty()) {
        group.rules_unknown = why;
      }
      continue;
    }
    const bool direct = loader.FullyKnown(instance, direction);
    int i = -1;
    for (const JsonView block : loader.Model().Instance(instance).values[direction].Items()) {
      ++i;
      auto at = [&](const char* key) { return Path({Key(direction), At(i), Key(key)}); };
      SecurityGroupRuleShape shape;
      shape.origin = loader.OriginOf(instance);
      shape.egress = std::string_view(direction) == "egress";
      shape.protocol =
          loader.Protocol(instance, [&] { return fmt::format("{}[{}].protocol", direction, i); },
                          Field(block, "protocol"));
      const AttributePath base = Path({Key(direction), At(i)});
      shape.from = BlockPort(loader, instance, direct, block, base, "from_port", -1);
      shape.to = BlockPort(loader, instance, direct, block, base, "to_port", -1);
      if (const JsonView cidrs = Field(block, "cidr_blocks"); cidrs && !cidrs.IsArray()) {
        loader.Error(instance, fmt::format("`{}[{}].cidr_blocks` must be a list, found a {}",
                                           direction, i, cidrs.TypeName()));
      } else if (cidrs.IsArray()) {
        int c = -1;
        for (const JsonView cidr : cidrs.Items()) {
          ++c;
          const AttributePath path = Path({Key(direction), At(i), Key("cidr_blocks"), At(c)});
          group.rules.push_back(MakeSecurityGroupRule(
              shape, CidrPeer(direct && !cidr.IsNull()
                                  ? loader.CidrValue(instance, cidr,
                                                     [&path] { return PathText(path); })
                                  : loader.Cidr(instance, path))));
        }
      }
      // A known empty list has nothing to resolve.
      auto empty_list = [&](const char* key) {
        const JsonView list = Field(block, key);
        return direct && list.IsArray() && list.Empty();
      };
      if (!empty_list("prefix_list_ids") && (Field(block, "prefix_list_ids") || block.IsObject())) {
        for (const Link& l : loader.Links(instance, at("prefix_list_ids"), NodeKind::kPrefixList)) {
          group.rules.push_back(MakeSecurityGroupRule(shape, PrefixListPeer(l)));
        }
      }
      if (!empty_list("security_groups")) {
        for (const Link& l :
             loader.Links(instance, at("security_groups"), NodeKind::kSecurityGroup)) {
          group.rules.push_back(MakeSecurityGroupRule(shape, GroupPeer(l)));
        }
      }
      if (Field(block, "self").Bool()) {
        group.rules.push_back(MakeSecurityGroupRule(shape, GroupPeer(Link::To(self))));
      }
    }
  }
}

void AddRuleToGroup(PlanLoader& loader, const Link& group, SecurityGroupRule rule) {
  if (group.Resolved()) {
    loader.GraphRef().security_groups[static_cast<size_t>(group.index)].rules.push_back(
        std::move(rule));
  }
}

/// aws_security_group_rule
void LinkSecurityGroupRule(PlanLoader& loader, int instance) {
  const Link group = loader.SingleLink(instance, "security_group_id", NodeKind::kSecurityGroup);
  if (!group.Resolved()) {
    return;
  }
  SecurityGroupRuleShape shape;
  shape.origin = loader.OriginOf(instance);
  shape.egress = loader.String(instance, "type").value_or("ingress") == "egress";
  const AttributeValue protocol = loader.Model().Attribute(instance, "protocol");
  shape.protocol = loader.Protocol(instance, "protocol", protocol.known);
  shape.from = IntField(loader, instance, Path({Key("from_port")}), -1);
  shape.to = IntField(loader, instance, Path({Key("to_port")}), -1);
  if (const JsonView cidrs = loader.Model().Instance(instance).values["cidr_blocks"];
      cidrs && !cidrs.IsNull() && !cidrs.IsArray()) {
    loader.Error(instance,
                 fmt::format("`cidr_blocks` must be a list, found a {}", cidrs.TypeName()));
  }
  for (int c = 0; c < static_cast<int>(loader.ListSize(instance, "cidr_blocks")); ++c) {
    AddRuleToGroup(loader, group,
                   MakeSecurityGroupRule(shape, CidrPeer(loader.Cidr(instance,
                                                        Path({Key("cidr_blocks"), At(c)})))));
  }
  if (loader.ListSize(instance, "cidr_blocks") == 0 && loader.IsSet(instance, "cidr_blocks") &&
      !loader.Model().Attribute(instance, "cidr_blocks").known) {
    AddRuleToGroup(loader, group,
                   MakeSecurityGroupRule(shape, CidrPeer(loader.Cidr(instance, "cidr_blocks"))));
  }
  if (loader.IsSet(instance, "prefix_list_ids")) {
    for (const Link& l : loader.Links(instance, "prefix_list_ids", NodeKind::kPrefixList)) {
      AddRuleToGroup(loader, group, MakeSecurityGroupRule(shape, PrefixListPeer(l)));
    }
  }
  if (loader.IsSet(instance, "source_security_group_id")) {
    AddRuleToGroup(loader, group,
                   MakeSecurityGroupRule(shape, GroupPeer(loader.SingleLink(instance, "source_security_group_id",
                                                               NodeKind::kSecurityGroup))));
  }
  if (loader.Bool(instance, "self").value_or(false)) {
    AddRuleToGroup(loader, group, MakeSecurityGroupRule(shape, GroupPeer(group)));
  }
}

/// aws_vpc_security_group_ingress_rule / aws_vpc_security_group_egress_rule
void LinkVpcSecurityGroupRule(PlanLoader& loader, int instance, bool egress) {
  const Link group = loader.SingleLink(instance, "security_group_id", NodeKind::kSecurityGroup);
  if (!group.Resolved()) {
    return;
  }
  SecurityGroupRuleShape shape;
  shape.origin = loader.OriginOf(instance);
  shape.egress = egress;
  const AttributeValue protocol = loader.Model().Attribute(instance, "ip_protocol");
  shape.protocol = loader.Protocol(instance, "ip_protocol", protocol.known);
  shape.from = IntField(loader, instance, Path({Key("from_port")}), -1);
  shape.to = IntField(loader, instance, Path({Key("to_port")}), -1);
  if (loader.IsSet(instance, "cidr_ipv4")) {
    AddRuleToGroup(loader, group, MakeSecurityGroupRule(shape, CidrPeer(loader.Cidr(instance, "cidr_ipv4"))));
  }
  if (loader.IsSet(instance, "prefix_list_id")) {
    AddRuleToGroup(loader, group,
                   MakeSecurityGroupRule(shape, PrefixListPeer(loader.SingleLink(instance, "prefix_list_id",
                                                                    NodeKind::kPrefixList))));
  }
  if (loader.IsSet(instance, "referenced_security_group_id")) {
    AddRuleToGroup(loader, group,
                   MakeSecurityGroupRule(shape, GroupPeer(loader.SingleLink(instance,
                                                               "referenced_security_group_id",
                                                               NodeKind::kSecurityGroup))));
  }
}

// --- Network ACLs --------------------------------------------------------------------------------

bool ReadAction(PlanLoader& loader, int instance, const std::string& where, JsonView value) {
  if (!value.IsString()) {
    loader.Error(instance, fmt::format("`{}` must be `allow` or `deny`", where));
    return false;
  }
  std::string action(value.String());
  for (char& c : action) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (action != "allow" && action != "deny") {
    loader.Error(instance, fmt::format("`{}` is `{}`; expected `allow` or `deny`", where,
                                       value.String()));
  }
  return action == "allow";
}

/// A network ACL rule number (1-32766), or 0 when unknown or invalid (an input error).
int RuleNumber(PlanLoader& loader, int instance, std::optional<int64_t> v) {
  if (!v) {
    return 0;
  }
  if (*v < 1 || *v > 32766) {
    loader.Error(instance, fmt::format("rule number {} is out of range 1-32766", *v));
    return 0;
  }
  return static_cast<int>(*v);
}

NetworkAclEntry MakeEntry(PlanLoader& loader, int instance, const AttributePath& base,
                          JsonView object, bool egress, const char* action_key,
                          const char* number_key) {
  auto at = [&](const char* key) {
    AttributePath p = base;
    p.push_back(Key(key));
    return p;
  };
  NetworkAclEntry entry;
  entry.origin = loader.OriginOf(instance);
  entry.egress = egress;
  // Fields of an inline entry whose attribute has nothing unknown are read directly.
  auto direct = [&](const char* key) {
    return loader.FullyKnown(instance, base.empty() ? std::string_view(key)
                                                    : std::string_view(base.front().key));
  };
  if (const JsonView number = Field(object, number_key); direct(number_key) && number) {
    entry.rule_number = RuleNumber(
        loader, instance,
        loader.IntegerValue(instance, number, [&] { return PathText(at(number_key)); }));
  } else {
    entry.rule_number = RuleNumber(loader, instance, loader.Integer(instance, at(number_key)));
  }
  entry.allow = ReadAction(loader, instance, action_key, Field(object, action_key));
  entry.protocol = loader.Protocol(instance, "protocol", Field(object, "protocol"));
  const int from = BlockPort(loader, instance, direct("from_port"), object, base, "from_port", -1);
  const int to = BlockPort(loader, instance, direct("to_port"), object, base, "to_port", -1);
  if (entry.protocol.Known()) {
    entry.ports = NormalizeRuleTraffic(*entry.protocol.value, from, to).ports;
  }
  if (const JsonView cidr = Field(object, "cidr_block"); direct("cidr_block") && cidr) {
    entry.cidr = loader.CidrValue(instance, cidr, [&] { return PathText(at("cidr_block")); });
  } else {
    entry.cidr = loader.Cidr(instance, at("cidr_block"));
  }
  if (entry.protocol.Known() && *entry.protocol.value == kProtocolIcmp) {
    entry.icmp_type =
        BlockPort(loader, instance, direct("icmp_type"), object, base, "icmp_type", -1);
    entry.icmp_code =
        BlockPort(loader, instance, direct("icmp_code"), object, base, "icmp_code", -1);
  }
  return entry;
}

void AddInlineEntries(PlanLoader& loader, int instance, NetworkAcl& acl) {
  for (const char* direction : {"ingress", "egress"}) {
    if (!BlocksKnown(loader, instance, direction)) {
      const std::string why = UnknownBlocksReason(loader, instance, direction);
      if (!why.empty()) {
        acl.entries_unknown = why;
      }
      continue;
    }
    int i = -1;
    for (const JsonView block : loader.Model().Instance(instance).values[direction].Items()) {
      ++i;
      acl.entries.push_back(MakeEntry(loader, instance, Path({Key(direction), At(i)}), block,
                                      std::string_view(direction) == "egress", "action",
                                      "rule_no"));
    }
  }
}

void AssociateSubnetsWithAcl(PlanLoader& loader, int instance, NodeIndex acl) {
  if (!loader.IsSet(instance, "subnet_ids")) {
    return;
  }
  for (const Link& subnet : loader.Links(instance, "subnet_ids", NodeKind::kSubnet)) {
    if (subnet.Resolved()) {
      loader.GraphRef().subnets[static_cast<size_t>(subnet.index)].network_acl = Link::To(acl);
    }
  }
}

}  // namespace

void CreateNetworkNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_vpc") {
    Vpc vpc;
    vpc.origin = loader.OriginOf(instance);
    vpc.cidr_blocks.push_back(loader.Cidr(instance, "cidr_block"));
    g.vpcs.push_back(std::move(vpc));
    loader.Register(instance, NodeKind::kVpc, static_cast<NodeIndex>(g.vpcs.size() - 1));
  } else if (type == "aws_subnet") {
    Subnet subnet;
    subnet.origin = loader.OriginOf(instance);
    subnet.cidr = loader.Cidr(instance, "cidr_block");
    subnet.availability_zone = loader.String(instance, "availability_zone").value_or("");
    g.subnets.push_back(std::move(subnet));
    loader.Register(instance, NodeKind::kSubnet, static_cast<NodeIndex>(g.subnets.size() - 1));
  } else if (type == "aws_route_table" || type == "aws_default_route_table") {
    RouteTable table;
    table.origin = loader.OriginOf(instance);
    g.route_tables.push_back(std::move(table));
    const auto node = static_cast<NodeIndex>(g.route_tables.size() - 1);
    loader.Register(instance, NodeKind::kRouteTable, node);
    if (type == "aws_default_route_table") {
      const Link vpc = loader.VpcOfDefault(instance, "default_route_table_id");
      g.route_tables[static_cast<size_t>(node)].vpc = vpc;
      if (vpc.Resolved()) {
        g.vpcs[static_cast<size_t>(vpc.index)].main_route_table = node;
      }
    }
  } else if (type == "aws_vpc_peering_connection") {
    PeeringConnection peering;
    peering.origin = loader.OriginOf(instance);
    g.peerings.push_back(std::move(peering));
    loader.Register(instance, NodeKind::kPeering, static_cast<NodeIndex>(g.peerings.size() - 1));
  } else if (type == "aws_security_group" || type == "aws_default_security_group") {
    SecurityGroup group;
    group.origin = loader.OriginOf(instance);
    group.vpc_default = type == "aws_default_security_group";
    g.security_groups.push_back(std::move(group));
    const auto node = static_cast<NodeIndex>(g.security_groups.size() - 1);
    loader.Register(instance, NodeKind::kSecurityGroup, node);
    if (type == "aws_default_security_group") {
      const Link vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
      if (vpc.Resolved()) {
        g.vpcs[static_cast<size_t>(vpc.index)].default_security_group = node;
      }
    }
  } else if (type == "aws_network_acl" || type == "aws_default_network_acl") {
    NetworkAcl acl;
    acl.origin = loader.OriginOf(instance);
    acl.vpc_default = type == "aws_default_network_acl";
    g.network_acls.push_back(std::move(acl));
    const auto node = static_cast<NodeIndex>(g.network_acls.size() - 1);
    loader.Register(instance, NodeKind::kNetworkAcl, node);
    if (type == "aws_default_network_acl") {
      const Link vpc = loader.VpcOfDefault(instance, "default_network_acl_id");
      g.network_acls[static_cast<size_t>(node)].vpc = vpc;
      if (vpc.Resolved()) {
        g.vpcs[static_cast<size_t>(vpc.index)].default_network_acl = node;
      }
    }
  } else if (type == "aws_ec2_managed_prefix_list") {
    PrefixList list;
    list.origin = loader.OriginOf(instance);
    g.prefix_lists.push_back(std::move(list));
    loader.Register(instance, NodeKind::kPrefixList,
                    static_cast<NodeIndex>(g.prefix_lists.size() - 1));
  }
}

void CreateDataSourceNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const PlanInstance& inst = loader.Model().Instance(instance);
  const std::string existing = fmt::format("`{}` reads an existing", inst.address);
  if (inst.type == "aws_vpc") {
    Vpc vpc;
    vpc.origin = loader.OriginOf(instance);
    vpc.cidr_blocks.push_back(loader.Cidr(instance, "cidr_block"));
    if (!vpc.cidr_blocks.front().Known() && vpc.cidr_blocks.front().unknown.empty()) {
      vpc.cidr_blocks.front() =
          Maybe<Ipv4Cidr>::Unknown(existing + " VPC whose CIDR the plan does not show");
    }
    // The existing VPC's own main route table, default ACL and default group are not in the
    // input: they are unknown, not AWS's fresh defaults.
    const auto v = static_cast<NodeIndex>(g.vpcs.size());
    RouteTable rt;
    rt.origin = vpc.origin;
    rt.origin.address += " (main route table)";
    rt.vpc = Link::To(v);
    rt.routes_unknown = existing + " VPC: the routes of its main route table are not in the input";
    g.route_tables.push_back(std::move(rt));
    vpc.main_route_table = static_cast<NodeIndex>(g.route_tables.size() - 1);
    NetworkAcl acl;
    acl.origin = vpc.origin;
    acl.origin.address += " (default network ACL)";
    acl.vpc = Link::To(v);
    acl.vpc_default = true;
    acl.entries_unknown = existing + " VPC: the entries of its default network ACL are not in "
                                     "the input";
    g.network_acls.push_back(std::move(acl));
    vpc.default_network_acl = static_cast<NodeIndex>(g.network_acls.size() - 1);
    SecurityGroup sg;
    sg.origin = vpc.origin;
    sg.origin.address += " (default security group)";
    sg.vpc = Link::To(v);
    sg.vpc_default = true;
    sg.rules_unknown = existing + " VPC: the rules of its default security group are not in the "
                                  "input";
    g.security_groups.push_back(std::move(sg));
    vpc.default_security_group = static_cast<NodeIndex>(g.security_groups.size() - 1);
    g.vpcs.push_back(std::move(vpc));
    loader.Register(instance, NodeKind::kVpc, v);
  } else if (inst.type == "aws_subnet") {
    Subnet subnet;
    subnet.origin = loader.OriginOf(instance);
    subnet.cidr = loader.Cidr(instance, "cidr_block");
    subnet.availability_zone = loader.String(instance, "availability_zone").value_or("");
    subnet.route_table = Link::Unknown(existing + " subnet: its route table is not in the input");
    subnet.network_acl = Link::Unknown(existing + " subnet: its network ACL is not in the input");
    g.subnets.push_back(std::move(subnet));
    loader.Register(instance, NodeKind::kSubnet, static_cast<NodeIndex>(g.subnets.size() - 1));
  } else if (inst.type == "aws_security_group") {
    SecurityGroup group;
    group.origin = loader.OriginOf(instance);
    group.rules_unknown = existing + " security group: its rules are not in the input";
    g.security_groups.push_back(std::move(group));
    loader.Register(instance, NodeKind::kSecurityGroup,
                    static_cast<NodeIndex>(g.security_groups.size() - 1));
  }
}

void LinkDataSourceNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_subnet") {
    g.subnets[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kSubnet))].vpc =
        loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
  } else if (type == "aws_security_group") {
    g.security_groups[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kSecurityGroup))].vpc =
        loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
  }
}

void LinkNetworkNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_subnet") {
    g.subnets[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kSubnet))].vpc =
        loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
  } else if (type == "aws_vpc_ipv4_cidr_block_association") {
    const Link vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    if (vpc.Resolved()) {
      g.vpcs[static_cast<size_t>(vpc.index)].cidr_blocks.push_back(
          loader.Cidr(instance, "cidr_block"));
    }
  } else if (type == "aws_route_table" || type == "aws_default_route_table") {
    RouteTable& table =
        g.route_tables[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kRouteTable))];
    if (type == "aws_route_table") {
      table.vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    }
    table.inline_routes = type == "aws_default_route_table" || loader.IsSet(instance, "route");
    AddInlineRoutes(loader, instance, table);
  } else if (type == "aws_route") {
    const Link table = loader.SingleLink(instance, "route_table_id", NodeKind::kRouteTable);
    if (!table.Resolved()) {
      return;
    }
    Route route;
    route.origin = loader.OriginOf(instance);
    route.destination = loader.Cidr(instance, "destination_cidr_block");
    if (!route.destination.Known() && route.destination.unknown.empty()) {
      return;  // IPv6 or prefix-list destination
    }
    route.target = ReadRouteTarget(loader, instance, {}, JsonView());
    g.route_tables[static_cast<size_t>(table.index)].routes.push_back(std::move(route));
  } else if (type == "aws_route_table_association") {
    if (!loader.IsSet(instance, "subnet_id")) {
      return;  // a gateway association
    }
    const Link subnet = loader.SingleLink(instance, "subnet_id", NodeKind::kSubnet);
    const Link table = loader.SingleLink(instance, "route_table_id", NodeKind::kRouteTable);
    if (subnet.Resolved()) {
      g.subnets[static_cast<size_t>(subnet.index)].route_table = table;
    }
  } else if (type == "aws_main_route_table_association") {
    const Link vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    const Link table = loader.SingleLink(instance, "route_table_id", NodeKind::kRouteTable);
    if (vpc.Resolved() && table.Resolved()) {
      g.vpcs[static_cast<size_t>(vpc.index)].main_route_table = table.index;
    }
  } else if (type == "aws_vpc_peering_connection") {
    PeeringConnection& p =
        g.peerings[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kPeering))];
    p.requester_vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    p.accepter_vpc = loader.SingleLink(instance, "peer_vpc_id", NodeKind::kVpc);
    const auto region = loader.String(instance, "peer_region");
    p.same_region = !region.has_value() || region->empty();
    if (loader.Bool(instance, "auto_accept").value_or(false)) {
      p.active = Maybe<bool>::Of(true);
    } else if (!p.active.Known()) {
      p.active = Maybe<bool>::Unknown(fmt::format(
          "`{}` is not auto-accepted and no accepter in the input accepts it",
          loader.Model().Instance(instance).address));
    }
  } else if (type == "aws_vpc_peering_connection_accepter") {
    const Link peering =
        loader.SingleLink(instance, "vpc_peering_connection_id", NodeKind::kPeering);
    if (peering.Resolved() && loader.Bool(instance, "auto_accept").value_or(false)) {
      g.peerings[static_cast<size_t>(peering.index)].active = Maybe<bool>::Of(true);
    }
  } else if (type == "aws_security_group" || type == "aws_default_security_group") {
    const NodeIndex node = loader.NodeOf(instance, NodeKind::kSecurityGroup);
    SecurityGroup group;
    AddInlineRules(loader, instance, node, group);
    SecurityGroup& target = g.security_groups[static_cast<size_t>(node)];
    target.vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    target.inline_rules = type == "aws_default_security_group" ||
                          loader.IsSet(instance, "ingress") || loader.IsSet(instance, "egress");
    target.rules_unknown = group.rules_unknown;
    target.rules.insert(target.rules.begin(), group.rules.begin(), group.rules.end());
  } else if (type == "aws_security_group_rule") {
    LinkSecurityGroupRule(loader, instance);
  } else if (type == "aws_vpc_security_group_ingress_rule") {
    LinkVpcSecurityGroupRule(loader, instance, false);
  } else if (type == "aws_vpc_security_group_egress_rule") {
    LinkVpcSecurityGroupRule(loader, instance, true);
  } else if (type == "aws_network_acl" || type == "aws_default_network_acl") {
    const NodeIndex node = loader.NodeOf(instance, NodeKind::kNetworkAcl);
    NetworkAcl scratch;
    AddInlineEntries(loader, instance, scratch);
    NetworkAcl& acl = g.network_acls[static_cast<size_t>(node)];
    if (type == "aws_network_acl") {
      acl.vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    }
    acl.entries_unknown = scratch.entries_unknown;
    acl.inline_entries = type == "aws_default_network_acl" || loader.IsSet(instance, "ingress") ||
                         loader.IsSet(instance, "egress");
    acl.entries.insert(acl.entries.begin(), scratch.entries.begin(), scratch.entries.end());
    AssociateSubnetsWithAcl(loader, instance, node);
  } else if (type == "aws_network_acl_rule") {
    const Link acl = loader.SingleLink(instance, "network_acl_id", NodeKind::kNetworkAcl);
    if (!acl.Resolved()) {
      return;
    }
    NetworkAclEntry entry = MakeEntry(loader, instance, {}, loader.Model().Instance(instance).values,
                                      loader.Bool(instance, "egress").value_or(false),
                                      "rule_action", "rule_number");
    g.network_acls[static_cast<size_t>(acl.index)].entries.push_back(std::move(entry));
  } else if (type == "aws_network_acl_association") {
    const Link subnet = loader.SingleLink(instance, "subnet_id", NodeKind::kSubnet);
    const Link acl = loader.SingleLink(instance, "network_acl_id", NodeKind::kNetworkAcl);
    if (subnet.Resolved()) {
      g.subnets[static_cast<size_t>(subnet.index)].network_acl = acl;
    }
  } else if (type == "aws_ec2_managed_prefix_list") {
    PrefixList& list =
        g.prefix_lists[static_cast<size_t>(loader.NodeOf(instance, NodeKind::kPrefixList))];
    if (const JsonView entries = Field(loader.Model().Instance(instance).values, "entry");
        entries.IsArray()) {
      for (int i = 0; i < static_cast<int>(entries.Size()); ++i) {
        list.entries.push_back(loader.Cidr(instance, Path({Key("entry"), At(i), Key("cidr")})));
      }
    }
  } else if (type == "aws_ec2_managed_prefix_list_entry") {
    const Link list = loader.SingleLink(instance, "prefix_list_id", NodeKind::kPrefixList);
    if (list.Resolved()) {
      g.prefix_lists[static_cast<size_t>(list.index)].entries.push_back(
          loader.Cidr(instance, "cidr"));
    }
  }
}

}  // namespace cvpn::parsers
