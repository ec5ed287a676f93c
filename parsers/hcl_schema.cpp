// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_schema.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace cvpn::parsers::hcl {

namespace {

// Per resource type: `computed` attributes (unknown in a plan unless the configuration sets
// them), `defaults` (filled in by the provider), `blocks` (nested blocks: `mode` "attr" for
// attributes-as-blocks, whose configuration is one expression, or "block"; `omitted` "unknown"
// when the provider computes the block if the configuration omits it, else "empty"; `element`,
// the defaults of each element; `sets`, element attributes that are sets), `protocol` (inline
// protocol normalised as the provider does). Read off hashicorp/aws 5.100.0 plans.
constexpr const char* kSchema = R"json({
 "aws_vpc": {"computed": ["arn","cidr_block","default_network_acl_id","default_route_table_id",
   "default_security_group_id","dhcp_options_id","enable_dns_hostnames",
   "enable_network_address_usage_metrics","id","ipv6_association_id","ipv6_cidr_block",
   "ipv6_cidr_block_network_border_group","main_route_table_id","owner_id","tags_all"],
  "defaults": {"assign_generated_ipv6_cidr_block": null, "enable_dns_support": true,
   "instance_tenancy": "default", "ipv4_ipam_pool_id": null, "ipv4_netmask_length": null,
   "ipv6_ipam_pool_id": null, "ipv6_netmask_length": null, "tags": null}},
 "aws_subnet": {"computed": ["arn","availability_zone","availability_zone_id","cidr_block","id",
   "ipv6_cidr_block_association_id","owner_id","private_dns_hostname_type_on_launch","tags_all"],
  "defaults": {"assign_ipv6_address_on_creation": false, "customer_owned_ipv4_pool": null,
   "enable_dns64": false, "enable_lni_at_device_index": null,
   "enable_resource_name_dns_a_record_on_launch": false,
   "enable_resource_name_dns_aaaa_record_on_launch": false, "ipv6_cidr_block": null,
   "ipv6_native": false, "map_customer_owned_ip_on_launch": null,
   "map_public_ip_on_launch": false, "outpost_arn": null, "tags": null, "timeouts": null}},
 "aws_vpc_ipv4_cidr_block_association": {"computed": ["cidr_block","id"],
  "defaults": {"ipv4_ipam_pool_id": null, "ipv4_netmask_length": null, "timeouts": null}},
 "aws_route_table": {"computed": ["arn","id","owner_id","propagating_vgws","tags_all"],
  "defaults": {"tags": null, "timeouts": null},
  "blocks": {"route": {"mode": "attr", "omitted": "unknown", "element": {
   "carrier_gateway_id": "", "cidr_block": "", "core_network_arn": "",
   "destination_prefix_list_id": "", "egress_only_gateway_id": "", "gateway_id": "",
   "ipv6_cidr_block": "", "local_gateway_id": "", "nat_gateway_id": "",
   "network_interface_id": "", "transit_gateway_id": "", "vpc_endpoint_id": "",
   "vpc_peering_connection_id": ""}}}},
 "aws_default_route_table": {"computed": ["arn","id","owner_id","tags_all","vpc_id"],
  "defaults": {"propagating_vgws": null, "tags": null, "timeouts": null},
  "blocks": {"route": {"mode": "attr", "omitted": "unknown", "element": {
   "cidr_block": "", "core_network_arn": "", "destination_prefix_list_id": "",
   "egress_only_gateway_id": "", "gateway_id": "", "instance_id": "", "ipv6_cidr_block": "",
   "nat_gateway_id": "", "network_interface_id": "", "transit_gateway_id": "",
   "vpc_endpoint_id": "", "vpc_peering_connection_id": ""}}}},
 "aws_route": {"computed": ["id","instance_id","instance_owner_id","network_interface_id",
   "origin","state"],
  "defaults": {"carrier_gateway_id": null, "core_network_arn": null,
   "destination_cidr_block": null, "destination_ipv6_cidr_block": null,
   "destination_prefix_list_id": null, "egress_only_gateway_id": null, "gateway_id": null,
   "local_gateway_id": null, "nat_gateway_id": null, "timeouts": null,
   "transit_gateway_id": null, "vpc_endpoint_id": null, "vpc_peering_connection_id": null}},
 "aws_route_table_association": {"computed": ["id"],
  "defaults": {"gateway_id": null, "subnet_id": null, "timeouts": null}},
 "aws_main_route_table_association": {"computed": ["id","original_route_table_id"],
  "defaults": {"timeouts": null}},
 "aws_vpc_peering_connection": {"computed": ["accept_status","accepter","id","peer_owner_id",
   "peer_region","requester","tags_all"],
  "defaults": {"auto_accept": null, "tags": null, "timeouts": null}},
 "aws_vpc_peering_connection_accepter": {"computed": ["accept_status","accepter","id",
   "peer_owner_id","peer_region","peer_vpc_id","requester","tags_all","vpc_id"],
  "defaults": {"tags": null, "timeouts": null}},
 "aws_security_group": {"computed": ["arn","id","name","name_prefix","owner_id","tags_all",
   "vpc_id"],
  "defaults": {"description": "Managed by Terraform", "revoke_rules_on_delete": false,
   "tags": null, "timeouts": null},
  "blocks": {"ingress": "sg_rule", "egress": "sg_rule"}},
 "aws_default_security_group": {"computed": ["arn","description","id","name","name_prefix",
   "owner_id","tags_all","vpc_id"],
  "defaults": {"revoke_rules_on_delete": false, "tags": null},
  "blocks": {"ingress": "sg_rule", "egress": "sg_rule"}},
 "aws_security_group_rule": {"computed": ["id","security_group_rule_id",
   "source_security_group_id"],
  "defaults": {"cidr_blocks": null, "description": null, "ipv6_cidr_blocks": null,
   "prefix_list_ids": null, "self": false, "timeouts": null},
  "protocol": true},
 "aws_vpc_security_group_ingress_rule": {"computed": ["arn","id","security_group_rule_id"],
  "defaults": {"cidr_ipv4": null, "cidr_ipv6": null, "description": null, "from_port": null,
   "prefix_list_id": null, "referenced_security_group_id": null, "tags": null,
   "tags_all": {}, "to_port": null}},
 "aws_vpc_security_group_egress_rule": {"computed": ["arn","id","security_group_rule_id"],
  "defaults": {"cidr_ipv4": null, "cidr_ipv6": null, "description": null, "from_port": null,
   "prefix_list_id": null, "referenced_security_group_id": null, "tags": null,
   "tags_all": {}, "to_port": null}},
 "aws_network_acl": {"computed": ["arn","id","owner_id","subnet_ids","tags_all"],
  "defaults": {"tags": null},
  "blocks": {"ingress": "nacl_entry", "egress": "nacl_entry"}},
 "aws_default_network_acl": {"computed": ["arn","id","owner_id","tags_all","vpc_id"],
  "defaults": {"subnet_ids": null, "tags": null},
  "blocks": {"ingress": "nacl_entry_block", "egress": "nacl_entry_block"}},
 "aws_network_acl_rule": {"computed": ["id"],
  "defaults": {"cidr_block": null, "egress": false, "from_port": null, "icmp_code": null,
   "icmp_type": null, "ipv6_cidr_block": null, "to_port": null}},
 "aws_network_acl_association": {"computed": ["id"]},
 "aws_ec2_managed_prefix_list": {"computed": ["arn","id","owner_id","tags_all","version"],
  "defaults": {"tags": null},
  "blocks": {"entry": {"mode": "block", "omitted": "unknown", "element": {"description": null}}}},
 "aws_ec2_managed_prefix_list_entry": {"computed": ["id"], "defaults": {"description": null}},
 "aws_ec2_client_vpn_endpoint": {"computed": ["arn","client_connect_options",
   "client_login_banner_options","client_route_enforcement_options",
   "disconnect_on_session_timeout","dns_name","id","security_group_ids",
   "self_service_portal_url","tags_all","vpc_id"],
  "defaults": {"description": null, "dns_servers": null, "self_service_portal": "disabled",
   "session_timeout_hours": 24, "split_tunnel": false, "tags": null,
   "transport_protocol": "udp", "vpn_port": 443},
  "blocks": {"authentication_options": {"mode": "block", "omitted": "empty", "element": {
    "active_directory_id": "", "root_certificate_chain_arn": "", "saml_provider_arn": "",
    "self_service_saml_provider_arn": ""}},
   "connection_log_options": {"mode": "block", "omitted": "empty", "element": {
    "cloudwatch_log_group": null}}}},
 "aws_ec2_client_vpn_network_association": {"computed": ["association_id","id","vpc_id"],
  "defaults": {"timeouts": null}},
 "aws_ec2_client_vpn_authorization_rule": {"computed": ["id"],
  "defaults": {"access_group_id": null, "authorize_all_groups": null, "description": null,
   "timeouts": null}},
 "aws_ec2_client_vpn_route": {"computed": ["id","origin","type"],
  "defaults": {"description": null, "timeouts": null}},
 "aws_ec2_transit_gateway": {"computed": ["arn","association_default_route_table_id","id",
   "owner_id","propagation_default_route_table_id","tags_all"],
  "defaults": {"amazon_side_asn": 64512, "auto_accept_shared_attachments": "disable",
   "default_route_table_association": "enable", "default_route_table_propagation": "enable",
   "dns_support": "enable", "multicast_support": "disable",
   "security_group_referencing_support": "disable", "tags": null, "timeouts": null,
   "transit_gateway_cidr_blocks": null, "vpn_ecmp_support": "enable"}},
 "aws_ec2_transit_gateway_vpc_attachment": {"computed": ["arn","id",
   "security_group_referencing_support","tags_all",
   "transit_gateway_default_route_table_association",
   "transit_gateway_default_route_table_propagation","vpc_owner_id"],
  "defaults": {"appliance_mode_support": "disable", "dns_support": "enable",
   "ipv6_support": "disable", "tags": null}},
 "aws_ec2_transit_gateway_route_table": {"computed": ["arn","default_association_route_table",
   "default_propagation_route_table","id","tags_all"], "defaults": {"tags": null}},
 "aws_ec2_transit_gateway_route_table_association": {"computed": ["id","resource_id",
   "resource_type"], "defaults": {"replace_existing_association": false}},
 "aws_ec2_transit_gateway_route_table_propagation": {"computed": ["id","resource_id",
   "resource_type"]},
 "aws_ec2_transit_gateway_route": {"computed": ["id"],
  "defaults": {"blackhole": false, "transit_gateway_attachment_id": null}},
 "aws_instance": {"computed": ["arn","associate_public_ip_address","availability_zone",
   "cpu_core_count","cpu_threads_per_core","disable_api_stop","disable_api_termination",
   "ebs_optimized","host_id","iam_instance_profile","id","instance_state","ipv6_address_count",
   "ipv6_addresses","key_name","monitoring","outpost_arn","password_data","placement_group",
   "primary_network_interface_id","private_dns","private_ip","public_dns","public_ip",
   "secondary_private_ips","security_groups","subnet_id","tags_all","tenancy","user_data",
   "vpc_security_group_ids"],
  "defaults": {"get_password_data": false, "hibernation": null, "source_dest_check": true,
   "tags": null, "timeouts": null, "user_data_replace_on_change": false, "volume_tags": null}},
 "aws_db_instance": {"computed": ["address","arn","availability_zone","db_name",
   "db_subnet_group_name","endpoint","engine","engine_version","id","identifier","port",
   "tags_all","vpc_security_group_ids"],
  "defaults": {"publicly_accessible": false, "tags": null}},
 "aws_rds_cluster": {"computed": ["arn","db_subnet_group_name","endpoint","engine_version","id",
   "port","tags_all","vpc_security_group_ids"], "defaults": {"engine": "aurora", "tags": null}},
 "aws_db_subnet_group": {"computed": ["arn","id","name","name_prefix","supported_network_types",
   "tags_all","vpc_id"], "defaults": {"description": "Managed by Terraform", "tags": null}},
 "aws_lb": {"computed": ["arn","arn_suffix","dns_name","id","internal","ip_address_type","name",
   "name_prefix","security_groups","subnet_mapping","subnets","tags_all","vpc_id","zone_id"],
  "defaults": {"load_balancer_type": "application", "tags": null}},
 "aws_lb_listener": {"computed": ["arn","id","protocol","ssl_policy","tags_all"],
  "defaults": {"tags": null}},
 "aws_vpc_endpoint": {"computed": ["arn","cidr_blocks","dns_entry","id","network_interface_ids",
   "owner_id","policy","prefix_list_id","private_dns_enabled","requester_managed",
   "route_table_ids","security_group_ids","state","subnet_ids","tags_all"],
  "defaults": {"auto_accept": null, "tags": null, "vpc_endpoint_type": "Gateway"}},
 "aws_efs_mount_target": {"computed": ["availability_zone_id","availability_zone_name",
   "dns_name","file_system_arn","id","ip_address","mount_target_dns_name",
   "network_interface_id","owner_id","security_groups"], "defaults": {"timeouts": null}}
})json";

