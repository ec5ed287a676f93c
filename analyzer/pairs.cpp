// SPDX-License-Identifier: Apache-2.0
#include "analyzer/pairs.h"

#include <algorithm>
#include <compare>

#include <fmt/format.h>

namespace cvpn {

namespace {

/// Whether `address` names an instance of `name`: `name[key]`, with nothing after the index.
bool IsInstanceOf(const std::string& address, const std::string& name) {
  return address.size() > name.size() && address.compare(0, name.size(), name) == 0 &&
         address[name.size()] == '[' &&
         address.find('.', address.find(']', name.size())) == std::string::npos;
}

/// The elements of one kind by address, to find what a declaration names without a scan.
class AddressIndex {
 public:
  template <typename T>
  explicit AddressIndex(const std::vector<T>& nodes) {
    entries_.reserve(nodes.size());
    for (NodeIndex i = 0; i < static_cast<NodeIndex>(nodes.size()); ++i) {
      entries_.emplace_back(&nodes[static_cast<size_t>(i)].origin.address, i);
    }
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return *a.first != *b.first ? *a.first < *b.first : a.second < b.second;
    });
  }

  /// Elements that a declaration names: the exact address, or every instance of it; ascending.
  std::vector<NodeIndex> Matching(const std::string& name) const {
    std::vector<NodeIndex> out;
    // `name` itself sorts first, then `name[...]`; other addresses between them start with
    // `name` and a character below '['.
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const Entry& e, const std::string& n) { return *e.first < n; });
    for (; it != entries_.end() && it->first->compare(0, name.size(), name) == 0; ++it) {
      const std::string& address = *it->first;
      if (address.size() > name.size() && address[name.size()] > '[') {
        break;
      }
      if (address == name || IsInstanceOf(address, name)) {
        out.push_back(it->second);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// Ranks that order elements as their addresses do (equal addresses, equal ranks).
  std::vector<size_t> Ranks() const {
    std::vector<size_t> ranks(entries_.size());
    size_t rank = 0;
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (i > 0 && *entries_[i].first != *entries_[i - 1].first) {
        ++rank;
      }
      ranks[static_cast<size_t>(entries_[i].second)] = rank;
    }
    return ranks;
  }

 private:
  using Entry = std::pair<const std::string*, NodeIndex>;
  std::vector<Entry> entries_;
};

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
  const AddressIndex target_index(graph.targets);
  const AddressIndex endpoint_index(graph.endpoints);
  std::vector<NodeIndex> all_endpoints;
  for (NodeIndex e = 0; e < static_cast<NodeIndex>(graph.endpoints.size()); ++e) {
    all_endpoints.push_back(e);
  }
  for (const PairDeclaration& d : declared) {
    const std::vector<NodeIndex> targets = target_index.Matching(d.target);
    if (targets.empty()) {
      const bool is_endpoint = !endpoint_index.Matching(d.target).empty();
      errors.push_back(At(
          d.where,
          is_endpoint ? fmt::format("`{}` is a Client VPN endpoint, not a target", d.target)
                      : fmt::format("target `{}` is not a resource the inputs place in a subnet{}",
                                    d.target, Suggestion(graph.targets, d.target))));
      continue;
    }
    std::vector<NodeIndex> endpoints = all_endpoints;
    if (d.endpoint) {
      endpoints = endpoint_index.Matching(*d.endpoint);
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
  // Sorted by endpoint address, target address, port (port-less first) and group.
  const std::vector<size_t> endpoint_rank = endpoint_index.Ranks();
  const std::vector<size_t> target_rank = target_index.Ranks();
  auto compare = [&](const Pair& a, const Pair& b) -> std::weak_ordering {
    if (const auto c = endpoint_rank[static_cast<size_t>(a.endpoint)] <=>
                       endpoint_rank[static_cast<size_t>(b.endpoint)];
        c != 0) {
      return c;
    }
    if (const auto c = target_rank[static_cast<size_t>(a.target)] <=>
                       target_rank[static_cast<size_t>(b.target)];
        c != 0) {
      return c;
    }
    if (a.port.has_value() != b.port.has_value()) {
      return a.port.has_value() ? std::weak_ordering::greater : std::weak_ordering::less;
    }
    if (a.port) {
      if (const auto c = *a.port <=> *b.port; c != 0) {
        return c;
      }
    }
    return a.group <=> b.group;
  };
  // Declarations usually come in order already: strictly ascending pairs (no two alike) are
  // what sorting would give.
  const bool ascending =
      std::adjacent_find(pairs.begin(), pairs.end(), [&](const Pair& a, const Pair& b) {
        return compare(a, b) >= 0;
      }) == pairs.end();
  if (!ascending) {
    std::sort(pairs.begin(), pairs.end(),
              [&](const Pair& a, const Pair& b) { return compare(a, b) < 0; });
  }
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [&](const Pair& a, const Pair& b) { return compare(a, b) == 0; }),
              pairs.end());
  return pairs;
}

}  // namespace cvpn
