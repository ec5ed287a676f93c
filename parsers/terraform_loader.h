// SPDX-License-Identifier: Apache-2.0
// Turns the resource instances of a Terraform plan or state into graph elements. One loader per
// resource family lives in its own file; they share the value and link helpers declared here.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/graph.h"
#include "parsers/plan_model.h"

namespace cvpn::parsers {

/// The graph element kinds that attributes link to.
enum class NodeKind {
  kVpc,
  kSubnet,
  kRouteTable,
  kSecurityGroup,
  kNetworkAcl,
  kEndpoint,
  kPeering,
  kPrefixList,
  kSubnetGroup,  ///< not a graph element: the "node" is the subnet group's instance index
  kTarget,
  kTransitGateway,
  kTransitGatewayAttachment,
  kTransitGatewayRouteTable,
};

class PlanLoader {
 public:
  PlanLoader(const PlanModel& model, Graph& graph, InputErrors& errors);

  /// Loads every instance: creates the elements, then links them.
  void Load();

  // --- helpers shared by the per-family files ---------------------------------------------
  const PlanModel& Model() const { return model_; }
  Graph& GraphRef() { return graph_; }
  Origin OriginOf(int instance) const;

  /// Registers the graph element created for an instance.
  void Register(int instance, NodeKind kind, NodeIndex node);
  /// The element created for an instance, if it is of `kind`.
  NodeIndex NodeOf(int instance, NodeKind kind) const;

  /// Resolves an attribute that holds IDs (one or a list) to elements of `kind`.
  std::vector<Link> Links(int instance, const AttributePath& path, NodeKind kind);
  std::vector<Link> Links(int instance, std::string_view key, NodeKind kind) {
    return Links(instance, AttributePath{PathStep{std::string(key), -1}}, kind);
  }
  /// Like Links() for a single-valued attribute: absent gives an unresolved, non-unknown link.
  Link SingleLink(int instance, std::string_view key, NodeKind kind);
  /// The VPC whose default element (`default_security_group_id`, `default_network_acl_id`,
  /// `default_route_table_id`, `main_route_table_id`) an attribute names.
  Link VpcOfDefault(int instance, std::string_view key);

  /// Typed values; a value of the wrong type is an input error.
  std::optional<std::string> String(int instance, const AttributePath& path);
  std::optional<std::string> String(int instance, std::string_view key) {
    return String(instance, AttributePath{PathStep{std::string(key), -1}});
  }
  std::optional<int64_t> Integer(int instance, const AttributePath& path);
  /// A value read straight from the document (see FullyKnown) as a whole number; `where` names
  /// it in the error a value of another type gives.
  std::optional<int64_t> IntegerValue(int instance, JsonView value,
                                      const std::function<std::string()>& where);
  /// A value read straight from the document as a CIDR (empty string: none).
  Maybe<Ipv4Cidr> CidrValue(int instance, JsonView value,
                            const std::function<std::string()>& where);
  /// Whether nothing under the top-level `attribute` of the instance is unknown after apply:
  /// its values, where present and not null, are what Attribute() would give.
  bool FullyKnown(int instance, std::string_view attribute) const;
  std::optional<bool> Bool(int instance, std::string_view key);
  Maybe<Ipv4Cidr> Cidr(int instance, const AttributePath& path);
  Maybe<Ipv4Cidr> Cidr(int instance, std::string_view key) {
    return Cidr(instance, AttributePath{PathStep{std::string(key), -1}});
  }
  /// Parses a CIDR literal found at `where` (for messages).
  Maybe<Ipv4Cidr> ParseCidr(int instance, const std::string& where, const std::string& text);
  /// A protocol name or number; `where` names the attribute in messages.
  Maybe<int> Protocol(int instance, const std::function<std::string()>& where, JsonView value);
  Maybe<int> Protocol(int instance, const std::string& where, JsonView value) {
    return Protocol(instance, [&where] { return where; }, value);
  }
  /// The number of elements of a list attribute (known values only), or 0.
  size_t ListSize(int instance, std::string_view key) const;
  /// Whether the configuration sets the attribute (or a known non-null value exists).
  bool IsSet(int instance, std::string_view key) const;
  /// The tags of an instance (known string values only); tags that are not a map are an error.
  std::map<std::string, std::string> Tags(int instance);

  void Error(int instance, const std::string& message);

 private:
  void CreateNodes();
  void LinkNodes();
  std::vector<Link> LinksFromValue(int instance, const AttributeValue& value, NodeKind kind,
                                   int depth);
  std::vector<Link> LinksFromRef(const RefTarget& ref, NodeKind kind, int depth);
  std::vector<Link> LinksAt(int instance, const AttributePath& path, NodeKind kind, int depth);

  const PlanModel& model_;
  Graph& graph_;
  InputErrors& errors_;
  std::vector<std::pair<NodeKind, NodeIndex>> node_of_;  ///< by instance
};

/// An attribute path as messages write it: ingress[0].cidr_blocks[1].
std::string PathText(const AttributePath& path);

// Per-family loaders, each in its own file. `Create*` makes the elements (phase 1); `Link*`
// resolves their attributes and attaches child resources (phase 2, after Graph::Finalize()).
void CreateNetworkNodes(PlanLoader& loader, int instance);
/// Data sources that describe existing network elements (aws_vpc, aws_subnet,
/// aws_security_group): what they read is known; what they do not say is unknown.
void CreateDataSourceNodes(PlanLoader& loader, int instance);
void LinkDataSourceNodes(PlanLoader& loader, int instance);
void LinkNetworkNodes(PlanLoader& loader, int instance);
void CreateClientVpnNodes(PlanLoader& loader, int instance);
void LinkClientVpnNodes(PlanLoader& loader, int instance);
void CreateTargetNodes(PlanLoader& loader, int instance);
void LinkTargetNodes(PlanLoader& loader, int instance);
void CreateTransitGatewayNodes(PlanLoader& loader, int instance);
void LinkTransitGatewayNodes(PlanLoader& loader, int instance);

}  // namespace cvpn::parsers
