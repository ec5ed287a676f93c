// SPDX-License-Identifier: Apache-2.0
#include "rules/fixes_cloudformation.h"

#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace cvpn::rules {

namespace {

// --- What an element is called in its template ---------------------------------------------

/// The implicit element an address notes, if any: `Vpc (default security group)`.
enum class Implicit { kNone, kDefaultSecurityGroup, kDefaultNetworkAcl, kMainRouteTable };

Implicit ImplicitOf(const Origin& o) {
  const std::string& a = o.address;
  if (a.ends_with(" (default security group)"))
    return Implicit::kDefaultSecurityGroup;
  if (a.ends_with(" (default network ACL)"))
    return Implicit::kDefaultNetworkAcl;
  if (a.ends_with(" (main route table)"))
    return Implicit::kMainRouteTable;
  return Implicit::kNone;
}

/// The logical ID of an element (of its VPC for implicit elements). Addresses are logical IDs,
/// or `Stack.LogicalId` where two inputs share one; logical IDs hold no dots.
std::string LogicalOf(const Origin& o) {
  std::string a = o.address;
  if (const auto paren = a.find(" ("); paren != std::string::npos) {
    a.resize(paren);
  }
  if (const auto dot = a.rfind('.'); dot != std::string::npos) {
    a = a.substr(dot + 1);
  }
  return a;
}

std::string CidrWord(const Ipv4Cidr& cidr) {
  std::string out;
  for (char c : cidr.ToString()) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      out.push_back(c);
    } else {
      out.push_back(c == '/' ? 's' : 'x');
    }
  }
  return out;
}

std::string Capitalized(std::string s) {
  if (!s.empty()) {
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  }
  return s;
}

/// `vpc_peering_connection_id` -> `VpcPeeringConnectionId`.
std::string PropertyOf(const std::string& terraform_attribute) {
  std::string out;
  bool upper = true;
  for (char c : terraform_attribute) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

// --- A resource to add, rendered as YAML or JSON ----------------------------------------------

struct ExprEntry;

struct Expr {
  enum class Kind {
    kString,
    kNumber,
    kBool,
    kRef,
    kGetAtt,
    kImport,
    kMap,
    kList,  ///< the items are the values of `entries`
    kRaw,   ///< `a` is the YAML text, `b` the JSON text
  } kind = Kind::kString;
  std::string a;  ///< the text, the logical ID, or the export name
  std::string b;  ///< the attribute of kGetAtt; the template declaring a kImport
  std::vector<ExprEntry> entries;
};

/// A key and its value in a mapping (or, with an empty key, an item of a list).
struct ExprEntry {
  std::string key;
  Expr value;
};

Expr Str(std::string s) {
  return {Expr::Kind::kString, std::move(s), {}, {}};
}
Expr Num(long n) {
  return {Expr::Kind::kNumber, std::to_string(n), {}, {}};
}
Expr Bool(bool b) {
  return {Expr::Kind::kBool, b ? "true" : "false", {}, {}};
}

struct Resource {
  std::string logical;
  std::string type;
  std::string depends_on_note;  ///< the DependsOn to write: a logical ID, or a placeholder
  std::vector<ExprEntry> properties;
};

/// A reference from a resource of `home`'s template to element `o`: !Ref or !GetAtt within
/// the template, an import across templates.
Expr RefTo(const Origin& home, const Origin& o, const char* get_att = nullptr) {
  const std::string logical = LogicalOf(o);
  if (o.file != home.file) {
    return {Expr::Kind::kImport, "EXPORT-OF-" + logical, o.file, {}};
  }
  switch (ImplicitOf(o)) {
    case Implicit::kDefaultSecurityGroup:
      return {Expr::Kind::kGetAtt, logical, "DefaultSecurityGroup", {}};
    case Implicit::kDefaultNetworkAcl:
      return {Expr::Kind::kGetAtt, logical, "DefaultNetworkAcl", {}};
    case Implicit::kMainRouteTable:
    case Implicit::kNone:
      break;
  }
  if (get_att != nullptr) {
    return {Expr::Kind::kGetAtt, logical, get_att, {}};
  }
  return {Expr::Kind::kRef, logical, {}, {}};
}

bool PlainYaml(const std::string& s) {
  if (s.empty() || s == "true" || s == "false" || s == "null" || s == "~" || s[0] == '-' ||
      s[0] == '!' || s[0] == '*' || s[0] == '&' || s[0] == '<') {
    return false;
  }
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '/' && c != '_' &&
        c != '-' && c != ':' && c != '@') {
      return false;
    }
  }
  return s.find(": ") == std::string::npos && s.back() != ':';
}

