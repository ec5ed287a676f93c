// SPDX-License-Identifier: Apache-2.0
#include "analyzer/graph_dump.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace cvpn {

namespace {

template <typename T>
std::string Text(const Maybe<T>& m) {
  if (m.Known()) {
    if constexpr (std::is_same_v<T, Ipv4Cidr>) {
      return m.value->ToString();
    } else if constexpr (std::is_same_v<T, int>) {
      return ProtocolName(*m.value);
    } else {
      return *m.value ? "true" : "false";
    }
  }
  return m.unknown.empty() ? "-" : "?(" + m.unknown + ")";
}

template <typename T>
std::string LinkText(const std::vector<T>& nodes, const Link& l) {
  if (l.Resolved()) {
    return nodes[static_cast<size_t>(l.index)].origin.address;
  }
  return l.unknown.empty() ? "-" : "?(" + l.unknown + ")";
}

std::string RouteTargetText(const Graph& g, const RouteTarget& t) {
  static constexpr const char* kKinds[] = {"local", "igw", "nat", "tgw", "pcx", "eni",
                                           "vpce",  "vgw", "eigw", "other", "unknown"};
  std::string out = kKinds[static_cast<int>(t.kind)];
  out += ":" + t.text;
  if (t.kind == RouteTarget::Kind::kPeeringConnection) {
    out += "->" + LinkText(g.peerings, t.node);
  }
  return out;
}

}  // namespace

