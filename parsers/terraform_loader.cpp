// SPDX-License-Identifier: Apache-2.0
#include "parsers/terraform_loader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace cvpn::parsers {

namespace {

constexpr int kMaxLinkDepth = 16;

std::string_view KindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kVpc:
      return "VPC";
    case NodeKind::kSubnet:
      return "subnet";
    case NodeKind::kRouteTable:
      return "route table";
    case NodeKind::kSecurityGroup:
      return "security group";
    case NodeKind::kNetworkAcl:
      return "network ACL";
    case NodeKind::kEndpoint:
      return "Client VPN endpoint";
    case NodeKind::kPeering:
      return "VPC peering connection";
    case NodeKind::kPrefixList:
      return "prefix list";
    case NodeKind::kSubnetGroup:
      return "subnet group";
    case NodeKind::kTarget:
      return "target";
    case NodeKind::kTransitGateway:
      return "transit gateway";
    case NodeKind::kTransitGatewayAttachment:
      return "transit gateway attachment";
    case NodeKind::kTransitGatewayRouteTable:
      return "transit gateway route table";
  }
  return "element";
}


bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsSubnetGroupType(std::string_view type) {
  return type == "aws_db_subnet_group" || type == "aws_elasticache_subnet_group" ||
         type == "aws_redshift_subnet_group" || type == "aws_docdb_subnet_group" ||
         type == "aws_neptune_subnet_group" || type == "aws_memorydb_subnet_group";
}

}  // namespace

std::string PathText(const AttributePath& path) {
  std::string out;
  for (const PathStep& step : path) {
    if (step.key.empty()) {
      out += fmt::format("[{}]", step.index);
    } else {
      if (!out.empty()) {
        out += '.';
      }
      out += step.key;
    }
  }
  return out;
}

PlanLoader::PlanLoader(const PlanModel& model, Graph& graph, InputErrors& errors)
    : model_(model),
      graph_(graph),
      errors_(errors),
      node_of_(model.Instances().size(), {NodeKind::kVpc, kNone}) {}

void PlanLoader::Load() {
  CreateNodes();
  graph_.Finalize();  // the VPC default elements must exist before anything links to them
  LinkNodes();
  graph_.Finalize();
}