std::string YamlString(const std::string& s) {
  if (PlainYaml(s)) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

void RenderYaml(const Expr& e, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  switch (e.kind) {
    case Expr::Kind::kString:
      out += " " + YamlString(e.a) + "\n";
      return;
    case Expr::Kind::kNumber:
    case Expr::Kind::kBool:
      out += " " + e.a + "\n";
      return;
    case Expr::Kind::kRef:
      out += " !Ref " + e.a + "\n";
      return;
    case Expr::Kind::kGetAtt:
      out += " !GetAtt " + e.a + "." + e.b + "\n";
      return;
    case Expr::Kind::kImport:
      out += " !ImportValue " + YamlString(e.a) + "\n";
      return;
    case Expr::Kind::kMap:
      out += "\n";
      for (const auto& [key, value] : e.entries) {
        out += pad + key + ":";
        RenderYaml(value, indent + 2, out);
      }
      return;
    case Expr::Kind::kList:
      out += "\n";
      for (const auto& item : e.entries) {
        out += pad + "-";
        RenderYaml(item.value, indent + 2, out);
      }
      return;
    case Expr::Kind::kRaw:
      out += " " + e.a + "\n";
      return;
  }
}

std::string RenderJson(const Expr& e, int indent) {
  switch (e.kind) {
    case Expr::Kind::kString:
      return JsonString(e.a);
    case Expr::Kind::kNumber:
    case Expr::Kind::kBool:
      return e.a;
    case Expr::Kind::kRef:
      return fmt::format("{{\"Ref\": {}}}", JsonString(e.a));
    case Expr::Kind::kGetAtt:
      return fmt::format("{{\"Fn::GetAtt\": [{}, {}]}}", JsonString(e.a), JsonString(e.b));
    case Expr::Kind::kImport:
      return fmt::format("{{\"Fn::ImportValue\": {}}}", JsonString(e.a));
    case Expr::Kind::kMap: {
      const std::string pad(static_cast<size_t>(indent + 2), ' ');
      std::string out = "{\n";
      for (size_t i = 0; i < e.entries.size(); ++i) {
        out += pad + JsonString(e.entries[i].key) + ": " +
               RenderJson(e.entries[i].value, indent + 2) +
               (i + 1 < e.entries.size() ? ",\n" : "\n");
      }
      return out + std::string(static_cast<size_t>(indent), ' ') + "}";
    }
    case Expr::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < e.entries.size(); ++i) {
        out += (i == 0 ? "" : ", ") + RenderJson(e.entries[i].value, indent);
      }
      return out + "]";
    }
    case Expr::Kind::kRaw:
      return e.b;
  }
  return {};
}