constexpr const char* kShared = R"json({
 "sg_rule": {"mode": "attr", "omitted": "unknown", "protocol": true, "sets": ["security_groups"],
  "element": {"cidr_blocks": [], "description": "", "ipv6_cidr_blocks": [],
   "prefix_list_ids": [], "security_groups": [], "self": false}},
 "nacl_entry": {"mode": "attr", "omitted": "unknown",
  "element": {"cidr_block": "", "icmp_code": null, "icmp_type": null, "ipv6_cidr_block": ""}},
 "nacl_entry_block": {"mode": "block", "omitted": "empty",
  "element": {"cidr_block": "", "icmp_code": null, "icmp_type": null, "ipv6_cidr_block": ""}}
})json";

const nlohmann::json& Schema() {
  static const nlohmann::json kParsed = [] {
    nlohmann::json schema = nlohmann::json::parse(kSchema);
    const nlohmann::json shared = nlohmann::json::parse(kShared);
    for (auto& [type, entry] : schema.items()) {
      if (entry.contains("blocks")) {
        for (auto& [name, block] : entry["blocks"].items()) {
          if (block.is_string()) {
            block = shared[block.get<std::string>()];
          }
        }
      }
    }
    return schema;
  }();
  return kParsed;
}

const nlohmann::json* TypeEntry(const std::string& type) {
  const auto& schema = Schema();
  auto it = schema.find(type);
  return it == schema.end() ? nullptr : &*it;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

const std::vector<std::string_view>& SetAttributes() {
  static const std::vector<std::string_view> kSets{"security_groups", "vpc_security_group_ids",
                                                   "security_group_ids", "subnet_ids", "subnets"};
  return kSets;
}

/// The provider's ProtocolForValue: lower case, "all" is "-1", numbers of named protocols become
/// their names.
std::string NormalizeProtocol(std::string p) {
  for (char& c : p) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (p == "all" || p == "-1") {
    return "-1";
  }
  static const std::pair<const char*, const char*> kNames[] = {
      {"6", "tcp"},  {"17", "udp"}, {"1", "icmp"},  {"58", "icmpv6"},
      {"50", "esp"}, {"51", "ah"},  {"112", "vrrp"}};
  for (const auto& [number, name] : kNames) {
    if (p == number) {
      return name;
    }
  }
  return p;
}

/// Converts primitive values to the types the schema gives these attribute names.
Value Coerce(std::string_view key, const Value& v, bool normalize_protocol) {
  static const std::vector<std::string_view> kNumbers{
      "from_port", "to_port",   "rule_no",  "rule_number",          "port",
      "icmp_type", "icmp_code", "vpn_port", "session_timeout_hours"};
  static const std::vector<std::string_view> kBools{
      "split_tunnel", "authorize_all_groups", "auto_accept", "self", "egress", "blackhole",
      "internal"};
  static const std::vector<std::string_view> kStrings{"protocol", "ip_protocol", "action",
                                                      "rule_action"};
  if (v.IsUnknown() || v.IsNull()) {
    return v;
  }
  if (Contains(kNumbers, key) && v.IsString()) {
    if (const auto n = ToNumberValue(v)) {
      return Value::Number(*n);
    }
  }
  if (Contains(kBools, key) && v.IsString()) {
    if (const auto b = ToBoolValue(v)) {
      return Value::Bool(*b);
    }
  }
  if (Contains(kStrings, key) && (v.IsNumber() || v.IsString())) {
    std::string s = *ToStringValue(v);
    if (normalize_protocol && key == "protocol") {
      s = NormalizeProtocol(std::move(s));
    }
    return Value::String(std::move(s));
  }
  if (Contains(SetAttributes(), key) && v.IsList()) {
    return Value::Set(v.Items());
  }
  return v;
}

Value ShapeElement(const Value& element, const nlohmann::json& block) {
  if (!element.IsObject()) {
    return element;
  }
  const bool protocol = block.value("protocol", false);
  ValueMap fields;
  if (const auto it = block.find("element"); it != block.end()) {
    for (const auto& [k, v] : it->items()) {
      fields.emplace(k, Value::FromJson(v));
    }
  }
  std::vector<std::string> sets;
  if (const auto it = block.find("sets"); it != block.end()) {
    sets = it->get<std::vector<std::string>>();
  }
  for (const auto& [k, v] : element.Fields()) {
    if (v.IsNull() && fields.count(k) != 0) {
      continue;  // null is "not set": the default stays
    }
    Value shaped = Coerce(k, v, protocol);
    if (std::find(sets.begin(), sets.end(), k) != sets.end() && shaped.IsList()) {
      shaped = Value::Set(shaped.Items());
    }
    fields.insert_or_assign(k, std::move(shaped));
  }
  return Value::Object(std::move(fields));
}

}  // namespace

