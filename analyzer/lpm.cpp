// SPDX-License-Identifier: Apache-2.0
#include "analyzer/lpm.h"

#include <algorithm>

namespace cvpn {

std::vector<LpmPiece> LongestPrefixPieces(const Ipv4Cidr& range,
                                          const std::vector<Ipv4Cidr>& prefixes) {
  // Boundaries: starts of pieces, as 64-bit values so that 2^32 marks the end.
  std::vector<uint64_t> cuts{range.First(), uint64_t{range.Last()} + 1};
  std::vector<size_t> relevant;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const Ipv4Cidr& p = prefixes[i];
    if (!p.Overlaps(range)) {
      continue;
    }
    relevant.push_back(i);
    if (p.First() > range.First()) {
      cuts.push_back(p.First());
    }
    if (p.Last() < range.Last()) {
      cuts.push_back(uint64_t{p.Last()} + 1);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<LpmPiece> pieces;
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    LpmPiece piece;
    piece.first = static_cast<uint32_t>(cuts[c]);
    piece.last = static_cast<uint32_t>(cuts[c + 1] - 1);
    int best = -1;
    for (size_t i : relevant) {
      const Ipv4Cidr& p = prefixes[i];
      if (!p.Contains(piece.first)) {
        continue;  // boundaries guarantee: containing the first address means containing all
      }
      const int length = p.prefix_length;
      if (length > best) {
        best = length;
        piece.winners.clear();
      }
      if (length == best) {
        piece.winners.push_back(i);
      }
    }
    if (!pieces.empty() && pieces.back().winners == piece.winners &&
        uint64_t{pieces.back().last} + 1 == piece.first) {
      pieces.back().last = piece.last;
    } else {
      pieces.push_back(std::move(piece));
    }
  }
  return pieces;
}

std::string DescribeRange(uint32_t first, uint32_t last) {
  std::string out;
  for (const Ipv4Cidr& c : RangeToCidrs(first, last)) {
    if (!out.empty()) {
      out += ", ";
    }
    out += c.ToString();
  }
  return out;
}

}  // namespace cvpn
