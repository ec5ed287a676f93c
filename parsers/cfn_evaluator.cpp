// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_evaluator.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "parsers/cfn_cidr.h"

namespace cvpn::parsers::cfn {

namespace {

std::optional<long> ParseInteger(std::string_view text) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string EncodeBase64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    const auto n = (static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16U) |
                   (static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8U) |
                   static_cast<uint32_t>(static_cast<unsigned char>(in[i + 2]));
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
    i += 3;
  }
  if (i < in.size()) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16U;
    if (i + 1 < in.size()) {
      n |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8U;
    }
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

/// The part of a resource type after the last `::` (`AWS::EC2::RouteTable` -> `RouteTable`).
std::string_view TypeSuffix(std::string_view type) {
  const auto colon = type.rfind("::");
  return colon == std::string_view::npos ? type : type.substr(colon + 2);
}

bool IsCustomResource(std::string_view type) {
  return type.rfind("Custom::", 0) == 0 || type == "AWS::CloudFormation::CustomResource";
}

}  // namespace

Evaluator::Evaluator(const std::vector<Template>& templates, InputErrors& errors)
    : templates_(templates), errors_(errors) {
  Reset();
}

void Evaluator::Reset() {
  conditions_.clear();
  properties_.assign(templates_.size(), {});
  for (size_t t = 0; t < templates_.size(); ++t) {
    properties_[t].resize(templates_[t].resources.size());
  }
  imports_busy_.clear();
  resource_stack_.clear();
  references_ = 0;
  steps_ = 0;
  bytes_ = 0;
}

void Evaluator::Error(int t, Position at, std::string message) {
  const std::string& file = templates_[static_cast<size_t>(t)].doc.file;
  if (reported_.insert({t, at.line, at.column, message}).second) {
    errors_.push_back({file, at.line, at.column, std::move(message)});
  }
}

Value Evaluator::Invalid(int t, Position at, std::string message) {
  Error(t, at, message);
  return Value::Unknown(std::move(message), at);
}

Value Evaluator::Evaluate(int t, NodeId node) {
  if (node == kNoNode) {
    return Value::Absent();
  }
  return Eval(t, node, 0);
}

bool Evaluator::TooLong(int t, size_t size, const char* fn, Position at) {
  if (size <= kMaxStringBytes) {
    return false;
  }
  Error(t, at,
        fmt::format("`{}` builds a string of more than {} bytes; a template holds at most 1 MB", fn,
                    kMaxStringBytes));
  return true;
}

Value Evaluator::Eval(int t, NodeId node, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  const Node& n = tpl.doc.At(node);
  if (++steps_ > kMaxSteps || bytes_ > kMaxBytes) {
    if (!budget_reported_) {
      budget_reported_ = true;
      Error(t, n.at,
            steps_ > kMaxSteps
                ? std::string("the template takes too much work to evaluate; giving up")
                : fmt::format("the template's values add up to more than {} MiB; giving up",
                              kMaxBytes >> 20));
    }
    return Value::Unknown("evaluation stopped: the templates take too much work", n.at);
  }
  Value v = EvalNode(t, n, depth);
  // Every string made or copied is paid for: references copy values (a list of a thousand
  // `Fn::GetAtt` of one long string is a thousand copies).
  bytes_ += v.text.size();
  return v;
}

Value Evaluator::EvalNode(int t, const Node& n, int depth) {
  if (depth > kMaxDepth) {
    return Invalid(t, n.at, fmt::format("the expression nests deeper than {} levels", kMaxDepth));
  }
  switch (n.kind) {
    case Node::Kind::kNull:
      return Value::Absent(n.at);
    case Node::Kind::kScalar:
      return Value::Scalar(n.text, n.at, n.quoted);
    case Node::Kind::kSequence: {
      std::vector<Value> items;
      items.reserve(n.items.size());
      for (NodeId item : n.items) {
        Value v = Eval(t, item, depth + 1);
        if (!v.IsAbsent()) {  // AWS::NoValue drops the element
          items.push_back(std::move(v));
        }
      }
      return Value::List(std::move(items), n.at);
    }
    case Node::Kind::kMapping:
      break;
  }
  if (n.entries.size() == 1 &&
      (n.entries[0].key == "Ref" || n.entries[0].key.rfind("Fn::", 0) == 0)) {
    return Call(t, n, n.entries[0], depth + 1);
  }
  Value out;
  out.kind = Value::Kind::kMap;
  out.at = n.at;
  for (const Entry& e : n.entries) {
    Value v = Eval(t, e.value, depth + 1);
    if (!v.IsAbsent()) {
      out.entries.push_back({e.key, e.at, std::move(v)});
    }
  }
  return out;
}

