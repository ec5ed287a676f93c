// SPDX-License-Identifier: Apache-2.0
// Terraform Client VPN resources: endpoints, target network associations, authorization rules and
// routes.
#include <fmt/format.h>

#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

ClientVpnEndpoint* EndpointOf(PlanLoader& loader, int instance) {
  const Link endpoint = loader.SingleLink(instance, "client_vpn_endpoint_id", NodeKind::kEndpoint);
  if (!endpoint.Resolved()) {
    return nullptr;  // an endpoint outside the input: nothing to check
  }
  return &loader.GraphRef().endpoints[static_cast<size_t>(endpoint.index)];
}

}  // namespace

void CreateClientVpnNodes(PlanLoader& loader, int instance) {
  if (loader.Model().Instance(instance).type != "aws_ec2_client_vpn_endpoint") {
    return;
  }
  ClientVpnEndpoint endpoint;
  endpoint.origin = loader.OriginOf(instance);
  endpoint.client_cidr = loader.Cidr(instance, "client_cidr_block");
  endpoint.split_tunnel = loader.Bool(instance, "split_tunnel").value_or(false);
  if (const JsonView options = loader.Model().Instance(instance).values["authentication_options"];
      options.IsArray()) {
    for (int i = 0; i < static_cast<int>(options.Size()); ++i) {
      const auto type = loader.String(
          instance, AttributePath{{"authentication_options", -1}, {{}, i}, {"type", -1}});
      if (type) {
        endpoint.authentication_types.push_back(*type);
      }
    }
  }
  Graph& g = loader.GraphRef();
  g.endpoints.push_back(std::move(endpoint));
  loader.Register(instance, NodeKind::kEndpoint, static_cast<NodeIndex>(g.endpoints.size() - 1));
}

void LinkClientVpnNodes(PlanLoader& loader, int instance) {
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_ec2_client_vpn_endpoint") {
    ClientVpnEndpoint& e = loader.GraphRef().endpoints[static_cast<size_t>(
        loader.NodeOf(instance, NodeKind::kEndpoint))];
    if (loader.IsSet(instance, "vpc_id")) {
      e.vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    }
    e.security_groups_given = loader.IsSet(instance, "security_group_ids");
    if (e.security_groups_given) {
      e.security_groups = loader.Links(instance, "security_group_ids", NodeKind::kSecurityGroup);
    }
  } else if (type == "aws_ec2_client_vpn_network_association") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, instance)) {
      ClientVpnAssociation a;
      a.origin = loader.OriginOf(instance);
      a.subnet = loader.SingleLink(instance, "subnet_id", NodeKind::kSubnet);
      e->associations.push_back(std::move(a));
    }
  } else if (type == "aws_ec2_client_vpn_authorization_rule") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, instance)) {
      ClientVpnAuthorizationRule r;
      r.origin = loader.OriginOf(instance);
      r.target_network = loader.Cidr(instance, "target_network_cidr");
      r.all_groups = loader.Bool(instance, "authorize_all_groups").value_or(false);
      r.access_group = loader.String(instance, "access_group_id").value_or("");
      e->authorization_rules.push_back(std::move(r));
    }
  } else if (type == "aws_ec2_client_vpn_route") {
    if (ClientVpnEndpoint* e = EndpointOf(loader, instance)) {
      ClientVpnRoute r;
      r.origin = loader.OriginOf(instance);
      r.destination = loader.Cidr(instance, "destination_cidr_block");
      r.target_subnet = loader.SingleLink(instance, "target_vpc_subnet_id", NodeKind::kSubnet);
      e->routes.push_back(std::move(r));
    }
  }
}

}  // namespace cvpn::parsers