void PlanLoader::CreateNodes() {
  const int n = static_cast<int>(model_.Instances().size());
  // VPCs first: the default elements created next name their VPC.
  for (int i = 0; i < n; ++i) {
    if (model_.Instance(i).type != "aws_vpc") {
      continue;
    }
    if (model_.Instance(i).data) {
      CreateDataSourceNodes(*this, i);
    } else {
      CreateNetworkNodes(*this, i);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (model_.Instance(i).data) {
      if (model_.Instance(i).type != "aws_vpc") {
        CreateDataSourceNodes(*this, i);
      }
      continue;
    }
    if (model_.Instance(i).type != "aws_vpc") {
      CreateNetworkNodes(*this, i);
    }
    CreateTransitGatewayNodes(*this, i);
    CreateClientVpnNodes(*this, i);
    CreateTargetNodes(*this, i);
  }
}

void PlanLoader::LinkNodes() {
  const int n = static_cast<int>(model_.Instances().size());
  for (int i = 0; i < n; ++i) {
    if (!model_.Instance(i).data) {
      LinkNetworkNodes(*this, i);
      LinkTransitGatewayNodes(*this, i);
    } else {
      LinkDataSourceNodes(*this, i);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (!model_.Instance(i).data) {
      LinkClientVpnNodes(*this, i);
      LinkTargetNodes(*this, i);
    }
  }
}

Origin PlanLoader::OriginOf(int instance) const {
  const PlanInstance& inst = model_.Instance(instance);
  Origin o;
  o.file = inst.source_line > 0 ? inst.source_file : model_.File();
  o.address = inst.address;
  o.line = inst.source_line;
  o.column = inst.source_column;
  o.language = Origin::Language::kTerraform;
  return o;
}

void PlanLoader::Register(int instance, NodeKind kind, NodeIndex node) {
  node_of_[static_cast<size_t>(instance)] = {kind, node};
}

NodeIndex PlanLoader::NodeOf(int instance, NodeKind kind) const {
  const auto& [k, node] = node_of_[static_cast<size_t>(instance)];
  return k == kind ? node : kNone;
}

void PlanLoader::Error(int instance, const std::string& message) {
  const SourcePosition at = model_.PositionOf(instance);
  errors_.push_back({at.file.empty() ? model_.File() : at.file, at.line, at.column,
                     fmt::format("`{}`: {}", model_.Instance(instance).address, message)});
}

std::vector<Link> PlanLoader::Links(int instance, const AttributePath& path, NodeKind kind) {
  return LinksAt(instance, path, kind, 0);
}

std::vector<Link> PlanLoader::LinksAt(int instance, const AttributePath& path, NodeKind kind,
                                      int depth) {
  if (depth > kMaxLinkDepth) {
    return {Link::Unknown("references nest too deeply to follow")};
  }
  return LinksFromValue(instance, model_.Attribute(instance, path), kind, depth);
}

std::vector<Link> PlanLoader::LinksFromValue(int instance, const AttributeValue& value,
                                             NodeKind kind, int depth) {
  std::vector<Link> out;
  std::vector<std::string> ids;
  if (value.known) {
    if (value.known.IsString()) {
      ids.emplace_back(value.known.String());
    } else if (value.known.IsArray()) {
      for (const JsonView e : value.known.Items()) {
        if (e.IsString()) {
          ids.emplace_back(e.String());
        } else if (!e.IsNull()) {
          Error(instance, fmt::format("expected a list of IDs, found a {}", e.TypeName()));
        }
      }
    } else {
      Error(instance, fmt::format("expected an ID or a list of IDs, found a {}",
                                  value.known.TypeName()));
    }
  }
  for (const std::string& id : ids) {
    if (id.empty()) {
      continue;
    }
    if (kind == NodeKind::kSubnetGroup) {
      bool found = false;
      const int n = static_cast<int>(model_.Instances().size());
      for (int i = 0; i < n && !found; ++i) {
        const PlanInstance& inst = model_.Instance(i);
        if (!IsSubnetGroupType(inst.type)) {
          continue;
        }
        if (const JsonView name = inst.values["name"];
            name.IsString() && EqualsIgnoreCase(std::string(name.String()), id)) {
          out.push_back(Link::To(NodeOf(i, kind)));
          found = true;
        }
      }
      if (!found && value.targets.empty()) {
        out.push_back(Link::Unknown(fmt::format("subnet group `{}` is not among the inputs", id)));
      }
      continue;
    }
    if (id.find('/') != std::string::npos ||
        id.find_first_not_of("0123456789.") == std::string::npos) {
      continue;  // an address or CIDR reached through an expression's references, not an ID
    }
    const int by_id = model_.FindById(id);
    if (by_id >= 0) {
      auto links = LinksFromRef(RefTarget{by_id, "id"}, kind, depth + 1);
      out.insert(out.end(), links.begin(), links.end());
    } else if (value.targets.empty()) {
      out.push_back(Link::Unknown(fmt::format("`{}` is not among the inputs", id)));
    }
  }
  for (const RefTarget& ref : value.targets) {
    auto links = LinksFromRef(ref, kind, depth + 1);
    out.insert(out.end(), links.begin(), links.end());
  }
  if (out.empty() && !value.unknown.empty()) {
    out.push_back(Link::Unknown(value.unknown));
  }
  // Each resolved link once, and each reason for an unknown one once.
  std::vector<Link> unique;
  for (const Link& l : out) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const Link& u) {
      return u.index == l.index && u.unknown == l.unknown;
    });
    if (!seen) {
      unique.push_back(l);
    }
  }
  return unique;
}

