// SPDX-License-Identifier: Apache-2.0
// Exact IPv4 CIDR arithmetic: parsing and formatting of networks, range decomposition, and
// address sets kept as merged intervals, so coverage questions have exact answers.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvpn {

/// An IPv4 network: address (host order) and prefix length 0..32. Invariant: host bits are zero.
/// The accessors mask the address themselves, so a value that breaks the invariant still behaves
/// as the network it names; a prefix length above 32 is treated as 32.
struct Ipv4Cidr {
  uint32_t address = 0;
  uint8_t prefix_length = 0;

  /// The lowest address of the network.
  uint32_t First() const;
  /// The highest address of the network.
  uint32_t Last() const;
  /// The number of addresses, 2^(32 - prefix_length): 1 for a /32, 2^32 for a /0.
  uint64_t Size() const;
  /// True when every address of `other` is in this network.
  bool Contains(const Ipv4Cidr& other) const;
  /// True when `ip` (host order) is in this network.
  bool Contains(uint32_t ip) const;
  /// True when the two networks share at least one address.
  bool Overlaps(const Ipv4Cidr& other) const;
  /// The canonical text form, e.g. "10.0.1.0/24".
  std::string ToString() const;

  /// Orders by address, then by prefix length.
  friend auto operator<=>(const Ipv4Cidr&, const Ipv4Cidr&) = default;
};

/// Why a CIDR did not parse cleanly.
enum class CidrError { kNone, kSyntax, kOctetOutOfRange, kPrefixOutOfRange, kHostBitsSet };

/// The outcome of ParseIpv4Cidr.
struct CidrParseResult {
  /// Set when `error` is kNone, or kHostBitsSet (then canonicalised: host bits cleared).
  std::optional<Ipv4Cidr> cidr;
  CidrError error = CidrError::kNone;
};

/// Parses "a.b.c.d/n" strictly, as AWS does: four decimal octets 0-255 and a decimal prefix
/// length 0-32, nothing else (no sign, no spaces, no empty parts). A multi-digit octet or prefix
/// with a leading zero ("010.0.0.0/8", "10.0.0.0/08") is kSyntax; a lone "0" is fine. A bare
/// address without "/n" is kSyntax. When several things are wrong the first of kSyntax,
/// kOctetOutOfRange, kPrefixOutOfRange, kHostBitsSet is reported. Numbers of any length are
/// handled without overflow ("10.0.0.0/4294967297" is kPrefixOutOfRange).
CidrParseResult ParseIpv4Cidr(std::string_view text);

/// Parses a dotted-quad address ("10.0.0.5") with the octet rules of ParseIpv4Cidr; the result is
/// in host order. nullopt on any error.
std::optional<uint32_t> ParseIpv4Address(std::string_view text);

/// Formats a host-order address as a dotted quad, e.g. "10.0.0.5".
std::string FormatIpv4(uint32_t address);

/// A short description for messages: "not an IPv4 CIDR", "octet out of range",
/// "prefix length out of range", "host bits set"; "no error" for kNone.
std::string_view DescribeCidrError(CidrError error);

/// The smallest list of CIDRs exactly covering [first, last], in ascending order. Empty when
/// first > last.
std::vector<Ipv4Cidr> RangeToCidrs(uint32_t first, uint32_t last);

/// A set of IPv4 addresses, kept as sorted, disjoint, non-adjacent closed intervals (merged), so
/// two sets holding the same addresses compare equal however they were built.
class AddressSet {
 public:
  /// A closed interval of host-order addresses, first <= last.
  struct Interval {
    uint32_t first;
    uint32_t last;
    friend bool operator==(const Interval&, const Interval&) = default;
  };

  /// The empty set.
  AddressSet() = default;
  /// The addresses of one network.
  static AddressSet Of(const Ipv4Cidr& cidr);
  /// Every address, 0.0.0.0/0.
  static AddressSet All();

  /// Adds the addresses of `cidr`.
  void Add(const Ipv4Cidr& cidr);
  /// Adds the closed range [first, last]; does nothing when first > last.
  void Add(uint32_t first, uint32_t last);
  /// Adds every address of `other` (a linear merge).
  void Add(const AddressSet& other);
  /// Removes the addresses of `cidr`.
  void Subtract(const Ipv4Cidr& cidr);
  /// Removes every address of `other` (a linear sweep).
  void Subtract(const AddressSet& other);
  /// The addresses in both sets.
  AddressSet Intersect(const AddressSet& other) const;

  /// True when the set holds no address.
  bool Empty() const;
  /// True when every address of `cidr` is in the set.
  bool Covers(const Ipv4Cidr& cidr) const;
  /// True when every address of `other` is in the set (true for an empty `other`).
  bool Covers(const AddressSet& other) const;
  /// True when at least one address of `cidr` is in the set.
  bool Intersects(const Ipv4Cidr& cidr) const;
  /// True when the sets share at least one address.
  bool Intersects(const AddressSet& other) const;
  /// The number of addresses (up to 2^32).
  uint64_t Size() const;

  /// What of `cidr` the set does not cover, as the minimal CIDR list in ascending order.
  std::vector<Ipv4Cidr> Uncovered(const Ipv4Cidr& cidr) const;
  /// The minimal CIDR decomposition of the set, ascending.
  std::vector<Ipv4Cidr> ToCidrs() const;
  /// The CIDRs of ToCidrs() joined with ", "; "(none)" when empty.
  std::string ToString() const;

  /// The merged intervals, ascending.
  const std::vector<Interval>& Intervals() const { return intervals_; }

  friend bool operator==(const AddressSet&, const AddressSet&) = default;

 private:
  /// Removes the closed range [first, last]; does nothing when first > last.
  void SubtractRange(uint32_t first, uint32_t last);
  /// True when one interval holds all of [first, last].
  bool CoversRange(uint32_t first, uint32_t last) const;

  std::vector<Interval> intervals_;
};

}  // namespace cvpn
