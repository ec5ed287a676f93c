// SPDX-License-Identifier: Apache-2.0
// The tool's version, as reported by --version and in every report.
#pragma once

namespace cvpn {

inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kInformationUri = "https://github.com/cvpn-lint/cvpn-lint";

}  // namespace cvpn