Value Evaluator::Call(int t, const Node& node, const Entry& fn, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  const Node& args = tpl.doc.At(fn.value);
  const Position at = node.at;
  const std::string& name = fn.key;
  if (name == "Ref") {
    if (args.kind != Node::Kind::kScalar) {
      return Invalid(t, at, "`Ref` takes the name of a parameter or resource");
    }
    return Ref(t, Value::Scalar(args.text, args.at), at);
  }
  if (name == "Fn::GetAtt")
    return GetAtt(t, args, at, depth);
  if (name == "Fn::Sub")
    return Sub(t, args, at, depth);
  if (name == "Fn::Join")
    return Join(t, args, at, depth);
  if (name == "Fn::Select")
    return Select(t, args, at, depth);
  if (name == "Fn::Split")
    return Split(t, args, at, depth);
  if (name == "Fn::If")
    return If(t, args, at, depth);
  if (name == "Fn::FindInMap")
    return FindInMap(t, args, at, depth);
  if (name == "Fn::GetAZs")
    return GetAZs(t, fn.value, at, depth);
  if (name == "Fn::Base64")
    return Base64(t, fn.value, at, depth);
  if (name == "Fn::Cidr")
    return Cidr(t, args, at, depth);
  if (name == "Fn::ImportValue")
    return ImportValue(t, fn.value, at, depth);
  if (name == "Fn::Equals" || name == "Fn::And" || name == "Fn::Or" || name == "Fn::Not") {
    // Condition functions used as values: evaluate them as the Conditions section would.
    const Maybe<bool> truth = Truth(t, static_cast<NodeId>(&node - tpl.doc.nodes.data()), depth);
    if (!truth.Known()) {
      return Value::Unknown(truth.unknown, at);
    }
    return Value::Scalar(*truth.value ? "true" : "false", at);
  }
  if (name == "Fn::Transform" || name == "Fn::Length" || name == "Fn::ToJsonString" ||
      name.rfind("Fn::ForEach", 0) == 0) {
    return Value::Unknown(fmt::format("`{}` is expanded by CloudFormation at deployment", name),
                          at);
  }
  return Invalid(t, fn.at, fmt::format("unknown intrinsic function `{}`", name));
}

Value Evaluator::Ref(int t, const Value& name, Position at) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  if (auto p = tpl.parameters.find(name.text); p != tpl.parameters.end()) {
    Value v = p->second;
    if (!v.IsAbsent()) {
      v.at = at;
    }
    return v;
  }
  if (auto r = tpl.resource_index.find(name.text); r != tpl.resource_index.end()) {
    const Maybe<bool> exists = Exists(t, r->second);
    if (exists.Known() && !*exists.value) {
      return Value::Unknown(fmt::format("`{}` is not created: its condition `{}` is false",
                                        name.text, tpl.resources[r->second].condition),
                            at);
    }
    return Value::Scalar(MakeToken(TokenKind::kResource, t, name.text), at);
  }
  return Invalid(t, at,
                 fmt::format("`Ref` names `{}`, which is neither a parameter nor a resource of "
                             "this template",
                             name.text));
}

