// SPDX-License-Identifier: Apache-2.0
#include "analyzer/ports.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <utility>

namespace cvpn {
namespace {

constexpr std::string_view kExpectedSpec = "expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all";
/// Decimal values are accumulated only up to here; anything larger is out of every range we use.
constexpr long kSaturation = 1'000'000;

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

/// A non-empty run of decimal digits (leading zeros allowed), saturating at kSaturation.
std::optional<long> ParseDigits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (value < kSaturation) value = value * 10 + (c - '0');
  }
  return value;
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

/// Parses one port number of a PortSpec; on failure returns nullopt and sets `error`.
std::optional<int> ParsePort(std::string_view text, std::string& error) {
  if (text.empty()) {
    error = "missing port number";
    return std::nullopt;
  }
  const std::optional<long> value = ParseDigits(text);
  if (!value) {
    error = Quote(text) + " is not a port number";
    return std::nullopt;
  }
  if (*value > kMaxPort) {
    error = "port " + std::string(text) + " is out of range 0-65535";
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::string_view TrimBlanks(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

/// The first range in `ranges` whose last port is at or above `port`.
std::vector<PortRange>::const_iterator FirstEndingAtOrAfter(const std::vector<PortRange>& ranges,
                                                            int port) {
  return std::lower_bound(ranges.begin(), ranges.end(), port,
                          [](const PortRange& range, int value) { return range.last < value; });
}

}  // namespace

std::optional<int> ParseProtocol(std::string_view text) {
  if (text == "-1" || EqualsIgnoreCase(text, "all")) return kProtocolAll;
  if (EqualsIgnoreCase(text, "tcp")) return kProtocolTcp;
  if (EqualsIgnoreCase(text, "udp")) return kProtocolUdp;
  if (EqualsIgnoreCase(text, "icmp")) return kProtocolIcmp;
  if (EqualsIgnoreCase(text, "icmpv6")) return kProtocolIcmpv6;
  const std::optional<long> number = ParseDigits(text);
  if (!number || *number > 255) return std::nullopt;
  return static_cast<int>(*number);
}

std::string ProtocolName(int protocol) {
  switch (protocol) {
    case kProtocolAll:
      return "all";
    case kProtocolTcp:
      return "tcp";
    case kProtocolUdp:
      return "udp";
    case kProtocolIcmp:
      return "icmp";
    case kProtocolIcmpv6:
      return "icmpv6";
    default:
      return std::to_string(protocol);
  }
}

bool ProtocolHasPorts(int protocol) { return protocol == kProtocolTcp || protocol == kProtocolUdp; }

bool PortRange::Contains(const PortRange& other) const {
  return other.first >= first && other.last <= last;
}

bool PortRange::Contains(int port) const { return port >= first && port <= last; }

bool PortRange::Overlaps(const PortRange& other) const {
  return other.first <= last && first <= other.last;
}

std::string PortRange::ToString() const {
  if (first == last) return std::to_string(first);
  return std::to_string(first) + "-" + std::to_string(last);
}

void PortSet::Add(const PortRange& range) {
  PortRange merged{std::max(range.first, kMinPort), std::min(range.last, kMaxPort)};
  if (merged.first > merged.last) return;
  // The first range that is not wholly below `merged` with a gap between.
  const auto from = std::lower_bound(
      ranges_.begin(), ranges_.end(), merged.first,
      [](const PortRange& existing, int value) { return existing.last + 1 < value; });
  auto to = from;
  while (to != ranges_.end() && to->first <= merged.last + 1) {
    merged.first = std::min(merged.first, to->first);
    merged.last = std::max(merged.last, to->last);
    ++to;
  }
  if (from == to) {
    ranges_.insert(from, merged);
  } else {
    *from = merged;
    ranges_.erase(from + 1, to);
  }
}

void PortSet::Subtract(const PortRange& range) {
  if (range.first > range.last) return;
  const auto from = FirstEndingAtOrAfter(ranges_, range.first);
  std::array<PortRange, 2> kept{};
  size_t kept_count = 0;
  auto to = from;
  for (; to != ranges_.end() && to->first <= range.last; ++to) {
    // Only the first and the last overlapping range can stick out of `range`.
    if (to->first < range.first) kept[kept_count++] = PortRange{to->first, range.first - 1};
    if (to->last > range.last) kept[kept_count++] = PortRange{range.last + 1, to->last};
  }
  const auto at = ranges_.erase(from, to);
  ranges_.insert(at, kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(kept_count));
}

bool PortSet::Covers(const PortRange& range) const {
  if (range.first > range.last) return true;
  // Ranges are merged, so a single one must hold all of `range`.
  const auto it = FirstEndingAtOrAfter(ranges_, range.first);
  return it != ranges_.end() && it->first <= range.first && it->last >= range.last;
}

bool PortSet::Intersects(const PortRange& range) const {
  if (range.first > range.last) return false;
  const auto it = FirstEndingAtOrAfter(ranges_, range.first);
  return it != ranges_.end() && it->first <= range.last;
}

bool PortSet::Empty() const { return ranges_.empty(); }

std::vector<PortRange> PortSet::Uncovered(const PortRange& range) const {
  std::vector<PortRange> out;
  if (range.first > range.last) return out;
  int next = range.first;  // the lowest port of `range` not yet accounted for
  bool done = false;
  for (auto it = FirstEndingAtOrAfter(ranges_, range.first);
       it != ranges_.end() && it->first <= range.last; ++it) {
    if (it->first > next) out.push_back(PortRange{next, it->first - 1});
    if (it->last >= range.last) {
      done = true;
      break;
    }
    next = it->last + 1;
  }
  if (!done) out.push_back(PortRange{next, range.last});
  return out;
}

std::string PortSet::ToString() const {
  if (ranges_.empty()) return "(none)";
  std::string out;
  for (const PortRange& range : ranges_) {
    if (!out.empty()) out += ", ";
    out += range.ToString();
  }
  return out;
}

std::string PortSpec::ToString() const {
  if (!ProtocolHasPorts(protocol)) return ProtocolName(protocol);
  return ProtocolName(protocol) + "/" + ports.ToString();
}

PortSpecParseResult ParsePortSpec(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view name = text.substr(0, slash);
  if (EqualsIgnoreCase(name, "icmp") || EqualsIgnoreCase(name, "all")) {
    const int protocol = EqualsIgnoreCase(name, "icmp") ? kProtocolIcmp : kProtocolAll;
    if (slash != std::string_view::npos) {
      return {std::nullopt,
              ProtocolName(protocol) + " takes no port: expected " + ProtocolName(protocol)};
    }
    return {PortSpec{protocol, PortRange::All()}, {}};
  }
  if (!EqualsIgnoreCase(name, "tcp") && !EqualsIgnoreCase(name, "udp")) {
    return {std::nullopt, std::string(kExpectedSpec)};
  }
  const int protocol = EqualsIgnoreCase(name, "tcp") ? kProtocolTcp : kProtocolUdp;
  if (slash == std::string_view::npos) {
    const std::string proto = ProtocolName(protocol);
    return {std::nullopt, proto + " needs a port: expected " + proto + "/N or " + proto + "/N-M"};
  }
  const std::string_view ports = text.substr(slash + 1);
  const size_t dash = ports.find('-');
  std::string error;
  const std::optional<int> first = ParsePort(ports.substr(0, dash), error);
  if (!first) return {std::nullopt, error};
  int last = *first;
  if (dash != std::string_view::npos) {
    const std::optional<int> parsed_last = ParsePort(ports.substr(dash + 1), error);
    if (!parsed_last) return {std::nullopt, error};
    last = *parsed_last;
  }
  if (*first > last) {
    return {std::nullopt, "port range " + std::string(ports) + " is reversed (first > last)"};
  }
  return {PortSpec{protocol, PortRange{*first, last}}, {}};
}

PortSpecListParseResult ParsePortSpecList(std::string_view text) {
  PortSpecListParseResult result;
  if (TrimBlanks(text).empty()) {
    result.error = "empty port list: " + std::string(kExpectedSpec);
    return result;
  }
  size_t start = 0;
  int position = 1;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item = TrimBlanks(text.substr(start, comma - start));
    if (item.empty()) {
      result.specs.clear();
      result.error = "item " + std::to_string(position) + " of the port list is empty";
      return result;
    }
    PortSpecParseResult parsed = ParsePortSpec(item);
    if (!parsed.spec) {
      result.specs.clear();
      result.error = Quote(item) + ": " + parsed.error;
      return result;
    }
    result.specs.push_back(*parsed.spec);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
    ++position;
  }
  return result;
}

RuleTraffic NormalizeRuleTraffic(int protocol, int from_port, int to_port) {
  if (!ProtocolHasPorts(protocol) || from_port == -1 || to_port == -1) {
    return {protocol, PortRange::All()};
  }
  int first = std::clamp(from_port, kMinPort, kMaxPort);
  int last = std::clamp(to_port, kMinPort, kMaxPort);
  if (first > last) std::swap(first, last);
  return {protocol, PortRange{first, last}};
}

TrafficMatch MatchTraffic(const RuleTraffic& rule, const PortSpec& want) {
  if (rule.protocol == kProtocolAll) return TrafficMatch::kFull;
  if (want.protocol == kProtocolAll) return TrafficMatch::kPartial;
  if (rule.protocol != want.protocol) return TrafficMatch::kNone;
  if (!ProtocolHasPorts(want.protocol)) return TrafficMatch::kFull;
  if (rule.ports.Contains(want.ports)) return TrafficMatch::kFull;
  if (rule.ports.Overlaps(want.ports)) return TrafficMatch::kPartial;
  return TrafficMatch::kNone;
}

}  // namespace cvpn
