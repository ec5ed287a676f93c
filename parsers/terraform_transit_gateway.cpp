// SPDX-License-Identifier: Apache-2.0
// Terraform transit gateway resources: gateways, VPC attachments, route tables, their
// associations and propagations, and static routes.
#include <algorithm>

#include <fmt/format.h>

#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

/// "enable"/"disable" flags of transit gateways; absent means `fallback`.
bool Enabled(PlanLoader& loader, int instance, std::string_view key, bool fallback) {
  const auto value = loader.String(instance, key);
  if (!value) {
    return fallback;
  }
  return *value == "enable";
}

/// The attachment's boolean default-route-table flags, unknown when the plan leaves them to the
/// gateway (Optional+Computed in the provider).
Maybe<bool> AttachmentFlag(PlanLoader& loader, int instance, std::string_view key) {
  const AttributeValue v = loader.Model().Attribute(instance, key);
  if (v.known.IsBool()) {
    return Maybe<bool>::Of(v.known.Bool());
  }
  return {};
}

void AddUnique(std::vector<NodeIndex>& list, NodeIndex value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

}  // namespace

void CreateTransitGatewayNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_ec2_transit_gateway") {
    TransitGateway tgw;
    tgw.origin = loader.OriginOf(instance);
    tgw.default_association = Enabled(loader, instance, "default_route_table_association", true);
    tgw.default_propagation = Enabled(loader, instance, "default_route_table_propagation", true);
    tgw.security_group_referencing =
        Enabled(loader, instance, "security_group_referencing_support", false);
    g.transit_gateways.push_back(std::move(tgw));
    loader.Register(instance, NodeKind::kTransitGateway,
                    static_cast<NodeIndex>(g.transit_gateways.size() - 1));
  } else if (type == "aws_ec2_transit_gateway_vpc_attachment") {
    TransitGatewayAttachment attachment;
    attachment.origin = loader.OriginOf(instance);
    attachment.default_association =
        AttachmentFlag(loader, instance, "transit_gateway_default_route_table_association");
    attachment.default_propagation =
        AttachmentFlag(loader, instance, "transit_gateway_default_route_table_propagation");
    attachment.security_group_referencing =
        Enabled(loader, instance, "security_group_referencing_support", true);
    g.transit_gateway_attachments.push_back(std::move(attachment));
    loader.Register(instance, NodeKind::kTransitGatewayAttachment,
                    static_cast<NodeIndex>(g.transit_gateway_attachments.size() - 1));
  } else if (type == "aws_ec2_transit_gateway_route_table") {
    TransitGatewayRouteTable table;
    table.origin = loader.OriginOf(instance);
    g.transit_gateway_route_tables.push_back(std::move(table));
    loader.Register(instance, NodeKind::kTransitGatewayRouteTable,
                    static_cast<NodeIndex>(g.transit_gateway_route_tables.size() - 1));
  }
}

void LinkTransitGatewayNodes(PlanLoader& loader, int instance) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Model().Instance(instance).type;
  if (type == "aws_ec2_transit_gateway_vpc_attachment") {
    TransitGatewayAttachment& a = g.transit_gateway_attachments[static_cast<size_t>(
        loader.NodeOf(instance, NodeKind::kTransitGatewayAttachment))];
    a.transit_gateway = loader.SingleLink(instance, "transit_gateway_id", NodeKind::kTransitGateway);
    a.vpc = loader.SingleLink(instance, "vpc_id", NodeKind::kVpc);
    a.subnets = loader.Links(instance, "subnet_ids", NodeKind::kSubnet);
  } else if (type == "aws_ec2_transit_gateway_route_table") {
    g.transit_gateway_route_tables[static_cast<size_t>(
                                       loader.NodeOf(instance, NodeKind::kTransitGatewayRouteTable))]
        .transit_gateway =
        loader.SingleLink(instance, "transit_gateway_id", NodeKind::kTransitGateway);
  } else if (type == "aws_ec2_transit_gateway_route_table_association" ||
             type == "aws_ec2_transit_gateway_route_table_propagation") {
    const Link table = loader.SingleLink(instance, "transit_gateway_route_table_id",
                                         NodeKind::kTransitGatewayRouteTable);
    const Link attachment = loader.SingleLink(instance, "transit_gateway_attachment_id",
                                              NodeKind::kTransitGatewayAttachment);
    if (!table.Resolved() || !attachment.Resolved()) {
      return;
    }
    TransitGatewayRouteTable& rt = g.transit_gateway_route_tables[static_cast<size_t>(table.index)];
    if (type == "aws_ec2_transit_gateway_route_table_association") {
      // An attachment has one association: an explicit one replaces the default.
      for (TransitGatewayRouteTable& other : g.transit_gateway_route_tables) {
        auto& list = other.associations;
        list.erase(std::remove(list.begin(), list.end(), attachment.index), list.end());
      }
      AddUnique(rt.associations, attachment.index);
    } else {
      AddUnique(rt.propagations, attachment.index);
    }
  } else if (type == "aws_ec2_transit_gateway_route") {
    const Link table = loader.SingleLink(instance, "transit_gateway_route_table_id",
                                         NodeKind::kTransitGatewayRouteTable);
    if (!table.Resolved()) {
      return;
    }
    TransitGatewayRoute route;
    route.origin = loader.OriginOf(instance);
    route.destination = loader.Cidr(instance, "destination_cidr_block");
    route.blackhole = loader.Bool(instance, "blackhole").value_or(false);
    if (!route.blackhole) {
      route.attachment = loader.SingleLink(instance, "transit_gateway_attachment_id",
                                           NodeKind::kTransitGatewayAttachment);
    }
    g.transit_gateway_route_tables[static_cast<size_t>(table.index)].routes.push_back(
        std::move(route));
  }
}

}  // namespace cvpn::parsers
