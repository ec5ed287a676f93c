// SPDX-License-Identifier: Apache-2.0
#include "analyzer/network_acls.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/lpm.h"

namespace cvpn {

namespace {

/// Appends what the query asks for: "all traffic", "tcp 443", "ICMP echo requests".
void AppendTraffic(std::string& out, int protocol, const PortRange& ports, int icmp_type) {
  if (protocol == kProtocolAll) {
    out += "all traffic";
  } else if (protocol == kProtocolIcmp) {
    out += icmp_type == kIcmpEchoReply ? "ICMP echo replies" : "ICMP echo requests";
  } else {
    out += ProtocolName(protocol);
    if (ProtocolHasPorts(protocol)) {
      out += ' ';
      out += ports.ToString();
    }
  }
}

std::string Traffic(int protocol, const PortRange& ports, int icmp_type) {
  std::string out;
  AppendTraffic(out, protocol, ports, icmp_type);
  return out;
}

}  // namespace

NetworkAclVerdict EvaluateNetworkAcl(const NetworkAcl& acl, bool egress, const Ipv4Cidr& peer,
                                     int protocol, const PortRange& ports, int icmp_type) {
  NetworkAclVerdict out;
  const bool has_ports = ProtocolHasPorts(protocol);
  const PortRange wanted = has_ports ? ports : PortRange::All();
  const char* direction = egress ? "outbound" : "inbound";
  const char* preposition = egress ? "to" : "from";
  auto passed = [&](const NetworkAclEntry* first_allow) {
    out.status = Status::kPass;
    if (acl.implicit) {
      const std::string_view all = egress ? "` allows all outbound traffic"
                                          : "` allows all inbound traffic";
      out.detail.reserve(1 + acl.origin.address.size() + all.size());
      out.detail += '`';
      out.detail += acl.origin.address;
      out.detail += all;
    } else if (first_allow != nullptr) {
      // "inbound rule 100 of `aws_network_acl.a` allows tcp 443 from 10.0.0.0/16"
      std::string& d = out.detail;
      d += direction;
      d += " rule ";
      d += std::to_string(first_allow->rule_number);
      d += " of `";
      d += acl.origin.address;
      d += "` allows ";
      AppendTraffic(d, protocol, wanted, icmp_type);
      d += ' ';
      d += preposition;
      d += ' ';
      d += peer.ToString();
    }
  };
  auto relevant_to_query = [&](const NetworkAclEntry* e) {
    if (e->cidr.Known() && !e->cidr.value->Overlaps(peer)) {
      return false;
    }
    if (!e->cidr.Known() && e->cidr.unknown.empty()) {
      return false;  // IPv6 entry
    }
    if (e->protocol.Known() && *e->protocol.value != kProtocolAll &&
        protocol != kProtocolAll && *e->protocol.value != protocol) {
      return false;
    }
    const bool entry_has_ports = e->protocol.Known() && ProtocolHasPorts(*e->protocol.value);
    return !(entry_has_ports && has_ports && !e->ports.Overlaps(wanted));
  };
  auto covers_query = [&](const NetworkAclEntry& e) {
    if (!e.cidr.Known() || !e.protocol.Known() || !e.cidr.value->Contains(peer)) {
      return false;
    }
    const int entry_protocol = *e.protocol.value;
    if (entry_protocol != kProtocolAll && entry_protocol != protocol) {
      return false;
    }
    if (has_ports && ProtocolHasPorts(entry_protocol) && !e.ports.Contains(wanted)) {
      return false;
    }
    return !(protocol == kProtocolIcmp && entry_protocol == kProtocolIcmp &&
             !IcmpMatches(e.icmp_type, e.icmp_code, icmp_type));
  };
  // Keep only entries that can touch the query, in rule-number order.
  std::vector<const NetworkAclEntry*> relevant;
  relevant.reserve(acl.entries.size());
  for (const NetworkAclEntry& e : acl.entries) {
    if (e.egress == egress && relevant_to_query(&e)) {
      relevant.push_back(&e);
    }
  }
  auto by_number = [](const NetworkAclEntry* a, const NetworkAclEntry* b) {
    return a->rule_number < b->rule_number;
  };
  if (!std::is_sorted(relevant.begin(), relevant.end(), by_number)) {
    std::stable_sort(relevant.begin(), relevant.end(), by_number);
  }
  // The common case: the first of them allows all of the query (AWS's default ACL's allow-all
  // rule 100, an allow of the service's port from the VPN subnets), so it decides every part
  // alike.
  if (!relevant.empty() && relevant.front()->allow && covers_query(*relevant.front())) {
    passed(relevant.front());
    return out;
  }
  // Otherwise cut the query's space on the entries' edges and decide each cell.
  std::vector<uint64_t> address_cuts{peer.First(), uint64_t{peer.Last()} + 1};
  std::vector<int> port_cuts{wanted.first, wanted.last + 1};
  for (const NetworkAclEntry* e : relevant) {
    const bool entry_has_ports = e->protocol.Known() && ProtocolHasPorts(*e->protocol.value);
    if (e->cidr.Known()) {
      if (e->cidr.value->First() > peer.First()) address_cuts.push_back(e->cidr.value->First());
      if (e->cidr.value->Last() < peer.Last()) address_cuts.push_back(uint64_t{e->cidr.value->Last()} + 1);
    }
    if (entry_has_ports && has_ports) {
      if (e->ports.first > wanted.first) port_cuts.push_back(e->ports.first);
      if (e->ports.last < wanted.last) port_cuts.push_back(e->ports.last + 1);
    }
  }
  std::sort(address_cuts.begin(), address_cuts.end());
  address_cuts.erase(std::unique(address_cuts.begin(), address_cuts.end()), address_cuts.end());
  std::sort(port_cuts.begin(), port_cuts.end());
  port_cuts.erase(std::unique(port_cuts.begin(), port_cuts.end()), port_cuts.end());

  const NetworkAclEntry* first_allow = nullptr;
  for (size_t a = 0; a + 1 < address_cuts.size(); ++a) {
    const auto first = static_cast<uint32_t>(address_cuts[a]);
    const auto last = static_cast<uint32_t>(address_cuts[a + 1] - 1);
    for (size_t p = 0; p + 1 < port_cuts.size(); ++p) {
      const PortRange cell{port_cuts[p], port_cuts[p + 1] - 1};
      const NetworkAclEntry* decided = nullptr;
      for (const NetworkAclEntry* e : relevant) {
        if (!e->cidr.Known() || !e->protocol.Known()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format(
              "{} rule {} of `{}` is not fully known before it could decide: {}", direction,
              e->rule_number, acl.origin.address,
              !e->cidr.Known() ? e->cidr.unknown : e->protocol.unknown);
          return out;
        }
        if (!e->cidr.value->Contains(first)) {
          continue;
        }
        const int entry_protocol = *e->protocol.value;
        if (has_ports && ProtocolHasPorts(entry_protocol) && !e->ports.Contains(cell)) {
          continue;
        }
        if (protocol == kProtocolIcmp && entry_protocol == kProtocolIcmp &&
            !IcmpMatches(e->icmp_type, e->icmp_code, icmp_type)) {
          continue;
        }
        if (entry_protocol != kProtocolAll && protocol == kProtocolAll) {
          // Matches only part of "all traffic": a deny blocks that part, an allow is not enough.
          if (!e->allow) {
            decided = e;
            break;
          }
          continue;
        }
        decided = e;
        break;
      }
      // Only a failure names the cell.
      auto what = [&] {
        return fmt::format("{} {} {}", Traffic(protocol, has_ports ? cell : wanted, icmp_type),
                           preposition, DescribeRange(first, last));
      };
      if (decided == nullptr) {
        out.status = Status::kFail;
        out.detail = fmt::format("no {} rule of `{}` allows {}; the final `*` rule denies it",
                                 direction, acl.origin.address, what());
        return out;
      }
      if (!decided->allow) {
        out.status = Status::kFail;
        out.decided_by = decided;
        out.detail = fmt::format("{} rule {} of `{}` denies {}", direction, decided->rule_number,
                                 acl.origin.address, what());
        return out;
      }
      if (first_allow == nullptr) {
        first_allow = decided;
      }
    }
  }
  passed(first_allow);
  return out;
}

}  // namespace cvpn
