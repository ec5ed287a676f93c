// SPDX-License-Identifier: Apache-2.0
// Terraform resources that Client VPN users reach: anything placed in subnets with security
// groups. One table row per resource type says where its subnets, groups and port live.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analyzer/graph_builders.h"
#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

enum class Placement {
  kSubnet,       ///< a single subnet attribute
  kSubnetList,   ///< a list of subnets
  kSubnetGroup,  ///< a subnet group named by an attribute
};

struct TargetType {
  const char* type;
  const char* kind;
  Placement placement;
  const char* block;            ///< nested block holding subnets and groups, or nullptr
  const char* subnets;          ///< attribute with the subnet(s) or subnet group
  const char* security_groups;  ///< attribute with the security groups, or nullptr
  int default_port;             ///< 0: by engine, or none
  const char* address;          ///< attribute with the private IPv4 address, or nullptr
};

constexpr std::array<TargetType, 21> kTargetTypes{{
    {"aws_instance", "EC2 instance", Placement::kSubnet, nullptr, "subnet_id",
     "vpc_security_group_ids", 0, "private_ip"},
    {"aws_network_interface", "network interface", Placement::kSubnet, nullptr, "subnet_id",
     "security_groups", 0, "private_ip"},
    {"aws_db_instance", "RDS DB instance", Placement::kSubnetGroup, nullptr,
     "db_subnet_group_name", "vpc_security_group_ids", 0, nullptr},
    {"aws_rds_cluster", "RDS cluster", Placement::kSubnetGroup, nullptr, "db_subnet_group_name",
     "vpc_security_group_ids", 0, nullptr},
    {"aws_docdb_cluster", "DocumentDB cluster", Placement::kSubnetGroup, nullptr,
     "db_subnet_group_name", "vpc_security_group_ids", 27017, nullptr},
    {"aws_neptune_cluster", "Neptune cluster", Placement::kSubnetGroup, nullptr,
     "neptune_subnet_group_name", "vpc_security_group_ids", 8182, nullptr},
    {"aws_db_proxy", "RDS proxy", Placement::kSubnetList, nullptr, "vpc_subnet_ids",
     "vpc_security_group_ids", 0, nullptr},
    {"aws_lb", "load balancer", Placement::kSubnetList, nullptr, "subnets", "security_groups", 0,
     nullptr},
    {"aws_alb", "load balancer", Placement::kSubnetList, nullptr, "subnets", "security_groups", 0,
     nullptr},
    {"aws_lambda_function", "Lambda function", Placement::kSubnetList, "vpc_config",
     "subnet_ids", "security_group_ids", 0, nullptr},
    {"aws_ecs_service", "ECS service", Placement::kSubnetList, "network_configuration", "subnets",
     "security_groups", 0, nullptr},
    {"aws_efs_mount_target", "EFS mount target", Placement::kSubnet, nullptr, "subnet_id",
     "security_groups", 2049, "ip_address"},
    {"aws_vpc_endpoint", "interface VPC endpoint", Placement::kSubnetList, nullptr, "subnet_ids",
     "security_group_ids", 443, nullptr},
    {"aws_elasticache_cluster", "ElastiCache cluster", Placement::kSubnetGroup, nullptr,
     "subnet_group_name", "security_group_ids", 0, nullptr},
    {"aws_elasticache_replication_group", "ElastiCache replication group",
     Placement::kSubnetGroup, nullptr, "subnet_group_name", "security_group_ids", 6379, nullptr},
    {"aws_memorydb_cluster", "MemoryDB cluster", Placement::kSubnetGroup, nullptr,
     "subnet_group_name", "security_group_ids", 6379, nullptr},
    {"aws_opensearch_domain", "OpenSearch domain", Placement::kSubnetList, "vpc_options",
     "subnet_ids", "security_group_ids", 443, nullptr},
    {"aws_elasticsearch_domain", "Elasticsearch domain", Placement::kSubnetList, "vpc_options",
     "subnet_ids", "security_group_ids", 443, nullptr},
    {"aws_redshift_cluster", "Redshift cluster", Placement::kSubnetGroup, nullptr,
     "cluster_subnet_group_name", "vpc_security_group_ids", 5439, nullptr},
    {"aws_eks_cluster", "EKS cluster API endpoint", Placement::kSubnetList, "vpc_config",
     "subnet_ids", "security_group_ids", 443, nullptr},
    {"aws_mq_broker", "Amazon MQ broker", Placement::kSubnetList, nullptr, "subnet_ids",
     "security_groups", 0, nullptr},
}};

