// SPDX-License-Identifier: Apache-2.0
// CloudFormation Client VPN resources: endpoints, target network associations, authorization
// rules and routes.
#include <fmt/format.h>

#include "parsers/cfn_loader.h"

namespace cvpn::parsers::cfn {

namespace {

ClientVpnEndpoint* EndpointOf(Loader& loader, int r) {
  const Link endpoint = loader.SingleLink(r, "ClientVpnEndpointId", Kind::kEndpoint);
  if (!endpoint.Resolved()) {
    return nullptr;  // an endpoint outside the inputs: nothing to check
  }
  return &loader.GraphRef().endpoints[static_cast<size_t>(endpoint.index)];
}

}  // namespace

void CreateClientVpnNodes(Loader& loader, int r) {
  if (loader.Type(r) != "AWS::EC2::ClientVpnEndpoint") {
    return;
  }
  ClientVpnEndpoint endpoint;
  endpoint.origin = loader.OriginOf(r);
  endpoint.client_cidr = loader.Cidr(r, loader.Property(r, "ClientCidrBlock"), "ClientCidrBlock");
  endpoint.split_tunnel =
      loader.Bool(r, loader.Property(r, "SplitTunnel"), "SplitTunnel").value_or(false);
  if (const Value* options = loader.Property(r, "AuthenticationOptions")) {
    if (options->IsList()) {
      for (size_t i = 0; i < options->items.size(); ++i) {
        const auto type = loader.String(r, options->items[i].Get("Type"),
                                        fmt::format("AuthenticationOptions[{}].Type", i));
        if (type) {
          endpoint.authentication_types.push_back(*type);
        }
      }
    } else if (!options->IsUnknown()) {
      loader.Error(r, options->at,
                   fmt::format("`{}.AuthenticationOptions` must be a list, found {}",
                               loader.Logical(r), options->KindName()));
    }
  }
  Graph& g = loader.GraphRef();
  g.endpoints.push_back(std::move(endpoint));
  loader.Register(r, Kind::kEndpoint, static_cast<NodeIndex>(g.endpoints.size() - 1));
}

void LinkClientVpnNodes(Loader& loader, int r) {
  const std::string& type = loader.Type(r);
  const std::string missing = loader.MaybeMissing(r);
  if (type == "AWS::EC2::ClientVpnEndpoint") {
    ClientVpnEndpoint& e =
        loader.GraphRef().endpoints[static_cast<size_t>(loader.NodeOf(r, Kind::kEndpoint))];
    if (loader.Property(r, "VpcId") != nullptr) {
      e.vpc = loader.SingleLink(r, "VpcId", Kind::kVpc);
    }
    const Value* groups = loader.Property(r, "SecurityGroupIds");
    e.security_groups_given = groups != nullptr;
    if (e.security_groups_given) {
      e.security_groups = loader.Links(r, groups, Kind::kSecurityGroup, "SecurityGroupIds");
    }
  } else if (type == "AWS::EC2::ClientVpnTargetNetworkAssociation") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, r)) {
      ClientVpnAssociation a;
      a.origin = loader.OriginOf(r);
      if (loader.Property(r, "SubnetId") != nullptr) {
        a.subnet = loader.SingleLink(r, "SubnetId", Kind::kSubnet);
      } else {
        a.subnet = Link::Unknown(fmt::format(
            "`{}` associates an Availability Zone of a transit gateway, which is not modelled",
            loader.At(r).address));
      }
      if (!missing.empty()) {
        a.subnet = Link::Unknown(missing);
      }
      e->associations.push_back(std::move(a));
    }
  } else if (type == "AWS::EC2::ClientVpnAuthorizationRule") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, r)) {
      ClientVpnAuthorizationRule rule;
      rule.origin = loader.OriginOf(r);
      rule.target_network =
          loader.Cidr(r, loader.Property(r, "TargetNetworkCidr"), "TargetNetworkCidr");
      if (!missing.empty()) {
        rule.target_network = Maybe<Ipv4Cidr>::Unknown(missing);
      }
      rule.all_groups =
          loader.Bool(r, loader.Property(r, "AuthorizeAllGroups"), "AuthorizeAllGroups")
              .value_or(false);
      rule.access_group =
          loader.String(r, loader.Property(r, "AccessGroupId"), "AccessGroupId").value_or("");
      e->authorization_rules.push_back(std::move(rule));
    }
  } else if (type == "AWS::EC2::ClientVpnRoute") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, r)) {
      ClientVpnRoute route;
      route.origin = loader.OriginOf(r);
      route.destination =
          loader.Cidr(r, loader.Property(r, "DestinationCidrBlock"), "DestinationCidrBlock");
      if (!missing.empty()) {
        route.destination = Maybe<Ipv4Cidr>::Unknown(missing);
      }
      const Value* subnet = loader.Property(r, "TargetVpcSubnetId");
      if (subnet != nullptr && !(subnet->IsScalar() && subnet->text == "local")) {
        route.target_subnet = loader.SingleLink(r, subnet, Kind::kSubnet, "TargetVpcSubnetId");
      }
      e->routes.push_back(std::move(route));
    }
  }
}

}  // namespace cvpn::parsers::cfn
