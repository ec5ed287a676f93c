// SPDX-License-Identifier: Apache-2.0
// What a check concludes: pass, fail or unknown.
#pragma once

#include <string_view>

namespace cvpn {

enum class Status { kPass, kFail, kUnknown };

/// "pass", "fail", "unknown".
std::string_view StatusName(Status status);

}  // namespace cvpn
