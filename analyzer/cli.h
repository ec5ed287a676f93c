// SPDX-License-Identifier: Apache-2.0
// The command line: options as contract.md specifies, the run, and the exit status.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace cvpn {

/// Exit statuses of the tool.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

/// Runs cvpn-lint with `args` (without the program name). `stdout_is_terminal` enables colour
/// unless NO_COLOR is set.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           bool stdout_is_terminal = false);

}  // namespace cvpn
