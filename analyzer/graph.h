// SPDX-License-Identifier: Apache-2.0
// The resource graph: the AWS network as the front ends describe it, in AWS's own terms.
// It knows nothing of any input format; every front end fills the same tables.
//
// Design notes:
// - Elements live in one vector per kind and refer to each other by index (`NodeIndex`).
//   Indices are stable once added; `kNone` means "no such element".
// - Any value may be unknown before deployment. A `Link` or `Maybe` that is not known carries the
//   reason, written for a person ("`aws_subnet.a.vpc_id` is known only after apply").
// - Every element keeps its `Origin`: the input file, the resource address and, where the front end
//   knows it, the 1-based line and column.
// - `Finalize()` fills in what AWS creates implicitly: each VPC's main route table, default network
//   ACL and default security group, unless the input manages them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/cidr.h"
#include "analyzer/ports.h"

namespace cvpn {

/// Where an element was declared.
struct Origin {
  std::string file;     ///< the input file as named on the command line
  std::string address;  ///< Terraform address or CloudFormation logical ID
  int line = 0;         ///< 1-based; 0 when unknown
  int column = 0;       ///< 1-based byte column; 0 when unknown
  /// The source language of the input, which decides how fixes are written.
  enum class Language { kTerraform, kCloudFormationYaml, kCloudFormationJson } language =
      Language::kTerraform;

  friend bool operator==(const Origin&, const Origin&) = default;
};

using NodeIndex = int32_t;
inline constexpr NodeIndex kNone = -1;

/// A reference to another element: resolved, absent, or unknown with the reason.
struct Link {
  NodeIndex index = kNone;
  std::string unknown;  ///< why it could not be resolved; empty when resolved or simply absent

  static Link To(NodeIndex i) { return Link{i, {}}; }
  static Link Unknown(std::string why) { return Link{kNone, std::move(why)}; }
  bool Resolved() const { return index != kNone; }
  bool IsUnknown() const { return index == kNone && !unknown.empty(); }
};

/// A value that may be known only after deployment.
template <typename T>
struct Maybe {
  std::optional<T> value;
  std::string unknown;  ///< why the value is not known; empty when known or simply absent