std::vector<Link> PlanLoader::LinksFromRef(const RefTarget& ref, NodeKind kind, int depth) {
  const PlanInstance& inst = model_.Instance(ref.instance);
  const std::string& attr = ref.attribute;
  if (inst.type == "aws_vpc" && !inst.data) {
    const NodeIndex vpc = NodeOf(ref.instance, NodeKind::kVpc);
    if (vpc != kNone) {
      const Vpc& v = graph_.vpcs[static_cast<size_t>(vpc)];
      if (attr == "default_security_group_id" && kind == NodeKind::kSecurityGroup) {
        return {Link::To(v.default_security_group)};
      }
      if (attr == "default_network_acl_id" && kind == NodeKind::kNetworkAcl) {
        return {Link::To(v.default_network_acl)};
      }
      if ((attr == "main_route_table_id" || attr == "default_route_table_id") &&
          kind == NodeKind::kRouteTable) {
        return {Link::To(v.main_route_table)};
      }
    }
  }
  if (inst.type == "aws_ec2_transit_gateway" && !inst.data &&
      kind == NodeKind::kTransitGatewayRouteTable &&
      (attr == "association_default_route_table_id" ||
       attr == "propagation_default_route_table_id")) {
    const NodeIndex tgw = NodeOf(ref.instance, NodeKind::kTransitGateway);
    if (tgw != kNone) {
      const NodeIndex table = graph_.transit_gateways[static_cast<size_t>(tgw)].default_route_table;
      if (table != kNone) {
        return {Link::To(table)};
      }
      return {Link::Unknown(fmt::format("`{}` has no default route table: both defaults are "
                                        "disabled",
                                        inst.address))};
    }
  }
  // Resources whose ID is another element's: an accepter's ID is the peering's, and a reference
  // to an association where a subnet is wanted means its subnet (a plan drops the attribute of
  // references with a dynamic index: `["aws_ec2_client_vpn_network_association.a", "count.index"]`).
  struct Forward {
    const char* type;
    NodeKind kind;
    const char* attribute;
  };
  static constexpr Forward kForwards[] = {
      {"aws_vpc_peering_connection_accepter", NodeKind::kPeering, "vpc_peering_connection_id"},
      {"aws_ec2_client_vpn_network_association", NodeKind::kSubnet, "subnet_id"},
      {"aws_ec2_transit_gateway_vpc_attachment_accepter", NodeKind::kTransitGatewayAttachment,
       "transit_gateway_attachment_id"},
  };
  if (attr.empty() || attr == "id") {
    for (const Forward& f : kForwards) {
      if (inst.type == f.type && kind == f.kind && !inst.data) {
        return LinksAt(ref.instance, AttributePath{PathStep{f.attribute, -1}}, kind, depth + 1);
      }
    }
  }
  const bool names_itself = attr.empty() || attr == "id" || attr == "arn" ||
                            (attr == "name" && kind == NodeKind::kSubnetGroup) ||
                            (attr == "security_group_id" && inst.type == "aws_default_security_group");
  if (names_itself) {
    const NodeIndex node = NodeOf(ref.instance, kind);
    if (node != kNone) {
      return {Link::To(node)};
    }
    if (inst.data) {
      return {Link::Unknown(fmt::format(
          "`{}` is a data source read at plan time; what it names is not in the input",
          inst.address))};
    }
    if (node_of_[static_cast<size_t>(ref.instance)].second != kNone) {
      return {};  // another kind of element among the expression's references
    }
    return {Link::Unknown(fmt::format("`{}` is not a {} the tool models", inst.address,
                                      KindName(kind)))};
  }
  if (inst.data) {
    return {Link::Unknown(fmt::format("`{}.{}` comes from a data source read at plan time",
                                      inst.address, attr))};
  }
  return LinksAt(ref.instance, AttributePath{PathStep{attr, -1}}, kind, depth + 1);
}

Link PlanLoader::SingleLink(int instance, std::string_view key, NodeKind kind) {
  auto links = Links(instance, key, kind);
  for (const Link& l : links) {
    if (l.Resolved()) {
      return l;
    }
  }
  return links.empty() ? Link{} : links.front();
}