ValueMap ShapeResource(const std::string& type,
                       const ValueMap& configured,
                       std::set<std::string>& computed) {
  const nlohmann::json* entry = TypeEntry(type);
  const bool protocol = entry != nullptr && entry->value("protocol", false);
  ValueMap out;
  const nlohmann::json* blocks =
      entry != nullptr && entry->contains("blocks") ? &(*entry)["blocks"] : nullptr;
  for (const auto& [k, v] : configured) {
    if (v.IsNull()) {
      continue;  // null means unset
    }
    if (blocks != nullptr && blocks->contains(k)) {
      const nlohmann::json& block = (*blocks)[k];
      if (v.IsSequence()) {
        ValueList elements;
        for (const Value& e : v.Items()) {
          elements.push_back(ShapeElement(e, block));
        }
        out.emplace(k, Value::List(std::move(elements)));
      } else {
        out.emplace(k, v);
      }
      continue;
    }
    out.emplace(k, Coerce(k, v, protocol));
  }
  if (blocks != nullptr) {
    for (const auto& [name, block] : blocks->items()) {
      if (out.count(name) != 0) {
        continue;
      }
      if (block.value("omitted", "empty") == "unknown") {
        computed.insert(name);
      } else {
        out.emplace(name, Value::List({}));
      }
    }
  }
  if (entry != nullptr && entry->contains("defaults")) {
    for (const auto& [k, v] : (*entry)["defaults"].items()) {
      if (out.count(k) == 0) {
        out.emplace(k, Value::FromJson(v));
      }
    }
  }
  const std::vector<std::string> generic{"id", "arn", "tags_all"};
  const std::vector<std::string> listed = entry != nullptr && entry->contains("computed")
                                              ? (*entry)["computed"].get<std::vector<std::string>>()
                                              : generic;
  for (const std::string& k : listed) {
    if (out.count(k) == 0) {
      computed.insert(k);
    }
  }
  // Without provider default_tags, tags_all is the resource's own tags once they are known.
  if (const auto tags = out.find("tags");
      tags != out.end() && tags->second.IsObject() && !tags->second.ContainsUnknown()) {
    out.insert_or_assign("tags_all", tags->second);
    computed.erase("tags_all");
  }
  return out;
}