  static Maybe Of(T v) { return Maybe{std::move(v), {}}; }
  static Maybe Unknown(std::string why) { return Maybe{std::nullopt, std::move(why)}; }
  bool Known() const { return value.has_value(); }
};

struct Vpc {
  Origin origin;
  std::vector<Maybe<Ipv4Cidr>> cidr_blocks;  ///< primary first, then associated secondary blocks
  NodeIndex main_route_table = kNone;        ///< set by Finalize()
  NodeIndex default_network_acl = kNone;     ///< set by Finalize()
  NodeIndex default_security_group = kNone;  ///< set by Finalize()
};

struct Subnet {
  Origin origin;
  Link vpc;
  Maybe<Ipv4Cidr> cidr;
  std::string availability_zone;
  Link route_table;  ///< explicit association; unresolved means the VPC's main route table
  Link network_acl;  ///< explicit association; unresolved means the VPC's default network ACL
};

/// Where a VPC route sends traffic.
struct RouteTarget {
  enum class Kind {
    kLocal,
    kInternetGateway,
    kNatGateway,
    kTransitGateway,
    kPeeringConnection,
    kNetworkInterface,
    kVpcEndpoint,
    kVpnGateway,
    kEgressOnlyInternetGateway,
    kOther,
    kUnknown,
  } kind = Kind::kUnknown;
  /// The peering connection (index into peerings) or transit gateway (index into
  /// transit_gateways) where kind is one of those.
  Link node;
  std::string text;  ///< the target as written (ID or address) for messages
};

struct Route {
  Origin origin;
  Maybe<Ipv4Cidr> destination;
  RouteTarget target;
};

struct RouteTable {
  Origin origin;
  Link vpc;
  std::vector<Route> routes;  ///< excludes the implicit local routes
  bool implicit = false;      ///< created by AWS (a main route table the input does not manage)
  bool inline_routes = false; ///< routes are declared inside the table's own definition
  std::string routes_unknown; ///< why the routes are not fully known, if so
};

struct PeeringConnection {
  Origin origin;
  Link requester_vpc;
  Link accepter_vpc;
  bool same_region = true;
  Maybe<bool> active;  ///< whether it will be accepted (auto_accept or an accepter)
};

/// A transit gateway: a regional router between attached VPCs.
struct TransitGateway {
  Origin origin;
  bool default_association = true;   ///< default_route_table_association
  bool default_propagation = true;    ///< default_route_table_propagation
  bool security_group_referencing = false;
  NodeIndex default_route_table = kNone;  ///< set by Finalize() when either default is enabled
};

/// A VPC attached to a transit gateway through subnets (one per Availability Zone).
struct TransitGatewayAttachment {
  Origin origin;
  Link transit_gateway;
  Link vpc;
  std::vector<Link> subnets;
  /// Whether the attachment joins the gateway's default route table; unknown: the gateway's
  /// default decides.
  Maybe<bool> default_association;
  Maybe<bool> default_propagation;
  bool security_group_referencing = true;
};

struct TransitGatewayRoute {
  Origin origin;
  Maybe<Ipv4Cidr> destination;
  Link attachment;  ///< where the route sends traffic
  bool blackhole = false;
};

/// A transit gateway route table, with the attachments associated with it (whose traffic it
/// routes) and propagating into it (whose VPC CIDRs become routes).
struct TransitGatewayRouteTable {
  Origin origin;
  Link transit_gateway;
  bool gateway_default = false;
  std::vector<NodeIndex> associations;
  std::vector<NodeIndex> propagations;
  std::vector<TransitGatewayRoute> routes;
};

/// The other side of a security group rule.
struct SecurityGroupPeer {
  enum class Kind { kCidr, kSecurityGroup, kPrefixList } kind = Kind::kCidr;
  Maybe<Ipv4Cidr> cidr;
  Link group;        ///< for kSecurityGroup (a self reference points at the owning group)
  Link prefix_list;  ///< for kPrefixList
};

struct SecurityGroupRule {
  Origin origin;
  bool egress = false;
  Maybe<int> protocol;
  PortRange ports;  ///< normalised: all ports where the protocol has none
  int icmp_type = -1;  ///< for ICMP rules: the type, -1 for any
  int icmp_code = -1;  ///< for ICMP rules: the code, -1 for any
  SecurityGroupPeer peer;
};

struct SecurityGroup {
  Origin origin;
  Link vpc;
  bool vpc_default = false;  ///< the VPC's default security group
  bool inline_rules = false; ///< rules are declared inside the group's own definition
  std::vector<SecurityGroupRule> rules;
  std::string rules_unknown;  ///< why the rule set is not fully known, if so
};

struct PrefixList {
  Origin origin;
  std::vector<Maybe<Ipv4Cidr>> entries;
};

struct NetworkAclEntry {
  Origin origin;
  int rule_number = 0;
  bool egress = false;
  bool allow = false;
  Maybe<int> protocol;
  PortRange ports;
  int icmp_type = -1;  ///< for ICMP entries: the type, -1 for any
  int icmp_code = -1;  ///< for ICMP entries: the code, -1 for any
  Maybe<Ipv4Cidr> cidr;  ///< unset (and not unknown) for IPv6-only entries, which never match IPv4
};

struct NetworkAcl {
  Origin origin;
  Link vpc;
  bool vpc_default = false;
  bool implicit = false;  ///< AWS's default network ACL, untouched by the input
  bool inline_entries = false;  ///< entries are declared inside the ACL's own definition
  std::vector<NetworkAclEntry> entries;
  std::string entries_unknown;
};

struct ClientVpnAssociation {
  Origin origin;
  Link subnet;
};

struct ClientVpnAuthorizationRule {
  Origin origin;
  Maybe<Ipv4Cidr> target_network;
  bool all_groups = false;
  std::string access_group;  ///< empty when all_groups
};

struct ClientVpnRoute {
  Origin origin;
  Maybe<Ipv4Cidr> destination;
  Link target_subnet;
};

struct ClientVpnEndpoint {
  Origin origin;
  Maybe<Ipv4Cidr> client_cidr;
  Link vpc;                         ///< vpc_id when given
  bool security_groups_given = false;
  std::vector<Link> security_groups;
  bool split_tunnel = false;
  std::vector<std::string> authentication_types;  ///< e.g. certificate-authentication
  std::vector<ClientVpnAssociation> associations;
  std::vector<ClientVpnAuthorizationRule> authorization_rules;
  std::vector<ClientVpnRoute> routes;
  std::string associations_unknown;  ///< why the associations are not fully known, if so

