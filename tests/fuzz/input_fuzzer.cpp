// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the input front door: any bytes, as any kind of input the tool accepts
// (Terraform plan or state JSON, CloudFormation YAML or JSON), loaded and analysed with pair
// inference. Nothing may crash, hang or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/engine.h"
#include "analyzer/pairs.h"
#include "analyzer/report.h"
#include "parsers/input.h"
#include "rules/all_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);  // NOLINT
  cvpn::Graph graph;
  cvpn::InputErrors errors;
  cvpn::parsers::LoadOptions options;
  options.limits.max_file_bytes = size_t{1} << 20;
  if (!cvpn::parsers::LoadInputText("fuzz-input", text, graph, errors, options)) {
    return 0;
  }
  const auto pairs = cvpn::ResolvePairs(graph, {}, errors);
  const auto report = cvpn::MakeReport(graph, cvpn::Analyze(graph, pairs, cvpn::AllRules()));
  (void)cvpn::RenderJson(graph, report);
  (void)cvpn::RenderText(graph, report, {});
  return 0;
}