/// The resources as text for `Resources`; `notes` go first as YAML comments (JSON has none, so
/// its notes become a `Metadata` entry of the first resource).
std::string Render(const Origin& home,
                   const std::vector<Resource>& resources,
                   const std::vector<std::string>& notes = {}) {
  const bool json = home.language == Origin::Language::kCloudFormationJson;
  std::vector<std::string> all_notes = notes;
  for (const Resource& r : resources) {
    for (const auto& [key, value] : r.properties) {
      if (value.kind == Expr::Kind::kImport) {
        all_notes.push_back(fmt::format(
            "`{}` is declared in {}: export its ID there and replace {} with the export's name",
            value.a.substr(10), value.b, value.a));
      }
    }
  }
  std::string out;
  if (!json) {
    for (const std::string& n : all_notes) {
      out += "# " + n + "\n";
    }
    for (const Resource& r : resources) {
      out += r.logical + ":\n  Type: " + r.type + "\n";
      if (!r.depends_on_note.empty()) {
        out += "  DependsOn: " + r.depends_on_note + "\n";
      }
      out += "  Properties:\n";
      for (const auto& [key, value] : r.properties) {
        out += "    " + key + ":";
        RenderYaml(value, 6, out);
      }
    }
    if (!out.empty() && out.back() == '\n') {
      out.pop_back();
    }
    return out;
  }
  for (size_t i = 0; i < resources.size(); ++i) {
    const Resource& r = resources[i];
    Expr props{Expr::Kind::kMap, {}, {}, r.properties};
    out += JsonString(r.logical) + ": {\n  \"Type\": " + JsonString(r.type) + ",\n";
    if (i == 0 && !all_notes.empty()) {
      std::string joined;
      for (const std::string& n : all_notes) {
        joined += (joined.empty() ? "" : " ") + n;
      }
      out += "  \"Metadata\": {\"cvpn-lint\": " + JsonString(joined) + "},\n";
    }
    if (!r.depends_on_note.empty()) {
      out += "  \"DependsOn\": " + JsonString(r.depends_on_note) + ",\n";
    }
    out += "  \"Properties\": " + RenderJson(props, 2) + "\n}";
    out += i + 1 < resources.size() ? ",\n" : "";
  }
  return out;
}

std::string ProtocolText(int protocol) {
  return protocol == kProtocolAll ? "-1" : ProtocolName(protocol);
}

std::string PortsWord(int protocol, const PortRange& ports) {
  if (protocol == kProtocolAll) {
    return "All";
  }
  std::string word = Capitalized(ProtocolName(protocol));
  if (ProtocolHasPorts(protocol)) {
    word += ports.first == ports.last ? std::to_string(ports.first)
                                      : fmt::format("{}to{}", ports.first, ports.last);
  }
  return word;
}

/// A route resource in `table_expr` (a !Ref), for the Terraform target attribute.
Resource RouteResource(const std::string& logical,
                       Expr table,
                       const Ipv4Cidr& destination,
                       const std::string& target_attribute,
                       Expr target) {
  Resource r;
  r.logical = logical;
  r.type = "AWS::EC2::Route";
  r.properties.push_back({"RouteTableId", std::move(table)});
  r.properties.push_back({"DestinationCidrBlock", Str(destination.ToString())});
  r.properties.push_back({PropertyOf(target_attribute), std::move(target)});
  return r;
}

/// The target of a route from its IdOf() text: `Peering.id` names a logical ID.
Expr TargetExpr(const Origin& home, const std::string& target) {
  if (target.ends_with(".id")) {
    Origin o = home;
    o.address = target.substr(0, target.size() - 3);
    return RefTo(home, o);
  }
  return Str(target);
}

/// The route (or, for the main route table, the table, its route and a note) that sends
/// `destination` through `target` in `table`.
std::vector<Resource> RouteFix(const RouteTable& table,
                               const Ipv4Cidr& destination,
                               const std::string& target_attribute,
                               const Expr& target,
                               std::vector<std::string>& notes) {
  const Origin& home = table.origin;
  if (ImplicitOf(home) == Implicit::kMainRouteTable) {
    const std::string vpc = LogicalOf(home);
    Resource rt;
    rt.logical = vpc + "ClientVpnRouteTable";
    rt.type = "AWS::EC2::RouteTable";
    rt.properties.push_back({"VpcId", Expr{Expr::Kind::kRef, vpc, {}, {}}});
    notes.push_back(fmt::format(
        "CloudFormation cannot add routes to the main route table of `{}`: give the subnets "
        "their own table and an AWS::EC2::SubnetRouteTableAssociation each",
        vpc));
    Resource route = RouteResource(vpc + "ClientVpnRoute" + CidrWord(destination),
                                   Expr{Expr::Kind::kRef, rt.logical, {}, {}}, destination,
                                   target_attribute, target);
    return {rt, route};
  }
  return {RouteResource(LogicalOf(home) + "Route" + CidrWord(destination), RefTo(home, home),
                        destination, target_attribute, target)};
}

