// SPDX-License-Identifier: Apache-2.0
// CloudFormation resources that Client VPN users reach: anything placed in subnets with security
// groups. One table row per resource type says where its subnets, groups and port live (the
// property names differ per type: semantics.md §7 and §13).
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analyzer/graph_builders.h"
#include "parsers/cfn_loader.h"

namespace cvpn::parsers::cfn {

namespace {

enum class Placement {
  kSubnet,       ///< one subnet property
  kSubnetList,   ///< a list of subnets
  kSubnetGroup,  ///< a subnet group named by a property
};

struct TargetType {
  const char* type;
  const char* kind;
  Placement placement;
  const char* block;            ///< mapping holding subnets and groups (dotted path), or nullptr
  const char* subnets;          ///< property with the subnet(s) or subnet group
  const char* security_groups;  ///< property with the security groups, or nullptr
  int default_port;             ///< 0: by engine, or none
  const char* port;             ///< property with the port, or nullptr
  const char* address;          ///< property with the private IPv4 address, or nullptr
};

constexpr std::array<TargetType, 22> kTargetTypes{{
    {"AWS::EC2::Instance", "EC2 instance", Placement::kSubnet, nullptr, "SubnetId",
     "SecurityGroupIds", 0, nullptr, "PrivateIpAddress"},
    {"AWS::EC2::NetworkInterface", "network interface", Placement::kSubnet, nullptr, "SubnetId",
     "GroupSet", 0, nullptr, "PrivateIpAddress"},
    {"AWS::RDS::DBInstance", "RDS DB instance", Placement::kSubnetGroup, nullptr,
     "DBSubnetGroupName", "VPCSecurityGroups", 0, "Port", nullptr},
    {"AWS::RDS::DBCluster", "RDS cluster", Placement::kSubnetGroup, nullptr, "DBSubnetGroupName",
     "VpcSecurityGroupIds", 0, "Port", nullptr},
    {"AWS::RDS::DBProxy", "RDS proxy", Placement::kSubnetList, nullptr, "VpcSubnetIds",
     "VpcSecurityGroupIds", 0, nullptr, nullptr},
    {"AWS::DocDB::DBCluster", "DocumentDB cluster", Placement::kSubnetGroup, nullptr,
     "DBSubnetGroupName", "VpcSecurityGroupIds", 27017, "Port", nullptr},
    {"AWS::Neptune::DBCluster", "Neptune cluster", Placement::kSubnetGroup, nullptr,
     "DBSubnetGroupName", "VpcSecurityGroupIds", 8182, "Port", nullptr},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "load balancer", Placement::kSubnetList, nullptr,
     "Subnets", "SecurityGroups", 0, nullptr, nullptr},
    {"AWS::Lambda::Function", "Lambda function", Placement::kSubnetList, "VpcConfig", "SubnetIds",
     "SecurityGroupIds", 0, nullptr, nullptr},
    {"AWS::ECS::Service", "ECS service", Placement::kSubnetList,
     "NetworkConfiguration.AwsvpcConfiguration", "Subnets", "SecurityGroups", 0, nullptr, nullptr},
    {"AWS::EFS::MountTarget", "EFS mount target", Placement::kSubnet, nullptr, "SubnetId",
     "SecurityGroups", 2049, nullptr, "IpAddress"},
    {"AWS::EC2::VPCEndpoint", "interface VPC endpoint", Placement::kSubnetList, nullptr,
     "SubnetIds", "SecurityGroupIds", 443, nullptr, nullptr},
    {"AWS::ElastiCache::CacheCluster", "ElastiCache cluster", Placement::kSubnetGroup, nullptr,
     "CacheSubnetGroupName", "VpcSecurityGroupIds", 0, "Port", nullptr},
    {"AWS::ElastiCache::ReplicationGroup", "ElastiCache replication group", Placement::kSubnetGroup,
     nullptr, "CacheSubnetGroupName", "SecurityGroupIds", 6379, "Port", nullptr},
    {"AWS::ElastiCache::ServerlessCache", "ElastiCache serverless cache", Placement::kSubnetList,
     nullptr, "SubnetIds", "SecurityGroupIds", 0, nullptr, nullptr},
    {"AWS::MemoryDB::Cluster", "MemoryDB cluster", Placement::kSubnetGroup, nullptr,
     "SubnetGroupName", "SecurityGroupIds", 6379, "Port", nullptr},
    {"AWS::OpenSearchService::Domain", "OpenSearch domain", Placement::kSubnetList, "VPCOptions",
     "SubnetIds", "SecurityGroupIds", 443, nullptr, nullptr},
    {"AWS::Elasticsearch::Domain", "Elasticsearch domain", Placement::kSubnetList, "VPCOptions",
     "SubnetIds", "SecurityGroupIds", 443, nullptr, nullptr},
    {"AWS::Redshift::Cluster", "Redshift cluster", Placement::kSubnetGroup, nullptr,
     "ClusterSubnetGroupName", "VpcSecurityGroupIds", 5439, "Port", nullptr},
    {"AWS::EKS::Cluster", "EKS cluster API endpoint", Placement::kSubnetList, "ResourcesVpcConfig",
     "SubnetIds", "SecurityGroupIds", 443, nullptr, nullptr},
    {"AWS::AmazonMQ::Broker", "Amazon MQ broker", Placement::kSubnetList, nullptr, "SubnetIds",
     "SecurityGroups", 0, nullptr, nullptr},
    {"AWS::FSx::FileSystem", "FSx file system", Placement::kSubnetList, nullptr, "SubnetIds",
     "SecurityGroupIds", 0, nullptr, nullptr},
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
  return type == "AWS::RDS::DBSubnetGroup" || type == "AWS::ElastiCache::SubnetGroup" ||
         type == "AWS::Redshift::ClusterSubnetGroup" || type == "AWS::DocDB::DBSubnetGroup" ||
         type == "AWS::Neptune::DBSubnetGroup" || type == "AWS::MemoryDB::SubnetGroup";
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

/// The engine's default port for databases and caches; 0 when the engine is not known.
int EnginePort(std::string_view engine_text) {
  const std::string engine = Lower(std::string(engine_text));
  auto starts = [&](std::string_view p) { return engine.rfind(p, 0) == 0; };
  if (starts("aurora-postgresql") || starts("postgres"))
    return 5432;
  if (starts("aurora") || starts("mysql") || starts("mariadb"))
    return 3306;
  if (starts("oracle"))
    return 1521;
  if (starts("sqlserver"))
    return 1433;
  if (starts("redis") || starts("valkey"))
    return 6379;
  if (starts("memcached"))
    return 11211;
  if (starts("docdb"))
    return 27017;
  if (starts("neptune"))
    return 8182;
  return 0;
}

/// The port a type implies from another property (FSx type, RDS proxy engine family).
int ImpliedPort(Loader& loader, int r, const TargetType& t) {
  const std::string type = t.type;
  if (type == "AWS::FSx::FileSystem") {
    const std::string fs = Lower(
        loader.String(r, loader.Property(r, "FileSystemType"), "FileSystemType").value_or(""));
    if (fs == "windows")
      return 445;  // SMB
    if (fs == "lustre")
      return 988;
    if (fs == "ontap" || fs == "openzfs")
      return 2049;  // NFS
    return 0;
  }
  if (type == "AWS::RDS::DBProxy") {
    const std::string family =
        Lower(loader.String(r, loader.Property(r, "EngineFamily"), "EngineFamily").value_or(""));
    if (family == "mysql")
      return 3306;
    if (family == "postgresql")
      return 5432;
    if (family == "sqlserver")
      return 1433;
    return 0;
  }
  if (const auto engine = loader.String(r, loader.Property(r, "Engine"), "Engine")) {
    return EnginePort(*engine);
  }
  return 0;
}

std::string InBlock(const TargetType& t, const char* property) {
  return t.block == nullptr ? std::string(property) : std::string(t.block) + "." + property;
}

void AddPort(std::vector<PortSpec>& ports, PortSpec spec) {
  if (std::find(ports.begin(), ports.end(), spec) == ports.end()) {
    ports.push_back(spec);
  }
}

/// Whether the resource is placed in a VPC at all (Lambda without VpcConfig is not).
bool Placed(Loader& loader, int r, const TargetType& t) {
  const std::string type = t.type;
  if (type == "AWS::EC2::VPCEndpoint") {
    const auto kind = loader.String(r, loader.Property(r, "VpcEndpointType"), "VpcEndpointType");
    return kind.value_or("Gateway") == "Interface";  // gateway endpoints have no interfaces
  }
  if (type == "AWS::RDS::DBInstance" && loader.Property(r, "DBClusterIdentifier") != nullptr) {
    return false;  // an Aurora cluster member: the cluster is the target
  }
  if (t.block != nullptr) {
    return loader.PropertyPath(r, InBlock(t, t.subnets)) != nullptr;
  }
  return true;
}

void LinkListener(Loader& loader, int r) {
  Graph& g = loader.GraphRef();
  const Link lb = loader.SingleLink(r, "LoadBalancerArn", Kind::kTarget);
  const auto port = loader.Integer(r, loader.Property(r, "Port"), "Port");
  if (!lb.Resolved() || !port || *port < 1 || *port > 65535) {
    return;
  }
  const std::string protocol =
      loader.String(r, loader.Property(r, "Protocol"), "Protocol").value_or("TCP");
  Target& target = g.targets[static_cast<size_t>(lb.index)];
  const int p = static_cast<int>(*port);
  if (protocol != "UDP") {
    AddPort(target.implied_ports, PortSpec{kProtocolTcp, PortRange{p, p}});
  }
  if (protocol == "UDP" || protocol == "TCP_UDP") {
    AddPort(target.implied_ports, PortSpec{kProtocolUdp, PortRange{p, p}});
  }
}

}  // namespace

void CreateTargetNodes(Loader& loader, int r) {
  const std::string& type = loader.Type(r);
  if (IsSubnetGroup(type)) {
    loader.Register(r, Kind::kSubnetGroup, r);
    return;
  }
  const TargetType* t = FindTargetType(type);
  if (t == nullptr || !Placed(loader, r, *t)) {
    return;
  }
  Target target;
  target.origin = loader.OriginOf(r);
  target.type = type;
  target.kind = t->kind;
  if (t->address != nullptr) {
    if (const auto ip = loader.String(r, loader.Property(r, t->address), t->address)) {
      target.private_ip = ParseIpv4Address(*ip);
    }
  }
  if (type == "AWS::EC2::Instance" && !target.private_ip) {
    if (const Value* nics = loader.Property(r, "NetworkInterfaces"); nics && nics->IsList()) {
      for (const Value& nic : nics->items) {
        const Value* index = nic.Get("DeviceIndex");
        const Value* ip = nic.Get("PrivateIpAddress");
        if (index != nullptr && index->IsScalar() && index->text == "0" && ip != nullptr &&
            ip->IsScalar()) {
          target.private_ip = ParseIpv4Address(ip->text);
        }
      }
    }
  }
  int port = t->default_port;
  if (t->port != nullptr) {
    // RDS DBInstance.Port is a string, DBCluster.Port an integer: both read as whole numbers.
    if (const auto own = loader.Integer(r, loader.Property(r, t->port), t->port);
        own && *own > 0 && *own <= 65535) {
      port = static_cast<int>(*own);
    }
  }
  if (port == 0) {
    port = ImpliedPort(loader, r, *t);
  }
  if (port > 0) {
    target.implied_ports.push_back(PortSpec{kProtocolTcp, PortRange{port, port}});
  }
  const auto tags = loader.Tags(r);
  if (auto it = tags.find("cvpn-lint:ports"); it != tags.end()) {
    ApplyPortsTag(target, it->second);
  }
  Graph& g = loader.GraphRef();
  g.targets.push_back(std::move(target));
  loader.Register(r, Kind::kTarget, static_cast<NodeIndex>(g.targets.size() - 1));
}

void LinkTargetNodes(Loader& loader, int r) {
  const std::string& type = loader.Type(r);
  Graph& g = loader.GraphRef();
  if (type == "AWS::ElasticLoadBalancingV2::Listener") {
    LinkListener(loader, r);
    return;
  }
  const NodeIndex node = loader.NodeOf(r, Kind::kTarget);
  if (node == kNone) {
    return;
  }
  const TargetType& t = *FindTargetType(type);
  std::vector<Link> subnets;
  std::vector<Link> groups;
  bool groups_given = false;
  const std::string subnets_where = InBlock(t, t.subnets);
  switch (t.placement) {
    case Placement::kSubnet:
    case Placement::kSubnetList:
      subnets =
          loader.Links(r, loader.PropertyPath(r, subnets_where), Kind::kSubnet, subnets_where);
      break;
    case Placement::kSubnetGroup: {
      const Value* group = loader.Property(r, t.subnets);
      if (group == nullptr) {
        subnets.push_back(Link::Unknown(fmt::format(
            "`{}` has no {}: it is placed in the default VPC, which is not among the inputs",
            loader.At(r).address, t.subnets)));
        break;
      }
      for (const Link& l : loader.Links(r, group, Kind::kSubnetGroup, t.subnets)) {
        if (!l.Resolved()) {
          subnets.push_back(l);
          continue;
        }
        auto in_group = loader.Links(l.index, loader.Property(l.index, "SubnetIds"), Kind::kSubnet,
                                     "SubnetIds");
        subnets.insert(subnets.end(), in_group.begin(), in_group.end());
      }
      break;
    }
  }
  if (t.security_groups != nullptr) {
    const Value* v = loader.PropertyPath(r, InBlock(t, t.security_groups));
    groups_given = v != nullptr;
    groups = loader.Links(r, v, Kind::kSecurityGroup, InBlock(t, t.security_groups));
  }
  if (type == "AWS::ElasticLoadBalancingV2::LoadBalancer" && subnets.empty()) {
    if (const Value* mappings = loader.Property(r, "SubnetMappings");
        mappings != nullptr && mappings->IsList()) {
      for (size_t i = 0; i < mappings->items.size(); ++i) {
        auto more = loader.Links(r, mappings->items[i].Get("SubnetId"), Kind::kSubnet,
                                 fmt::format("SubnetMappings[{}].SubnetId", i));
        subnets.insert(subnets.end(), more.begin(), more.end());
      }
    }
  }
  if (type == "AWS::EC2::Instance") {
    if (const Value* names = loader.Property(r, "SecurityGroups")) {
      // Group names (or `Ref`s of groups without VpcId, which give names).
      groups_given = true;
      auto more = loader.Links(r, names, Kind::kSecurityGroup, "SecurityGroups");
      groups.insert(groups.end(), more.begin(), more.end());
    }
    if (const Value* nics = loader.Property(r, "NetworkInterfaces"); nics && nics->IsList()) {
      for (size_t i = 0; i < nics->items.size(); ++i) {
        const Value& nic = nics->items[i];
        auto more = loader.Links(r, nic.Get("SubnetId"), Kind::kSubnet,
                                 fmt::format("NetworkInterfaces[{}].SubnetId", i));
        subnets.insert(subnets.end(), more.begin(), more.end());
        if (const Value* set = nic.Get("GroupSet")) {
          groups_given = true;
          auto sgs = loader.Links(r, set, Kind::kSecurityGroup,
                                  fmt::format("NetworkInterfaces[{}].GroupSet", i));
          groups.insert(groups.end(), sgs.begin(), sgs.end());
        }
        if (nic.Get("NetworkInterfaceId") != nullptr) {
          subnets.push_back(Link::Unknown(fmt::format(
              "`{}` attaches an existing network interface, whose subnet is not modelled",
              loader.At(r).address)));
        }
      }
    }
    if (subnets.empty()) {
      subnets.push_back(Link::Unknown(fmt::format(
          "`{}` has no SubnetId: it is launched in the default VPC, which is not among the "
          "inputs",
          loader.At(r).address)));
    }
  }
  Target& target = g.targets[static_cast<size_t>(node)];
  for (const Link& s : subnets) {
    if (s.Resolved() && std::none_of(target.subnets.begin(), target.subnets.end(),
                                     [&](const Link& e) { return e.index == s.index; })) {
      target.subnets.push_back(s);
    } else if (!s.Resolved() && target.subnets_unknown.empty()) {
      target.subnets_unknown = s.unknown;
    }
  }
  if (subnets.empty() && target.subnets_unknown.empty()) {
    target.subnets_unknown =
        fmt::format("`{}` names no subnet the inputs declare", loader.At(r).address);
  }
  target.security_groups_given = groups_given;
  target.security_groups = groups;
  if (type == "AWS::ElasticLoadBalancingV2::LoadBalancer" && !groups_given &&
      loader.String(r, loader.Property(r, "Type"), "Type").value_or("application") == "network") {
    target.has_security_groups = false;  // an NLB created without groups never has any
  }
}

}  // namespace cvpn::parsers::cfn
