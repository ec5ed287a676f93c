// SPDX-License-Identifier: Apache-2.0
#include "analyzer/lpm.h"

#include <algorithm>
#include <tuple>
#include <utility>

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

namespace {

uint8_t LengthOf(const Ipv4Cidr& c) { return c.prefix_length > 32 ? uint8_t{32} : c.prefix_length; }

}  // namespace

PrefixIndex::PrefixIndex(const std::vector<Ipv4Cidr>& prefixes) {
  by_first_.reserve(prefixes.size());
  for (size_t i = 0; i < prefixes.size(); ++i) {
    by_first_.push_back({prefixes[i].First(), LengthOf(prefixes[i]), i});
    lengths_.push_back(LengthOf(prefixes[i]));
  }
  std::sort(by_first_.begin(), by_first_.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.first, a.length, a.index) < std::tie(b.first, b.length, b.index);
  });
  std::sort(lengths_.begin(), lengths_.end());
  lengths_.erase(std::unique(lengths_.begin(), lengths_.end()), lengths_.end());
}

std::vector<size_t> PrefixIndex::Overlapping(const Ipv4Cidr& range) const {
  std::vector<size_t> out;
  const uint32_t first = range.First();
  const uint32_t last = range.Last();
  auto at_or_after = [&](uint32_t address, uint8_t length) {
    return std::lower_bound(by_first_.begin(), by_first_.end(), std::pair{address, length},
                            [](const Entry& e, const std::pair<uint32_t, uint8_t>& key) {
                              return std::pair{e.first, e.length} < key;
                            });
  };
  // CIDRs nest or are disjoint: an overlapping prefix starts inside the range, or starts before
  // it and contains it (a shorter prefix whose network is the range's, masked).
  for (auto it = at_or_after(first, 0); it != by_first_.end() && it->first <= last; ++it) {
    out.push_back(it->index);
  }
  for (const uint8_t length : lengths_) {
    if (length >= LengthOf(range)) {
      break;
    }
    const uint32_t network = Ipv4Cidr{first, length}.First();
    if (network == first) {
      continue;  // found above
    }
    for (auto it = at_or_after(network, length);
         it != by_first_.end() && it->first == network && it->length == length; ++it) {
      out.push_back(it->index);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<LpmPiece> LongestPrefixPieces(const Ipv4Cidr& range,
                                          const std::vector<Ipv4Cidr>& prefixes,
                                          const PrefixIndex& index) {
  const std::vector<size_t> overlapping = index.Overlapping(range);
  std::vector<Ipv4Cidr> subset;
  subset.reserve(overlapping.size());
  for (const size_t i : overlapping) {
    subset.push_back(prefixes[i]);
  }
  std::vector<LpmPiece> pieces = LongestPrefixPieces(range, subset);
  for (LpmPiece& piece : pieces) {
    for (size_t& w : piece.winners) {
      w = overlapping[w];
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
