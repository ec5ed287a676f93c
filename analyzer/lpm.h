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

/// A person's text for a piece: "10.0.1.0/24" or "10.0.1.0/25, 10.0.1.128/26".
std::string DescribeRange(uint32_t first, uint32_t last);

}  // namespace cvpn
