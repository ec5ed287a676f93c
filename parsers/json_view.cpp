// SPDX-License-Identifier: Apache-2.0
#include "parsers/json_view.h"

#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "parsers/text_position.h"

namespace cvpn::parsers {

std::string_view JsonView::String() const {
  std::string_view out;
  if (present_ && element_.get_string().get(out) == simdjson::SUCCESS) {
    return out;
  }
  return {};
}

bool JsonView::Bool() const {
  bool out = false;
  return present_ && element_.get_bool().get(out) == simdjson::SUCCESS && out;
}

int64_t JsonView::Integer() const {
  int64_t out = 0;
  if (present_ && element_.get_int64().get(out) == simdjson::SUCCESS) {
    return out;
  }
  return 0;
}

double JsonView::Double() const {
  double out = 0;
  if (present_ && element_.get_double().get(out) == simdjson::SUCCESS) {
    return out;
  }
  return 0;
}

JsonView JsonView::operator[](std::string_view key) const {
  simdjson::dom::object object;
  if (!present_ || element_.get_object().get(object) != simdjson::SUCCESS) {
    return {};
  }
  simdjson::dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) {
    return {};
  }
  return JsonView(value);
}

JsonView JsonView::At(size_t index) const {
  simdjson::dom::array array;
  if (!present_ || element_.get_array().get(array) != simdjson::SUCCESS) {
    return {};
  }
  simdjson::dom::element value;
  if (array.at(index).get(value) != simdjson::SUCCESS) {
    return {};
  }
  return JsonView(value);
}

size_t JsonView::Size() const {
  if (!present_) {
    return 0;
  }
  simdjson::dom::array array;
  if (element_.get_array().get(array) == simdjson::SUCCESS) {
    return array.size();
  }
  simdjson::dom::object object;
  if (element_.get_object().get(object) == simdjson::SUCCESS) {
    return object.size();
  }
  return 0;
}

JsonView::ElementIterator JsonView::Elements::begin() const {
  simdjson::dom::array a;
  if (!array.IsArray() || array.element_.get_array().get(a) != simdjson::SUCCESS) {
    return {};
  }
  return ElementIterator(a.begin());
}

JsonView::ElementIterator JsonView::Elements::end() const {
  simdjson::dom::array a;
  if (!array.IsArray() || array.element_.get_array().get(a) != simdjson::SUCCESS) {
    return {};
  }
  return ElementIterator(a.end());
}

JsonView::MemberIterator JsonView::Members::begin() const {
  simdjson::dom::object o;
  if (!object.IsObject() || object.element_.get_object().get(o) != simdjson::SUCCESS) {
    return {};
  }
  return MemberIterator(o.begin());
}

JsonView::MemberIterator JsonView::Members::end() const {
  simdjson::dom::object o;
  if (!object.IsObject() || object.element_.get_object().get(o) != simdjson::SUCCESS) {
    return {};
  }
  return MemberIterator(o.end());
}

std::string JsonView::Dump() const {
  return present_ ? simdjson::minify(element_) : std::string();
}

const char* JsonView::TypeName() const {
  if (!present_) {
    return "nothing";
  }
  switch (element_.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

bool operator==(const JsonView& a, const JsonView& b) {
  if (a.present_ != b.present_) {
    return false;
  }
  if (!a.present_) {
    return true;
  }
  using simdjson::dom::element_type;
  const element_type ta = a.element_.type();
  const element_type tb = b.element_.type();
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsInteger() && b.IsInteger()) {
      return a.Integer() == b.Integer();
    }
    if (ta == element_type::UINT64 || tb == element_type::UINT64) {
      return ta == tb && a.element_.get_uint64().value_unsafe() ==
                             b.element_.get_uint64().value_unsafe();
    }
    double da = 0;
    double db = 0;
    return a.element_.get_double().get(da) == simdjson::SUCCESS &&
           b.element_.get_double().get(db) == simdjson::SUCCESS && da == db;
  }
  if (ta != tb) {
    return false;
  }
  switch (ta) {
    case element_type::STRING:
      return a.String() == b.String();
    case element_type::BOOL:
      return a.Bool() == b.Bool();
    case element_type::NULL_VALUE:
      return true;
    case element_type::ARRAY: {
      if (a.Size() != b.Size()) {
        return false;
      }
      auto ib = b.Items().begin();
      for (JsonView ea : a.Items()) {
        if (!(ea == *ib)) {
          return false;
        }
        ++ib;
      }
      return true;
    }
    case element_type::OBJECT: {
      if (a.Size() != b.Size()) {
        return false;
      }
      auto ib = b.ObjectMembers().begin();
      for (auto [key, value] : a.ObjectMembers()) {
        auto [other_key, other_value] = *ib;
        if (key != other_key || !(value == other_value)) {
          return false;
        }
        ++ib;
      }
      return true;
    }
    default:
      return false;
  }
}

namespace {

std::string CleanJsonMessage(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
  // parsing value - invalid literal; last read: 'x'" -> "syntax error while parsing value - ..."
  std::string text = what;
  if (auto pos = text.find("] "); pos != std::string::npos && text.front() == '[') {
    text = text.substr(pos + 2);
  }
  if (auto pos = text.find(": "); pos != std::string::npos && text.rfind("parse error", 0) == 0) {
    text = text.substr(pos + 2);
  }
  return text;
}

/// The offset of the first number in `text` (outside strings) that does not fit a 64-bit
/// integer or a double, or npos.
size_t FindOutOfRangeNumber(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) {
      continue;
    }
    size_t end = i;
    bool integer = true;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) != 0 ||
                                 text[end] == '-' || text[end] == '+' || text[end] == '.' ||
                                 text[end] == 'e' || text[end] == 'E')) {
      integer = integer && text[end] != '.' && text[end] != 'e' && text[end] != 'E';
      ++end;
    }
    const std::string token(text.substr(i, end - i));
    errno = 0;
    if (integer) {
      if (token[0] == '-') {
        (void)std::strtoll(token.c_str(), nullptr, 10);
      } else {
        (void)std::strtoull(token.c_str(), nullptr, 10);
      }
    } else {
      const double d = std::strtod(token.c_str(), nullptr);
      if (std::isinf(d)) {
        errno = ERANGE;
      }
    }
    if (errno == ERANGE) {
      return i;
    }
    i = end - 1;
  }
  return std::string_view::npos;
}

