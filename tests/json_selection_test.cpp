// SPDX-License-Identifier: Apache-2.0
// Parsing only the selected parts of a JSON document: the tree holds exactly what the selection
// keeps of the whole tree, and what is left out is still checked, so that malformed text is
// refused wherever it is.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "json_projection.h"
#include "parsers/json_view.h"
#include "parsers/plan_model.h"

namespace {

using cvpn::parsers::JsonDocument;
using cvpn::parsers::JsonSelection;
using cvpn::parsers::PlanModel;
using cvpn::testing::Projection;

std::unique_ptr<JsonDocument> Parse(std::string text, const JsonSelection* selection,
                                    cvpn::InputErrors& errors, int max_depth = 64) {
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);  // read in place, as files are
  return JsonDocument::Parse("doc.json", text, max_depth, errors, selection);
}

/// The selected tree, as text, after checking that it is what the selection keeps of the whole.
std::string Selected(const std::string& text, const JsonSelection& selection) {
  cvpn::InputErrors errors;
  const auto whole = Parse(text, nullptr, errors);
  const auto selected = Parse(text, &selection, errors);
  REQUIRE(errors.empty());
  REQUIRE(whole != nullptr);
  REQUIRE(selected != nullptr);
  const std::string kept = Projection(selected->Root(), nullptr);
  CHECK(kept == Projection(whole->Root(), &selection));
  return kept;
}

/// {"a": whole, "c": {"k": whole}} and, in arrays, the same for each element.
struct Fixture {
  JsonSelection c, root, elements;
  Fixture() {
    c.members = {{"k"}};
    root.members = {{"a"}, {"c", &c}};
    elements.elements = &root;
  }
};

}  // namespace

TEST_CASE("the tree holds the selected members, in order, and nothing else", "[selection]") {
  const Fixture f;
  CHECK(Selected(R"({"a":1,"b":2,"c":{"k":3,"z":4}})", f.root) == R"({"a":1,"c":{"k":3}})");
  CHECK(Selected(R"({"b":2,"a":1})", f.root) == R"({"a":1})");
  CHECK(Selected(R"({"a":1,"b":2})", f.root) == R"({"a":1})");
  CHECK(Selected(R"({"b":2,"z":[1,{"q":null}]})", f.root) == R"({})");
  CHECK(Selected(R"({"b":2})", f.root) == R"({})");
  CHECK(Selected(R"({})", f.root) == R"({})");
  CHECK(Selected(R"( { "b" : [ 1 , 2 ] , "a" : "x" , "d" : { } } )", f.root) == R"({"a":"x"})");
  // Duplicate keys stay, for the reader to report.
  CHECK(Selected(R"({"a":1,"b":0,"a":2})", f.root) == R"({"a":1,"a":2})");
  // A key with an escape is compared unescaped.
  CHECK(Selected(R"({"\u0061":1,"\u0062":2})", f.root) == R"({"a":1})");
  // Of another type than selected: kept whole, for the reader to report.
  CHECK(Selected(R"({"c":"text","a":[1]})", f.root) == R"({"c":"text","a":[1]})");
  CHECK(Selected(R"({"c":[{"k":1,"z":2}]})", f.root) == R"({"c":[{"k":1,"z":2}]})");
  CHECK(Selected(R"([1])", f.root) == R"([1])");
  CHECK(Selected(R"("text")", f.root) == R"("text")");
  // Arrays: each element.
  CHECK(Selected(R"([{"a":1,"b":2},{"b":3},"x",[{"b":1}],{"c":{"z":1}}])", f.elements) ==
        R"([{"a":1},{},"x",[{"b":1}],{"c":{}}])");
  CHECK(Selected(R"([])", f.elements) == R"([])");
}

TEST_CASE("what is left out is still checked", "[selection]") {
  const Fixture f;
  for (const char* left_out :
       {"tru", "nul", "truex", "01", "1.", "-", "1e", "1e+", "+1", ".5", R"("\q")", R"("\u12")",
        R"("\ud800")", "[1,]", "[1 2]", "[,1]", R"({"x" 1})", R"({"x":1,})", R"({,})",
        R"({"x":})", R"({1:2})", "[}", "{]", R"({"\q":1})"}) {
    const std::string text = std::string(R"({"a":1,"b":)") + left_out + R"(,"c":{"k":2}})";
    INFO(text);
    cvpn::InputErrors errors;
    CHECK(Parse(text, &f.root, errors) == nullptr);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 1);
    CHECK(errors[0].message.find("JSON") != std::string::npos);
  }
  // Malformed at the top, or after the document.
  for (const char* text : {R"({"a":1,"b":2)", R"({"a":1,"b":2}})", R"({"a":1,"b":2} x)",
                           R"({"a":1 "b":2})", R"({"b":2,})", R"({"b"})", ""}) {
    INFO(text);
    cvpn::InputErrors errors;
    CHECK(Parse(text, &f.root, errors) == nullptr);
    CHECK(errors.size() == 1);
  }
}

TEST_CASE("what is left out counts towards the nesting limit", "[selection]") {
  const Fixture f;
  const std::string deep = std::string(R"({"a":1,"b":)") + std::string(100, '[') +
                           std::string(100, ']') + "}";
  cvpn::InputErrors errors;
  CHECK(Parse(deep, &f.root, errors, 64) == nullptr);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("nests deeper than 64") != std::string::npos);
  errors.clear();
  CHECK(Parse(deep, &f.root, errors, 512) != nullptr);
  CHECK(errors.empty());
}

TEST_CASE("the plan model's selection keeps what it reads of every plan and state fixture",
          "[selection]") {
  namespace fs = std::filesystem;
  std::vector<fs::path> documents;
  for (const char* dir : {"fixtures/terraform", "fixtures/state", "tests/bench"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(CVPN_SOURCE_DIR) / dir)) {
      if (entry.path().extension() == ".json" &&
          (entry.path().filename().string().find("plan") != std::string::npos ||
           entry.path().filename() == "state.json")) {
        documents.push_back(entry.path());
      }
    }
  }
  REQUIRE(documents.size() > 50);
  size_t whole_bytes = 0;
  size_t kept_bytes = 0;
  for (const fs::path& path : documents) {
    INFO(path.string());
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string kept = Selected(text.str(), PlanModel::Reads());
    whole_bytes += text.str().size();
    kept_bytes += kept.size();
  }
  // resource_changes repeat planned_values: about half of a plan is left out.
  CHECK(kept_bytes * 10 < whole_bytes * 7);
}
