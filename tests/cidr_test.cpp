// SPDX-License-Identifier: Apache-2.0
// Unit tests for analyzer/cidr.h: parsing, edge arithmetic, range decomposition, address sets.
#include "analyzer/cidr.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cvpn {
namespace {

constexpr uint32_t kMaxAddress = 0xFFFFFFFFU;

/// Builds a host-order address from its octets.
constexpr uint32_t Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

/// Parses a CIDR that the test knows to be valid; fails the test otherwise.
Ipv4Cidr C(std::string_view text) {
  const CidrParseResult result = ParseIpv4Cidr(text);
  INFO("parsing " << text);
  REQUIRE(result.error == CidrError::kNone);
  REQUIRE(result.cidr.has_value());
  return *result.cidr;
}

std::vector<std::string> Strings(const std::vector<Ipv4Cidr>& cidrs) {
  std::vector<std::string> out;
  for (const Ipv4Cidr& cidr : cidrs) out.push_back(cidr.ToString());
  return out;
}

AddressSet SetOf(const std::vector<std::string_view>& cidrs) {
  AddressSet set;
  for (const std::string_view text : cidrs) set.Add(C(text));
  return set;
}

using Strs = std::vector<std::string>;

TEST_CASE("ParseIpv4Cidr accepts valid CIDRs", "[cidr]") {
  struct Case {
    std::string_view text;
    uint32_t address;
    uint8_t prefix_length;
  };
  const std::vector<Case> cases = {
      {"10.0.0.0/8", Ip(10, 0, 0, 0), 8},
      {"10.0.1.0/24", Ip(10, 0, 1, 0), 24},
      {"0.0.0.0/0", 0, 0},
      {"255.255.255.255/32", kMaxAddress, 32},
      {"192.168.1.77/32", Ip(192, 168, 1, 77), 32},
      {"172.16.0.0/12", Ip(172, 16, 0, 0), 12},
      {"128.0.0.0/1", Ip(128, 0, 0, 0), 1},
      {"10.0.0.0/31", Ip(10, 0, 0, 0), 31},
      {"100.64.0.0/10", Ip(100, 64, 0, 0), 10},
      {"0.0.0.0/32", 0, 32},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.text) {
      const CidrParseResult result = ParseIpv4Cidr(c.text);
      CHECK(result.error == CidrError::kNone);
      REQUIRE(result.cidr.has_value());
      CHECK(result.cidr->address == c.address);
      CHECK(result.cidr->prefix_length == c.prefix_length);
      CHECK(result.cidr->ToString() == c.text);
    }
  }
}

TEST_CASE("ParseIpv4Cidr rejects malformed input with the right error", "[cidr]") {
  struct Case {
    std::string_view name;
    std::string_view text;
    CidrError error;
  };
  const std::vector<Case> cases = {
      {"empty", "", CidrError::kSyntax},
      {"three octets", "10.0.0/8", CidrError::kSyntax},
      {"five octets", "10.0.0.0.0/8", CidrError::kSyntax},
      {"empty prefix", "10.0.0.0/", CidrError::kSyntax},
      {"letters", "a.b.c.d/8", CidrError::kSyntax},
      {"leading space", " 10.0.0.0/8", CidrError::kSyntax},
      {"trailing space", "10.0.0.0/8 ", CidrError::kSyntax},
      {"space before slash", "10.0.0.0 /8", CidrError::kSyntax},
      {"negative prefix", "1.2.3.4/-1", CidrError::kSyntax},
      {"plus prefix", "10.0.0.0/+8", CidrError::kSyntax},
      {"plus octet", "+10.0.0.0/8", CidrError::kSyntax},
      {"leading zero octet", "01.2.3.4/8", CidrError::kSyntax},
      {"leading zero octet 010", "010.0.0.0/8", CidrError::kSyntax},
      {"double zero octet", "10.00.0.0/16", CidrError::kSyntax},
      {"leading zero prefix", "10.0.0.0/08", CidrError::kSyntax},
      {"bare address", "10.0.0.0", CidrError::kSyntax},
      {"empty octet", "10..0.0/8", CidrError::kSyntax},
      {"trailing dot", "10.0.0.0./8", CidrError::kSyntax},
      {"leading dot", ".10.0.0.0/8", CidrError::kSyntax},
      {"two slashes", "10.0.0.0/8/8", CidrError::kSyntax},
      {"only slash", "/", CidrError::kSyntax},
      {"missing address", "/8", CidrError::kSyntax},
      {"hex octet", "0x0A.0.0.0/8", CidrError::kSyntax},
      {"ipv6", "::/0", CidrError::kSyntax},
      {"syntax wins over range", "300.0.0.0/x", CidrError::kSyntax},
      {"octet 256", "256.0.0.0/8", CidrError::kOctetOutOfRange},
      {"octet 300", "300.1.1.1/8", CidrError::kOctetOutOfRange},
      {"last octet 999", "10.0.0.999/32", CidrError::kOctetOutOfRange},
      {"huge octet", "10.99999999999999999999999.0.0/16", CidrError::kOctetOutOfRange},
      {"octet wins over prefix", "300.0.0.0/33", CidrError::kOctetOutOfRange},
      {"prefix 33", "10.0.0.0/33", CidrError::kPrefixOutOfRange},
      {"prefix 100", "10.0.0.0/100", CidrError::kPrefixOutOfRange},
      {"prefix wraps 32 bits", "10.0.0.0/4294967297", CidrError::kPrefixOutOfRange},
      {"prefix wraps 64 bits", "10.0.0.0/18446744073709551624", CidrError::kPrefixOutOfRange},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name << ": \"" << c.text << "\"") {
      const CidrParseResult result = ParseIpv4Cidr(c.text);
      CHECK(result.error == c.error);
      CHECK_FALSE(result.cidr.has_value());
    }
  }
}

