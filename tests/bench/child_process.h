// SPDX-License-Identifier: Apache-2.0
// Runs a program as a child process and measures it: wall time, peak resident memory (wait4's
// ru_maxrss) and exit status, optionally capturing its standard output.
#pragma once

#include <string>
#include <vector>

namespace cvpn::bench {

struct ChildRun {
  double wall_ms = 0;
  long max_rss_kb = 0;  // NOLINT(google-runtime-int): the type of rusage::ru_maxrss
  /// The exit status, or 128 + the signal that ended the child, or 127 if it could not start.
  int status = 0;
  std::string out;  // standard output, when captured
};

/// Runs argv (argv[0] looked up in PATH if it has no slash). Standard output goes to `out` when
/// capture_stdout, else to /dev/null; standard error goes to the file stderr_path. The clock
/// runs from just before fork to the return of wait4, so process start-up is included.
ChildRun RunChild(const std::vector<std::string>& argv,
                  bool capture_stdout,
                  const std::string& stderr_path);

}  // namespace cvpn::bench
