// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the input front door: any bytes, as any kind of input the tool accepts
// (Terraform plan or state JSON, CloudFormation YAML or JSON), loaded and analysed with pair
// inference. Nothing may crash, hang or leak, whatever the bytes. The plan front end parses only
// the parts of a plan it reads (PlanModel::Reads); against a parse of the whole, that accepts the
// same texts and keeps exactly what the selection says.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <simdjson.h>

#include "analyzer/engine.h"
#include "analyzer/pairs.h"
#include "analyzer/report.h"
#include "json_projection.h"
#include "parsers/input.h"
#include "parsers/json_view.h"
#include "parsers/plan_model.h"
#include "rules/all_rules.h"

namespace {

void CheckSelection(const std::string& text) {
  using cvpn::parsers::JsonDocument;
  using cvpn::parsers::PlanModel;
  std::string padded = text;
  padded.reserve(padded.size() + simdjson::SIMDJSON_PADDING);
  cvpn::InputErrors errors;
  const auto selected = JsonDocument::Parse("fuzz.json", padded, 64, errors, &PlanModel::Reads());
  // As JsonDocument::Parse reads it: a byte-order mark skipped.
  const size_t start = padded.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  simdjson::dom::parser parser;
  simdjson::dom::element whole;
  simdjson::error_code error = parser.allocate(padded.size() + 1, 64);
  if (error == simdjson::SUCCESS) {
    error = parser.parse(padded.data() + start, padded.size() - start, false).get(whole);
  }
  if (selected == nullptr) {
    return;  // refused: the whole parse said why
  }
  if (error != simdjson::SUCCESS) {
    // Only the range of numbers is not checked in the parts left out.
    if (error != simdjson::NUMBER_ERROR && error != simdjson::NUMBER_OUT_OF_RANGE) {
      std::abort();
    }
    return;
  }
  if (cvpn::testing::Projection(cvpn::parsers::JsonView(whole), &PlanModel::Reads()) !=
      cvpn::testing::Projection(selected->Root(), nullptr)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);  // NOLINT
  CheckSelection(text);
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