/// A Terraform value from the rules (`aws_subnet.a.id`, `true`, `[..., x.id]`, `"text"`) as a
/// CloudFormation value in `home`'s template: IDs become `!Ref`.
Expr ValueOf(const Origin& home, const std::string& text) {
  if (text == "true" || text == "false") {
    return Bool(text == "true");
  }
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    return Str(text.substr(1, text.size() - 2));
  }
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    Expr list{Expr::Kind::kList, {}, {}, {}};
    std::string rest = text.substr(1, text.size() - 2);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t comma = rest.find(',', start);
      std::string item =
          rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!item.empty() && item.front() == ' ')
        item.erase(0, 1);
      while (!item.empty() && item.back() == ' ')
        item.pop_back();
      if (!item.empty()) {
        list.entries.push_back(
            {{}, item == "..." ? Expr{Expr::Kind::kRaw, "...", "...", {}} : ValueOf(home, item)});
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    if (!list.entries.empty() && list.entries.front().value.kind == Expr::Kind::kRaw) {
      // "[..., x]": the existing items and one more; flow style reads best in both languages.
      std::string yaml = "[";
      std::string json = "[";
      for (size_t i = 0; i < list.entries.size(); ++i) {
        std::string y;
        RenderYaml(list.entries[i].value, 0, y);
        yaml += (i == 0 ? "" : ", ") + y.substr(1, y.size() - 2);
        json += (i == 0 ? "" : ", ") + RenderJson(list.entries[i].value, 0);
      }
      return {Expr::Kind::kRaw, yaml + "]", json + "]", {}};
    }
    return list;
  }
  for (const auto& [suffix, attribute] : std::vector<std::pair<std::string, const char*>>{
           {".default_security_group_id", "DefaultSecurityGroup"},
           {".default_network_acl_id", "DefaultNetworkAcl"},
           {".id", nullptr}}) {
    if (text.size() > suffix.size() && text.ends_with(suffix)) {
      Origin o = home;
      o.address = text.substr(0, text.size() - suffix.size());
      if (o.address.find_first_of(" []\"") != std::string::npos) {
        break;
      }
      return attribute == nullptr ? RefTo(home, o)
                                  : Expr{Expr::Kind::kGetAtt, LogicalOf(o), attribute, {}};
    }
  }
  return Str(text);
}

/// `CamelCase` property names for the Terraform attributes the rules set.
std::string CfnProperty(const std::string& attribute) {
  if (attribute == "vpc_id")
    return "VpcId";
  if (attribute == "subnet_ids")
    return "SubnetIds";
  return PropertyOf(attribute);
}

}  // namespace

std::string CfnFixSecurityGroupRule(const SecurityGroup& group,
                                    bool egress,
                                    const PortSpec& want,
                                    const FixPeer& peer) {
  const Origin& home = group.origin;
  Resource r;
  r.type = egress ? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress";
  const std::string group_word = ImplicitOf(home) == Implicit::kDefaultSecurityGroup
                                     ? LogicalOf(home) + "DefaultSg"
                                     : LogicalOf(home);
  r.logical = fmt::format("{}{}{}ClientVpn", group_word, egress ? "EgressTo" : "IngressFrom",
                          PortsWord(want.protocol, want.ports));
  r.properties.push_back({"GroupId", RefTo(home, home, "GroupId")});
  r.properties.push_back(
      {"IpProtocol", want.protocol == kProtocolAll ? Num(-1) : Str(ProtocolText(want.protocol))});
  if (ProtocolHasPorts(want.protocol)) {
    r.properties.push_back({"FromPort", Num(want.ports.first)});
    r.properties.push_back({"ToPort", Num(want.ports.last)});
  } else if (want.protocol == kProtocolIcmp || want.protocol == kProtocolIcmpv6) {
    r.properties.push_back({"FromPort", Num(-1)});
    r.properties.push_back({"ToPort", Num(-1)});
  }
  const char* group_key = egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId";
  if (peer.self) {
    r.properties.push_back({group_key, RefTo(home, home, "GroupId")});
  } else if (peer.group) {
    r.properties.push_back({group_key, RefTo(home, *peer.group, "GroupId")});
  } else {
    r.properties.push_back({"CidrIp", Str(peer.cidr ? peer.cidr->ToString() : "0.0.0.0/0")});
  }
  return Render(home, {r});
}

