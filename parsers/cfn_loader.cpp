// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_loader.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace cvpn::parsers::cfn {

namespace {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kVpc:
      return "VPC";
    case Kind::kSubnet:
      return "subnet";
    case Kind::kRouteTable:
      return "route table";
    case Kind::kSecurityGroup:
      return "security group";
    case Kind::kNetworkAcl:
      return "network ACL";
    case Kind::kEndpoint:
      return "Client VPN endpoint";
    case Kind::kPeering:
      return "VPC peering connection";
    case Kind::kPrefixList:
      return "prefix list";
    case Kind::kSubnetGroup:
      return "subnet group";
    case Kind::kTarget:
      return "target";
    case Kind::kTransitGateway:
      return "transit gateway";
    case Kind::kTransitGatewayAttachment:
      return "transit gateway attachment";
    case Kind::kTransitGatewayRouteTable:
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

/// The property of a subnet group resource that holds its name, or nullptr.
const char* SubnetGroupNameProperty(std::string_view type) {
  if (type == "AWS::RDS::DBSubnetGroup" || type == "AWS::DocDB::DBSubnetGroup" ||
      type == "AWS::Neptune::DBSubnetGroup") {
    return "DBSubnetGroupName";
  }
  if (type == "AWS::ElastiCache::SubnetGroup")
    return "CacheSubnetGroupName";
  if (type == "AWS::MemoryDB::SubnetGroup")
    return "SubnetGroupName";
  return nullptr;
}

std::string Describe(const Value& v) {
  if (v.IsScalar()) {
    return fmt::format("`{}`", Shown(v.text));
  }
  return v.KindName();
}

/// Whether CloudFormation types the property `where` (a path: `NetworkInterfaces[0].GroupSet`) as
/// a list of IDs; its name says so (`SubnetIds`, `VPCSecurityGroups`, `GroupSet`, `Subnets`),
/// where one ID is `SubnetId`.
bool IsListProperty(std::string_view where) {
  const size_t dot = where.rfind('.');
  const std::string_view name = dot == std::string_view::npos ? where : where.substr(dot + 1);
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("Ids") || ends_with("Groups") || ends_with("Subnets") || ends_with("GroupSet");
}

}  // namespace

Loader::Loader(const std::vector<Template>& templates,
               Evaluator& evaluator,
               Graph& graph,
               InputErrors& errors)
    : templates_(templates), evaluator_(evaluator), graph_(graph), errors_(errors) {}

const std::string& Loader::Type(int r) const {
  const Resource& res = At(r);
  return templates_[static_cast<size_t>(res.template_index)].resources[res.decl].type;
}

const std::string& Loader::Logical(int r) const {
  const Resource& res = At(r);
  return templates_[static_cast<size_t>(res.template_index)].resources[res.decl].logical;
}

const Template& Loader::TemplateOf(int r) const {
  return templates_[static_cast<size_t>(At(r).template_index)];
}

void Loader::Assign() {
  by_logical_.assign(templates_.size(), {});
  std::map<std::string, int> seen;
  for (int t = 0; t < static_cast<int>(templates_.size()); ++t) {
    for (const ResourceDecl& decl : templates_[static_cast<size_t>(t)].resources) {
      ++seen[decl.logical];
    }
  }
  for (int t = 0; t < static_cast<int>(templates_.size()); ++t) {
    const Template& tpl = templates_[static_cast<size_t>(t)];
    for (size_t i = 0; i < tpl.resources.size(); ++i) {
      const ResourceDecl& decl = tpl.resources[i];
      Resource res;
      res.template_index = t;
      res.decl = i;
      res.exists = evaluator_.Exists(t, i);
      if (res.exists.Known() && !*res.exists.value) {
        continue;  // its condition is false: CloudFormation does not create it
      }
      // Logical IDs are unique within a template; where two inputs use the same one, the
      // stack name tells them apart.
      res.address = seen[decl.logical] > 1 ? tpl.stack + "." + decl.logical : decl.logical;
      res.origin.file = tpl.doc.file;
      res.origin.address = res.address;
      res.origin.line = decl.at.line;
      res.origin.column = decl.at.column;
      res.origin.language = tpl.language;
      by_logical_[static_cast<size_t>(t)][decl.logical] = static_cast<int>(resources_.size());
      resources_.push_back(std::move(res));
    }
  }
}

