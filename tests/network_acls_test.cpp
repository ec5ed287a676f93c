// SPDX-License-Identifier: Apache-2.0
// Unit tests for analyzer/network_acls.h: rule-number order, first match wins, the final deny,
// and the shortcut taken when the first entry touching the query allows all of it.
#include "analyzer/network_acls.h"

#include <string>

#include <catch2/catch.hpp>

namespace cvpn {
namespace {

Ipv4Cidr Cidr(const char* text) {
  return *ParseIpv4Cidr(text).cidr;
}

NetworkAclEntry Entry(int number, bool allow, int protocol, PortRange ports, const char* cidr) {
  NetworkAclEntry e;
  e.rule_number = number;
  e.allow = allow;
  e.protocol = Maybe<int>::Of(protocol);
  e.ports = ports;
  e.cidr = Maybe<Ipv4Cidr>::Of(Cidr(cidr));
  return e;
}

NetworkAcl Acl(std::initializer_list<NetworkAclEntry> entries) {
  NetworkAcl acl;
  acl.origin.address = "aws_network_acl.app";
  acl.entries = entries;
  return acl;
}

const PortRange kHttps{443, 443};

TEST_CASE("the first entry that allows all of the query decides it", "[network_acls]") {
  const NetworkAcl acl = Acl({Entry(100, true, kProtocolTcp, {400, 500}, "10.0.0.0/8"),
                              Entry(200, false, kProtocolAll, PortRange::All(), "0.0.0.0/0")});
  const NetworkAclVerdict v =
      EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps);
  CHECK(v.status == Status::kPass);
  CHECK(v.detail == "inbound rule 100 of `aws_network_acl.app` allows tcp 443 from 10.1.0.0/16");
}

TEST_CASE("a lower-numbered deny wins over a later allow, whatever the order written",
          "[network_acls]") {
  // Written out of order: rule 200 allows everything, rule 100 denies the port from part of the
  // range. Rule 100 is evaluated first.
  const NetworkAcl acl = Acl({Entry(200, true, kProtocolAll, PortRange::All(), "0.0.0.0/0"),
                              Entry(100, false, kProtocolTcp, {443, 443}, "10.1.2.0/24")});
  const NetworkAclVerdict v =
      EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps);
  CHECK(v.status == Status::kFail);
  REQUIRE(v.decided_by != nullptr);
  CHECK(v.decided_by->rule_number == 100);
  CHECK(
      v.detail.find("inbound rule 100 of `aws_network_acl.app` denies tcp 443 from 10.1.2.0/24") !=
      std::string::npos);
}

TEST_CASE("an allow of part of the ports or addresses does not decide the rest", "[network_acls]") {
  SECTION("ports") {
    NetworkAclEntry replies = Entry(100, true, kProtocolTcp, {1024, 2000}, "0.0.0.0/0");
    replies.egress = true;
    const NetworkAcl acl = Acl({replies});
    const NetworkAclVerdict v = EvaluateNetworkAcl(acl, true, Cidr("10.1.0.0/16"), kProtocolTcp,
                                                   kEphemeralPorts, kIcmpEchoReply);
    CHECK(v.status == Status::kFail);
    CHECK(v.detail.find("tcp 2001-65535") != std::string::npos);
    CHECK(v.detail.find("the final `*` rule denies it") != std::string::npos);
  }
  SECTION("addresses") {
    const NetworkAcl acl = Acl({Entry(100, true, kProtocolTcp, {443, 443}, "10.1.0.0/17")});
    const NetworkAclVerdict v =
        EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps);
    CHECK(v.status == Status::kFail);
    CHECK(v.detail.find("10.1.128.0/17") != std::string::npos);
  }
  SECTION("protocols: a TCP allow is not all traffic") {
    const NetworkAcl acl = Acl({Entry(100, true, kProtocolTcp, PortRange::All(), "0.0.0.0/0")});
    const NetworkAclVerdict v =
        EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolAll, PortRange::All());
    CHECK(v.status == Status::kFail);
  }
}

TEST_CASE("ICMP entries match by type", "[network_acls]") {
  NetworkAclEntry replies_only = Entry(100, true, kProtocolIcmp, PortRange::All(), "0.0.0.0/0");
  replies_only.icmp_type = kIcmpEchoReply;
  const NetworkAcl acl = Acl({replies_only});
  CHECK(EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolIcmp, PortRange::All(),
                           kIcmpEchoRequest)
            .status == Status::kFail);
  CHECK(EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolIcmp, PortRange::All(),
                           kIcmpEchoReply)
            .status == Status::kPass);
}

TEST_CASE("an entry not known before it could decide makes the verdict unknown", "[network_acls]") {
  NetworkAclEntry unknown = Entry(50, false, kProtocolTcp, {443, 443}, "0.0.0.0/0");
  unknown.cidr = Maybe<Ipv4Cidr>::Unknown("`cidr_block` is known only after apply");
  const NetworkAcl acl =
      Acl({unknown, Entry(100, true, kProtocolAll, PortRange::All(), "0.0.0.0/0")});
  const NetworkAclVerdict v =
      EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps);
  CHECK(v.status == Status::kUnknown);
  CHECK(v.detail.find("rule 50") != std::string::npos);
}

TEST_CASE("entries of the other direction are ignored", "[network_acls]") {
  NetworkAclEntry egress_allow = Entry(100, true, kProtocolAll, PortRange::All(), "0.0.0.0/0");
  egress_allow.egress = true;
  const NetworkAcl acl = Acl({egress_allow});
  CHECK(EvaluateNetworkAcl(acl, false, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps).status ==
        Status::kFail);
  CHECK(EvaluateNetworkAcl(acl, true, Cidr("10.1.0.0/16"), kProtocolTcp, kHttps).status ==
        Status::kPass);
}

}  // namespace
}  // namespace cvpn
