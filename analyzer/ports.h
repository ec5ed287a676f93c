// SPDX-License-Identifier: Apache-2.0
// Protocols, port ranges and port sets, the `PortSpec` a pair is checked on, and how a security
// group or network ACL rule's (protocol, from, to) matches such a spec under AWS semantics.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvpn {

/// IANA protocol number; kProtocolAll (-1) means every protocol.
inline constexpr int kProtocolAll = -1;
inline constexpr int kProtocolIcmp = 1;
inline constexpr int kProtocolTcp = 6;
inline constexpr int kProtocolUdp = 17;
/// An `icmp` pair means ping: echo requests out, echo replies back.
inline constexpr int kIcmpEchoRequest = 8;
inline constexpr int kIcmpEchoReply = 0;
/// Whether an ICMP rule with `type` and `code` (-1: any) matches ICMP of `wanted_type`, code 0.
inline bool IcmpMatches(int type, int code, int wanted_type) {
  return (type == -1 || type == wanted_type) && (code == -1 || code == 0);
}
inline constexpr int kProtocolIcmpv6 = 58;

/// The lowest and highest port number.
inline constexpr int kMinPort = 0;
inline constexpr int kMaxPort = 65535;

/// Parses AWS/Terraform/CloudFormation protocol spellings, case-insensitive: "-1", "all", "tcp",
/// "6", "udp", "17", "icmp", "1", "icmpv6", "58", or any other decimal 0-255 (leading zeros
/// allowed, e.g. "006"). No sign other than the exact "-1", no spaces. nullopt if invalid.
std::optional<int> ParseProtocol(std::string_view text);

/// "all", "tcp", "udp", "icmp", "icmpv6", else the number as text.
std::string ProtocolName(int protocol);

/// True only for tcp and udp. Per AWS, rules on -1 and on protocols other than tcp/udp/icmp/icmpv6
/// match all ports, and icmp "ports" are types and codes (see IcmpMatches).
bool ProtocolHasPorts(int protocol);

/// A closed range of ports [first, last] within 0..65535.
struct PortRange {
  int first = kMinPort;
  int last = kMaxPort;

  /// 0-65535.
  static PortRange All() { return {kMinPort, kMaxPort}; }
  /// True when every port of `other` is in this range.
  bool Contains(const PortRange& other) const;
  /// True when `port` is in this range.
  bool Contains(int port) const;
  /// True when the ranges share at least one port.
  bool Overlaps(const PortRange& other) const;
  /// "22" for a single port, else "1024-65535".
  std::string ToString() const;

  friend auto operator<=>(const PortRange&, const PortRange&) = default;
};

/// A set of ports kept as sorted, disjoint, non-adjacent closed ranges (like AddressSet).
class PortSet {
 public:
  /// Adds `range`, clipped to 0..65535; does nothing when it is empty (first > last).
  void Add(const PortRange& range);
  /// Removes `range`; does nothing when it is empty (first > last).
  void Subtract(const PortRange& range);
  /// True when every port of `range` is in the set.
  bool Covers(const PortRange& range) const;
  /// True when at least one port of `range` is in the set.
  bool Intersects(const PortRange& range) const;
  /// True when the set holds no port.
  bool Empty() const;
  /// The parts of `range` not in the set, ascending.
  std::vector<PortRange> Uncovered(const PortRange& range) const;
  /// The merged ranges, ascending.
  const std::vector<PortRange>& Ranges() const { return ranges_; }
  /// The ranges joined with ", ", e.g. "22, 443, 1024-65535"; "(none)" when empty.
  std::string ToString() const;

  friend bool operator==(const PortSet&, const PortSet&) = default;

 private:
  std::vector<PortRange> ranges_;
};

/// What a pair is checked on: a protocol and a destination port range.
/// Text forms (contract): "tcp/N", "tcp/N-M", "udp/N", "udp/N-M", "icmp", "all"
/// (case-insensitive input; N <= M; 0..65535). For icmp and all, ports is PortRange::All().
struct PortSpec {
  int protocol = kProtocolTcp;
  PortRange ports;

  /// Canonical: "tcp/5432", "tcp/1000-2000", "udp/53", "icmp", "all". A spec built by hand on
  /// another protocol prints as ProtocolName(), with "/ports" only when the protocol has ports.
  std::string ToString() const;

  friend auto operator<=>(const PortSpec&, const PortSpec&) = default;
};

/// The outcome of ParsePortSpec: `spec` on success, else `error` in words for a person.
struct PortSpecParseResult {
  std::optional<PortSpec> spec;
  std::string error;
};

/// Parses one PortSpec text form, strictly (no surrounding spaces). Errors read e.g.
/// "port 70000 is out of range 0-65535" or
/// "expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all".
PortSpecParseResult ParsePortSpec(std::string_view text);

/// The outcome of ParsePortSpecList: on failure `specs` is empty and `error` is set.
struct PortSpecListParseResult {
  std::vector<PortSpec> specs;
  std::string error;
};

/// Parses a comma-separated list ("tcp/22,tcp/443", spaces and tabs around items allowed), as
/// used by the `cvpn-lint:ports` tag. Items are kept in the order written, duplicates included.
/// Fails on the first bad or empty item, and the error names it:
/// `"tcp/70000": port 70000 is out of range 0-65535`.
PortSpecListParseResult ParsePortSpecList(std::string_view text);

/// How a security-group or NACL rule's (protocol, from, to) constrains traffic, per AWS semantics:
/// protocol -1 -> all traffic; tcp/udp -> the port range [from,to] (a tcp/udp rule with from=-1 or
/// to=-1 is treated as all ports); icmp/icmpv6 -> all ports in the PortSpec sense (the evaluators
/// check ICMP types and codes with IcmpMatches); any other protocol -> all "ports". Out-of-range bounds are clipped to 0..65535 and a reversed range is swapped; AWS
/// rejects such rules, so this only keeps the result well-formed.
struct RuleTraffic {
  int protocol = kProtocolAll;
  PortRange ports;
};
RuleTraffic NormalizeRuleTraffic(int protocol, int from_port, int to_port);

/// How much of a pair's traffic a rule matches.
enum class TrafficMatch { kNone, kPartial, kFull };

/// The part of `want` (a pair's protocol and ports) that a rule with traffic `rule` matches.
/// Protocol must match exactly unless the rule is kProtocolAll; a pair of protocol "all" is matched
/// fully only by a kProtocolAll rule and partially by any other rule. On tcp/udp the rule's range
/// decides: containing `want.ports` is kFull, overlapping it kPartial, else kNone.
TrafficMatch MatchTraffic(const RuleTraffic& rule, const PortSpec& want);

}  // namespace cvpn
