// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the config file (.cvpn-lint.yaml) and `--target` specs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parsers/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);  // NOLINT
  cvpn::InputErrors errors;
  (void)cvpn::parsers::LoadConfigText("fuzz-config.yaml", text, errors);
  cvpn::PairDeclaration declaration;
  std::string error;
  (void)cvpn::parsers::ParseTargetSpec(text, declaration, error);
  return 0;
}
