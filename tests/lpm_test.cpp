// SPDX-License-Identifier: Apache-2.0
// Unit tests for analyzer/lpm.h: the prefix index finds exactly the overlapping prefixes, and
// longest-prefix pieces through the index are the pieces of the whole list.
#include "analyzer/lpm.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

namespace cvpn {
namespace {

Ipv4Cidr RandomCidr(std::mt19937& random, uint8_t min_length, uint8_t max_length) {
  std::uniform_int_distribution<uint32_t> address;
  std::uniform_int_distribution<int> length(min_length, max_length);
  // Few distinct networks, so that prefixes nest, repeat and touch.
  const uint32_t base = 0x0A000000U | (address(random) & 0x00030F00U);
  const auto l = static_cast<uint8_t>(length(random));
  return Ipv4Cidr{Ipv4Cidr{base, l}.First(), l};
}

bool SamePieces(const std::vector<LpmPiece>& a, const std::vector<LpmPiece>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].last != b[i].last || a[i].winners != b[i].winners) {
      return false;
    }
  }
  return true;
}

TEST_CASE("PrefixIndex finds exactly the prefixes that overlap a range", "[lpm]") {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Ipv4Cidr> prefixes;
    const int count = round % 40;
    for (int i = 0; i < count; ++i) {
      prefixes.push_back(RandomCidr(random, 0, 32));
    }
    const PrefixIndex index(prefixes);
    for (int q = 0; q < 20; ++q) {
      const Ipv4Cidr range = RandomCidr(random, 8, 32);
      std::vector<size_t> expected;
      for (size_t i = 0; i < prefixes.size(); ++i) {
        if (prefixes[i].Overlaps(range)) {
          expected.push_back(i);
        }
      }
      INFO("range " << range.ToString() << " among " << prefixes.size() << " prefixes");
      CHECK(index.Overlapping(range) == expected);
      CHECK(SamePieces(LongestPrefixPieces(range, prefixes, index),
                       LongestPrefixPieces(range, prefixes)));
    }
  }
}

}  // namespace
}  // namespace cvpn
