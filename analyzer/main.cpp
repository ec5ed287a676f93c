// SPDX-License-Identifier: Apache-2.0
// cvpn-lint: the composition root. Everything else lives in the libraries.
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <iostream>
#include <string>
#include <vector>

#include "analyzer/cli.h"

namespace {

/// Sets glibc's allocator for one short run that builds and drops many small objects: no fast
/// bins (each request of a large block merged all of them back first: malloc_consolidate took
/// 8% of a run on `.tf` sources), and the heap grown 64 MiB at a time rather than 128 KiB (pages
/// are only resident once written, so the peak does not change), and blocks up to 1 GiB (the
/// parser's buffers) taken from the heap rather than mapped for themselves: the pages of a block
/// freed are then written again by the blocks that follow rather than given back and faulted in
/// anew (a quarter fewer page faults on a 130 MB plan). Each saves 7 to 10% of the time on the
/// benchmark's plans and sources (tests/bench).
void TuneAllocator() {
#if defined(__GLIBC__)
  mallopt(M_MXFAST, 0);
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  TuneAllocator();
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return cvpn::RunCli(args, std::cout, std::cerr, isatty(STDOUT_FILENO) != 0);
  } catch (const std::exception& e) {
    std::cerr << "cvpn-lint: internal error: " << e.what() << "\n";
    return cvpn::kExitError;
  }
}
