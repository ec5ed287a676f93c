// SPDX-License-Identifier: Apache-2.0
// Turns the resources of a set of CloudFormation templates into graph elements. One loader per
// resource family lives in its own file (cfn_network.cpp, cfn_client_vpn.cpp, cfn_targets.cpp);
// they share the typed property readers and link resolution declared here.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/graph.h"
#include "parsers/cfn_evaluator.h"
#include "parsers/cfn_template.h"

namespace cvpn::parsers::cfn {

/// The graph element kinds that properties link to.
enum class Kind {
  kVpc,
  kSubnet,
  kRouteTable,
  kSecurityGroup,
  kNetworkAcl,
  kEndpoint,
  kPeering,
  kPrefixList,
  kSubnetGroup,  ///< not a graph element: the "node" is the subnet group's resource index
  kTarget,
  kTransitGateway,
  kTransitGatewayAttachment,
  kTransitGatewayRouteTable,
};

/// One resource of the inputs.
struct Resource {
  int template_index = 0;
  size_t decl = 0;  ///< index into the template's resources
  std::string address;
  Origin origin;
  Maybe<bool> exists;
};

class Loader {
 public:
  Loader(const std::vector<Template>& templates,
         Evaluator& evaluator,
         Graph& graph,
         InputErrors& errors);

  /// Creates the elements, lets Graph::Finalize() add the implicit ones, then links everything.
  void Load();

  // --- helpers shared by the per-family files ---------------------------------------------
  Graph& GraphRef() { return graph_; }
  int Count() const { return static_cast<int>(resources_.size()); }
  const Resource& At(int r) const { return resources_[static_cast<size_t>(r)]; }
  const std::string& Type(int r) const;
  const std::string& Logical(int r) const;
  const Template& TemplateOf(int r) const;
  /// The resource's origin; with `at`, the same element but the position of a property.
  Origin OriginOf(int r, Position at = {}) const;
  /// Why a child of this resource may not exist (its condition is not known); empty when it
  /// certainly exists.
  std::string MaybeMissing(int r) const;

  void Register(int r, Kind kind, NodeIndex node);
  NodeIndex NodeOf(int r, Kind kind) const;
  /// The resource a token names (`Ref` or a VPC default), or -1.
  int ResourceOf(const Token& token) const;

  /// The evaluated Properties (a mapping, or absent). Evaluated on first use, so the
  /// properties of resource types no loader reads are never evaluated.
  const Value& Properties(int r) const;
  /// A top-level property (nullptr when not set).
  const Value* Property(int r, std::string_view name) const;
  /// A property at a dotted path of mappings (`VpcConfig.SubnetIds`).
  const Value* PropertyPath(int r, std::string_view path) const;

  /// Resolves a value holding IDs (one or a list) to elements of `kind`.
  std::vector<Link> Links(int r, const Value* value, Kind kind, const std::string& where);
  /// Like Links() for one ID: absent gives an unresolved, non-unknown link.
  Link SingleLink(int r, const Value* value, Kind kind, const std::string& where);
  Link SingleLink(int r, std::string_view property, Kind kind) {
    return SingleLink(r, Property(r, property), kind, std::string(property));
  }

  /// Typed values; a value of the wrong type is an input error naming the property.
  std::optional<std::string> String(int r, const Value* value, const std::string& where);
  std::optional<int64_t> Integer(int r, const Value* value, const std::string& where);
  std::optional<bool> Bool(int r, const Value* value, const std::string& where);
  Maybe<Ipv4Cidr> Cidr(int r, const Value* value, const std::string& where);
  Maybe<int> Protocol(int r, const Value* value, const std::string& where);
  /// The tags of a resource (`Tags: [{Key, Value}]` or a mapping), known string values only;
  /// tags of another shape are errors.
  std::map<std::string, std::string> Tags(int r);

  /// An input error at `at` (or at the resource) naming the resource and property.
  void Error(int r, Position at, const std::string& message);

  /// Security groups whose allow-all egress rule is CloudFormation's default (no
  /// SecurityGroupEgress), which a standalone AWS::EC2::SecurityGroupEgress removes.
  std::set<NodeIndex>& DefaultEgress() { return default_egress_; }

 private:
  Link LinkFromText(int r, const std::string& text, Kind kind, Position at);
  void Assign();

  const std::vector<Template>& templates_;
  Evaluator& evaluator_;
  Graph& graph_;
  InputErrors& errors_;
  std::vector<Resource> resources_;
  std::vector<std::map<std::string, int, std::less<>>> by_logical_;  ///< per template
  std::map<std::pair<int, Kind>, NodeIndex> nodes_;
  std::set<NodeIndex> default_egress_;
};

// Per-family loaders. `Create*` makes the elements (before Graph::Finalize()); `Link*` resolves
// their properties and attaches child resources (after it). Standalone rules and entries are
// linked last, after every group's own rules.
void CreateNetworkNodes(Loader& loader, int r);
void LinkNetworkNodes(Loader& loader, int r);
void LinkStandaloneRules(Loader& loader, int r);
void CreateClientVpnNodes(Loader& loader, int r);
void LinkClientVpnNodes(Loader& loader, int r);
void CreateTargetNodes(Loader& loader, int r);
void LinkTargetNodes(Loader& loader, int r);
void CreateTransitGatewayNodes(Loader& loader, int r);
void LinkTransitGatewayNodes(Loader& loader, int r);

}  // namespace cvpn::parsers::cfn