Link PlanLoader::VpcOfDefault(int instance, std::string_view key) {
  const AttributeValue value = model_.Attribute(instance, key);
  for (const RefTarget& ref : value.targets) {
    const PlanInstance& target = model_.Instance(ref.instance);
    if (target.type == "aws_vpc" && NodeOf(ref.instance, NodeKind::kVpc) != kNone) {
      return Link::To(NodeOf(ref.instance, NodeKind::kVpc));
    }
  }
  if (value.known.IsString()) {
    // An existing VPC's default element named by ID: find the VPC that carries it.
    const int n = static_cast<int>(model_.Instances().size());
    for (int i = 0; i < n; ++i) {
      const PlanInstance& inst = model_.Instance(i);
      if (inst.type != "aws_vpc" || inst.data) {
        continue;
      }
      for (const char* attr : {"default_security_group_id", "default_network_acl_id",
                               "default_route_table_id", "main_route_table_id"}) {
        if (inst.values[attr] == value.known) {
          return Link::To(NodeOf(i, NodeKind::kVpc));
        }
      }
    }
    return Link::Unknown(
        fmt::format("`{}` is not the default of any VPC in the input", value.known.Dump()));
  }
  return Link::Unknown(value.unknown.empty()
                           ? fmt::format("`{}.{}` does not name a VPC's default",
                                         model_.Instance(instance).address, key)
                           : value.unknown);
}

std::optional<std::string> PlanLoader::String(int instance, const AttributePath& path) {
  const AttributeValue v = model_.Attribute(instance, path);
  if (!v.known) {
    return std::nullopt;
  }
  if (v.known.IsString()) {
    return std::string(v.known.String());
  }
  Error(instance, fmt::format("`{}` must be a string, found a {}", PathText(path),
                              v.known.TypeName()));
  return std::nullopt;
}

std::optional<int64_t> PlanLoader::Integer(int instance, const AttributePath& path) {
  const AttributeValue v = model_.Attribute(instance, path);
  if (!v.known) {
    return std::nullopt;
  }
  return IntegerValue(instance, v.known, [&path] { return PathText(path); });
}

std::optional<int64_t> PlanLoader::IntegerValue(int instance, JsonView value,
                                                const std::function<std::string()>& where) {
  if (value.IsInteger()) {
    return value.Integer();
  }
  if (value.IsNumber()) {
    const double d = value.Double();
    if (d >= -1e15 && d <= 1e15 && static_cast<double>(static_cast<int64_t>(d)) == d) {
      return static_cast<int64_t>(d);
    }
  }
  if (value.IsString()) {
    const std::string s(value.String());
    if (!s.empty() && s.size() < 12 &&
        std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(),
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        s != "-") {
      return std::stoll(s);
    }
  }
  Error(instance, fmt::format("`{}` must be a whole number, found {}", where(), value.Dump()));
  return std::nullopt;
}

Maybe<Ipv4Cidr> PlanLoader::CidrValue(int instance, JsonView value,
                                      const std::function<std::string()>& where) {
  if (!value.IsString()) {
    Error(instance, fmt::format("`{}` must be a CIDR string, found a {}", where(),
                                value.TypeName()));
    return Maybe<Ipv4Cidr>::Unknown("invalid value");
  }
  const std::string_view text = value.String();
  if (text.empty()) {
    return {};
  }
  if (const CidrParseResult parsed = ParseIpv4Cidr(text); parsed.error == CidrError::kNone) {
    return Maybe<Ipv4Cidr>::Of(*parsed.cidr);
  }
  return ParseCidr(instance, where(), std::string(text));
}

bool PlanLoader::FullyKnown(int instance, std::string_view attribute) const {
  const auto& unknown = model_.Instance(instance).unknown_attributes;
  return std::find(unknown.begin(), unknown.end(), attribute) == unknown.end();
}

std::optional<bool> PlanLoader::Bool(int instance, std::string_view key) {
  const AttributeValue v = model_.Attribute(instance, key);
  if (!v.known) {
    return std::nullopt;
  }
  if (v.known.IsBool()) {
    return v.known.Bool();
  }
  Error(instance, fmt::format("`{}` must be true or false, found {}", key, v.known.Dump()));
  return std::nullopt;
}