std::string DumpGraph(const Graph& g) {
  std::vector<std::string> lines;
  for (const Vpc& v : g.vpcs) {
    std::string cidrs;
    for (const auto& c : v.cidr_blocks) {
      cidrs += (cidrs.empty() ? "" : ",") + Text(c);
    }
    lines.push_back(fmt::format("vpc {} cidr={} main_rt={} default_acl={} default_sg={}",
                                v.origin.address, cidrs,
                                v.main_route_table == kNone ? "-" : g.route_tables[static_cast<size_t>(v.main_route_table)].origin.address,
                                v.default_network_acl == kNone ? "-" : g.network_acls[static_cast<size_t>(v.default_network_acl)].origin.address,
                                v.default_security_group == kNone ? "-" : g.security_groups[static_cast<size_t>(v.default_security_group)].origin.address));
  }
  for (const Subnet& s : g.subnets) {
    lines.push_back(fmt::format("subnet {} vpc={} cidr={} az={} rt={} acl={}", s.origin.address,
                                LinkText(g.vpcs, s.vpc), Text(s.cidr),
                                s.availability_zone.empty() ? "-" : s.availability_zone,
                                LinkText(g.route_tables, s.route_table),
                                LinkText(g.network_acls, s.network_acl)));
  }
  for (const RouteTable& rt : g.route_tables) {
    lines.push_back(fmt::format("route_table {} vpc={}{}", rt.origin.address,
                                LinkText(g.vpcs, rt.vpc),
                                rt.routes_unknown.empty() ? "" : " routes=?(" + rt.routes_unknown + ")"));
    for (const Route& r : rt.routes) {
      lines.push_back(fmt::format("route_table {} route {} -> {} ({})", rt.origin.address,
                                  Text(r.destination), RouteTargetText(g, r.target),
                                  r.origin.address));
    }
  }
  for (const PeeringConnection& p : g.peerings) {
    lines.push_back(fmt::format("peering {} {} <-> {} active={}", p.origin.address,
                                LinkText(g.vpcs, p.requester_vpc), LinkText(g.vpcs, p.accepter_vpc),
                                Text(p.active)));
  }
  for (const SecurityGroup& sg : g.security_groups) {
    lines.push_back(fmt::format("security_group {} vpc={}{}{}", sg.origin.address,
                                LinkText(g.vpcs, sg.vpc), sg.vpc_default ? " default" : "",
                                sg.rules_unknown.empty() ? "" : " rules=?(" + sg.rules_unknown + ")"));
    for (const SecurityGroupRule& r : sg.rules) {
      std::string peer;
      switch (r.peer.kind) {
        case SecurityGroupPeer::Kind::kCidr:
          peer = Text(r.peer.cidr);
          break;
        case SecurityGroupPeer::Kind::kSecurityGroup:
          peer = "sg:" + LinkText(g.security_groups, r.peer.group);
          break;
        case SecurityGroupPeer::Kind::kPrefixList:
          peer = "pl:" + LinkText(g.prefix_lists, r.peer.prefix_list);
          break;
      }
      lines.push_back(fmt::format("security_group {} {} {} {} {} ({})", sg.origin.address,
                                  r.egress ? "egress" : "ingress", Text(r.protocol),
                                  r.ports.ToString(), peer, r.origin.address));
    }
  }
  for (const NetworkAcl& acl : g.network_acls) {
    lines.push_back(fmt::format("network_acl {} vpc={}{}{}", acl.origin.address,
                                LinkText(g.vpcs, acl.vpc), acl.vpc_default ? " default" : "",
                                acl.entries_unknown.empty() ? "" : " entries=?(" + acl.entries_unknown + ")"));
    for (const NetworkAclEntry& e : acl.entries) {
      lines.push_back(fmt::format("network_acl {} {} {:05} {} {} {} {}", acl.origin.address,
                                  e.egress ? "egress" : "ingress", e.rule_number,
                                  e.allow ? "allow" : "deny", Text(e.protocol),
                                  e.ports.ToString(), Text(e.cidr)));
    }
  }
  for (const ClientVpnEndpoint& e : g.endpoints) {
    std::string groups;
    for (const Link& l : e.security_groups) {
      groups += (groups.empty() ? "" : ",") + LinkText(g.security_groups, l);
    }
    std::string auth;
    for (const std::string& a : e.authentication_types) {
      auth += (auth.empty() ? "" : ",") + a;
    }
    lines.push_back(fmt::format("endpoint {} client={} vpc={} sgs={} split_tunnel={} auth={}",
                                e.origin.address, Text(e.client_cidr), LinkText(g.vpcs, e.vpc),
                                e.security_groups_given ? groups : "(default)",
                                e.split_tunnel ? "true" : "false", auth.empty() ? "-" : auth));
    for (const auto& a : e.associations) {
      lines.push_back(fmt::format("endpoint {} association {} ({})", e.origin.address,
                                  LinkText(g.subnets, a.subnet), a.origin.address));
    }
    for (const auto& r : e.authorization_rules) {
      lines.push_back(fmt::format("endpoint {} authorize {} {} ({})", e.origin.address,
                                  Text(r.target_network),
                                  r.all_groups ? "all-groups" : "group:" + r.access_group,
                                  r.origin.address));
    }
    for (const auto& r : e.routes) {
      lines.push_back(fmt::format("endpoint {} route {} via {} ({})", e.origin.address,
                                  Text(r.destination), LinkText(g.subnets, r.target_subnet),
                                  r.origin.address));
    }
  }
  for (const Target& t : g.targets) {
    std::string subnets;
    for (const Link& l : t.subnets) {
      subnets += (subnets.empty() ? "" : ",") + LinkText(g.subnets, l);
    }
    std::string groups;
    for (const Link& l : t.security_groups) {
      groups += (groups.empty() ? "" : ",") + LinkText(g.security_groups, l);
    }
    std::string ports;
    for (const PortSpec& p : t.implied_ports) {
      ports += (ports.empty() ? "" : ",") + p.ToString();
    }
    lines.push_back(fmt::format(
        "target {} type={} subnets={}{} sgs={} ports={}", t.origin.address, t.type,
        subnets.empty() ? "-" : subnets,
        t.subnets_unknown.empty() ? "" : " ?(" + t.subnets_unknown + ")",
        !t.has_security_groups ? "(none)" : t.security_groups_given ? groups : "(default)",
        ports.empty() ? "-" : ports));
  }
  std::stable_sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) {
    out += l + "\n";
  }
  return out;
}

}  // namespace cvpn