const TargetType* FindTargetType(std::string_view type) {
  for (const TargetType& t : kTargetTypes) {
    if (type == t.type) {
      return &t;
    }
  }
  return nullptr;
}

bool IsSubnetGroup(std::string_view type) {
  return type == "aws_db_subnet_group" || type == "aws_elasticache_subnet_group" ||
         type == "aws_redshift_subnet_group" || type == "aws_docdb_subnet_group" ||
         type == "aws_neptune_subnet_group" || type == "aws_memorydb_subnet_group";
}

/// The engine's default port for databases and caches; 0 when the engine is not known.
int EnginePort(std::string_view engine) {
  auto starts = [&](std::string_view p) { return engine.rfind(p, 0) == 0; };
  if (starts("aurora-postgresql") || starts("postgres")) return 5432;
  if (starts("aurora") || starts("mysql") || starts("mariadb")) return 3306;
  if (starts("oracle")) return 1521;
  if (starts("sqlserver")) return 1433;
  if (starts("redis") || starts("valkey")) return 6379;
  if (starts("memcached")) return 11211;
  if (starts("docdb")) return 27017;
  if (starts("neptune")) return 8182;
  return 0;
}

AttributePath InBlock(const TargetType& t, const char* attribute) {
  if (t.block == nullptr) {
    return AttributePath{{attribute, -1}};
  }
  return AttributePath{{t.block, -1}, {{}, 0}, {attribute, -1}};
}

bool BlockSets(const PlanLoader& loader, int instance, const TargetType& t,
               const char* attribute) {
  if (t.block == nullptr) {
    return loader.IsSet(instance, attribute);
  }
  const PlanInstance& inst = loader.Model().Instance(instance);
  if (inst.config) {
    if (const JsonView block = inst.config["expressions"][t.block]) {
      if (const JsonView first = block.At(0); first.IsObject()) {
        return static_cast<bool>(first[attribute]);
      }
      return true;
    }
    return false;
  }
  const JsonView first = inst.values[t.block].At(0);
  if (!first.IsObject()) {
    return false;
  }
  const JsonView attr = first[attribute];
  return attr && !attr.IsNull() && !(attr.IsArray() && attr.Empty());
}

void AddPort(std::vector<PortSpec>& ports, PortSpec spec) {
  if (std::find(ports.begin(), ports.end(), spec) == ports.end()) {
    ports.push_back(spec);
  }
}

}  // namespace

void CreateTargetNodes(PlanLoader& loader, int instance) {
  const PlanInstance& inst = loader.Model().Instance(instance);
  if (IsSubnetGroup(inst.type)) {
    loader.Register(instance, NodeKind::kSubnetGroup, instance);
    return;
  }
  const TargetType* t = FindTargetType(inst.type);
  if (t == nullptr) {
    return;
  }
  if (inst.type == "aws_vpc_endpoint" &&
      loader.String(instance, "vpc_endpoint_type").value_or("Gateway") != "Interface") {
    return;  // gateway endpoints have no network interfaces to reach
  }
  if (t->block != nullptr && !BlockSets(loader, instance, *t, t->subnets)) {
    return;  // e.g. a Lambda function outside any VPC
  }
  Target target;
  target.origin = loader.OriginOf(instance);
  target.type = inst.type;
  target.kind = t->kind;
  if (t->address != nullptr) {
    if (const auto ip = loader.String(instance, t->address)) {
      target.private_ip = ParseIpv4Address(*ip);
    }
  }
  // Implied ports.
  int port = t->default_port;
  if (const auto own = loader.Integer(instance, AttributePath{{"port", -1}});
      own && *own > 0 && *own <= 65535 && inst.type != "aws_vpc_endpoint") {
    port = static_cast<int>(*own);
  } else if (port == 0) {
    if (const auto engine = loader.String(instance, "engine")) {
      port = EnginePort(*engine);
    }
  }
  if (port > 0) {
    target.implied_ports.push_back(PortSpec{kProtocolTcp, PortRange{port, port}});
  }
  const auto tags = loader.Tags(instance);
  if (auto it = tags.find("cvpn-lint:ports"); it != tags.end()) {
    ApplyPortsTag(target, it->second);
  }
  Graph& g = loader.GraphRef();
  g.targets.push_back(std::move(target));
  loader.Register(instance, NodeKind::kTarget, static_cast<NodeIndex>(g.targets.size() - 1));
}