ValueMap ShapeDataSource(const std::string& type, const ValueMap& configured) {
  static const std::map<std::string, std::vector<std::string_view>, std::less<>> kFilters{
      {"aws_vpc", {"id", "cidr_block"}},
      {"aws_subnet", {"id", "cidr_block", "vpc_id", "availability_zone", "availability_zone_id"}},
      {"aws_security_group", {"id", "name", "vpc_id"}},
  };
  ValueMap out;
  const auto it = kFilters.find(type);
  if (it == kFilters.end()) {
    return out;
  }
  for (const auto& [k, v] : configured) {
    if (Contains(it->second, k) && v.IsKnown() && !v.IsNull() && !v.ContainsUnknown()) {
      out.emplace(k, v);
    }
  }
  return out;
}

bool IsAttributeAsBlocks(const std::string& type, const std::string& block) {
  const nlohmann::json* entry = TypeEntry(type);
  if (entry == nullptr || !entry->contains("blocks") || !(*entry)["blocks"].contains(block)) {
    return false;
  }
  return (*entry)["blocks"][block].value("mode", "block") == "attr";
}

std::string ProviderName(const std::string& type) {
  const size_t underscore = type.find('_');
  const std::string provider = underscore == std::string::npos ? type : type.substr(0, underscore);
  return "registry.terraform.io/hashicorp/" + provider;
}

}  // namespace cvpn::parsers::hcl
