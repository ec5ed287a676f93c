// SPDX-License-Identifier: Apache-2.0
// Unit tests for analyzer/json_writer.h: the streaming writer gives the bytes nlohmann::json's
// dump(2) gives for the same document, escapes included.
#include "analyzer/json_writer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cvpn {
namespace {

using Ordered = nlohmann::ordered_json;

std::string Dump(const Ordered& j) {
  return j.dump(2, ' ', false, Ordered::error_handler_t::replace);
}

/// Writes `j` through JsonWriter.
void Write(JsonWriter& w, const Ordered& j) {
  if (j.is_object()) {
    w.BeginObject();
    for (const auto& [key, value] : j.items()) {
      w.Key(key);
      Write(w, value);
    }
    w.EndObject();
  } else if (j.is_array()) {
    w.BeginArray();
    for (const auto& value : j) {
      Write(w, value);
    }
    w.EndArray();
  } else if (j.is_string()) {
    w.String(j.get<std::string>());
  } else if (j.is_null()) {
    w.Null();
  } else if (j.is_boolean()) {
    w.Bool(j.get<bool>());
  } else if (j.is_number_unsigned()) {
    w.Number(j.get<uint64_t>());
  } else {
    w.Number(j.get<int64_t>());
  }
}

std::string Written(const Ordered& j) {
  std::string out;
  JsonWriter w(out);
  Write(w, j);
  return out;
}

TEST_CASE("JsonWriter lays out documents as nlohmann::json's dump(2)", "[json]") {
  const std::vector<Ordered> documents = {
      Ordered::object(),
      Ordered::array(),
      Ordered::parse(R"({"a": 1, "b": [], "c": {}, "d": [1, -2, null, true, false, "x"]})"),
      Ordered::parse(R"([[[]], [{}], {"k": [{"n": {"m": []}}]}])"),
      Ordered::parse(R"({"tool": {"name": "cvpn-lint"}, "pairs": [{"port": null}]})"),
      Ordered::parse(R"({"n": 18446744073709551615, "m": -9223372036854775808})"),
  };
  for (const Ordered& j : documents) {
    CHECK(Written(j) == Dump(j));
  }
}

TEST_CASE("JsonWriter escapes strings as nlohmann::json does", "[json]") {
  std::vector<std::string> strings = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "tab\tnewline\ncr\rbackspace\bformfeed\f",
      std::string("nul \0 and \x1f and \x7f", 17),  // the literal's 17 bytes, NUL inside
      "aws_instance.app[\"s001\"]",
      "UTF-8: \xC3\xA9 \xE2\x9C\x85 \xF0\x9F\x98\x80",
      // Invalid UTF-8: lone continuation, truncated sequences, overlong forms, surrogates, too
      // large, a bad byte inside a sequence.
      "\x80",
      "a\xC3",
      "\xE2\x9C",
      "x\xF0\x9F\x98y",
      "\xC0\xAF",
      "\xE0\x80\xAF",
      "\xED\xA0\x80",
      "\xF4\x90\x80\x80",
      "\xF5\x80\x80\x80",
      "\xC3\x28 and \xE2\x28\xA1 and \xFF",
  };
  // Every single byte, alone and between letters, at every offset of an eight-byte word.
  for (int b = 0; b < 256; ++b) {
    strings.emplace_back(1, static_cast<char>(b));
    for (size_t before = 0; before < 17; ++before) {
      strings.push_back(std::string(before, 'a') + static_cast<char>(b) + std::string(9, 'b'));
    }
  }
  for (const std::string& s : strings) {
    INFO("string of " << s.size() << " bytes");
    std::string out;
    AppendJsonString(out, s);
    CHECK(out == Ordered(s).dump(-1, ' ', false, Ordered::error_handler_t::replace));
    CHECK(Written(Ordered::object({{s, s}})) == Dump(Ordered::object({{s, s}})));
  }
}

}  // namespace
}  // namespace cvpn
