// SPDX-License-Identifier: Apache-2.0
// cvpn-lint: the composition root. Everything else lives in the libraries.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "analyzer/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return cvpn::RunCli(args, std::cout, std::cerr, isatty(STDOUT_FILENO) != 0);
  } catch (const std::exception& e) {
    std::cerr << "cvpn-lint: internal error: " << e.what() << "\n";
    return cvpn::kExitError;
  }
}