Value Evaluator::GetAtt(int t, const Node& args, Position at, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  std::string resource;
  std::string attribute;
  if (args.kind == Node::Kind::kScalar) {
    // The short form `!GetAtt Resource.Attribute` is one dotted string; attributes may hold
    // dots themselves (`Endpoint.Address`), so split at the first.
    const auto dot = args.text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == args.text.size()) {
      return Invalid(
          t, at,
          fmt::format("`Fn::GetAtt` needs Resource.Attribute, found `{}`", Shown(args.text)));
    }
    resource = args.text.substr(0, dot);
    attribute = args.text.substr(dot + 1);
  } else if (args.kind == Node::Kind::kSequence && args.items.size() == 2 &&
             tpl.doc.At(args.items[0]).kind == Node::Kind::kScalar) {
    resource = tpl.doc.At(args.items[0]).text;
    Value why;
    const auto attr = ScalarArg(t, args.items[1], "the attribute name", depth, why);
    if (!attr) {
      return why;
    }
    attribute = *attr;
  } else {
    return Invalid(t, at, "`Fn::GetAtt` takes [Resource, Attribute] or Resource.Attribute");
  }
  auto r = tpl.resource_index.find(resource);
  if (r == tpl.resource_index.end()) {
    return Invalid(
        t, at,
        fmt::format("`Fn::GetAtt` names `{}`, which is not a resource of this template", resource));
  }
  const Maybe<bool> exists = Exists(t, r->second);
  if (exists.Known() && !*exists.value) {
    return Value::Unknown(fmt::format("`{}` is not created: its condition `{}` is false", resource,
                                      tpl.resources[r->second].condition),
                          at);
  }
  return Attribute(t, r->second, attribute, at);
}

Value Evaluator::Attribute(int t, size_t r, const std::string& attribute, Position at) {
  const ResourceDecl& decl = templates_[static_cast<size_t>(t)].resources[r];
  const std::string& type = decl.type;
  const std::string dotted = decl.logical + "." + attribute;
  if (IsCustomResource(type)) {
    return Value::Unknown(fmt::format("`{}` is a custom resource: `{}` is known only after "
                                      "deployment",
                                      decl.logical, dotted),
                          at);
  }
  auto token = [&](TokenKind kind) { return Value::Scalar(MakeToken(kind, t, decl.logical), at); };
  auto property = [&](const char* name) {
    const Value& props = Properties(t, r);
    const Value* v = props.Get(name);
    if (v == nullptr) {
      return Value::Unknown(
          fmt::format("`{}` is known only after deployment ({} is not set)", dotted, name), at);
    }
    return *v;
  };
  if (type == "AWS::EC2::VPC") {
    if (attribute == "CidrBlock")
      return property("CidrBlock");
    if (attribute == "DefaultSecurityGroup")
      return token(TokenKind::kDefaultSecurityGroup);
    if (attribute == "DefaultNetworkAcl")
      return token(TokenKind::kDefaultNetworkAcl);
  } else if (type == "AWS::EC2::Subnet") {
    if (attribute == "CidrBlock" || attribute == "VpcId" || attribute == "AvailabilityZone") {
      return property(attribute.c_str());
    }
  } else if (type == "AWS::EC2::SecurityGroup") {
    if (attribute == "GroupId")
      return token(TokenKind::kResource);
    if (attribute == "VpcId")
      return property("VpcId");
  } else if (type == "AWS::EC2::Instance") {
    if (attribute == "SubnetId")
      return property("SubnetId");
    if (attribute == "PrivateIp") {
      const Value& props = Properties(t, r);
      if (const Value* ip = props.Get("PrivateIpAddress")) {
        return *ip;
      }
      if (const Value* nics = props.Get("NetworkInterfaces"); nics != nullptr && nics->IsList()) {
        for (const Value& nic : nics->items) {
          const Value* index = nic.Get("DeviceIndex");
          const Value* ip = nic.Get("PrivateIpAddress");
          if (index != nullptr && index->IsScalar() && index->text == "0" && ip != nullptr) {
            return *ip;
          }
        }
      }
      return Value::Unknown(fmt::format("`{}` is assigned at launch", dotted), at);
    }
  } else if (type == "AWS::EC2::NetworkInterface") {
    if (attribute == "PrimaryPrivateIpAddress")
      return property("PrivateIpAddress");
  }
  const std::string_view suffix = TypeSuffix(type);
  if (attribute == "Id" ||
      (attribute.size() == suffix.size() + 2 &&
       attribute.compare(attribute.size() - 2, 2, "Id") == 0 &&
       EqualsIgnoreCase(std::string_view(attribute).substr(0, suffix.size()), suffix))) {
    return token(TokenKind::kResource);
  }
  return Value::Unknown(fmt::format("`{}` is known only after deployment", dotted), at);
}