std::string CfnFixNetworkAclEntry(const NetworkAcl& acl,
                                  bool egress,
                                  int rule_number,
                                  int protocol,
                                  const PortRange& ports,
                                  const Ipv4Cidr& cidr) {
  const Origin& home = acl.origin;
  Resource r;
  r.type = "AWS::EC2::NetworkAclEntry";
  const std::string acl_word = ImplicitOf(home) == Implicit::kDefaultNetworkAcl
                                   ? LogicalOf(home) + "DefaultAcl"
                                   : LogicalOf(home);
  r.logical = fmt::format("{}{}{}", acl_word, egress ? "Egress" : "Ingress", rule_number);
  r.properties.push_back({"NetworkAclId", RefTo(home, home)});
  r.properties.push_back({"RuleNumber", Num(rule_number)});
  r.properties.push_back({"Egress", Bool(egress)});
  r.properties.push_back({"Protocol", Num(protocol)});
  r.properties.push_back({"RuleAction", Str("allow")});
  r.properties.push_back({"CidrBlock", Str(cidr.ToString())});
  if (ProtocolHasPorts(protocol)) {
    r.properties.push_back(
        {"PortRange",
         Expr{Expr::Kind::kMap, {}, {}, {{"From", Num(ports.first)}, {"To", Num(ports.last)}}}});
  } else if (protocol == kProtocolIcmp) {
    r.properties.push_back(
        {"Icmp", Expr{Expr::Kind::kMap, {}, {}, {{"Code", Num(-1)}, {"Type", Num(-1)}}}});
  }
  return Render(home, {r});
}

std::string CfnFixAuthorizationRule(const Origin& endpoint,
                                    const Ipv4Cidr& cidr,
                                    const std::optional<std::string>& group) {
  Resource r;
  r.type = "AWS::EC2::ClientVpnAuthorizationRule";
  r.logical = LogicalOf(endpoint) + "Authorize" + CidrWord(cidr);
  r.properties.push_back({"ClientVpnEndpointId", RefTo(endpoint, endpoint)});
  r.properties.push_back({"TargetNetworkCidr", Str(cidr.ToString())});
  if (group) {
    r.properties.push_back({"AccessGroupId", Str(*group)});
  } else {
    r.properties.push_back({"AuthorizeAllGroups", Bool(true)});
  }
  return Render(endpoint, {r});
}

std::string CfnFixClientVpnRoute(const Origin& endpoint,
                                 const Ipv4Cidr& destination,
                                 const Origin& subnet,
                                 const std::optional<Origin>& association) {
  Resource r;
  r.type = "AWS::EC2::ClientVpnRoute";
  r.logical = LogicalOf(endpoint) + "Route" + CidrWord(destination) + "Via" + LogicalOf(subnet);
  std::vector<std::string> notes;
  // The route needs the subnet's association to exist first (CloudFormation: DependsOn).
  if (association && association->file == endpoint.file) {
    r.depends_on_note = LogicalOf(*association);
  } else {
    r.depends_on_note = "ASSOCIATION-OF-" + LogicalOf(subnet);
    notes.push_back(
        fmt::format("set DependsOn to the AWS::EC2::ClientVpnTargetNetworkAssociation "
                    "that associates `{}` with `{}`",
                    LogicalOf(subnet), LogicalOf(endpoint)));
  }
  r.properties.push_back({"ClientVpnEndpointId", RefTo(endpoint, endpoint)});
  r.properties.push_back({"DestinationCidrBlock", Str(destination.ToString())});
  r.properties.push_back({"TargetVpcSubnetId", RefTo(endpoint, subnet)});
  return Render(endpoint, {r}, notes);
}

std::string CfnFixVpcRoute(const RouteTable& table,
                           const Ipv4Cidr& destination,
                           const std::string& target_attribute,
                           const std::string& target) {
  std::vector<std::string> notes;
  auto resources =
      RouteFix(table, destination, target_attribute, TargetExpr(table.origin, target), notes);
  return Render(table.origin, resources, notes);
}