/// Says where and why `text` is not JSON, after simdjson refused it with `error`: simdjson
/// does not say where, so the (slower) nlohmann parser, which does, reads it again.
void ReportInvalidJson(const std::string& name, std::string_view text, int max_depth,
                       simdjson::error_code error, InputErrors& errors) {
  if (const size_t deep = FindExcessiveNesting(text, max_depth); deep != std::string_view::npos) {
    const TextPosition p = PositionOf(text, deep);
    errors.push_back({name, p.line, p.column,
                      fmt::format("JSON nests deeper than {} levels", max_depth)});
    return;
  }
  if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
    if (const size_t at = FindOutOfRangeNumber(text); at != std::string_view::npos) {
      const TextPosition p = PositionOf(text, at);
      size_t end = at + 1;
      while (end < text.size() && end - at < 40 &&
             std::string_view("0123456789.eE+-").find(text[end]) != std::string_view::npos) {
        ++end;
      }
      errors.push_back({name, p.line, p.column,
                        fmt::format("the number {} is out of range", text.substr(at, end - at))});
      return;
    }
  }
  try {
    const auto parsed = nlohmann::json::parse(text.begin(), text.end(), nullptr, true, false);
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    const TextPosition p = PositionOf(text, e.byte > 0 ? e.byte - 1 : 0);
    errors.push_back({name, p.line, p.column, "invalid JSON: " + CleanJsonMessage(e.what())});
    return;
  } catch (const nlohmann::json::exception& e) {
    errors.push_back({name, 1, 1, "invalid JSON: " + CleanJsonMessage(e.what())});
    return;
  }
  // Both parsers disagree (a number beyond 64 bits, say): say what simdjson found.
  errors.push_back({name, 1, 1,
                    fmt::format("invalid JSON: {}", simdjson::error_message(error))});
}

/// Parses the selected parts of a padded `body` into `document`: simdjson's first stage indexes
/// the whole text, the index keeps the entries of the selected parts, and the second stage
/// builds the tree from those. False when the text is not well-formed (nothing is reported: the
/// caller parses it whole, which says where and why).
bool ParseSelection(std::string_view body, size_t max_depth, const JsonSelection& selection,
                    simdjson::dom::parser& parser, simdjson::dom::document& document) {
  auto& stages = *parser.implementation;
  const auto* text = reinterpret_cast<const uint8_t*>(body.data());
  if (stages.stage1(text, body.size(), simdjson::stage1_mode::regular) != simdjson::SUCCESS) {
    return false;
  }
  const std::optional<uint32_t> kept =
      SelectStructurals(text, body.size(), stages.structural_indexes.get(),
                        stages.n_structural_indexes, selection, max_depth, stages);
  if (!kept || *kept == 0) {
    return false;
  }
  // As the first stage ends the index: the text's length twice, then 0, for the second stage
  // to stop at.
  stages.n_structural_indexes = *kept;
  stages.structural_indexes[*kept] = static_cast<uint32_t>(body.size());
  stages.structural_indexes[*kept + 1] = static_cast<uint32_t>(body.size());
  stages.structural_indexes[*kept + 2] = 0;
  stages.next_structural_index = 0;
  return document.allocate(body.size()) == simdjson::SUCCESS &&
         stages.stage2(document) == simdjson::SUCCESS;
}

}  // namespace

std::unique_ptr<JsonDocument> JsonDocument::Parse(const std::string& name, const std::string& text,
                                                  int max_depth, InputErrors& errors,
                                                  const JsonSelection* selection) {
  // A UTF-8 byte-order mark is not JSON, but editors write it: skip it.
  const size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const std::string_view body(text.data() + start, text.size() - start);
  const bool padded = text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING;
  auto document = std::make_unique<JsonDocument>();
  simdjson::dom::parser parser;
  simdjson::error_code error = parser.allocate(body.size(), static_cast<size_t>(max_depth));
  if (error == simdjson::SUCCESS && selection != nullptr && padded &&
      ParseSelection(body, static_cast<size_t>(max_depth), *selection, parser,
                     document->document_)) {
    document->root_ = JsonView(document->document_.root());
    return document;
  }
  simdjson::dom::element root;
  if (error == simdjson::SUCCESS) {
    error = parser.parse_into_document(document->document_, body.data(), body.size(), !padded)
                .get(root);
  }
  if (error == simdjson::MEMALLOC) {
    errors.push_back({name, 0, 0, "not enough memory to read the file"});
    return nullptr;
  }
  if (error != simdjson::SUCCESS) {
    ReportInvalidJson(name, body, max_depth, error, errors);
    // Positions count from the start of the file, byte-order mark included.
    if (start != 0 && !errors.empty() && errors.back().line == 1 && errors.back().column > 0) {
      errors.back().column += static_cast<int>(start);
    }
    return nullptr;
  }
  document->root_ = JsonView(root);
  return document;
}

std::string JsonQuote(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

}  // namespace cvpn::parsers