std::optional<std::string> Evaluator::ScalarArg(
    int t, NodeId node, const char* what, int depth, Value& why) {
  Value v = Eval(t, node, depth + 1);
  if (v.IsScalar()) {
    return v.text;
  }
  if (v.IsUnknown()) {
    why = std::move(v);
    return std::nullopt;
  }
  why = Invalid(t, v.at.line > 0 ? v.at : templates_[static_cast<size_t>(t)].doc.At(node).at,
                fmt::format("{} must be a string, found {}", what, v.KindName()));
  return std::nullopt;
}

const std::vector<NodeId>* Evaluator::Args(
    int t, const Node& args, const char* fn, size_t min, size_t max, Position at) {
  if (args.kind != Node::Kind::kSequence || args.items.size() < min || args.items.size() > max) {
    Error(t, at,
          min == max ? fmt::format("`{}` takes a list of {} arguments", fn, min)
                     : fmt::format("`{}` takes a list of {} to {} arguments", fn, min, max));
    return nullptr;
  }
  return &args.items;
}

Value Evaluator::Sub(int t, const Node& args, Position at, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  NodeId text_node = kNoNode;
  NodeId vars = kNoNode;
  if (args.kind == Node::Kind::kScalar) {
    text_node = kNoNode;
  } else if (args.kind == Node::Kind::kSequence && args.items.size() == 2 &&
             tpl.doc.At(args.items[0]).kind == Node::Kind::kScalar &&
             tpl.doc.At(args.items[1]).kind == Node::Kind::kMapping) {
    text_node = args.items[0];
    vars = args.items[1];
  } else {
    return Invalid(t, at, "`Fn::Sub` takes a string, or [string, {variable: value}]");
  }
  const std::string& text = text_node == kNoNode ? args.text : tpl.doc.At(text_node).text;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("${", i);
    if (open == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const size_t close = text.find('}', open + 2);
    if (close == std::string::npos) {
      out += text.substr(open);  // an unterminated ${ is literal text
      break;
    }
    std::string name = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (!name.empty() && name[0] == '!') {
      out += "${" + name.substr(1) + "}";  // ${!Literal} writes ${Literal}
      continue;
    }
    Value v;
    if (const Entry* var = tpl.doc.Find(vars, name)) {
      v = Eval(t, var->value, depth + 1);
    } else if (tpl.parameters.count(name) != 0 || tpl.resource_index.count(name) != 0) {
      v = Ref(t, Value::Scalar(name, at), at);
    } else if (const auto dot = name.find('.');
               dot != std::string::npos && tpl.resource_index.count(name.substr(0, dot)) != 0) {
      const size_t r = tpl.resource_index.at(name.substr(0, dot));
      const Maybe<bool> exists = Exists(t, r);
      if (exists.Known() && !*exists.value) {
        return Value::Unknown(fmt::format("`{}` is not created", name.substr(0, dot)), at);
      }
      v = Attribute(t, r, name.substr(dot + 1), at);
    } else {
      return Invalid(t, at,
                     fmt::format("`Fn::Sub` refers to `${{{}}}`, which is not a "
                                 "parameter, resource or variable",
                                 name));
    }
    if (v.IsUnknown()) {
      return v;
    }
    if (!v.IsScalar()) {
      return Invalid(t, at,
                     fmt::format("`Fn::Sub` cannot write `${{{}}}`: it is {}", name, v.KindName()));
    }
    if (TooLong(t, out.size() + v.text.size(), "Fn::Sub", at)) {
      return Value::Unknown("`Fn::Sub` builds too long a string", at);
    }
    out += v.text;
  }
  return Value::Scalar(std::move(out), at, true);
}

Value Evaluator::Join(int t, const Node& args, Position at, int depth) {
  const auto* a = Args(t, args, "Fn::Join", 2, 2, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::Join", at);
  }
  Value why;
  const auto delimiter = ScalarArg(t, (*a)[0], "the delimiter of Fn::Join", depth, why);
  if (!delimiter) {
    return why;
  }
  Value list = Eval(t, (*a)[1], depth + 1);
  if (list.IsUnknown()) {
    return list;
  }
  if (!list.IsList()) {
    return Invalid(t, at, fmt::format("`Fn::Join` joins a list, found {}", list.KindName()));
  }
  std::string out;
  bool first = true;
  for (const Value& item : list.items) {
    if (item.IsUnknown()) {
      return Value::Unknown(item.text, at);
    }
    if (!item.IsScalar()) {
      return Invalid(t, item.at.line > 0 ? item.at : at,
                     fmt::format("`Fn::Join` joins strings, found {}", item.KindName()));
    }
    if (TooLong(t, out.size() + delimiter->size() + item.text.size(), "Fn::Join", at)) {
      return Value::Unknown("`Fn::Join` builds too long a string", at);
    }
    if (!first) {
      out += *delimiter;
    }
    out += item.text;
    first = false;
  }
  return Value::Scalar(std::move(out), at, true);
}