  /// True when only mutual (certificate) authentication is used: no user groups exist.
  bool CertificateOnly() const;
};

/// Something Client VPN users want to reach: any resource placed in subnets with security groups.
struct Target {
  Origin origin;
  std::string type;  ///< the resource type, e.g. aws_db_instance or AWS::RDS::DBInstance
  std::string kind;  ///< a person's name for it, e.g. "RDS DB instance"
  std::vector<Link> subnets;
  std::string subnets_unknown;
  bool security_groups_given = false;  ///< false: the VPC's default security group applies
  std::vector<Link> security_groups;
  bool has_security_groups = true;  ///< false for targets that carry none (an NLB without any)
  std::optional<uint32_t> private_ip;
  std::vector<PortSpec> implied_ports;   ///< from its own port attribute or type default
  std::vector<PortSpec> declared_ports;  ///< from a `cvpn-lint:ports` tag
  std::string declared_ports_error;      ///< a malformed tag, reported to the user
};

/// The whole network as the inputs describe it.
class Graph {
 public:
  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<RouteTable> route_tables;
  std::vector<PeeringConnection> peerings;
  std::vector<TransitGateway> transit_gateways;
  std::vector<TransitGatewayAttachment> transit_gateway_attachments;
  std::vector<TransitGatewayRouteTable> transit_gateway_route_tables;
  std::vector<SecurityGroup> security_groups;
  std::vector<PrefixList> prefix_lists;
  std::vector<NetworkAcl> network_acls;
  std::vector<ClientVpnEndpoint> endpoints;
  std::vector<Target> targets;
  /// Input files that were read, in command-line order.
  std::vector<std::string> inputs;

  /// Adds the elements AWS creates implicitly for each VPC the input does not manage itself, and
  /// each transit gateway's default route table with the attachments its defaults put there.
  /// Idempotent.
  void Finalize();

  /// The transit gateway route table an attachment is associated with; unresolved when none.
  Link AssociatedRouteTable(NodeIndex attachment) const;

  /// The route table a subnet uses: its explicit association or its VPC's main table.
  Link RouteTableOf(NodeIndex subnet) const;
  /// The network ACL a subnet uses: its explicit association or its VPC's default ACL.
  Link NetworkAclOf(NodeIndex subnet) const;
  /// The endpoint's security groups as applied: the given ones, or the VPC's default group.
  std::vector<Link> EndpointSecurityGroups(NodeIndex endpoint) const;
  /// The VPC of an endpoint: its vpc_id or the VPC of its first resolved associated subnet.
  Link EndpointVpc(NodeIndex endpoint) const;
  /// The security groups a target carries, applying the VPC default where none are given.
  std::vector<Link> TargetSecurityGroups(NodeIndex target) const;
  /// The VPC of a subnet, or kNone.
  NodeIndex VpcOfSubnet(NodeIndex subnet) const;

  /// Looks up a target or endpoint by address; kNone when absent.
  NodeIndex FindTarget(const std::string& address) const;
  NodeIndex FindEndpoint(const std::string& address) const;

 private:
  void FinalizeTransitGateways();

  std::map<std::string, NodeIndex, std::less<>> target_index_;
  std::map<std::string, NodeIndex, std::less<>> endpoint_index_;
};

}  // namespace cvpn