void Loader::Load() {
  Assign();
  const int n = Count();
  for (int r = 0; r < n; ++r) {
    if (Type(r) == "AWS::EC2::VPC") {
      CreateNetworkNodes(*this, r);
    }
  }
  for (int r = 0; r < n; ++r) {
    if (Type(r) != "AWS::EC2::VPC") {
      CreateNetworkNodes(*this, r);
    }
    CreateTransitGatewayNodes(*this, r);
    CreateClientVpnNodes(*this, r);
    CreateTargetNodes(*this, r);
  }
  graph_.Finalize();  // the VPC default elements must exist before anything links to them
  for (const Vpc& vpc : graph_.vpcs) {
    default_egress_.insert(vpc.default_security_group);
  }
  for (int r = 0; r < n; ++r) {
    LinkNetworkNodes(*this, r);
    LinkTransitGatewayNodes(*this, r);
  }
  for (int r = 0; r < n; ++r) {
    LinkStandaloneRules(*this, r);
  }
  for (int r = 0; r < n; ++r) {
    LinkClientVpnNodes(*this, r);
    LinkTargetNodes(*this, r);
  }
  graph_.Finalize();
}

Origin Loader::OriginOf(int r, Position at) const {
  Origin o = At(r).origin;
  if (at.line > 0) {
    o.line = at.line;
    o.column = at.column;
  }
  return o;
}

std::string Loader::MaybeMissing(int r) const {
  const Resource& res = At(r);
  if (res.exists.Known()) {
    return {};
  }
  return fmt::format("`{}` may not be created: {}", res.address, res.exists.unknown);
}

void Loader::Register(int r, Kind kind, NodeIndex node) {
  nodes_[{r, kind}] = node;
}

NodeIndex Loader::NodeOf(int r, Kind kind) const {
  auto it = nodes_.find({r, kind});
  return it == nodes_.end() ? kNone : it->second;
}

int Loader::ResourceOf(const Token& token) const {
  if (token.template_index < 0 || token.template_index >= static_cast<int>(by_logical_.size())) {
    return -1;
  }
  const auto& map = by_logical_[static_cast<size_t>(token.template_index)];
  auto it = map.find(token.name);
  return it == map.end() ? -1 : it->second;
}

const Value& Loader::Properties(int r) const {
  return evaluator_.Properties(At(r).template_index, At(r).decl);
}

const Value* Loader::Property(int r, std::string_view name) const {
  const Value* v = Properties(r).Get(name);
  return v == nullptr || v->IsAbsent() ? nullptr : v;
}