Value Evaluator::Select(int t, const Node& args, Position at, int depth) {
  const auto* a = Args(t, args, "Fn::Select", 2, 2, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::Select", at);
  }
  Value why;
  const auto index_text = ScalarArg(t, (*a)[0], "the index of Fn::Select", depth, why);
  if (!index_text) {
    return why;
  }
  const auto index = ParseInteger(*index_text);
  if (!index || *index < 0) {
    return Invalid(t, at,
                   fmt::format("the index of `Fn::Select` must be a whole number from 0, "
                               "found `{}`",
                               Shown(*index_text)));
  }
  Value list = Eval(t, (*a)[1], depth + 1);
  if (list.IsUnknown()) {
    return Value::Unknown(list.text, at);
  }
  if (!list.IsList()) {
    return Invalid(t, at, fmt::format("`Fn::Select` picks from a list, found {}", list.KindName()));
  }
  if (static_cast<size_t>(*index) >= list.items.size()) {
    return Invalid(t, at,
                   fmt::format("`Fn::Select` index {} is out of range: the list has {} "
                               "element{}",
                               *index, list.items.size(), list.items.size() == 1 ? "" : "s"));
  }
  Value out = std::move(list.items[static_cast<size_t>(*index)]);
  return out;
}

Value Evaluator::Split(int t, const Node& args, Position at, int depth) {
  const auto* a = Args(t, args, "Fn::Split", 2, 2, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::Split", at);
  }
  Value why;
  const auto delimiter = ScalarArg(t, (*a)[0], "the delimiter of Fn::Split", depth, why);
  if (!delimiter) {
    return why;
  }
  const auto text = ScalarArg(t, (*a)[1], "the string of Fn::Split", depth, why);
  if (!text) {
    return Value::Unknown(why.text, at);
  }
  if (delimiter->empty()) {
    return Invalid(t, at, "the delimiter of `Fn::Split` must not be empty");
  }
  std::vector<Value> items;
  size_t start = 0;
  while (true) {
    const size_t next = text->find(*delimiter, start);
    items.push_back(Value::Scalar(
        text->substr(start, next == std::string::npos ? std::string::npos : next - start), at,
        true));
    if (next == std::string::npos) {
      break;
    }
    start = next + delimiter->size();
  }
  return Value::List(std::move(items), at);
}

Value Evaluator::If(int t, const Node& args, Position at, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  const auto* a = Args(t, args, "Fn::If", 3, 3, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::If", at);
  }
  const Node& name = tpl.doc.At((*a)[0]);
  if (name.kind != Node::Kind::kScalar) {
    return Invalid(t, at, "`Fn::If` starts with the name of a condition");
  }
  const Maybe<bool> truth = ConditionValue(t, name.text, name.at);
  if (!truth.Known()) {
    return Value::Unknown(truth.unknown, at);
  }
  return Eval(t, (*a)[*truth.value ? 1 : 2], depth + 1);
}

Value Evaluator::FindInMap(int t, const Node& args, Position at, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  const auto* a = Args(t, args, "Fn::FindInMap", 3, 4, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::FindInMap", at);
  }
  std::string keys[3];
  for (size_t i = 0; i < 3; ++i) {
    Value why;
    const auto key = ScalarArg(t, (*a)[i], "a key of Fn::FindInMap", depth, why);
    if (!key) {
      return Value::Unknown(why.text, at);
    }
    keys[i] = *key;
  }
  const Entry* map = tpl.doc.Find(tpl.mappings, keys[0]);
  const Entry* top = map == nullptr ? nullptr : tpl.doc.Find(map->value, keys[1]);
  const Entry* second = top == nullptr ? nullptr : tpl.doc.Find(top->value, keys[2]);
  if (second == nullptr) {
    if (a->size() == 4) {  // the DefaultValue of the language extensions
      const Entry* def = tpl.doc.Find((*a)[3], "DefaultValue");
      if (def != nullptr) {
        return Eval(t, def->value, depth + 1);
      }
    }
    return Invalid(
        t, at,
        fmt::format("`Fn::FindInMap`: `Mappings` has no {}",
                    map == nullptr   ? fmt::format("map `{}`", keys[0])
                    : top == nullptr ? fmt::format("key `{}.{}`", keys[0], keys[1])
                                     : fmt::format("key `{}.{}.{}`", keys[0], keys[1], keys[2])));
  }
  return Eval(t, second->value, depth + 1);
}

