// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for Terraform sources: any bytes as the main.tf of a directory, parsed with
// tree-sitter, evaluated and analysed with pair inference.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/engine.h"
#include "analyzer/pairs.h"
#include "analyzer/report.h"
#include "parsers/input.h"
#include "rules/all_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One scratch directory per fuzzing process, rewritten for every input.
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cvpn-hcl-fuzz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "main.tf", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));  // NOLINT
  }
  cvpn::Graph graph;
  cvpn::InputErrors errors;
  if (!cvpn::parsers::LoadInputs({dir.string()}, graph, errors)) {
    return 0;
  }
  const auto pairs = cvpn::ResolvePairs(graph, {}, errors);
  const auto report = cvpn::MakeReport(graph, cvpn::Analyze(graph, pairs, cvpn::AllRules()));
  (void)cvpn::RenderJson(graph, report);
  return 0;
}
