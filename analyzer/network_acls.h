// SPDX-License-Identifier: Apache-2.0
// Network ACLs: entries in ascending rule-number order, first match wins, a final deny; evaluated
// exactly over a range of peer addresses and a range of destination ports.
#pragma once

#include <string>

#include "analyzer/graph.h"
#include "analyzer/ports.h"
#include "analyzer/status.h"

namespace cvpn {

struct NetworkAclVerdict {
  Status status = Status::kUnknown;
  /// Pass: the entry that allows it. Fail: the entry (or the final deny) that blocks it.
  std::string detail;
  const NetworkAclEntry* decided_by = nullptr;  ///< the blocking entry on fail (null: final deny)
};

/// Evaluates `acl` for traffic of `protocol` to destination ports `ports`, with the other side in
/// `peer` (the destination when `egress`, else the source). All of it must be allowed.
/// For ICMP, `icmp_type` is the type that must pass (echo request out, echo reply back).
/// The destination ports of replies: Client VPN's port translation and clients of every kind
/// reply to an ephemeral port anywhere in this range.
inline constexpr PortRange kEphemeralPorts{1024, 65535};

NetworkAclVerdict EvaluateNetworkAcl(const NetworkAcl& acl, bool egress, const Ipv4Cidr& peer,
                                     int protocol, const PortRange& ports,
                                     int icmp_type = kIcmpEchoRequest);

}  // namespace cvpn