Value Evaluator::GetAZs(int t, NodeId args, Position at, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  std::string region;
  if (tpl.doc.At(args).kind != Node::Kind::kNull) {
    Value why;
    const auto r = ScalarArg(t, args, "the region of Fn::GetAZs", depth, why);
    if (!r) {
      return Value::Unknown(why.text, at);
    }
    region = *r;
  }
  if (region.empty()) {
    region = tpl.parameters.at("AWS::Region").text;
  }
  std::vector<Value> items;
  for (const std::string& zone : AvailabilityZones(region)) {
    items.push_back(Value::Scalar(zone, at, true));
  }
  return Value::List(std::move(items), at);
}

Value Evaluator::Base64(int t, NodeId args, Position at, int depth) {
  Value why;
  const auto text = ScalarArg(t, args, "the argument of Fn::Base64", depth, why);
  if (!text) {
    return Value::Unknown(why.text, at);
  }
  if (TooLong(t, (text->size() + 2) / 3 * 4, "Fn::Base64", at)) {
    return Value::Unknown("`Fn::Base64` builds too long a string", at);
  }
  return Value::Scalar(EncodeBase64(*text), at, true);
}

Value Evaluator::Cidr(int t, const Node& args, Position at, int depth) {
  const auto* a = Args(t, args, "Fn::Cidr", 3, 3, at);
  if (a == nullptr) {
    return Value::Unknown("invalid Fn::Cidr", at);
  }
  std::string parts[3];
  const char* names[3] = {"the ipBlock of Fn::Cidr", "the count of Fn::Cidr",
                          "the cidrBits of Fn::Cidr"};
  for (size_t i = 0; i < 3; ++i) {
    Value why;
    const auto part = ScalarArg(t, (*a)[i], names[i], depth, why);
    if (!part) {
      return Value::Unknown(why.text, at);
    }
    parts[i] = *part;
  }
  if (parts[0].find(':') != std::string::npos) {
    return Value::Unknown("IPv6 ranges from `Fn::Cidr` are not modelled", at);
  }
  const CidrParseResult block = ParseIpv4Cidr(parts[0]);
  if (!block.cidr) {
    return Invalid(t, at,
                   fmt::format("the ipBlock of `Fn::Cidr` is `{}`, which is not an IPv4 "
                               "CIDR ({})",
                               Shown(parts[0]), DescribeCidrError(block.error)));
  }
  const auto count = ParseInteger(parts[1]);
  const auto bits = ParseInteger(parts[2]);
  if (!count || !bits) {
    return Invalid(t, at, "the count and cidrBits of `Fn::Cidr` must be whole numbers");
  }
  // Checked here, before narrowing to int: the message must show the count as written.
  if (*count < 1 || *count > 256) {
    return Invalid(
        t, at, fmt::format("`Fn::Cidr`: the count is {}; Fn::Cidr makes 1 to 256 blocks", *count));
  }
  if (*bits < 0 || *bits > 32) {
    return Invalid(t, at, fmt::format("`Fn::Cidr`: cidrBits is {}; for IPv4 it is 0 to 32", *bits));
  }
  const CidrSplit split = SplitCidr(*block.cidr, static_cast<int>(*count), static_cast<int>(*bits));
  if (!split.error.empty()) {
    return Invalid(t, at, "`Fn::Cidr`: " + split.error);
  }
  std::vector<Value> items;
  for (const Ipv4Cidr& c : split.blocks) {
    items.push_back(Value::Scalar(c.ToString(), at, true));
  }
  return Value::List(std::move(items), at);
}

