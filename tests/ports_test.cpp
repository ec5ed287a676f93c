// SPDX-License-Identifier: Apache-2.0
// Unit tests for analyzer/ports.h: protocols, port ranges and sets, PortSpec parsing, matching.
#include "analyzer/ports.h"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvpn {
namespace {

/// Parses a PortSpec that the test knows to be valid; fails the test otherwise.
PortSpec Spec(std::string_view text) {
  const PortSpecParseResult result = ParsePortSpec(text);
  INFO("parsing " << text << ": " << result.error);
  REQUIRE(result.spec.has_value());
  return *result.spec;
}

std::vector<PortRange> R(std::initializer_list<PortRange> ranges) { return ranges; }

TEST_CASE("ParseProtocol accepts every spelling", "[ports]") {
  struct Case {
    std::string_view text;
    int protocol;
  };
  const std::vector<Case> cases = {
      {"-1", kProtocolAll},
      {"all", kProtocolAll},
      {"ALL", kProtocolAll},
      {"All", kProtocolAll},
      {"tcp", kProtocolTcp},
      {"TCP", kProtocolTcp},
      {"6", kProtocolTcp},
      {"udp", kProtocolUdp},
      {"Udp", kProtocolUdp},
      {"17", kProtocolUdp},
      {"icmp", kProtocolIcmp},
      {"ICMP", kProtocolIcmp},
      {"1", kProtocolIcmp},
      {"icmpv6", kProtocolIcmpv6},
      {"ICMPv6", kProtocolIcmpv6},
      {"58", kProtocolIcmpv6},
      {"0", 0},
      {"50", 50},
      {"255", 255},
      {"006", kProtocolTcp},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("\"" << c.text << "\"") {
      const std::optional<int> protocol = ParseProtocol(c.text);
      REQUIRE(protocol.has_value());
      CHECK(*protocol == c.protocol);
    }
  }
}

TEST_CASE("ParseProtocol rejects everything else", "[ports]") {
  for (const std::string_view bad :
       {"", "256", "1000", "99999999999999999999", "-2", "-01", "+6", " tcp", "tcp ", "tcp6",
        "sctp", "any", "*", "icmp6", "6.0", "0x6", "t cp"}) {
    DYNAMIC_SECTION("\"" << bad << "\"") { CHECK_FALSE(ParseProtocol(bad).has_value()); }
  }
}

TEST_CASE("ProtocolName and ProtocolHasPorts", "[ports]") {
  CHECK(ProtocolName(kProtocolAll) == "all");
  CHECK(ProtocolName(kProtocolTcp) == "tcp");
  CHECK(ProtocolName(kProtocolUdp) == "udp");
  CHECK(ProtocolName(kProtocolIcmp) == "icmp");
  CHECK(ProtocolName(kProtocolIcmpv6) == "icmpv6");
  CHECK(ProtocolName(50) == "50");
  CHECK(ProtocolName(0) == "0");

  CHECK(ProtocolHasPorts(kProtocolTcp));
  CHECK(ProtocolHasPorts(kProtocolUdp));
  CHECK_FALSE(ProtocolHasPorts(kProtocolAll));
  CHECK_FALSE(ProtocolHasPorts(kProtocolIcmp));
  CHECK_FALSE(ProtocolHasPorts(kProtocolIcmpv6));
  CHECK_FALSE(ProtocolHasPorts(50));
}

TEST_CASE("PortRange", "[ports]") {
  const PortRange all = PortRange::All();
  CHECK(all.first == 0);
  CHECK(all.last == 65535);
  CHECK(PortRange{} == all);
  CHECK(all.Contains(0));
  CHECK(all.Contains(65535));
  CHECK_FALSE(all.Contains(-1));
  CHECK_FALSE(all.Contains(65536));
  CHECK(all.Contains(PortRange{22, 22}));
  CHECK(all.Contains(all));

  const PortRange ssh{22, 22};
  CHECK(ssh.Contains(22));
  CHECK_FALSE(ssh.Contains(23));
  CHECK_FALSE(ssh.Contains(all));
  CHECK(ssh.Overlaps(all));
  CHECK(all.Overlaps(ssh));

  const PortRange high{1024, 65535};
  CHECK(high.Contains(PortRange{1024, 2000}));
  CHECK_FALSE(high.Contains(PortRange{1023, 2000}));
  CHECK(high.Overlaps(PortRange{1000, 1024}));
  CHECK_FALSE(high.Overlaps(PortRange{1000, 1023}));
  CHECK_FALSE(ssh.Overlaps(PortRange{23, 80}));

  CHECK(ssh.ToString() == "22");
  CHECK(high.ToString() == "1024-65535");
  CHECK(all.ToString() == "0-65535");
  CHECK(PortRange{0, 0}.ToString() == "0");

  CHECK(PortRange{1, 5} < PortRange{2, 3});
  CHECK(PortRange{1, 5} < PortRange{1, 6});
}

TEST_CASE("PortSet coverage and gaps", "[ports]") {
  SECTION("empty") {
    const PortSet set;
    CHECK(set.Empty());
    CHECK(set.ToString() == "(none)");
    CHECK_FALSE(set.Covers(PortRange{22, 22}));
    CHECK_FALSE(set.Intersects(PortRange::All()));
    CHECK(set.Uncovered(PortRange{80, 90}) == R({{80, 90}}));
  }
  SECTION("merging adjacent and overlapping ranges") {
    PortSet set;
    set.Add({443, 443});
    set.Add({22, 22});
    set.Add({1024, 65535});
    CHECK(set.Ranges() == R({{22, 22}, {443, 443}, {1024, 65535}}));
    CHECK(set.ToString() == "22, 443, 1024-65535");
    set.Add({23, 30});
    set.Add({440, 442});
    CHECK(set.Ranges() == R({{22, 30}, {440, 443}, {1024, 65535}}));
    set.Add({0, 21});
    CHECK(set.Ranges() == R({{0, 30}, {440, 443}, {1024, 65535}}));
    set.Add({25, 500});
    CHECK(set.Ranges() == R({{0, 500}, {1024, 65535}}));
    set.Add({501, 1023});
    CHECK(set.Ranges() == R({{0, 65535}}));
    CHECK(set.Covers(PortRange::All()));
  }
  SECTION("out-of-range and empty ranges are clipped or ignored") {
    PortSet set;
    set.Add({-5, 10});
    set.Add({65530, 70000});
    set.Add({100, 50});
    set.Add({70000, 80000});
    CHECK(set.Ranges() == R({{0, 10}, {65530, 65535}}));
  }
  SECTION("Covers and Intersects") {
    PortSet set;
    set.Add({22, 22});
    set.Add({80, 80});
    set.Add({81, 90});
    set.Add({1000, 2000});
    CHECK(set.Covers(PortRange{22, 22}));
    CHECK(set.Covers(PortRange{80, 90}));
    CHECK(set.Covers(PortRange{1500, 2000}));
    CHECK_FALSE(set.Covers(PortRange{22, 23}));
    CHECK_FALSE(set.Covers(PortRange{79, 80}));
    CHECK_FALSE(set.Covers(PortRange{80, 1000}));
    CHECK_FALSE(set.Covers(PortRange{2000, 2001}));
    CHECK_FALSE(set.Covers(PortRange{21, 21}));
    CHECK(set.Intersects(PortRange{0, 22}));
    CHECK(set.Intersects(PortRange{90, 999}));
    CHECK(set.Intersects(PortRange{2000, 65535}));
    CHECK_FALSE(set.Intersects(PortRange{23, 79}));
    CHECK_FALSE(set.Intersects(PortRange{2001, 65535}));
    CHECK_FALSE(set.Intersects(PortRange{0, 21}));
  }
  SECTION("Uncovered lists the gaps in order") {
    PortSet set;
    set.Add({22, 22});
    set.Add({80, 90});
    set.Add({1000, 2000});
    CHECK(set.Uncovered(PortRange::All()) == R({{0, 21}, {23, 79}, {91, 999}, {2001, 65535}}));
    CHECK(set.Uncovered(PortRange{22, 22}).empty());
    CHECK(set.Uncovered(PortRange{85, 1500}) == R({{91, 999}}));
    CHECK(set.Uncovered(PortRange{20, 25}) == R({{20, 21}, {23, 25}}));
    CHECK(set.Uncovered(PortRange{3000, 4000}) == R({{3000, 4000}}));
    CHECK(set.Uncovered(PortRange{1000, 2000}).empty());
  }
  SECTION("Subtract") {
    PortSet set;
    set.Add(PortRange::All());
    set.Subtract({22, 22});
    CHECK(set.Ranges() == R({{0, 21}, {23, 65535}}));
    set.Subtract({0, 0});
    set.Subtract({65535, 65535});
    CHECK(set.ToString() == "1-21, 23-65534");
    set.Subtract({10, 30});
    CHECK(set.Ranges() == R({{1, 9}, {31, 65534}}));
    set.Subtract({5, 40000});
    CHECK(set.Ranges() == R({{1, 4}, {40001, 65534}}));
    set.Subtract({100, 50});
    CHECK(set.Ranges() == R({{1, 4}, {40001, 65534}}));
    set.Subtract(PortRange::All());
    CHECK(set.Empty());
  }
  SECTION("equality ignores the order of insertion") {
    PortSet a;
    a.Add({1, 5});
    a.Add({6, 10});
    PortSet b;
    b.Add({6, 10});
    b.Add({1, 5});
    CHECK(a == b);
    CHECK(a.Ranges() == R({{1, 10}}));
  }
}

TEST_CASE("ParsePortSpec accepts every form", "[ports]") {
  struct Case {
    std::string_view text;
    int protocol;
    PortRange ports;
    std::string_view canonical;
  };
  const std::vector<Case> cases = {
      {"tcp/5432", kProtocolTcp, {5432, 5432}, "tcp/5432"},
      {"tcp/1000-2000", kProtocolTcp, {1000, 2000}, "tcp/1000-2000"},
      {"udp/53", kProtocolUdp, {53, 53}, "udp/53"},
      {"udp/1-65535", kProtocolUdp, {1, 65535}, "udp/1-65535"},
      {"icmp", kProtocolIcmp, PortRange::All(), "icmp"},
      {"all", kProtocolAll, PortRange::All(), "all"},
      {"TCP/22", kProtocolTcp, {22, 22}, "tcp/22"},
      {"Udp/53", kProtocolUdp, {53, 53}, "udp/53"},
      {"ICMP", kProtocolIcmp, PortRange::All(), "icmp"},
      {"ALL", kProtocolAll, PortRange::All(), "all"},
      {"tcp/0", kProtocolTcp, {0, 0}, "tcp/0"},
      {"tcp/65535", kProtocolTcp, {65535, 65535}, "tcp/65535"},
      {"tcp/0-65535", kProtocolTcp, {0, 65535}, "tcp/0-65535"},
      {"tcp/22-22", kProtocolTcp, {22, 22}, "tcp/22"},
      {"tcp/022", kProtocolTcp, {22, 22}, "tcp/22"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("\"" << c.text << "\"") {
      const PortSpecParseResult result = ParsePortSpec(c.text);
      CHECK(result.error.empty());
      REQUIRE(result.spec.has_value());
      CHECK(result.spec->protocol == c.protocol);
      CHECK(result.spec->ports == c.ports);
      CHECK(result.spec->ToString() == c.canonical);
      // The canonical form parses back to the same spec.
      CHECK(Spec(result.spec->ToString()) == *result.spec);
    }
  }
}

TEST_CASE("ParsePortSpec rejects bad forms with a precise error", "[ports]") {
  constexpr std::string_view kExpected = "expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all";
  struct Case {
    std::string_view text;
    std::string_view error;
  };
  const std::vector<Case> cases = {
      {"", kExpected},
      {"sctp/5", kExpected},
      {"icmpv6", kExpected},
      {"6/22", kExpected},
      {"/22", kExpected},
      {"-1", kExpected},
      {" tcp/22", kExpected},
      {"tcp /22", kExpected},
      {"tcp:22", kExpected},
      {"tcp", "tcp needs a port: expected tcp/N or tcp/N-M"},
      {"UDP", "udp needs a port: expected udp/N or udp/N-M"},
      {"icmp/8", "icmp takes no port: expected icmp"},
      {"all/22", "all takes no port: expected all"},
      {"tcp/70000", "port 70000 is out of range 0-65535"},
      {"tcp/65536", "port 65536 is out of range 0-65535"},
      {"udp/1-70000", "port 70000 is out of range 0-65535"},
      {"tcp/99999999999999999999", "port 99999999999999999999 is out of range 0-65535"},
      {"tcp/", "missing port number"},
      {"tcp/-22", "missing port number"},
      {"tcp/22-", "missing port number"},
      {"tcp/abc", "\"abc\" is not a port number"},
      {"tcp/22 ", "\"22 \" is not a port number"},
      {"tcp/+22", "\"+22\" is not a port number"},
      {"tcp/22-80-90", "\"80-90\" is not a port number"},
      {"tcp/22/80", "\"22/80\" is not a port number"},
      {"tcp/2000-1000", "port range 2000-1000 is reversed (first > last)"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("\"" << c.text << "\"") {
      const PortSpecParseResult result = ParsePortSpec(c.text);
      CHECK_FALSE(result.spec.has_value());
      CHECK(result.error == c.error);
    }
  }
}

TEST_CASE("PortSpec::ToString for hand-built specs", "[ports]") {
  CHECK(PortSpec{}.ToString() == "tcp/0-65535");
  CHECK((PortSpec{kProtocolIcmpv6, PortRange::All()}.ToString()) == "icmpv6");
  CHECK((PortSpec{50, PortRange{1, 2}}.ToString()) == "50");
  CHECK((PortSpec{kProtocolUdp, PortRange{500, 4500}}.ToString()) == "udp/500-4500");
}

TEST_CASE("ParsePortSpecList", "[ports]") {
  SECTION("a list with spaces around commas") {
    const PortSpecListParseResult result = ParsePortSpecList("tcp/22, tcp/443 ,udp/53\t,\ticmp");
    CHECK(result.error.empty());
    CHECK(result.specs ==
          std::vector<PortSpec>{Spec("tcp/22"), Spec("tcp/443"), Spec("udp/53"), Spec("icmp")});
  }
  SECTION("a single item, with surrounding blanks") {
    const PortSpecListParseResult result = ParsePortSpecList("  all ");
    CHECK(result.error.empty());
    CHECK(result.specs == std::vector<PortSpec>{Spec("all")});
  }
  SECTION("duplicates are kept in order") {
    const PortSpecListParseResult result = ParsePortSpecList("tcp/443,tcp/22,tcp/443");
    CHECK(result.error.empty());
    CHECK(result.specs == std::vector<PortSpec>{Spec("tcp/443"), Spec("tcp/22"), Spec("tcp/443")});
  }
  SECTION("errors name the bad item and drop the partial result") {
    struct Case {
      std::string_view text;
      std::string_view error;
    };
    const std::vector<Case> cases = {
        {"", "empty port list: expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all"},
        {"   ", "empty port list: expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all"},
        {"tcp/22,tcp/70000", "\"tcp/70000\": port 70000 is out of range 0-65535"},
        {"tcp/22, bogus, tcp/80",
         "\"bogus\": expected tcp/N, tcp/N-M, udp/N, udp/N-M, icmp or all"},
        {"tcp/22,,tcp/80", "item 2 of the port list is empty"},
        {"tcp/22,", "item 2 of the port list is empty"},
        {",tcp/22", "item 1 of the port list is empty"},
        {"tcp/22 tcp/80", "\"tcp/22 tcp/80\": \"22 tcp/80\" is not a port number"},
        {"tcp/22;tcp/80", "\"tcp/22;tcp/80\": \"22;tcp/80\" is not a port number"},
        {"udp/9-1, tcp/1", "\"udp/9-1\": port range 9-1 is reversed (first > last)"},
    };
    for (const Case& c : cases) {
      DYNAMIC_SECTION("\"" << c.text << "\"") {
        const PortSpecListParseResult result = ParsePortSpecList(c.text);
        CHECK(result.specs.empty());
        CHECK(result.error == c.error);
      }
    }
  }
}

TEST_CASE("NormalizeRuleTraffic", "[ports]") {
  struct Case {
    std::string_view name;
    int protocol;
    int from;
    int to;
    int want_protocol;
    PortRange want_ports;
  };
  const std::vector<Case> cases = {
      {"all traffic ignores ports", kProtocolAll, 0, 0, kProtocolAll, PortRange::All()},
      {"all traffic with -1 ports", kProtocolAll, -1, -1, kProtocolAll, PortRange::All()},
      {"tcp range", kProtocolTcp, 22, 22, kProtocolTcp, {22, 22}},
      {"tcp wide range", kProtocolTcp, 1024, 65535, kProtocolTcp, {1024, 65535}},
      {"tcp -1/-1 is all ports", kProtocolTcp, -1, -1, kProtocolTcp, PortRange::All()},
      {"udp -1/-1 is all ports", kProtocolUdp, -1, -1, kProtocolUdp, PortRange::All()},
      {"tcp port 0 only", kProtocolTcp, 0, 0, kProtocolTcp, {0, 0}},
      {"udp range", kProtocolUdp, 53, 53, kProtocolUdp, {53, 53}},
      {"icmp type/code ignored", kProtocolIcmp, 8, 0, kProtocolIcmp, PortRange::All()},
      {"icmp -1/-1", kProtocolIcmp, -1, -1, kProtocolIcmp, PortRange::All()},
      {"icmpv6", kProtocolIcmpv6, 128, 0, kProtocolIcmpv6, PortRange::All()},
      {"esp has no ports", 50, 0, 0, 50, PortRange::All()},
      {"reversed range swapped", kProtocolTcp, 90, 80, kProtocolTcp, {80, 90}},
      {"out of range clipped", kProtocolTcp, 1000, 70000, kProtocolTcp, {1000, 65535}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const RuleTraffic traffic = NormalizeRuleTraffic(c.protocol, c.from, c.to);
      CHECK(traffic.protocol == c.want_protocol);
      CHECK(traffic.ports == c.want_ports);
    }
  }
}

TEST_CASE("MatchTraffic for each protocol combination", "[ports]") {
  struct Case {
    std::string_view name;
    RuleTraffic rule;
    std::string_view want;
    TrafficMatch match;
  };
  const RuleTraffic all_rule = NormalizeRuleTraffic(kProtocolAll, 0, 0);
  const RuleTraffic tcp_all = NormalizeRuleTraffic(kProtocolTcp, 0, 65535);
  const RuleTraffic tcp_22 = NormalizeRuleTraffic(kProtocolTcp, 22, 22);
  const RuleTraffic tcp_1000_2000 = NormalizeRuleTraffic(kProtocolTcp, 1000, 2000);
  const RuleTraffic udp_53 = NormalizeRuleTraffic(kProtocolUdp, 53, 53);
  const RuleTraffic udp_any = NormalizeRuleTraffic(kProtocolUdp, -1, -1);
  const RuleTraffic icmp = NormalizeRuleTraffic(kProtocolIcmp, 8, 0);
  const RuleTraffic icmpv6 = NormalizeRuleTraffic(kProtocolIcmpv6, -1, -1);
  const RuleTraffic esp = NormalizeRuleTraffic(50, -1, -1);
  const std::vector<Case> cases = {
      // A rule on all protocols matches every pair fully.
      {"all rule, tcp pair", all_rule, "tcp/22", TrafficMatch::kFull},
      {"all rule, udp range pair", all_rule, "udp/1-65535", TrafficMatch::kFull},
      {"all rule, icmp pair", all_rule, "icmp", TrafficMatch::kFull},
      {"all rule, all pair", all_rule, "all", TrafficMatch::kFull},
      // A pair on all protocols is only partly matched by anything narrower.
      {"tcp all ports rule, all pair", tcp_all, "all", TrafficMatch::kPartial},
      {"udp rule, all pair", udp_53, "all", TrafficMatch::kPartial},
      {"icmp rule, all pair", icmp, "all", TrafficMatch::kPartial},
      {"esp rule, all pair", esp, "all", TrafficMatch::kPartial},
      // tcp/udp: the rule's port range decides.
      {"tcp 22 rule, tcp/22", tcp_22, "tcp/22", TrafficMatch::kFull},
      {"tcp 22 rule, tcp/23", tcp_22, "tcp/23", TrafficMatch::kNone},
      {"tcp 22 rule, tcp/20-30", tcp_22, "tcp/20-30", TrafficMatch::kPartial},
      {"tcp range rule, inner", tcp_1000_2000, "tcp/1500-1600", TrafficMatch::kFull},
      {"tcp range rule, same", tcp_1000_2000, "tcp/1000-2000", TrafficMatch::kFull},
      {"tcp range rule, straddle low", tcp_1000_2000, "tcp/999-1000", TrafficMatch::kPartial},
      {"tcp range rule, straddle high", tcp_1000_2000, "tcp/2000-2001", TrafficMatch::kPartial},
      {"tcp range rule, just below", tcp_1000_2000, "tcp/999", TrafficMatch::kNone},
      {"tcp range rule, just above", tcp_1000_2000, "tcp/2001", TrafficMatch::kNone},
      {"tcp all ports rule, any tcp", tcp_all, "tcp/0-65535", TrafficMatch::kFull},
      {"udp 53 rule, udp/53", udp_53, "udp/53", TrafficMatch::kFull},
      {"udp -1 rule, udp range", udp_any, "udp/1-65535", TrafficMatch::kFull},
      // Protocols must agree.
      {"tcp rule, udp pair", tcp_all, "udp/53", TrafficMatch::kNone},
      {"udp rule, tcp pair", udp_any, "tcp/53", TrafficMatch::kNone},
      {"tcp rule, icmp pair", tcp_all, "icmp", TrafficMatch::kNone},
      {"icmp rule, tcp pair", icmp, "tcp/22", TrafficMatch::kNone},
      {"icmpv6 rule, icmp pair", icmpv6, "icmp", TrafficMatch::kNone},
      {"esp rule, tcp pair", esp, "tcp/22", TrafficMatch::kNone},
      {"esp rule, icmp pair", esp, "icmp", TrafficMatch::kNone},
      // ICMP types are not modelled: any icmp rule matches an icmp pair fully.
      {"icmp echo rule, icmp pair", icmp, "icmp", TrafficMatch::kFull},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) { CHECK(MatchTraffic(c.rule, Spec(c.want)) == c.match); }
  }
  SECTION("hand-built specs on protocols without ports") {
    CHECK(MatchTraffic(esp, PortSpec{50, PortRange::All()}) == TrafficMatch::kFull);
    CHECK(MatchTraffic(icmpv6, PortSpec{kProtocolIcmpv6, PortRange::All()}) == TrafficMatch::kFull);
    CHECK(MatchTraffic(esp, PortSpec{51, PortRange::All()}) == TrafficMatch::kNone);
  }
}

}  // namespace
}  // namespace cvpn
