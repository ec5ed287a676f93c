// SPDX-License-Identifier: Apache-2.0
// Runs the command line in-process for tests: exit status, standard output and standard error.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "analyzer/cli.h"

namespace cvpn::testing {

struct Run {
  int exit = 0;
  std::string out;
  std::string err;
};

inline Run RunTool(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  Run r;
  r.exit = RunCli(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace cvpn::testing
