// SPDX-License-Identifier: Apache-2.0
// Every registered rule is complete: an embedded doc page with the house headings, whose title and
// first paragraph match the registry, HCL and CloudFormation examples, a README table row, and
// fixture scenarios in which it passes and fails.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/all_rules.h"
#include "rules/docs.h"

namespace {

namespace fs = std::filesystem;

/// The headings every page has, in this order (`## Options` may sit between them).
constexpr std::string_view kRequiredHeadings[] = {
    "## Why is this bad?", "## Example", "## Use instead", "## Limitations", "## References",
};

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The first paragraph after the title: the lines up to the next blank line, joined by spaces.
std::string FirstParagraph(const std::vector<std::string>& lines) {
  size_t i = 1;
  while (i < lines.size() && lines[i].empty()) {
    ++i;
  }
  std::string paragraph;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    paragraph += (paragraph.empty() ? "" : " ") + lines[i];
  }
  return paragraph;
}

/// The lines of the section under `heading`, up to the next `## ` heading.
std::vector<std::string> Section(const std::vector<std::string>& lines, std::string_view heading) {
  std::vector<std::string> out;
  bool inside = false;
  bool in_code = false;
  for (const std::string& line : lines) {
    if (line.starts_with("```")) {
      in_code = !in_code;
    }
    if (!in_code && line.starts_with("## ")) {
      inside = line == heading;
      continue;
    }
    if (inside) {
      out.push_back(line);
    }
  }
  return out;
}

bool HasLine(const std::vector<std::string>& lines, std::string_view wanted) {
  for (const std::string& line : lines) {
    if (line == wanted) {
      return true;
    }
  }
  return false;
}

/// Whether some fixture's expected.txt has a pair line with `token` (e.g. `CVPN001=fail`).
bool SomeFixtureShows(const std::string& token) {
  const fs::path root = fs::path(CVPN_SOURCE_DIR) / "fixtures" / "terraform";
  for (const fs::directory_entry& dir : fs::directory_iterator(root)) {
    const fs::path expected = dir.path() / "expected.txt";
    if (!dir.is_directory() || !fs::exists(expected)) {
      continue;
    }
    for (const std::string& line : Lines(ReadFile(expected))) {
      if (line.starts_with("#")) {
        continue;
      }
      std::istringstream words(line);
      std::string word;
      while (words >> word) {
        if (word == token) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

TEST_CASE("every rule has a complete documentation page", "[docs]") {
  REQUIRE_FALSE(cvpn::AllRules().empty());
  for (const cvpn::Rule& rule : cvpn::AllRules()) {
    const std::string id(rule.id);
    DYNAMIC_SECTION(id) {
      const std::string_view doc = cvpn::rules::RuleDoc(rule.id);
      REQUIRE_FALSE(doc.empty());
      const std::vector<std::string> lines = Lines(doc);
      REQUIRE_FALSE(lines.empty());
      CHECK(lines.front() == "# " + id + " " + std::string(rule.name));
      CHECK(FirstParagraph(lines) == rule.summary);

      // The headings exist, outside code blocks, in the house order.
      size_t previous = 0;
      for (std::string_view heading : kRequiredHeadings) {
        INFO("heading: " << heading);
        size_t at = 0;
        while (at < lines.size() && lines[at] != heading) {
          ++at;
        }
        REQUIRE(at < lines.size());
        CHECK(at > previous);
        previous = at;
      }

      // Both languages appear in the failing example and in the fix.
      for (std::string_view heading : {"## Example", "## Use instead"}) {
        INFO("section: " << heading);
        const std::vector<std::string> section = Section(lines, heading);
        CHECK(HasLine(section, "```hcl"));
        CHECK(HasLine(section, "```yaml"));
      }

      // Code fences are balanced, so no heading is swallowed by a code block.
      size_t fences = 0;
      for (const std::string& line : lines) {
        if (line.starts_with("```")) {
          ++fences;
        }
      }
      CHECK(fences % 2 == 0);
      CHECK(doc.back() == '\n');
    }
  }
}

TEST_CASE("RuleDoc has no page for an unknown ID", "[docs]") {
  CHECK(cvpn::rules::RuleDoc("").empty());
  CHECK(cvpn::rules::RuleDoc("CVPN000").empty());
  CHECK(cvpn::rules::RuleDoc("CVPN999").empty());
  CHECK(cvpn::rules::RuleDoc("cvpn001").empty());
  CHECK(cvpn::rules::RuleDoc("CVPN0011").empty());
}

TEST_CASE("every rule has a row in the README rule table", "[docs]") {
  const std::vector<std::string> readme =
      Lines(ReadFile(fs::path(CVPN_SOURCE_DIR) / "README.md"));
  REQUIRE_FALSE(readme.empty());
  for (const cvpn::Rule& rule : cvpn::AllRules()) {
    const std::string row = "| " + std::string(rule.id) + " | " + std::string(rule.name) + " |";
    INFO("row starting with: " << row);
    bool found = false;
    for (const std::string& line : readme) {
      found = found || line.starts_with(row);
    }
    CHECK(found);
  }
}

TEST_CASE("every rule passes in one fixture and fails in another", "[docs]") {
  for (const cvpn::Rule& rule : cvpn::AllRules()) {
    const std::string id(rule.id);
    INFO("rule: " << id);
    CHECK(SomeFixtureShows(id + "=pass"));
    CHECK(SomeFixtureShows(id + "=fail"));
  }
}