Maybe<Ipv4Cidr> PlanLoader::ParseCidr(int instance, const std::string& where,
                                      const std::string& text) {
  const CidrParseResult parsed = ParseIpv4Cidr(text);
  if (parsed.error == CidrError::kNone) {
    return Maybe<Ipv4Cidr>::Of(*parsed.cidr);
  }
  Error(instance, fmt::format("`{}` is `{}`, which is not a valid IPv4 CIDR ({})", where, text,
                              DescribeCidrError(parsed.error)));
  return Maybe<Ipv4Cidr>::Unknown(fmt::format("`{}` is invalid", text));
}

Maybe<Ipv4Cidr> PlanLoader::Cidr(int instance, const AttributePath& path) {
  AttributeValue v = model_.Attribute(instance, path);
  // A CIDR known only after apply may still be copied from another resource's known CIDR.
  int depth = 0;
  int current = instance;
  while (!v.known && v.targets.size() == 1 && depth < kMaxLinkDepth) {
    const RefTarget next = v.targets.front();
    if (next.attribute.empty()) {
      break;
    }
    current = next.instance;
    v = model_.Attribute(current, next.attribute);
    ++depth;
  }
  if (!v.known) {
    if (!v.unknown.empty() || !v.targets.empty()) {
      return Maybe<Ipv4Cidr>::Unknown(
          !v.unknown.empty()
              ? v.unknown
              : fmt::format("`{}.{}` is known only after apply",
                            model_.Instance(instance).address, PathText(path)));
    }
    return {};
  }
  if (!v.known.IsString()) {
    Error(instance, fmt::format("`{}` must be a CIDR string, found a {}", PathText(path),
                                v.known.TypeName()));
    return Maybe<Ipv4Cidr>::Unknown("invalid value");
  }
  const std::string text(v.known.String());
  if (text.empty()) {
    return {};
  }
  if (const CidrParseResult parsed = ParseIpv4Cidr(text); parsed.error == CidrError::kNone) {
    return Maybe<Ipv4Cidr>::Of(*parsed.cidr);  // the common case, without building a message
  }
  return ParseCidr(current, PathText(path), text);
}

Maybe<int> PlanLoader::Protocol(int instance, const std::function<std::string()>& where,
                                JsonView value) {
  std::string text;
  if (value.IsString()) {
    text = std::string(value.String());
  } else if (value.IsInteger()) {
    text = std::to_string(value.Integer());
  } else if (!value || value.IsNull()) {
    return Maybe<int>::Unknown(fmt::format("`{}` is known only after apply", where()));
  } else {
    Error(instance, fmt::format("`{}` must be a protocol, found {}", where(), value.Dump()));
    return Maybe<int>::Unknown("invalid protocol");
  }
  const auto protocol = ParseProtocol(text);
  if (!protocol) {
    Error(instance, fmt::format("`{}` is `{}`, which is not a protocol name or number 0-255",
                                where(), text));
    return Maybe<int>::Unknown("invalid protocol");
  }
  return Maybe<int>::Of(*protocol);
}

size_t PlanLoader::ListSize(int instance, std::string_view key) const {
  const JsonView list = model_.Instance(instance).values[key];
  return list.IsArray() ? list.Size() : 0;
}

bool PlanLoader::IsSet(int instance, std::string_view key) const {
  const PlanInstance& inst = model_.Instance(instance);
  if (inst.config) {
    if (inst.config["expressions"][key]) {
      return true;
    }
  }
  if (!inst.config) {
    const JsonView value = inst.values[key];
    return value && !value.IsNull() && !(value.IsArray() && value.Empty());
  }
  return false;
}

std::map<std::string, std::string> PlanLoader::Tags(int instance) {
  std::map<std::string, std::string> tags;
  const JsonView values = model_.Instance(instance).values;
  for (const char* key : {"tags_all", "tags"}) {
    if (const JsonView given = values[key]; given && !given.IsNull() && !given.IsObject()) {
      Error(instance, fmt::format("`{}` must be a map, found a {}", key, given.TypeName()));
      continue;
    }
    for (const auto [k, v] : values[key].ObjectMembers()) {
      if (v.IsString()) {
        tags[std::string(k)] = std::string(v.String());
      }
    }
  }
  return tags;
}

}  // namespace cvpn::parsers
