// SPDX-License-Identifier: Apache-2.0
// Replays inputs through a libFuzzer harness without libFuzzer, so that the normal build (and the
// sanitizer build) runs every regression the fuzzers found: main() calls LLVMFuzzerTestOneInput
// on each file under the directories given, in name order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path root(argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      inputs.push_back(root);
      continue;
    }
    if (!fs::is_directory(root, ec)) {
      continue;  // a harness without regressions yet
    }
    for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
        inputs.push_back(entry.path());
      }
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cout << "replaying " << input.string() << " (" << bytes.size() << " bytes)" << std::endl;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libFuzzer's interface
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << inputs.size() << " input" << (inputs.size() == 1 ? "" : "s") << " replayed"
            << std::endl;
  // The Terraform harness writes each input to a scratch directory of its own process.
  std::error_code ec;
  fs::remove_all(fs::temp_directory_path() / ("cvpn-hcl-fuzz-" + std::to_string(::getpid())), ec);
  return 0;
}
