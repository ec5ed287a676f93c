// SPDX-License-Identifier: Apache-2.0
#include "parsers/yaml_documents.h"

#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace cvpn::parsers {

namespace {

/// Counts documents, and whether the second holds anything.
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) {
      second_ = mark;
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override { Content(); }
  void OnScalar(const YAML::Mark& /*mark*/,
                const std::string& /*tag*/,
                YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {
    Content();
  }
  void OnSequenceStart(const YAML::Mark& /*mark*/,
                       const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/,
                       YAML::EmitterStyle::value /*style*/) override {
    Content();
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/,
                  const std::string& /*tag*/,
                  YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    Content();
  }
  void OnMapEnd() override {}

  int Documents() const { return documents_; }
  bool SecondHasContent() const { return second_content_; }
  const YAML::Mark& Second() const { return second_; }

 private:
  void Content() {
    if (documents_ == 2) {
      second_content_ = true;
    }
  }

  int documents_ = 0;
  bool second_content_ = false;
  YAML::Mark second_ = YAML::Mark::null_mark();
};

/// Whether a line after the first starts with `---` or `...` (a document marker).
bool HasDocumentMarker(std::string_view text) {
  for (size_t pos = text.find('\n'); pos != std::string_view::npos; pos = text.find('\n', pos)) {
    ++pos;
    const std::string_view marker = text.substr(pos, 3);
    if ((marker == "---" || marker == "...") &&
        (pos + 3 == text.size() || text[pos + 3] == ' ' || text[pos + 3] == '\t' ||
         text[pos + 3] == '\r' || text[pos + 3] == '\n')) {
      return true;
    }
  }
  return false;
}

TextPosition At(const YAML::Mark& mark) {
  // yaml-cpp marks are 0-based.
  return {mark.line + 1, mark.column + 1};
}

}  // namespace

std::optional<TextPosition> SecondYamlDocument(std::string_view text) {
  if (!HasDocumentMarker(text)) {
    return std::nullopt;
  }
  std::istringstream in{std::string(text)};
  DocumentCounter counter;
  try {
    YAML::Parser parser(in);
    for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
    }
  } catch (const YAML::Exception&) {
    // A second document that does not parse is still a second document.
    if (counter.Documents() >= 2 && !counter.Second().is_null()) {
      return At(counter.Second());
    }
    return std::nullopt;  // the first document's error is reported by whoever reads it
  }
  if (counter.Documents() >= 2 && counter.SecondHasContent() && !counter.Second().is_null()) {
    return At(counter.Second());
  }
  return std::nullopt;
}

}  // namespace cvpn::parsers