TEST_CASE("ParseIpv4Cidr canonicalises CIDRs with host bits set", "[cidr]") {
  struct Case {
    std::string_view text;
    std::string_view canonical;
  };
  const std::vector<Case> cases = {
      {"10.0.0.1/24", "10.0.0.0/24"},     {"10.0.1.5/16", "10.0.0.0/16"},
      {"255.255.255.255/0", "0.0.0.0/0"}, {"192.168.1.1/31", "192.168.1.0/31"},
      {"128.0.0.1/1", "128.0.0.0/1"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.text) {
      const CidrParseResult result = ParseIpv4Cidr(c.text);
      CHECK(result.error == CidrError::kHostBitsSet);
      REQUIRE(result.cidr.has_value());
      CHECK(result.cidr->ToString() == c.canonical);
      CHECK(result.cidr->address == result.cidr->First());
    }
  }
}

TEST_CASE("ParseIpv4Address and FormatIpv4", "[cidr]") {
  CHECK(ParseIpv4Address("10.0.0.5") == Ip(10, 0, 0, 5));
  CHECK(ParseIpv4Address("0.0.0.0") == 0U);
  CHECK(ParseIpv4Address("255.255.255.255") == kMaxAddress);
  CHECK(ParseIpv4Address("1.2.3.4") == 0x01020304U);
  for (const std::string_view bad : {"", "10.0.0", "10.0.0.5/32", "256.0.0.0", "01.0.0.0",
                                     " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "1.2.3.4.", "a.b.c.d"}) {
    DYNAMIC_SECTION("rejects \"" << bad << "\"") { CHECK_FALSE(ParseIpv4Address(bad)); }
  }
  CHECK(FormatIpv4(0) == "0.0.0.0");
  CHECK(FormatIpv4(kMaxAddress) == "255.255.255.255");
  CHECK(FormatIpv4(Ip(10, 20, 30, 40)) == "10.20.30.40");
  CHECK(FormatIpv4(0x01020304U) == "1.2.3.4");
}

TEST_CASE("DescribeCidrError", "[cidr]") {
  CHECK(DescribeCidrError(CidrError::kNone) == "no error");
  CHECK(DescribeCidrError(CidrError::kSyntax) == "not an IPv4 CIDR");
  CHECK(DescribeCidrError(CidrError::kOctetOutOfRange) == "octet out of range");
  CHECK(DescribeCidrError(CidrError::kPrefixOutOfRange) == "prefix length out of range");
  CHECK(DescribeCidrError(CidrError::kHostBitsSet) == "host bits set");
}

TEST_CASE("Ipv4Cidr arithmetic at the edges", "[cidr]") {
  SECTION("/0") {
    const Ipv4Cidr all = C("0.0.0.0/0");
    CHECK(all.First() == 0U);
    CHECK(all.Last() == kMaxAddress);
    CHECK(all.Size() == (uint64_t{1} << 32));
    CHECK(all.Contains(0U));
    CHECK(all.Contains(kMaxAddress));
    CHECK(all.Contains(C("255.255.255.255/32")));
    CHECK(all.Contains(all));
    CHECK(all.Overlaps(C("10.0.0.0/8")));
    CHECK(C("10.0.0.0/8").Overlaps(all));
    CHECK_FALSE(C("10.0.0.0/8").Contains(all));
  }
  SECTION("/32 at the top") {
    const Ipv4Cidr top = C("255.255.255.255/32");
    CHECK(top.First() == kMaxAddress);
    CHECK(top.Last() == kMaxAddress);
    CHECK(top.Size() == 1U);
    CHECK(top.Contains(kMaxAddress));
    CHECK_FALSE(top.Contains(kMaxAddress - 1));
    CHECK(top.Contains(top));
    CHECK(top.Overlaps(C("255.0.0.0/8")));
    CHECK_FALSE(top.Overlaps(C("255.255.255.254/32")));
    CHECK(C("255.255.255.254/31").Contains(top));
  }
  SECTION("/32 at the bottom") {
    const Ipv4Cidr zero = C("0.0.0.0/32");
    CHECK(zero.First() == 0U);
    CHECK(zero.Last() == 0U);
    CHECK(zero.Size() == 1U);
    CHECK(zero.Contains(0U));
    CHECK_FALSE(zero.Contains(1U));
    CHECK_FALSE(zero.Overlaps(C("0.0.0.1/32")));
  }
  SECTION("/24") {
    const Ipv4Cidr net = C("10.0.1.0/24");
    CHECK(net.First() == Ip(10, 0, 1, 0));
    CHECK(net.Last() == Ip(10, 0, 1, 255));
    CHECK(net.Size() == 256U);
    CHECK(net.Contains(Ip(10, 0, 1, 0)));
    CHECK(net.Contains(Ip(10, 0, 1, 255)));
    CHECK_FALSE(net.Contains(Ip(10, 0, 0, 255)));
    CHECK_FALSE(net.Contains(Ip(10, 0, 2, 0)));
    CHECK(net.Contains(C("10.0.1.128/25")));
    CHECK_FALSE(net.Contains(C("10.0.0.0/23")));
    CHECK(C("10.0.0.0/23").Contains(net));
    CHECK(net.Overlaps(C("10.0.0.0/16")));
    CHECK_FALSE(net.Overlaps(C("10.0.0.0/24")));
    CHECK_FALSE(net.Overlaps(C("10.0.2.0/24")));
  }
  SECTION("/1 halves") {
    const Ipv4Cidr low = C("0.0.0.0/1");
    const Ipv4Cidr high = C("128.0.0.0/1");
    CHECK(low.Last() == 0x7FFFFFFFU);
    CHECK(high.First() == 0x80000000U);
    CHECK(high.Last() == kMaxAddress);
    CHECK(low.Size() == (uint64_t{1} << 31));
    CHECK_FALSE(low.Overlaps(high));
  }
  SECTION("invariant-breaking values behave as their network") {
    const Ipv4Cidr sloppy{Ip(10, 0, 0, 7), 24};
    CHECK(sloppy.First() == Ip(10, 0, 0, 0));
    CHECK(sloppy.Last() == Ip(10, 0, 0, 255));
    CHECK(sloppy.ToString() == "10.0.0.0/24");
    const Ipv4Cidr too_long{Ip(10, 0, 0, 7), 40};
    CHECK(too_long.Size() == 1U);
    CHECK(too_long.First() == Ip(10, 0, 0, 7));
    CHECK(too_long.Last() == Ip(10, 0, 0, 7));
  }
  SECTION("ordering and equality") {
    CHECK(C("10.0.0.0/8") == C("10.0.0.0/8"));
    CHECK(C("10.0.0.0/8") != C("10.0.0.0/16"));
    CHECK(C("10.0.0.0/8") < C("10.0.0.0/16"));
    CHECK(C("9.0.0.0/8") < C("10.0.0.0/8"));
  }
}

TEST_CASE("RangeToCidrs gives the minimal ascending cover", "[cidr]") {
  struct Case {
    std::string_view name;
    uint32_t first;
    uint32_t last;
    Strs expected;
  };
  const std::vector<Case> cases = {
      {"full range", 0, kMaxAddress, {"0.0.0.0/0"}},
      {"single address", Ip(10, 0, 0, 5), Ip(10, 0, 0, 5), {"10.0.0.5/32"}},
      {"zero", 0, 0, {"0.0.0.0/32"}},
      {"top address", kMaxAddress, kMaxAddress, {"255.255.255.255/32"}},
      {"odd range",
       Ip(10, 0, 0, 1),
       Ip(10, 0, 0, 6),
       {"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"}},
      {"aligned /24", Ip(10, 0, 1, 0), Ip(10, 0, 1, 255), {"10.0.1.0/24"}},
      {"two /24", Ip(10, 0, 1, 0), Ip(10, 0, 2, 255), {"10.0.1.0/24", "10.0.2.0/24"}},
      {"all but zero",
       1,
       kMaxAddress,
       {"0.0.0.1/32",  "0.0.0.2/31",   "0.0.0.4/30",  "0.0.0.8/29",   "0.0.0.16/28", "0.0.0.32/27",
        "0.0.0.64/26", "0.0.0.128/25", "0.0.1.0/24",  "0.0.2.0/23",   "0.0.4.0/22",  "0.0.8.0/21",
        "0.0.16.0/20", "0.0.32.0/19",  "0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16",  "0.2.0.0/15",
        "0.4.0.0/14",  "0.8.0.0/13",   "0.16.0.0/12", "0.32.0.0/11",  "0.64.0.0/10", "0.128.0.0/9",
        "1.0.0.0/8",   "2.0.0.0/7",    "4.0.0.0/6",   "8.0.0.0/5",    "16.0.0.0/4",  "32.0.0.0/3",
        "64.0.0.0/2",  "128.0.0.0/1"}},
      {"top half minus last",
       0x80000000U,
       kMaxAddress - 1,
       {"128.0.0.0/2",        "192.0.0.0/3",        "224.0.0.0/4",        "240.0.0.0/5",
        "248.0.0.0/6",        "252.0.0.0/7",        "254.0.0.0/8",        "255.0.0.0/9",
        "255.128.0.0/10",     "255.192.0.0/11",     "255.224.0.0/12",     "255.240.0.0/13",
        "255.248.0.0/14",     "255.252.0.0/15",     "255.254.0.0/16",     "255.255.0.0/17",
        "255.255.128.0/18",   "255.255.192.0/19",   "255.255.224.0/20",   "255.255.240.0/21",
        "255.255.248.0/22",   "255.255.252.0/23",   "255.255.254.0/24",   "255.255.255.0/25",
        "255.255.255.128/26", "255.255.255.192/27", "255.255.255.224/28", "255.255.255.240/29",
        "255.255.255.248/30", "255.255.255.252/31", "255.255.255.254/32"}},
      {"upper end", Ip(255, 255, 255, 252), kMaxAddress, {"255.255.255.252/30"}},
      {"reversed", 10, 5, {}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const std::vector<Ipv4Cidr> cidrs = RangeToCidrs(c.first, c.last);
      CHECK(Strings(cidrs) == c.expected);
      // Whatever the case, the blocks tile [first, last] exactly, in order.
      uint64_t next = c.first;
      for (const Ipv4Cidr& cidr : cidrs) {
        CHECK(cidr.First() == next);
        next = uint64_t{cidr.Last()} + 1;
      }
      if (!cidrs.empty()) CHECK(next == uint64_t{c.last} + 1);
    }
  }
}

TEST_CASE("AddressSet merges adjacent and overlapping intervals", "[cidr][set]") {
  using I = AddressSet::Interval;
  SECTION("empty set") {
    const AddressSet set;
    CHECK(set.Empty());
    CHECK(set.Size() == 0U);
    CHECK(set.ToString() == "(none)");
    CHECK(set.ToCidrs().empty());
  }
  SECTION("adjacent CIDRs merge") {
    const AddressSet set = SetOf({"10.0.0.0/25", "10.0.0.128/25"});
    CHECK(set.Intervals() == std::vector<I>{{Ip(10, 0, 0, 0), Ip(10, 0, 0, 255)}});
    CHECK(set.ToString() == "10.0.0.0/24");
    CHECK(set.Size() == 256U);
  }
  SECTION("adjacent merge in either insertion order") {
    CHECK(SetOf({"10.0.0.128/25", "10.0.0.0/25"}) == SetOf({"10.0.0.0/24"}));
  }
  SECTION("overlapping CIDRs merge") {
    const AddressSet set = SetOf({"10.0.0.0/24", "10.0.0.0/16", "10.0.5.0/24"});
    CHECK(set.Intervals() == std::vector<I>{{Ip(10, 0, 0, 0), Ip(10, 0, 255, 255)}});
  }
  SECTION("disjoint CIDRs stay sorted and separate") {
    const AddressSet set = SetOf({"10.0.2.0/24", "10.0.0.0/24", "192.168.0.0/16"});
    CHECK(set.Intervals() == std::vector<I>{{Ip(10, 0, 0, 0), Ip(10, 0, 0, 255)},
                                            {Ip(10, 0, 2, 0), Ip(10, 0, 2, 255)},
                                            {Ip(192, 168, 0, 0), Ip(192, 168, 255, 255)}});
    CHECK(set.ToString() == "10.0.0.0/24, 10.0.2.0/24, 192.168.0.0/16");
    CHECK(set.Size() == 256U + 256U + 65536U);
  }
  SECTION("a gap filled later bridges three intervals") {
    AddressSet set = SetOf({"10.0.0.0/24", "10.0.2.0/24", "10.0.4.0/24"});
    set.Add(Ip(10, 0, 0, 200), Ip(10, 0, 4, 0));
    CHECK(set.Intervals() == std::vector<I>{{Ip(10, 0, 0, 0), Ip(10, 0, 4, 255)}});
  }
  SECTION("raw ranges, adjacency at both ends, reversed range ignored") {
    AddressSet set;
    set.Add(10, 20);
    set.Add(30, 40);
    set.Add(21, 29);
    CHECK(set.Intervals() == std::vector<I>{{10, 40}});
    set.Add(50, 40);
    CHECK(set.Intervals() == std::vector<I>{{10, 40}});
    set.Add(41, 41);
    set.Add(9, 9);
    CHECK(set.Intervals() == std::vector<I>{{9, 41}});
    set.Add(43, 43);
    CHECK(set.Intervals() == std::vector<I>{{9, 41}, {43, 43}});
  }
  SECTION("the extremes of the address space") {
    AddressSet set;
    set.Add(kMaxAddress, kMaxAddress);
    set.Add(0, 0);
    CHECK(set.Intervals() == std::vector<I>{{0, 0}, {kMaxAddress, kMaxAddress}});
    CHECK(set.Size() == 2U);
    set.Add(1, kMaxAddress - 1);
    CHECK(set == AddressSet::All());
    CHECK(set.Size() == (uint64_t{1} << 32));
    CHECK(set.ToString() == "0.0.0.0/0");
  }
  SECTION("Add(AddressSet) merges two lists") {
    AddressSet a = SetOf({"10.0.0.0/24", "10.0.4.0/24", "10.0.9.0/24"});
    const AddressSet b = SetOf({"10.0.1.0/24", "10.0.6.0/23", "10.0.8.0/24", "11.0.0.0/8"});
    a.Add(b);
    CHECK(a.ToString() == "10.0.0.0/23, 10.0.4.0/24, 10.0.6.0/23, 10.0.8.0/23, 11.0.0.0/8");
    AddressSet self = SetOf({"10.0.0.0/24"});
    self.Add(self);
    CHECK(self == SetOf({"10.0.0.0/24"}));
    AddressSet empty;
    empty.Add(b);
    CHECK(empty == b);
  }
  SECTION("Of and All") {
    CHECK(AddressSet::Of(C("10.0.0.0/8")).Intervals() ==
          std::vector<I>{{Ip(10, 0, 0, 0), Ip(10, 255, 255, 255)}});
    CHECK(AddressSet::All().Intervals() == std::vector<I>{{0, kMaxAddress}});
  }
}

TEST_CASE("AddressSet::Covers over unions of CIDRs", "[cidr][set]") {
  SECTION("two /25 cover a /24") {
    const AddressSet set = SetOf({"10.0.0.0/25", "10.0.0.128/25"});
    CHECK(set.Covers(C("10.0.0.0/24")));
    CHECK(set.Covers(C("10.0.0.64/26")));
    CHECK_FALSE(set.Covers(C("10.0.0.0/23")));
  }
  SECTION("a /25 and a /26 do not cover a /24") {
    const AddressSet set = SetOf({"10.0.0.0/25", "10.0.0.128/26"});
    CHECK_FALSE(set.Covers(C("10.0.0.0/24")));
    CHECK(set.Covers(C("10.0.0.0/25")));
    CHECK(set.Covers(C("10.0.0.128/26")));
    CHECK_FALSE(set.Covers(C("10.0.0.192/26")));
    CHECK(set.Uncovered(C("10.0.0.0/24")) == std::vector<Ipv4Cidr>{C("10.0.0.192/26")});
  }
  SECTION("many small CIDRs cover a /22") {
    const AddressSet set =
        SetOf({"10.0.3.0/24", "10.0.0.0/24", "10.0.2.128/25", "10.0.1.0/24", "10.0.2.0/25"});
    CHECK(set.Covers(C("10.0.0.0/22")));
    CHECK_FALSE(set.Covers(C("10.0.0.0/21")));
  }
  SECTION("empty set covers nothing") {
    const AddressSet set;
    CHECK_FALSE(set.Covers(C("10.0.0.0/32")));
    CHECK_FALSE(set.Covers(C("0.0.0.0/0")));
    CHECK(set.Covers(AddressSet()));
  }
  SECTION("All covers the edges") {
    const AddressSet all = AddressSet::All();
    CHECK(all.Covers(C("0.0.0.0/0")));
    CHECK(all.Covers(C("255.255.255.255/32")));
    CHECK(all.Covers(C("0.0.0.0/32")));
  }
  SECTION("covers the top address only when it is in the set") {
    const AddressSet set = SetOf({"255.255.255.0/24"});
    CHECK(set.Covers(C("255.255.255.255/32")));
    CHECK_FALSE(set.Covers(C("255.255.254.255/32")));
  }
  SECTION("Covers(AddressSet)") {
    const AddressSet big = SetOf({"10.0.0.0/16", "192.168.0.0/24"});
    CHECK(big.Covers(SetOf({"10.0.5.0/24", "10.0.7.0/24", "192.168.0.8/29"})));
    CHECK_FALSE(big.Covers(SetOf({"10.0.5.0/24", "192.168.1.0/32"})));
    CHECK(big.Covers(big));
    CHECK_FALSE(SetOf({"10.0.5.0/24"}).Covers(big));
  }
}

TEST_CASE("AddressSet::Uncovered remainders", "[cidr][set]") {
  SECTION("10.0.0.0/16 minus 10.0.1.0/24") {
    const AddressSet set = SetOf({"10.0.1.0/24"});
    CHECK(Strings(set.Uncovered(C("10.0.0.0/16"))) ==
          Strs{"10.0.0.0/24", "10.0.2.0/23", "10.0.4.0/22", "10.0.8.0/21", "10.0.16.0/20",
               "10.0.32.0/19", "10.0.64.0/18", "10.0.128.0/17"});
  }
  SECTION("fully covered gives nothing") {
    CHECK(SetOf({"10.0.0.0/8"}).Uncovered(C("10.1.0.0/16")).empty());
    CHECK(AddressSet::All().Uncovered(C("0.0.0.0/0")).empty());
  }
  SECTION("empty set leaves the whole CIDR") {
    CHECK(Strings(AddressSet().Uncovered(C("10.0.0.0/24"))) == Strs{"10.0.0.0/24"});
    CHECK(Strings(AddressSet().Uncovered(C("0.0.0.0/0"))) == Strs{"0.0.0.0/0"});
  }
  SECTION("disjoint set leaves the whole CIDR") {
    CHECK(Strings(SetOf({"10.0.1.0/24", "10.0.3.0/24"}).Uncovered(C("10.0.2.0/24"))) ==
          Strs{"10.0.2.0/24"});
  }
  SECTION("set reaching beyond both ends with holes in the middle") {
    const AddressSet set = SetOf({"9.0.0.0/8", "10.0.0.0/26", "10.0.0.128/26", "10.0.1.0/24"});
    CHECK(Strings(set.Uncovered(C("10.0.0.0/23"))) == Strs{"10.0.0.64/26", "10.0.0.192/26"});
  }
  SECTION("everything but the top and bottom addresses") {
    AddressSet set;
    set.Add(1, kMaxAddress - 1);
    CHECK(Strings(set.Uncovered(C("0.0.0.0/0"))) == Strs{"0.0.0.0/32", "255.255.255.255/32"});
  }
  SECTION("0.0.0.0/0 minus 10.0.0.0/8") {
    const AddressSet set = SetOf({"10.0.0.0/8"});
    CHECK(Strings(set.Uncovered(C("0.0.0.0/0"))) == Strs{"0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8",
                                                         "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3",
                                                         "64.0.0.0/2", "128.0.0.0/1"});
  }
}

TEST_CASE("AddressSet::Subtract", "[cidr][set]") {
  SECTION("a hole in the middle") {
    AddressSet set = SetOf({"10.0.0.0/16"});
    set.Subtract(C("10.0.1.0/24"));
    CHECK(set.ToString() ==
          "10.0.0.0/24, 10.0.2.0/23, 10.0.4.0/22, 10.0.8.0/21, 10.0.16.0/20, 10.0.32.0/19, "
          "10.0.64.0/18, 10.0.128.0/17");
    CHECK(set.Size() == 65536U - 256U);
    CHECK_FALSE(set.Intersects(C("10.0.1.0/24")));
  }
  SECTION("spanning several intervals, trimming both ends") {
    AddressSet set;
    set.Add(10, 20);
    set.Add(30, 40);
    set.Add(50, 60);
    AddressSet cut;
    cut.Add(15, 55);
    set.Subtract(cut);
    CHECK(set.Intervals() == std::vector<AddressSet::Interval>{{10, 14}, {56, 60}});
  }
  SECTION("the whole space from All") {
    AddressSet set = AddressSet::All();
    set.Subtract(C("0.0.0.0/0"));
    CHECK(set.Empty());
  }
  SECTION("the extremes from All") {
    AddressSet set = AddressSet::All();
    set.Subtract(C("0.0.0.0/32"));
    set.Subtract(C("255.255.255.255/32"));
    CHECK(set.Intervals() == std::vector<AddressSet::Interval>{{1, kMaxAddress - 1}});
    CHECK(set.Size() == (uint64_t{1} << 32) - 2);
  }
  SECTION("disjoint subtraction changes nothing") {
    AddressSet set = SetOf({"10.0.0.0/24"});
    set.Subtract(C("10.0.1.0/24"));
    CHECK(set == SetOf({"10.0.0.0/24"}));
    set.Subtract(AddressSet());
    CHECK(set == SetOf({"10.0.0.0/24"}));
  }
  SECTION("Subtract(AddressSet) with many pieces") {
    AddressSet set = SetOf({"10.0.0.0/24", "10.0.2.0/24"});
    const AddressSet cut = SetOf({"10.0.0.0/26", "10.0.0.128/25", "10.0.1.0/24", "10.0.2.64/26",
                                  "10.0.2.192/26", "10.0.3.0/24"});
    set.Subtract(cut);
    CHECK(set.ToString() == "10.0.0.64/26, 10.0.2.0/26, 10.0.2.128/26");
  }
  SECTION("one subtracted interval reaching over several of ours") {
    AddressSet set;
    set.Add(10, 20);
    set.Add(30, 40);
    set.Add(50, 60);
    AddressSet cut;
    cut.Add(0, 5);
    cut.Add(18, 52);
    cut.Add(59, 59);
    set.Subtract(cut);
    CHECK(set.Intervals() == std::vector<AddressSet::Interval>{{10, 17}, {53, 58}, {60, 60}});
  }
  SECTION("subtracting itself empties the set") {
    AddressSet set = SetOf({"10.0.0.0/24", "10.0.2.0/24"});
    set.Subtract(set);
    CHECK(set.Empty());
  }
  SECTION("Subtract(AddressSet) equals repeated Subtract(Ipv4Cidr)") {
    const std::vector<std::string_view> cuts = {"10.0.0.16/28", "10.0.3.0/24", "10.0.0.0/30",
                                                "10.0.1.128/25", "10.0.0.255/32"};
    AddressSet one_by_one = SetOf({"10.0.0.0/22"});
    for (const std::string_view cut : cuts) one_by_one.Subtract(C(cut));
    AddressSet at_once = SetOf({"10.0.0.0/22"});
    at_once.Subtract(SetOf(cuts));
    CHECK(one_by_one == at_once);
    CHECK(at_once.ToString() ==
          "10.0.0.4/30, 10.0.0.8/29, 10.0.0.32/27, 10.0.0.64/26, 10.0.0.128/26, 10.0.0.192/27, "
          "10.0.0.224/28, 10.0.0.240/29, 10.0.0.248/30, 10.0.0.252/31, 10.0.0.254/32, "
          "10.0.1.0/25, 10.0.2.0/24");
  }
}

TEST_CASE("AddressSet::Intersect and Intersects", "[cidr][set]") {
  SECTION("partial overlap") {
    const AddressSet a = SetOf({"10.0.0.0/23", "10.0.4.0/24"});
    const AddressSet b = SetOf({"10.0.1.0/24", "10.0.3.0/24", "10.0.4.128/25"});
    const AddressSet both = a.Intersect(b);
    CHECK(both.ToString() == "10.0.1.0/24, 10.0.4.128/25");
    CHECK(b.Intersect(a) == both);
    CHECK(a.Intersects(b));
    CHECK(b.Intersects(a));
  }
  SECTION("pieces of one interval split by another set stay separate") {
    AddressSet a;
    a.Add(0, 100);
    AddressSet b;
    b.Add(10, 20);
    b.Add(22, 30);
    CHECK(a.Intersect(b).Intervals() == std::vector<AddressSet::Interval>{{10, 20}, {22, 30}});
  }
  SECTION("disjoint") {
    const AddressSet a = SetOf({"10.0.0.0/24"});
    const AddressSet b = SetOf({"10.0.1.0/24"});
    CHECK(a.Intersect(b).Empty());
    CHECK_FALSE(a.Intersects(b));
    CHECK_FALSE(a.Intersects(AddressSet()));
    CHECK(AddressSet().Intersect(a).Empty());
  }
  SECTION("with All") {
    const AddressSet a = SetOf({"10.0.0.0/24", "255.255.255.255/32"});
    CHECK(AddressSet::All().Intersect(a) == a);
    CHECK(a.Intersect(AddressSet::All()) == a);
    CHECK(AddressSet::All().Intersects(a));
  }
  SECTION("Intersects(Ipv4Cidr)") {
    const AddressSet set = SetOf({"10.0.0.0/24", "10.0.2.0/24"});
    CHECK(set.Intersects(C("10.0.0.255/32")));
    CHECK(set.Intersects(C("10.0.0.0/16")));
    CHECK(set.Intersects(C("10.0.2.0/32")));
    CHECK_FALSE(set.Intersects(C("10.0.1.0/24")));
    CHECK_FALSE(set.Intersects(C("10.0.3.0/24")));
    CHECK_FALSE(set.Intersects(C("9.0.0.0/8")));
    CHECK_FALSE(AddressSet().Intersects(C("0.0.0.0/0")));
    CHECK(AddressSet::All().Intersects(C("255.255.255.255/32")));
  }
}

TEST_CASE("AddressSet::ToCidrs is minimal and ascending", "[cidr][set]") {
  AddressSet set;
  set.Add(Ip(10, 0, 0, 1), Ip(10, 0, 0, 6));
  set.Add(C("192.168.0.0/24"));
  CHECK(Strings(set.ToCidrs()) ==
        Strs{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32", "192.168.0.0/24"});
  CHECK(set.ToString() == "10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32, 192.168.0.0/24");
  CHECK(set.Size() == 6U + 256U);
}

}  // namespace
}  // namespace cvpn