void LinkTargetNodes(PlanLoader& loader, int instance) {
  const PlanInstance& inst = loader.Model().Instance(instance);
  Graph& g = loader.GraphRef();
  if (inst.type == "aws_lb_listener" || inst.type == "aws_alb_listener") {
    const Link lb = loader.SingleLink(instance, "load_balancer_arn", NodeKind::kTarget);
    const auto port = loader.Integer(instance, AttributePath{{"port", -1}});
    if (!lb.Resolved() || !port || *port < 1 || *port > 65535) {
      return;
    }
    const std::string protocol = loader.String(instance, "protocol").value_or("TCP");
    Target& target = g.targets[static_cast<size_t>(lb.index)];
    const int p = static_cast<int>(*port);
    if (protocol != "UDP") {
      AddPort(target.implied_ports, PortSpec{kProtocolTcp, PortRange{p, p}});
    }
    if (protocol == "UDP" || protocol == "TCP_UDP") {
      AddPort(target.implied_ports, PortSpec{kProtocolUdp, PortRange{p, p}});
    }
    return;
  }
  const NodeIndex node = loader.NodeOf(instance, NodeKind::kTarget);
  if (node == kNone) {
    return;
  }
  const TargetType& t = *FindTargetType(inst.type);
  std::vector<Link> subnets;
  switch (t.placement) {
    case Placement::kSubnet:
    case Placement::kSubnetList:
      subnets = loader.Links(instance, InBlock(t, t.subnets), NodeKind::kSubnet);
      if (inst.type == "aws_lb" || inst.type == "aws_alb") {
        if (subnets.empty()) {
          subnets = loader.Links(
              instance, AttributePath{{"subnet_mapping", -1}, {{}, 0}, {"subnet_id", -1}},
              NodeKind::kSubnet);
        }
      }
      break;
    case Placement::kSubnetGroup:
      for (const Link& group : loader.Links(instance, t.subnets, NodeKind::kSubnetGroup)) {
        if (!group.Resolved()) {
          subnets.push_back(group);
          continue;
        }
        auto in_group = loader.Links(group.index, "subnet_ids", NodeKind::kSubnet);
        subnets.insert(subnets.end(), in_group.begin(), in_group.end());
      }
      break;
  }
  Target& target = g.targets[static_cast<size_t>(node)];
  for (const Link& s : subnets) {
    if (s.Resolved() &&
        std::none_of(target.subnets.begin(), target.subnets.end(),
                     [&](const Link& e) { return e.index == s.index; })) {
      target.subnets.push_back(s);
    } else if (!s.Resolved() && target.subnets_unknown.empty()) {
      target.subnets_unknown = s.unknown;
    }
  }
  if (subnets.empty() && target.subnets_unknown.empty()) {
    target.subnets_unknown = fmt::format("`{}` names no subnet the input declares", inst.address);
  }
  if (t.security_groups != nullptr && BlockSets(loader, instance, t, t.security_groups)) {
    target.security_groups_given = true;
    target.security_groups =
        loader.Links(instance, InBlock(t, t.security_groups), NodeKind::kSecurityGroup);
  } else if ((inst.type == "aws_lb" || inst.type == "aws_alb") &&
             loader.String(instance, "load_balancer_type").value_or("application") ==
                 "network") {
    target.has_security_groups = false;  // an NLB created without groups never has any
  }
}

}  // namespace cvpn::parsers
