// SPDX-License-Identifier: Apache-2.0
#include "analyzer/pairs.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace cvpn {

namespace {

/// Addresses that a declaration names: the exact one, or every instance of it.
template <typename T>
std::vector<NodeIndex> Matching(const std::vector<T>& nodes, const std::string& name) {
  std::vector<NodeIndex> out;
  for (NodeIndex i = 0; i < static_cast<NodeIndex>(nodes.size()); ++i) {
    const std::string& address = nodes[static_cast<size_t>(i)].origin.address;
    if (address == name ||
        (address.size() > name.size() && address.compare(0, name.size(), name) == 0 &&
         address[name.size()] == '[' && address.find('.', address.find(']', name.size())) ==
                                            std::string::npos)) {
      out.push_back(i);
    }
  }
  return out;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t previous = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t current = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1)});
      previous = current;
    }
  }
  return row[b.size()];
}

template <typename T>
std::string Suggestion(const std::vector<T>& nodes, const std::string& name) {
  const std::string* best = nullptr;
  size_t best_distance = name.size() / 3 + 2;
  for (const T& n : nodes) {
    const size_t d = EditDistance(n.origin.address, name);
    if (d < best_distance) {
      best_distance = d;
      best = &n.origin.address;
    }
  }
  return best == nullptr ? std::string() : fmt::format("; did you mean `{}`?", *best);
}

InputError At(const InputError& where, std::string message) {
  InputError e = where;
  e.message = std::move(message);
  return e;
}

/// Whether the endpoint authorizes or routes to any of the target's subnets.
bool InScope(const Graph& g, const ClientVpnEndpoint& e, const Target& t) {
  std::vector<Ipv4Cidr> networks;
  for (const auto& r : e.authorization_rules) {
    if (r.target_network.Known()) {
      networks.push_back(*r.target_network.value);
    }
  }
  for (const auto& r : e.routes) {
    if (r.destination.Known()) {
      networks.push_back(*r.destination.value);
    }
  }
  for (const auto& a : e.associations) {
    const NodeIndex vpc = a.subnet.Resolved() ? g.VpcOfSubnet(a.subnet.index) : kNone;
    if (vpc != kNone) {
      for (const auto& c : g.vpcs[static_cast<size_t>(vpc)].cidr_blocks) {
        if (c.Known()) {
          networks.push_back(*c.value);
        }
      }
    }
  }
  for (const Link& s : t.subnets) {
    if (!s.Resolved()) {
      continue;
    }
    const Subnet& subnet = g.subnets[static_cast<size_t>(s.index)];
    if (!subnet.cidr.Known()) {
      continue;
    }
    for (const Ipv4Cidr& n : networks) {
      if (n.Overlaps(*subnet.cidr.value)) {
        return true;
      }
    }
  }
  return false;
}

void AddPairs(std::vector<Pair>& pairs, NodeIndex endpoint, NodeIndex target,
              const std::vector<PortSpec>& ports, const std::optional<std::string>& group) {
  if (ports.empty()) {
    pairs.push_back({endpoint, target, std::nullopt, group});
    return;
  }
  for (const PortSpec& p : ports) {
    pairs.push_back({endpoint, target, p, group});
  }
}

}  // namespace

std::vector<Pair> ResolvePairs(const Graph& graph, const std::vector<PairDeclaration>& declared,
                               InputErrors& errors) {
  std::vector<Pair> pairs;
  std::vector<NodeIndex> all_endpoints;
  for (NodeIndex e = 0; e < static_cast<NodeIndex>(graph.endpoints.size()); ++e) {
    all_endpoints.push_back(e);
  }
  for (const PairDeclaration& d : declared) {
    const std::vector<NodeIndex> targets = Matching(graph.targets, d.target);
    if (targets.empty()) {
      const bool is_endpoint = !Matching(graph.endpoints, d.target).empty();
      errors.push_back(At(
          d.where,
          is_endpoint ? fmt::format("`{}` is a Client VPN endpoint, not a target", d.target)
                      : fmt::format("target `{}` is not a resource the inputs place in a subnet{}",
                                    d.target, Suggestion(graph.targets, d.target))));
      continue;
    }
    std::vector<NodeIndex> endpoints = all_endpoints;
    if (d.endpoint) {
      endpoints = Matching(graph.endpoints, *d.endpoint);
      if (endpoints.empty()) {
        errors.push_back(At(d.where, fmt::format("endpoint `{}` is not in the inputs{}",
                                                 *d.endpoint,
                                                 Suggestion(graph.endpoints, *d.endpoint))));
        continue;
      }
    }
    for (NodeIndex t : targets) {
      const Target& target = graph.targets[static_cast<size_t>(t)];
      for (NodeIndex e : endpoints) {
        AddPairs(pairs, e, t, d.ports.empty() ? target.implied_ports : d.ports, d.group);
      }
    }
  }
  bool tagged = false;
  for (NodeIndex t = 0; t < static_cast<NodeIndex>(graph.targets.size()); ++t) {
    const Target& target = graph.targets[static_cast<size_t>(t)];
    if (!target.declared_ports_error.empty()) {
      errors.push_back({target.origin.file, target.origin.line, target.origin.column,
                        fmt::format("`{}`: {}", target.origin.address,
                                    target.declared_ports_error)});
    }
    if (target.declared_ports.empty()) {
      continue;
    }
    tagged = true;
    for (NodeIndex e : all_endpoints) {
      AddPairs(pairs, e, t, target.declared_ports, std::nullopt);
    }
  }
  if (declared.empty() && !tagged) {
    for (NodeIndex e : all_endpoints) {
      for (NodeIndex t = 0; t < static_cast<NodeIndex>(graph.targets.size()); ++t) {
        const Target& target = graph.targets[static_cast<size_t>(t)];
        if (InScope(graph, graph.endpoints[static_cast<size_t>(e)], target)) {
          AddPairs(pairs, e, t, target.implied_ports, std::nullopt);
        }
      }
    }
  }
  auto key = [&](const Pair& p) {
    return std::make_tuple(graph.endpoints[static_cast<size_t>(p.endpoint)].origin.address,
                           graph.targets[static_cast<size_t>(p.target)].origin.address,
                           p.port.has_value(), p.port ? *p.port : PortSpec{}, p.group);
  };
  std::sort(pairs.begin(), pairs.end(),
            [&](const Pair& a, const Pair& b) { return key(a) < key(b); });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [&](const Pair& a, const Pair& b) { return key(a) == key(b); }),
              pairs.end());
  return pairs;
}

}  // namespace cvpn