const Value* Loader::PropertyPath(int r, std::string_view path) const {
  const Value* v = &Properties(r);
  size_t start = 0;
  while (v != nullptr && start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string_view key =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    v = v->Get(key);
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return v == nullptr || v->IsAbsent() ? nullptr : v;
}

void Loader::Error(int r, Position at, const std::string& message) {
  const Resource& res = At(r);
  if (at.line == 0) {
    at = {res.origin.line, res.origin.column};
  }
  const InputError e{res.origin.file, at.line, at.column, message};
  const bool seen = std::any_of(errors_.begin(), errors_.end(), [&](const InputError& x) {
    return x.file == e.file && x.line == e.line && x.column == e.column && x.message == e.message;
  });
  if (!seen) {
    errors_.push_back(e);
  }
}

Link Loader::LinkFromText(int r, const std::string& text, Kind kind, Position at) {
  if (text.empty()) {
    return {};
  }
  if (const auto token = ParseToken(text)) {
    const int target = ResourceOf(*token);
    switch (token->kind) {
      case TokenKind::kDefaultSecurityGroup:
      case TokenKind::kDefaultNetworkAcl: {
        const bool sg = token->kind == TokenKind::kDefaultSecurityGroup;
        const NodeIndex vpc = target < 0 ? kNone : NodeOf(target, Kind::kVpc);
        if (vpc == kNone) {
          return Link::Unknown(fmt::format("`{}` is not known", Readable(text)));
        }
        if (sg && kind == Kind::kSecurityGroup) {
          return Link::To(graph_.vpcs[static_cast<size_t>(vpc)].default_security_group);
        }
        if (!sg && kind == Kind::kNetworkAcl) {
          return Link::To(graph_.vpcs[static_cast<size_t>(vpc)].default_network_acl);
        }
        return Link::Unknown(fmt::format("`{}` is not a {}", Readable(text), KindName(kind)));
      }
      case TokenKind::kResource: {
        if (target < 0) {
          return Link::Unknown(fmt::format("`{}` is not created", token->name));
        }
        const NodeIndex node = NodeOf(target, kind);
        if (node != kNone) {
          return Link::To(node);
        }
        return Link::Unknown(fmt::format("`{}` is an {}, not a {} the tool models",
                                         At(target).address, Type(target), KindName(kind)));
      }
      case TokenKind::kOpaque:
        break;
    }
    return Link::Unknown(fmt::format("`{}` is not a {}", Readable(text), KindName(kind)));
  }
  if (ContainsToken(text)) {
    return Link::Unknown(fmt::format("`{}` is not the ID of a {}", Readable(text), KindName(kind)));
  }
  if (kind == Kind::kSubnetGroup) {
    // Subnet groups are named by the user; AWS stores the names in lower case.
    for (int other = 0; other < Count(); ++other) {
      const char* name_property = SubnetGroupNameProperty(Type(other));
      if (name_property == nullptr) {
        continue;
      }
      const Value* name = Property(other, name_property);
      if (name != nullptr && name->IsScalar() && EqualsIgnoreCase(name->text, text)) {
        return Link::To(other);
      }
    }
    return Link::Unknown(fmt::format("subnet group `{}` is not among the inputs", text));
  }
  (void)r;
  (void)at;
  return Link::Unknown(fmt::format("`{}` is not among the inputs", text));
}

std::vector<Link> Loader::Links(int r, const Value* value, Kind kind, const std::string& where) {
  std::vector<Link> out;
  if (value == nullptr || value->IsAbsent()) {
    return out;
  }
  // CloudFormation refuses one ID where it wants a list, and a list where it wants one ID.
  if (IsListProperty(where) && value->IsScalar()) {
    Error(r, value->at,
          fmt::format("`{}.{}` must be a list of IDs, found `{}`", Logical(r), where,
                      Shown(value->text)));
    return out;
  }
  if (!IsListProperty(where) && value->IsList()) {
    Error(r, value->at, fmt::format("`{}.{}` must be one ID, found a list", Logical(r), where));
    return out;
  }
  auto add_one = [&](const Value& v) {
    if (v.IsUnknown()) {
      out.push_back(Link::Unknown(v.text));
    } else if (v.IsScalar()) {
      out.push_back(LinkFromText(r, v.text, kind, v.at));
    } else if (!v.IsAbsent()) {
      Error(r, v.at,
            fmt::format("`{}.{}` must be an ID or a list of IDs, found {}", Logical(r), where,
                        v.KindName()));
    }
  };
  if (value->IsList()) {
    for (const Value& item : value->items) {
      add_one(item);
    }
  } else {
    add_one(*value);
  }
  // Resolved links first, each once; unknown ones after, each reason once.
  std::vector<Link> unique;
  for (const Link& l : out) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const Link& u) {
      return u.index == l.index && u.unknown == l.unknown;
    });
    if (!seen && (l.Resolved() || l.IsUnknown())) {
      unique.push_back(l);
    }
  }
  std::stable_partition(unique.begin(), unique.end(), [](const Link& l) { return l.Resolved(); });
  return unique;
}

Link Loader::SingleLink(int r, const Value* value, Kind kind, const std::string& where) {
  const auto links = Links(r, value, kind, where);
  return links.empty() ? Link{} : links.front();
}

std::optional<std::string> Loader::String(int r, const Value* value, const std::string& where) {
  if (value == nullptr || value->IsAbsent() || value->IsUnknown()) {
    return std::nullopt;
  }
  if (value->IsScalar()) {
    return value->text;
  }
  Error(r, value->at,
        fmt::format("`{}.{}` must be a string, found {}", Logical(r), where, value->KindName()));
  return std::nullopt;
}

std::optional<int64_t> Loader::Integer(int r, const Value* value, const std::string& where) {
  const auto text = String(r, value, where);
  if (!text) {
    return std::nullopt;
  }
  int64_t out = 0;
  const char* begin = text->data() + (!text->empty() && (*text)[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, text->data() + text->size(), out);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
    Error(r, value->at,
          fmt::format("`{}.{}` must be a whole number, found {}", Logical(r), where,
                      Describe(*value)));
    return std::nullopt;
  }
  return out;
}

