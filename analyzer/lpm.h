// SPDX-License-Identifier: Apache-2.0
// Longest-prefix match over a whole address range: the range is cut into the pieces on which the
// most specific matching prefix stays the same, as route tables and Client VPN authorization
// rules decide.
#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/cidr.h"

namespace cvpn {

/// A piece of the queried range and the prefixes that decide it.
struct LpmPiece {
  uint32_t first = 0;
  uint32_t last = 0;
  /// Indices into the prefix list of every prefix with the longest length that contains the
  /// piece; empty when no prefix covers it.
  std::vector<size_t> winners;
};

/// Cuts `range` into maximal pieces with the same winners, in ascending address order.
std::vector<LpmPiece> LongestPrefixPieces(const Ipv4Cidr& range,
                                          const std::vector<Ipv4Cidr>& prefixes);

/// A list of prefixes that finds the ones overlapping a range without looking at the others.
class PrefixIndex {
 public:
  PrefixIndex() = default;
  explicit PrefixIndex(const std::vector<Ipv4Cidr>& prefixes);

  /// Indices (ascending) of the prefixes that share an address with `range`.
  std::vector<size_t> Overlapping(const Ipv4Cidr& range) const;

 private:
  struct Entry {
    uint32_t first;
    uint8_t length;
    size_t index;
  };
  std::vector<Entry> by_first_;   ///< sorted by (first, length, index)
  std::vector<uint8_t> lengths_;  ///< the distinct prefix lengths, ascending
};

/// LongestPrefixPieces(range, prefixes) where `index` indexes `prefixes`: the same pieces, found
/// by looking only at the prefixes that overlap `range`.
std::vector<LpmPiece> LongestPrefixPieces(const Ipv4Cidr& range,
                                          const std::vector<Ipv4Cidr>& prefixes,
                                          const PrefixIndex& index);

/// A person's text for a piece: "10.0.1.0/24" or "10.0.1.0/25, 10.0.1.128/26".
std::string DescribeRange(uint32_t first, uint32_t last);

}  // namespace cvpn