Value Evaluator::ImportValue(int t, NodeId args, Position at, int depth) {
  Value why;
  const auto name = ScalarArg(t, args, "the name of Fn::ImportValue", depth, why);
  if (!name) {
    return Value::Unknown(why.text, at);
  }
  auto it = exports_.find(*name);
  if (it == exports_.end()) {
    return Value::Unknown(fmt::format("no input template exports `{}`; give the template that "
                                      "does as another input",
                                      Shown(*name)),
                          at);
  }
  if (imports_busy_.count(*name) != 0) {
    // Neither stack could be created first: CloudFormation rejects the pair.
    return Invalid(
        t, at,
        fmt::format("the export `{}` depends on itself through `Fn::ImportValue`", Shown(*name)));
  }
  if (references_ >= kMaxReferenceDepth) {
    return Value::Unknown(fmt::format("the export `{}` is reached through more than {} references",
                                      Shown(*name), kMaxReferenceDepth),
                          at);
  }
  imports_busy_.insert(*name);
  ++references_;
  Value v = Eval(it->second.template_index, it->second.value, 0);
  --references_;
  imports_busy_.erase(*name);
  if (!v.IsAbsent()) {
    v.at = at;
  }
  return v;
}

Maybe<bool> Evaluator::Equal(const Value& a, const Value& b, Position at) {
  if (a.IsUnknown())
    return Maybe<bool>::Unknown(a.text);
  if (b.IsUnknown())
    return Maybe<bool>::Unknown(b.text);
  if (a.IsScalar() && b.IsScalar()) {
    if (a.text == b.text) {
      return Maybe<bool>::Of(true);
    }
    if (ContainsToken(a.text) || ContainsToken(b.text)) {
      return Maybe<bool>::Unknown(
          fmt::format("`Fn::Equals` compares `{}` with `{}`, and one of "
                      "them is known only at deployment",
                      Shown(a.text), Shown(b.text)));
    }
    return Maybe<bool>::Of(false);
  }
  if (a.IsList() && b.IsList()) {
    if (a.items.size() != b.items.size()) {
      return Maybe<bool>::Of(false);
    }
    for (size_t i = 0; i < a.items.size(); ++i) {
      const Maybe<bool> e = Equal(a.items[i], b.items[i], at);
      if (!e.Known() || !*e.value) {
        return e;
      }
    }
    return Maybe<bool>::Of(true);
  }
  return Maybe<bool>::Of(a.kind == b.kind && a.IsAbsent());
}

Maybe<bool> Evaluator::Truth(int t, NodeId node, int depth) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  const Node& n = tpl.doc.At(node);
  if (depth > kMaxDepth) {
    Error(t, n.at, fmt::format("the condition nests deeper than {} levels", kMaxDepth));
    return Maybe<bool>::Unknown("the condition nests too deeply");
  }
  if (n.kind == Node::Kind::kMapping && n.entries.size() == 1) {
    const Entry& fn = n.entries[0];
    const Node& args = tpl.doc.At(fn.value);
    if (fn.key == "Condition") {
      if (args.kind != Node::Kind::kScalar) {
        Error(t, n.at, "`Condition` takes the name of a condition");
        return Maybe<bool>::Unknown("invalid condition");
      }
      return ConditionValue(t, args.text, args.at);
    }
    if (fn.key == "Fn::Equals") {
      const auto* a = Args(t, args, "Fn::Equals", 2, 2, n.at);
      if (a == nullptr) {
        return Maybe<bool>::Unknown("invalid Fn::Equals");
      }
      return Equal(Eval(t, (*a)[0], depth + 1), Eval(t, (*a)[1], depth + 1), n.at);
    }
    if (fn.key == "Fn::Not") {
      const auto* a = Args(t, args, "Fn::Not", 1, 1, n.at);
      if (a == nullptr) {
        return Maybe<bool>::Unknown("invalid Fn::Not");
      }
      const Maybe<bool> v = Truth(t, (*a)[0], depth + 1);
      return v.Known() ? Maybe<bool>::Of(!*v.value) : v;
    }
    if (fn.key == "Fn::And" || fn.key == "Fn::Or") {
      const bool is_and = fn.key == "Fn::And";
      const auto* a = Args(t, args, fn.key.c_str(), 2, 10, n.at);
      if (a == nullptr) {
        return Maybe<bool>::Unknown("invalid " + fn.key);
      }
      std::string unknown;
      for (NodeId item : *a) {
        const Maybe<bool> v = Truth(t, item, depth + 1);
        if (!v.Known()) {
          unknown = v.unknown;
        } else if (*v.value != is_and) {
          return Maybe<bool>::Of(!is_and);  // one false decides And, one true decides Or
        }
      }
      return unknown.empty() ? Maybe<bool>::Of(is_and) : Maybe<bool>::Unknown(unknown);
    }
  }
  const Value v = Eval(t, node, depth + 1);
  if (v.IsUnknown()) {
    return Maybe<bool>::Unknown(v.text);
  }
  if (v.IsScalar() && (EqualsIgnoreCase(v.text, "true") || EqualsIgnoreCase(v.text, "false"))) {
    return Maybe<bool>::Of(EqualsIgnoreCase(v.text, "true"));
  }
  Error(t, n.at, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition");
  return Maybe<bool>::Unknown("invalid condition");
}