std::string CfnFixVpcPeering(const Origin& from_vpc,
                             const Origin& to_vpc,
                             const RouteTable& table,
                             const Ipv4Cidr& destination) {
  const Origin& home = table.origin;
  Resource peering;
  peering.type = "AWS::EC2::VPCPeeringConnection";
  peering.logical = LogicalOf(from_vpc) + LogicalOf(to_vpc) + "Peering";
  peering.properties.push_back({"VpcId", RefTo(home, from_vpc)});
  peering.properties.push_back({"PeerVpcId", RefTo(home, to_vpc)});
  std::vector<std::string> notes;
  auto routes = RouteFix(table, destination, "vpc_peering_connection_id",
                         Expr{Expr::Kind::kRef, peering.logical, {}, {}}, notes);
  notes.push_back("and the route back in the other VPC's route tables");
  std::vector<Resource> all{peering};
  all.insert(all.end(), routes.begin(), routes.end());
  return Render(home, all, notes);
}

std::string CfnFixSetAttributes(const Origin& resource,
                                const std::vector<std::pair<std::string, std::string>>& attributes,
                                const std::string& note) {
  const bool json = resource.language == Origin::Language::kCloudFormationJson;
  const std::string logical = LogicalOf(resource);
  std::vector<std::string> notes;
  Expr properties{Expr::Kind::kMap, {}, {}, {}};
  for (const auto& [attribute, value] : attributes) {
    if (attribute == "transit_gateway_default_route_table_association") {
      // CloudFormation attachments have no such flag: the gateway's default decides.
      notes.push_back(
          fmt::format("`{}` is associated with no transit gateway route table: add an "
                      "AWS::EC2::TransitGatewayRouteTableAssociation for it, or set "
                      "DefaultRouteTableAssociation: enable on its transit gateway",
                      logical));
      continue;
    }
    properties.entries.push_back({CfnProperty(attribute), ValueOf(resource, value)});
  }
  std::string out;
  const std::string intro =
      fmt::format("in `{}`, set{}", logical, note.empty() ? std::string() : " (" + note + ")");
  if (json) {
    for (const std::string& n : notes) {
      out += n + "\n";
    }
    if (!properties.entries.empty()) {
      out += JsonString(logical) + ": {\"Metadata\": {\"cvpn-lint\": " + JsonString(intro) +
             "}, \"Properties\": " + RenderJson(properties, 0) + "}";
    }
  } else {
    for (const std::string& n : notes) {
      out += "# " + n + "\n";
    }
    if (!properties.entries.empty()) {
      out += "# " + intro + "\n" + logical + ":\n  Properties:";
      RenderYaml(properties, 4, out);
    }
  }
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

std::string CfnFixTransitGatewayAttachment(const Origin& tgw,
                                           const Origin& vpc,
                                           const Origin& subnet) {
  Resource r;
  r.type = "AWS::EC2::TransitGatewayVpcAttachment";
  r.logical = LogicalOf(vpc) + LogicalOf(tgw) + "Attachment";
  r.properties.push_back({"TransitGatewayId", RefTo(tgw, tgw)});
  r.properties.push_back({"VpcId", RefTo(tgw, vpc)});
  r.properties.push_back(
      {"SubnetIds", Expr{Expr::Kind::kList, {}, {}, {{std::string(), RefTo(tgw, subnet)}}}});
  return Render(tgw, {r});
}

std::string CfnFixTransitGatewayPropagation(const Origin& route_table, const Origin& attachment) {
  if (route_table.address.ends_with(" (default route table)")) {
    Origin gateway = route_table;
    gateway.address = route_table.address.substr(0, route_table.address.find(" ("));
    return CfnFixSetAttributes(
        gateway, {{"default_route_table_propagation", "\"enable\""}},
        fmt::format("so that `{}` propagates into the default route table", LogicalOf(attachment)));
  }
  Resource r;
  r.type = "AWS::EC2::TransitGatewayRouteTablePropagation";
  r.logical = LogicalOf(attachment) + "PropagatesTo" + LogicalOf(route_table);
  r.properties.push_back({"TransitGatewayAttachmentId", RefTo(route_table, attachment)});
  r.properties.push_back({"TransitGatewayRouteTableId", RefTo(route_table, route_table)});
  return Render(route_table, {r});
}

}  // namespace cvpn::rules