std::optional<bool> Loader::Bool(int r, const Value* value, const std::string& where) {
  const auto text = String(r, value, where);
  if (!text) {
    return std::nullopt;
  }
  if (EqualsIgnoreCase(*text, "true"))
    return true;
  if (EqualsIgnoreCase(*text, "false"))
    return false;
  Error(
      r, value->at,
      fmt::format("`{}.{}` must be true or false, found {}", Logical(r), where, Describe(*value)));
  return std::nullopt;
}

Maybe<Ipv4Cidr> Loader::Cidr(int r, const Value* value, const std::string& where) {
  if (value == nullptr || value->IsAbsent()) {
    return {};
  }
  if (value->IsUnknown()) {
    return Maybe<Ipv4Cidr>::Unknown(
        fmt::format("`{}.{}` is not known: {}", At(r).address, where, value->text));
  }
  const auto text = String(r, value, where);
  if (!text) {
    return Maybe<Ipv4Cidr>::Unknown(fmt::format("`{}.{}` is invalid", Logical(r), where));
  }
  if (ContainsToken(*text)) {
    return Maybe<Ipv4Cidr>::Unknown(
        fmt::format("`{}.{}` is `{}`, known only at deployment", Logical(r), where, Shown(*text)));
  }
  const CidrParseResult parsed = ParseIpv4Cidr(*text);
  if (parsed.error == CidrError::kNone) {
    return Maybe<Ipv4Cidr>::Of(*parsed.cidr);
  }
  Error(r, value->at,
        fmt::format("`{}.{}` is `{}`, which is not a valid IPv4 CIDR ({})", Logical(r), where,
                    Shown(*text), DescribeCidrError(parsed.error)));
  return Maybe<Ipv4Cidr>::Unknown(fmt::format("`{}` is invalid", Shown(*text)));
}

Maybe<int> Loader::Protocol(int r, const Value* value, const std::string& where) {
  if (value == nullptr || value->IsAbsent()) {
    Error(r, {}, fmt::format("`{}.{}` is required", Logical(r), where));
    return Maybe<int>::Unknown("no protocol");
  }
  if (value->IsUnknown()) {
    return Maybe<int>::Unknown(value->text);
  }
  const auto text = String(r, value, where);
  if (!text) {
    return Maybe<int>::Unknown("invalid protocol");
  }
  const auto protocol = ParseProtocol(*text);
  if (!protocol) {
    Error(r, value->at,
          fmt::format("`{}.{}` is `{}`, which is not a protocol name or number 0-255", Logical(r),
                      where, Shown(*text)));
    return Maybe<int>::Unknown("invalid protocol");
  }
  return Maybe<int>::Of(*protocol);
}

std::map<std::string, std::string> Loader::Tags(int r) {
  std::map<std::string, std::string> tags;
  const Value* list = Property(r, "Tags");
  if (list == nullptr || list->IsAbsent() || list->IsUnknown()) {
    return tags;
  }
  if (list->IsList()) {
    for (const Value& item : list->items) {
      const Value* key = item.Get("Key");
      const Value* value = item.Get("Value");
      if (item.IsUnknown() || (key != nullptr && key->IsUnknown()) ||
          (value != nullptr && value->IsUnknown())) {
        continue;  // known at deployment
      }
      if (key == nullptr || value == nullptr || !key->IsScalar() || !value->IsScalar()) {
        // A tag of another shape would be dropped, and a `cvpn-lint:ports` tag with it.
        Error(
            r, item.at.line > 0 ? item.at : list->at,
            fmt::format("`{}.Tags` must be a list of {{Key: string, Value: string}}", Logical(r)));
        continue;
      }
      tags[key->text] = value->text;
    }
  } else if (list->IsScalar()) {
    Error(r, list->at,
          fmt::format("`{}.Tags` must be a list of {{Key, Value}}, found `{}`", Logical(r),
                      Shown(list->text)));
  } else if (list->IsMap()) {
    for (const MapEntry& e : list->entries) {
      if (e.value.IsScalar()) {
        tags[e.key] = e.value.text;
      }
    }
  }
  return tags;
}

}  // namespace cvpn::parsers::cfn