Maybe<bool> Evaluator::ConditionValue(int t, const std::string& name, Position at) {
  const Template& tpl = templates_[static_cast<size_t>(t)];
  auto decl = tpl.conditions.find(name);
  if (decl == tpl.conditions.end()) {
    Error(t, at, fmt::format("condition `{}` is not declared in `Conditions`", name));
    return Maybe<bool>::Unknown(fmt::format("condition `{}` is not declared", name));
  }
  ConditionMemo& memo = conditions_[{t, name}];
  if (memo.state == State::kDone) {
    return memo.value;
  }
  if (memo.state == State::kBusy) {
    Error(t, tpl.doc.At(decl->second).at, fmt::format("condition `{}` depends on itself", name));
    return Maybe<bool>::Unknown(fmt::format("condition `{}` depends on itself", name));
  }
  memo.state = State::kBusy;
  Maybe<bool> value = Truth(t, decl->second, 0);
  if (!value.Known() && value.unknown.find("condition `") != 0) {
    value.unknown = fmt::format("condition `{}` is not known: {}", name, value.unknown);
  }
  ConditionMemo& done = conditions_[{t, name}];
  done.state = State::kDone;
  done.value = value;
  return value;
}

Maybe<bool> Evaluator::Exists(int t, size_t r) {
  const ResourceDecl& decl = templates_[static_cast<size_t>(t)].resources[r];
  if (decl.condition.empty()) {
    return Maybe<bool>::Of(true);
  }
  return ConditionValue(t, decl.condition, decl.condition_at);
}

const Value& Evaluator::Properties(int t, size_t r) {
  PropertiesMemo& memo = properties_[static_cast<size_t>(t)][r];
  if (memo.state == State::kDone) {
    return memo.value;
  }
  const ResourceDecl& decl = templates_[static_cast<size_t>(t)].resources[r];
  if (memo.state == State::kBusy) {
    // CloudFormation rejects a circular dependency between resources.
    std::string path;
    const auto from = std::find(resource_stack_.begin(), resource_stack_.end(), std::pair{t, r});
    for (auto it = from; it != resource_stack_.end(); ++it) {
      path += templates_[static_cast<size_t>(it->first)].resources[it->second].logical + " -> ";
    }
    Error(t, decl.at,
          fmt::format("circular dependency between resources: {}{}", path, decl.logical));
    static const Value kCycle = Value::Unknown("the resources refer to each other in a cycle", {});
    return kCycle;
  }
  if (references_ >= kMaxReferenceDepth) {
    // A very long chain of references: its end is unknown rather than followed.
    static const Value kLong =
        Value::Unknown("the resources refer to each other in too long a chain", {});
    return kLong;
  }
  memo.state = State::kBusy;
  ++references_;
  resource_stack_.emplace_back(t, r);
  Value v = decl.properties == kNoNode ? Value::Absent(decl.at) : Eval(t, decl.properties, 0);
  resource_stack_.pop_back();
  --references_;
  PropertiesMemo& done = properties_[static_cast<size_t>(t)][r];
  done.state = State::kDone;
  done.value = std::move(v);
  return done.value;
}

}  // namespace cvpn::parsers::cfn
