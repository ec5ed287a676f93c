// SPDX-License-Identifier: Apache-2.0
// CloudFormation transit gateway resources: gateways, VPC attachments, route tables, their
// associations and propagations, and static routes.
#include <algorithm>

#include <fmt/format.h>

#include "parsers/cfn_loader.h"

namespace cvpn::parsers::cfn {

namespace {

/// "enable"/"disable" options of transit gateways; absent means `fallback`.
bool Enabled(Loader& loader, int r, const Value* value, const std::string& where, bool fallback) {
  const auto text = loader.String(r, value, where);
  return text ? *text == "enable" : fallback;
}

void AddUnique(std::vector<NodeIndex>& list, NodeIndex value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

bool IsAttachment(std::string_view type) {
  return type == "AWS::EC2::TransitGatewayAttachment" ||
         type == "AWS::EC2::TransitGatewayVpcAttachment";
}

}  // namespace

void CreateTransitGatewayNodes(Loader& loader, int r) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Type(r);
  if (type == "AWS::EC2::TransitGateway") {
    TransitGateway tgw;
    tgw.origin = loader.OriginOf(r);
    tgw.default_association = Enabled(loader, r, loader.Property(r, "DefaultRouteTableAssociation"),
                                      "DefaultRouteTableAssociation", true);
    tgw.default_propagation = Enabled(loader, r, loader.Property(r, "DefaultRouteTablePropagation"),
                                      "DefaultRouteTablePropagation", true);
    tgw.security_group_referencing =
        Enabled(loader, r, loader.Property(r, "SecurityGroupReferencingSupport"),
                "SecurityGroupReferencingSupport", false);
    g.transit_gateways.push_back(std::move(tgw));
    loader.Register(r, Kind::kTransitGateway,
                    static_cast<NodeIndex>(g.transit_gateways.size() - 1));
  } else if (IsAttachment(type)) {
    // CloudFormation attachments have no default-route-table flags: the gateway's decide.
    TransitGatewayAttachment attachment;
    attachment.origin = loader.OriginOf(r);
    attachment.security_group_referencing =
        Enabled(loader, r, loader.PropertyPath(r, "Options.SecurityGroupReferencingSupport"),
                "Options.SecurityGroupReferencingSupport", true);
    g.transit_gateway_attachments.push_back(std::move(attachment));
    loader.Register(r, Kind::kTransitGatewayAttachment,
                    static_cast<NodeIndex>(g.transit_gateway_attachments.size() - 1));
  } else if (type == "AWS::EC2::TransitGatewayRouteTable") {
    TransitGatewayRouteTable table;
    table.origin = loader.OriginOf(r);
    g.transit_gateway_route_tables.push_back(std::move(table));
    loader.Register(r, Kind::kTransitGatewayRouteTable,
                    static_cast<NodeIndex>(g.transit_gateway_route_tables.size() - 1));
  }
}

void LinkTransitGatewayNodes(Loader& loader, int r) {
  Graph& g = loader.GraphRef();
  const std::string& type = loader.Type(r);
  if (IsAttachment(type)) {
    TransitGatewayAttachment& a = g.transit_gateway_attachments[static_cast<size_t>(
        loader.NodeOf(r, Kind::kTransitGatewayAttachment))];
    a.transit_gateway = loader.SingleLink(r, "TransitGatewayId", Kind::kTransitGateway);
    a.vpc = loader.SingleLink(r, "VpcId", Kind::kVpc);
    a.subnets = loader.Links(r, loader.Property(r, "SubnetIds"), Kind::kSubnet, "SubnetIds");
    if (const std::string missing = loader.MaybeMissing(r); !missing.empty()) {
      a.vpc = Link::Unknown(missing);
    }
  } else if (type == "AWS::EC2::TransitGatewayRouteTable") {
    g.transit_gateway_route_tables[static_cast<size_t>(
                                       loader.NodeOf(r, Kind::kTransitGatewayRouteTable))]
        .transit_gateway = loader.SingleLink(r, "TransitGatewayId", Kind::kTransitGateway);
  } else if (type == "AWS::EC2::TransitGatewayRouteTableAssociation" ||
             type == "AWS::EC2::TransitGatewayRouteTablePropagation") {
    const Link table =
        loader.SingleLink(r, "TransitGatewayRouteTableId", Kind::kTransitGatewayRouteTable);
    const Link attachment =
        loader.SingleLink(r, "TransitGatewayAttachmentId", Kind::kTransitGatewayAttachment);
    if (!table.Resolved() || !attachment.Resolved()) {
      return;
    }
    TransitGatewayRouteTable& rt = g.transit_gateway_route_tables[static_cast<size_t>(table.index)];
    if (type == "AWS::EC2::TransitGatewayRouteTableAssociation") {
      // An attachment has one association: an explicit one replaces the default.
      for (TransitGatewayRouteTable& other : g.transit_gateway_route_tables) {
        auto& list = other.associations;
        list.erase(std::remove(list.begin(), list.end(), attachment.index), list.end());
      }
      AddUnique(rt.associations, attachment.index);
    } else {
      AddUnique(rt.propagations, attachment.index);
    }
  } else if (type == "AWS::EC2::TransitGatewayRoute") {
    const Link table =
        loader.SingleLink(r, "TransitGatewayRouteTableId", Kind::kTransitGatewayRouteTable);
    if (!table.Resolved()) {
      return;
    }
    TransitGatewayRoute route;
    route.origin = loader.OriginOf(r);
    route.destination =
        loader.Cidr(r, loader.Property(r, "DestinationCidrBlock"), "DestinationCidrBlock");
    if (const std::string missing = loader.MaybeMissing(r); !missing.empty()) {
      route.destination = Maybe<Ipv4Cidr>::Unknown(missing);
    }
    route.blackhole = loader.Bool(r, loader.Property(r, "Blackhole"), "Blackhole").value_or(false);
    if (!route.blackhole) {
      route.attachment =
          loader.SingleLink(r, "TransitGatewayAttachmentId", Kind::kTransitGatewayAttachment);
    }
    g.transit_gateway_route_tables[static_cast<size_t>(table.index)].routes.push_back(
        std::move(route));
  }
}

}  // namespace cvpn::parsers::cfn
