// SPDX-License-Identifier: Apache-2.0
// The machine formats (SARIF, GitHub workflow commands and step summary, JUnit XML) on every
// Terraform fixture and on hand-made reports: the structure their readers require, escaping, stable
// fingerprints and byte-identical output.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/engine.h"
#include "analyzer/pairs.h"
#include "analyzer/report.h"
#include "analyzer/version.h"
#include "parsers/config.h"
#include "parsers/input.h"
#include "rules/all_rules.h"
#if __has_include("rules/docs.h")
#include "rules/docs.h"
#define CVPN_HAVE_RULE_DOCS 1
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Analysis {
  cvpn::Graph graph;
  cvpn::Report report;
};

/// The inputs of a fixture scenario: its plan, or its CloudFormation templates.
std::vector<std::string> Inputs(const fs::path& dir) {
  if (fs::exists(dir / "plan.json")) {
    return {(dir / "plan.json").string()};
  }
  std::vector<std::string> templates;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.path().filename() != "cvpn-lint.yaml" &&
        (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      templates.push_back(entry.path().string());
    }
  }
  std::sort(templates.begin(), templates.end());
  return templates;
}

/// Runs a fixture scenario as the command line does.
std::unique_ptr<Analysis> Analyze(const fs::path& dir) {
  auto a = std::make_unique<Analysis>();
  cvpn::InputErrors errors;
  std::vector<cvpn::PairDeclaration> declarations;
  if (fs::exists(dir / "cvpn-lint.yaml")) {
    declarations = cvpn::parsers::LoadConfig((dir / "cvpn-lint.yaml").string(), errors);
  }
  cvpn::parsers::LoadOptions options;
  if (std::ifstream params(dir / "parameters.txt"); params) {
    std::string line;
    while (std::getline(params, line)) {
      const auto eq = line.find('=');
      if (!line.empty() && line[0] != '#' && eq != std::string::npos) {
        options.parameters[line.substr(0, eq)] = line.substr(eq + 1);
      }
    }
  }
  cvpn::parsers::LoadInputs(Inputs(dir), a->graph, errors, options);
  const std::vector<cvpn::Pair> pairs = cvpn::ResolvePairs(a->graph, declarations, errors);
  for (const auto& e : errors) {
    UNSCOPED_INFO(e.Render());
  }
  REQUIRE(errors.empty());
  a->report = cvpn::MakeReport(a->graph, cvpn::Analyze(a->graph, pairs, cvpn::AllRules()));
  return a;
}

std::vector<cvpn::RuleDescription> Rules() {
  std::vector<cvpn::RuleDescription> out;
  for (const cvpn::Rule& r : cvpn::AllRules()) {
    std::string doc;
#ifdef CVPN_HAVE_RULE_DOCS
    doc = std::string(cvpn::rules::RuleDoc(r.id));
#endif
    out.push_back({std::string(r.id), std::string(r.name), std::string(r.summary), doc});
  }
  return out;
}

/// Every fixture scenario: Terraform plans, then CloudFormation templates.
std::vector<fs::path> Scenarios() {
  std::vector<fs::path> out;
  for (const char* kind : {"terraform", "cloudformation"}) {
    const fs::path root = fs::path(CVPN_SOURCE_DIR) / "fixtures" / kind;
    if (!fs::is_directory(root)) {
      continue;
    }
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(root)) {
      if (entry.is_directory() && fs::exists(entry.path() / "expected.txt")) {
        dirs.push_back(entry.path());
      }
    }
    std::sort(dirs.begin(), dirs.end());
    out.insert(out.end(), dirs.begin(), dirs.end());
  }
  return out;
}

/// "terraform/sg_client_cidr_only": unique across both fixture trees.
std::string Name(const fs::path& dir) {
  return dir.parent_path().filename().string() + "/" + dir.filename().string();
}

bool NonEmptyString(const json& j, const json::json_pointer& p) {
  return j.contains(p) && j.at(p).is_string() && !j.at(p).get<std::string>().empty();
}

// ---- A tiny XML 1.0 well-formedness check (elements, attributes, references, characters) ----

bool XmlNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
}
bool XmlNameChar(char c) {
  return XmlNameStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-' ||
         c == '.';
}

/// Valid UTF-8 made only of characters XML 1.0 allows.
bool XmlCharacters(const std::string& s, std::string& why) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80             ? 1
            : (b & 0xE0) == 0xC0 ? 2
            : (b & 0xF0) == 0xE0 ? 3
            : (b & 0xF8) == 0xF0 ? 4
                                 : 0;
    if (n == 0 || i + static_cast<size_t>(n) > s.size()) {
      why = "invalid UTF-8 at byte " + std::to_string(i);
      return false;
    }
    long cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((c & 0xC0) != 0x80) {
        why = "invalid UTF-8 at byte " + std::to_string(i);
        return false;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    const bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                    (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) {
      why = "character XML forbids at byte " + std::to_string(i);
      return false;
    }
    i += static_cast<size_t>(n);
  }
  return true;
}

/// Checks one `&...;` reference at s[i] == '&'; advances i past it.
bool XmlReference(const std::string& s, size_t& i) {
  const size_t end = s.find(';', i);
  if (end == std::string::npos) {
    return false;
  }
  const std::string name = s.substr(i + 1, end - i - 1);
  i = end + 1;
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    return true;
  }
  return std::regex_match(name, std::regex("#[0-9]+|#x[0-9A-Fa-f]+"));
}

/// Well-formed XML with one root element; `why` says what is wrong otherwise.
bool WellFormedXml(const std::string& s, std::string& why) {
  if (!XmlCharacters(s, why)) {
    return false;
  }
  size_t i = 0;
  if (s.rfind("<?xml", 0) == 0) {
    i = s.find("?>");
    if (i == std::string::npos) {
      why = "unterminated XML declaration";
      return false;
    }
    i += 2;
  }
  std::vector<std::string> open;
  int roots = 0;
  while (i < s.size()) {
    if (s[i] == '&') {
      if (open.empty() || !XmlReference(s, i)) {
        why = "bad reference at byte " + std::to_string(i);
        return false;
      }
      continue;
    }
    if (s[i] != '<') {
      if (open.empty() && std::isspace(static_cast<unsigned char>(s[i])) == 0) {
        why = "text outside the root element at byte " + std::to_string(i);
        return false;
      }
      if (s.compare(i, 3, "]]>") == 0) {
        why = "]]> in text";
        return false;
      }
      ++i;
      continue;
    }
    ++i;
    const bool closing = i < s.size() && s[i] == '/';
    if (closing) {
      ++i;
    }
    const size_t name_start = i;
    if (i >= s.size() || !XmlNameStart(s[i])) {
      why = "bad tag name at byte " + std::to_string(i);
      return false;
    }
    while (i < s.size() && XmlNameChar(s[i])) {
      ++i;
    }
    const std::string name = s.substr(name_start, i - name_start);
    if (closing) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0)
        ++i;
      if (i >= s.size() || s[i] != '>' || open.empty() || open.back() != name) {
        why = "mismatched </" + name + ">";
        return false;
      }
      open.pop_back();
      ++i;
      continue;
    }
    std::set<std::string> attributes;
    while (true) {
      const size_t before = i;
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0)
        ++i;
      if (i >= s.size()) {
        why = "unterminated tag <" + name;
        return false;
      }
      if (s[i] == '>' || s.compare(i, 2, "/>") == 0) {
        break;
      }
      if (i == before || !XmlNameStart(s[i])) {
        why = "bad attribute in <" + name + "> at byte " + std::to_string(i);
        return false;
      }
      const size_t a = i;
      while (i < s.size() && XmlNameChar(s[i]))
        ++i;
      const std::string attribute = s.substr(a, i - a);
      if (!attributes.insert(attribute).second) {
        why = "duplicate attribute " + attribute;
        return false;
      }
      if (i + 1 >= s.size() || s[i] != '=' || (s[i + 1] != '"' && s[i + 1] != '\'')) {
        why = "attribute " + attribute + " without a quoted value";
        return false;
      }
      const char quote = s[i + 1];
      i += 2;
      while (i < s.size() && s[i] != quote) {
        if (s[i] == '<') {
          why = "< in attribute " + attribute;
          return false;
        }
        if (s[i] == '&') {
          if (!XmlReference(s, i)) {
            why = "bad reference in attribute " + attribute;
            return false;
          }
          continue;
        }
        ++i;
      }
      if (i >= s.size()) {
        why = "unterminated attribute " + attribute;
        return false;
      }
      ++i;
    }
    const bool empty = s[i] == '/';
    i += empty ? 2 : 1;
    if (open.empty()) {
      ++roots;
    }
    if (!empty) {
      open.push_back(name);
    }
  }
  if (!open.empty()) {
    why = "unclosed <" + open.back() + ">";
    return false;
  }
  if (roots != 1) {
    why = "expected one root element, found " + std::to_string(roots);
    return false;
  }
  return true;
}

/// Counts `<name ` or `<name>` start tags.
size_t CountTags(const std::string& xml, const std::string& name) {
  size_t n = 0;
  for (size_t at = xml.find("<" + name); at != std::string::npos;
       at = xml.find("<" + name, at + 1)) {
    const char next = xml[at + name.size() + 1];
    n += next == ' ' || next == '>' || next == '/' ? 1U : 0U;
  }
  return n;
}

/// A small hand-made network: one endpoint, one target, and the checks given.
struct HandMade {
  cvpn::Graph graph;
  cvpn::Report report;
};

std::unique_ptr<HandMade> MakeHandMade(const std::vector<cvpn::CheckResult>& checks,
                                       const std::string& file = "net/main.tf") {
  auto h = std::make_unique<HandMade>();
  cvpn::ClientVpnEndpoint endpoint;
  endpoint.origin = {file, "aws_ec2_client_vpn_endpoint.main", 3, 1, {}};
  endpoint.client_cidr =
      cvpn::Maybe<cvpn::Ipv4Cidr>::Of(*cvpn::ParseIpv4Cidr("10.100.0.0/22").cidr);
  h->graph.endpoints.push_back(endpoint);
  cvpn::Target target;
  target.origin = {file, "aws_db_instance.orders", 20, 1, {}};
  target.kind = "RDS DB instance";
  h->graph.targets.push_back(target);
  h->graph.inputs = {file};
  h->graph.Finalize();
  cvpn::PairResult r;
  r.pair.endpoint = 0;
  r.pair.target = 0;
  r.pair.port = *cvpn::ParsePortSpec("tcp/5432").spec;
  r.checks = checks;
  r.verdict = cvpn::VerdictOf(checks);
  h->report = cvpn::MakeReport(h->graph, {r});
  return h;
}

cvpn::CheckResult Check(const std::string& rule,
                        cvpn::Status status,
                        const std::string& message,
                        std::optional<cvpn::Origin> resource = std::nullopt,
                        const std::string& fix = {}) {
  return cvpn::CheckResult{rule, status, message, std::move(resource), fix};
}

std::vector<cvpn::CheckResult> PassingChecks() {
  std::vector<cvpn::CheckResult> out;
  for (const cvpn::Rule& r : cvpn::AllRules()) {
    out.push_back(Check(std::string(r.id), cvpn::Status::kPass, "fine"));
  }
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("SARIF from every fixture has what GitHub code scanning requires", "[sarif]") {
  const auto rules = Rules();
  const auto scenarios = Scenarios();
  REQUIRE(scenarios.size() >= 12);
  for (const fs::path& dir : scenarios) {
    DYNAMIC_SECTION(Name(dir)) {
      const auto a = Analyze(dir);
      const json log = json::parse(cvpn::RenderSarif(a->graph, a->report, rules));
      CHECK(NonEmptyString(log, json::json_pointer("/$schema")));
      CHECK(log["version"] == "2.1.0");
      REQUIRE(log["runs"].size() == 1);
      const json& run = log["runs"][0];
      const json& driver = run["tool"]["driver"];
      CHECK(driver["name"] == "cvpn-lint");
      CHECK(driver["semanticVersion"] == cvpn::kVersion);
      CHECK(driver["version"] == cvpn::kVersion);
      CHECK(driver["informationUri"] == cvpn::kInformationUri);
      CHECK(run["columnKind"] == "utf16CodeUnits");
      CHECK(run["originalUriBaseIds"].contains("%SRCROOT%"));
      REQUIRE(driver["rules"].size() == cvpn::AllRules().size());
      for (size_t i = 0; i < driver["rules"].size(); ++i) {
        const json& rule = driver["rules"][i];
        CHECK(rule["id"] == rules[i].id);
        CHECK(rule["name"] == rules[i].name);
        CHECK(rule["shortDescription"]["text"] == rules[i].summary);
        for (const char* p : {"/fullDescription/text", "/help/text", "/help/markdown"}) {
          CHECK(NonEmptyString(rule, json::json_pointer(p)));
        }
        CHECK(rule["fullDescription"]["text"].get<std::string>().size() <= 1024);
        CHECK(rule["defaultConfiguration"]["level"] == "error");
        CHECK(rule["properties"]["tags"] == json::array({"network", "client-vpn"}));
        CHECK(NonEmptyString(rule, json::json_pointer("/properties/precision")));
        if (!rules[i].doc.empty()) {
          CHECK(rule["help"]["markdown"] == rules[i].doc);
          CHECK(rule["fullDescription"]["text"] != rules[i].summary);
        }
      }
      const json& results = run["results"];
      REQUIRE(results.size() == a->report.findings.size());
      std::set<std::string> fingerprints;
      for (size_t i = 0; i < results.size(); ++i) {
        const json& result = results[i];
        const cvpn::Finding& f = a->report.findings[i];
        INFO(result.dump(2));
        CHECK(result["ruleId"] == f.rule);
        REQUIRE(result["ruleIndex"].is_number_unsigned());
        CHECK(driver["rules"][result["ruleIndex"].get<size_t>()]["id"] == result["ruleId"]);
        CHECK(result["level"] == (f.level == cvpn::Level::kError ? "error" : "warning"));
        CHECK(NonEmptyString(result, json::json_pointer("/message/text")));
        REQUIRE(result["locations"].size() == 1);
        const json& location = result["locations"][0];
        const std::string uri = location["physicalLocation"]["artifactLocation"]["uri"];
        CHECK_FALSE(uri.empty());
        CHECK(uri.front() != '/');
        CHECK(uri.find("://") == std::string::npos);
        CHECK(location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
        CHECK(location["physicalLocation"]["region"]["startColumn"].get<int>() >= 1);
        if (f.resource && f.resource->line > 0) {
          // A known position: the resource's own line, not marked.
          CHECK(location["physicalLocation"]["region"]["startLine"] == f.resource->line);
          CHECK_FALSE(location.contains("properties"));
          const std::string file = fs::path(f.resource->file).filename().string();
          CHECK(uri.size() >= file.size());
          CHECK(uri.substr(uri.size() - file.size()) == file);
        } else {
          // Plans carry no positions: line 1 of the input, marked as approximate.
          CHECK(location["physicalLocation"]["region"]["startLine"] == 1);
          CHECK(location["properties"]["approximateLocation"] == true);
        }
        CHECK(location["logicalLocations"][0]["kind"] == "resource");
        CHECK(location["logicalLocations"][0]["fullyQualifiedName"] ==
              (f.resource ? f.resource->address : f.target));
        const std::string fingerprint = result["partialFingerprints"]["cvpn/v1"];
        CHECK(std::regex_match(fingerprint, std::regex("[0-9a-f]{16}")));
        CHECK(fingerprints.insert(fingerprint).second);
        // The code flow walks client, endpoint, ..., target.
        REQUIRE(result["codeFlows"].size() == 1);
        const json& steps = result["codeFlows"][0]["threadFlows"][0]["locations"];
        REQUIRE(steps.size() >= 3);
        CHECK(steps[0]["location"]["logicalLocations"][0]["fullyQualifiedName"] == f.endpoint);
        CHECK(steps[1]["location"]["logicalLocations"][0]["fullyQualifiedName"] == f.endpoint);
        CHECK(steps.back()["location"]["logicalLocations"][0]["fullyQualifiedName"] == f.target);
        size_t essential = 0;
        for (const json& step : steps) {
          CHECK(NonEmptyString(step, json::json_pointer("/location/message/text")));
          CHECK(step["location"]["physicalLocation"]["region"]["startLine"].get<int>() >= 1);
          CHECK(step["location"]["physicalLocation"]["artifactLocation"]["uriBaseId"] ==
                "%SRCROOT%");
          essential += step["importance"] == "essential" ? 1U : 0U;
        }
        CHECK(essential == (f.resource ? 1U : 0U));
      }
    }
  }
}

TEST_CASE("SARIF fingerprints ignore line moves and stay put across runs", "[sarif]") {
  const fs::path dir = fs::path(CVPN_SOURCE_DIR) / "fixtures" / "terraform" / "sg_client_cidr_only";
  const auto rules = Rules();
  const auto first = Analyze(dir);
  const auto second = Analyze(dir);
  REQUIRE_FALSE(first->report.findings.empty());
  REQUIRE(first->report.findings[0].resource.has_value());
  const auto fingerprints = [&](const cvpn::Graph& g, const cvpn::Report& r) {
    std::vector<std::string> out;
    const json log = json::parse(cvpn::RenderSarif(g, r, rules));
    for (const json& result : log["runs"][0]["results"]) {
      out.push_back(result["partialFingerprints"]["cvpn/v1"]);
    }
    return out;
  };
  CHECK(fingerprints(first->graph, first->report) == fingerprints(second->graph, second->report));

  cvpn::Report moved = first->report;
  moved.findings[0].resource->line = 12;
  moved.findings[0].resource->column = 3;
  const json at12 = json::parse(cvpn::RenderSarif(first->graph, moved, rules));
  moved.findings[0].resource->line = 40;
  const json at40 = json::parse(cvpn::RenderSarif(first->graph, moved, rules));
  const json& r12 = at12["runs"][0]["results"][0];
  const json& r40 = at40["runs"][0]["results"][0];
  CHECK(r12["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);
  CHECK(r40["locations"][0]["physicalLocation"]["region"]["startLine"] == 40);
  CHECK_FALSE(r12["locations"][0].contains("properties"));
  CHECK(r12["partialFingerprints"] == r40["partialFingerprints"]);
  // ... and equal to the fingerprint of the finding without any position.
  CHECK(r12["partialFingerprints"]["cvpn/v1"] == fingerprints(first->graph, first->report)[0]);
}

TEST_CASE("SARIF columns count UTF-16 code units and paths become relative URIs", "[sarif]") {
  const fs::path tmp = fs::temp_directory_path() / "cvpn_sarif_columns";
  fs::create_directories(tmp);
  const fs::path file = tmp / "a b,c.tf";
  {
    std::ofstream out(file, std::ios::binary);
    // "é" is two bytes and one UTF-16 unit; "𝄞" is four bytes and two units.
    out << "# header\n  name = \"\xC3\xA9\xF0\x9D\x84\x9E\" # x\n";
  }
  cvpn::Origin sg{file.string(), "aws_security_group.db", 2, 19, {}};  // byte 19: the '#'
  auto h = MakeHandMade({Check("CVPN002", cvpn::Status::kFail, "no inbound rule", sg, "fix it")},
                        file.string());
  const json log = json::parse(cvpn::RenderSarif(h->graph, h->report, Rules()));
  const json& location = log["runs"][0]["results"][0]["locations"][0];
  CHECK(location["physicalLocation"]["region"]["startLine"] == 2);
  CHECK(location["physicalLocation"]["region"]["startColumn"] == 16);
  const std::string uri = location["physicalLocation"]["artifactLocation"]["uri"];
  CHECK(uri.front() != '/');
  CHECK(uri.find("a%20b,c.tf") != std::string::npos);
  CHECK_FALSE(location.contains("properties"));
  fs::remove_all(tmp);

  // A relative input stays as given (normalised).
  auto rel = MakeHandMade(
      {Check("CVPN002", cvpn::Status::kFail, "m", cvpn::Origin{"./net/main.tf", "x", 0, 0, {}})});
  const json log2 = json::parse(cvpn::RenderSarif(rel->graph, rel->report, Rules()));
  CHECK(log2["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"] == "net/main.tf");
}

TEST_CASE("SARIF describes rules without docs by their summary", "[sarif]") {
  auto h = MakeHandMade({Check("CVPN099", cvpn::Status::kUnknown, "who knows")});
  const std::vector<cvpn::RuleDescription> rules{
      {"CVPN001", "vpc-routes", "Routes work.", ""},
      {"CVPN002", "sgs", "Groups allow.",
       "# CVPN002 sgs\n\nGroups allow.\n\n## Why is "
       "this bad?\n\nFirst line\nsecond line.\n\nMore."}};
  const json log = json::parse(cvpn::RenderSarif(h->graph, h->report, rules));
  const json& descriptors = log["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(descriptors.size() == 3);  // the undescribed rule of a finding is added
  CHECK(descriptors[0]["fullDescription"]["text"] == "Routes work.");
  CHECK(descriptors[0]["help"]["text"] == "Routes work.");
  CHECK(descriptors[1]["fullDescription"]["text"] == "First line second line.");
  CHECK(descriptors[2]["id"] == "CVPN099");
  const json& result = log["runs"][0]["results"][0];
  CHECK(result["ruleIndex"] == 2);
  CHECK(result["level"] == "warning");
  // No resource: the target's own position.
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 20);
  CHECK(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] ==
        "aws_db_instance.orders");
}

TEST_CASE("every format is byte-identical across runs", "[sarif][github][junit]") {
  const auto rules = Rules();
  for (const fs::path& dir : Scenarios()) {
    DYNAMIC_SECTION(Name(dir)) {
      const auto a = Analyze(dir);
      const auto b = Analyze(dir);
      CHECK(cvpn::RenderSarif(a->graph, a->report, rules) ==
            cvpn::RenderSarif(b->graph, b->report, rules));
      CHECK(cvpn::RenderGithub(a->graph, a->report) == cvpn::RenderGithub(b->graph, b->report));
      CHECK(cvpn::RenderMarkdownSummary(a->graph, a->report) ==
            cvpn::RenderMarkdownSummary(b->graph, b->report));
      CHECK(cvpn::RenderJunit(a->graph, a->report) == cvpn::RenderJunit(b->graph, b->report));
    }
  }
}

TEST_CASE("GitHub workflow commands from every fixture", "[github]") {
  for (const fs::path& dir : Scenarios()) {
    DYNAMIC_SECTION(Name(dir)) {
      const auto a = Analyze(dir);
      const std::vector<std::string> lines = Lines(cvpn::RenderGithub(a->graph, a->report));
      REQUIRE(lines.size() == a->report.findings.size() + 1);
      const std::regex command(
          "::(error|warning) file=[^,:]+,line=[1-9][0-9]*(,col=[1-9][0-9]*)?,"
          "title=CVPN00[1-6]%3A [^,:]+::[^\r\n]+");
      for (size_t i = 0; i < a->report.findings.size(); ++i) {
        INFO(lines[i]);
        CHECK(std::regex_match(lines[i], command));
        CHECK(lines[i].rfind(
                  a->report.findings[i].level == cvpn::Level::kError ? "::error " : "::warning ",
                  0) == 0);
      }
      CHECK(lines.back().rfind("cvpn-lint: ", 0) == 0);
    }
  }
}

TEST_CASE("GitHub workflow commands escape data and properties as GitHub does", "[github]") {
  cvpn::Origin sg{"dir:x,y/main.tf", "aws_security_group.db", 7, 5, {}};
  auto h = MakeHandMade({Check("CVPN002", cvpn::Status::kFail,
                               "100% blocked: from a, b\nsecond line\r", sg, "fix: a, b")});
  const std::vector<std::string> lines = Lines(cvpn::RenderGithub(h->graph, h->report));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "::error file=dir%3Ax%2Cy/main.tf,line=7,col=5,"
        "title=CVPN002%3A aws_ec2_client_vpn_endpoint.main -> aws_db_instance.orders tcp/5432"
        "::100%25 blocked: from a, b%0Asecond line%0D"
        "%0Aresource: aws_security_group.db"
        "%0Apair: aws_ec2_client_vpn_endpoint.main -> aws_db_instance.orders tcp/5432"
        "%0Afix:%0Afix: a, b");
  CHECK(lines[1] == "cvpn-lint: 1 pair: 0 reachable, 1 blocked, 0 unknown; 1 error, 0 warnings");

  // An unknown check is a warning; without a position the input's first line is used.
  auto u = MakeHandMade(
      {Check("CVPN004", cvpn::Status::kUnknown, "depends",
             cvpn::Origin{"plan.json", "aws_ec2_client_vpn_authorization_rule.a", 0, 0, {}})});
  const std::vector<std::string> warn = Lines(cvpn::RenderGithub(u->graph, u->report));
  CHECK(warn[0].rfind("::warning file=plan.json,line=1,title=CVPN004%3A ", 0) == 0);
}

TEST_CASE("the Markdown summary has a table of pairs and the findings", "[github]") {
  for (const fs::path& dir : Scenarios()) {
    DYNAMIC_SECTION(Name(dir)) {
      const auto a = Analyze(dir);
      const std::string md = cvpn::RenderMarkdownSummary(a->graph, a->report);
      CHECK(md.rfind("## cvpn-lint\n", 0) == 0);
      if (!a->report.results.empty()) {
        CHECK(md.find("| verdict | endpoint | target | port | group | checks |\n") !=
              std::string::npos);
        size_t rows = 0;
        for (const std::string& line : Lines(md)) {
          rows += line.rfind("| ", 0) == 0 && line.rfind("| verdict |", 0) != 0 &&
                          line.rfind("| --- |", 0) != 0
                      ? 1U
                      : 0U;
        }
        CHECK(rows == a->report.results.size());
      }
      CHECK((md.find("### Findings") != std::string::npos) == !a->report.findings.empty());
    }
  }
  cvpn::Origin sg{"main.tf", "aws_security_group.db", 7, 5, {}};
  auto h = MakeHandMade({Check("CVPN002", cvpn::Status::kFail, "a|b <script>", sg, "x = \"```\"")});
  const std::string md = cvpn::RenderMarkdownSummary(h->graph, h->report);
  CHECK(md.find("| \xE2\x9D\x8C blocked | `aws_ec2_client_vpn_endpoint.main` | "
                "`aws_db_instance.orders` | tcp/5432 | - | CVPN002 fail |") != std::string::npos);
  CHECK(md.find("a|b &lt;script&gt;") != std::string::npos);
  CHECK(md.find("````hcl\nx = \"```\"\n````") != std::string::npos);
  CHECK(md.find("Change `aws_security_group.db` in `main.tf:7:5`.") != std::string::npos);
}

TEST_CASE("JUnit XML from every fixture is well-formed and counts the pairs", "[junit]") {
  for (const fs::path& dir : Scenarios()) {
    DYNAMIC_SECTION(Name(dir)) {
      const auto a = Analyze(dir);
      const std::string xml = cvpn::RenderJunit(a->graph, a->report);
      std::string why;
      INFO(xml);
      CHECK(WellFormedXml(xml, why));
      INFO(why);
      CHECK(CountTags(xml, "testsuite") == 1);
      CHECK(CountTags(xml, "testcase") == a->report.results.size());
      CHECK(CountTags(xml, "failure") == a->report.blocked);
      CHECK(CountTags(xml, "skipped") == a->report.unknown);
      const std::string counts = "tests=\"" + std::to_string(a->report.results.size()) +
                                 "\" failures=\"" + std::to_string(a->report.blocked) +
                                 "\" errors=\"0\" skipped=\"" + std::to_string(a->report.unknown) +
                                 "\"";
      CHECK(xml.find("<testsuite name=\"cvpn-lint\" " + counts) != std::string::npos);
    }
  }
}

TEST_CASE("JUnit XML escapes markup, quotes and characters XML forbids", "[junit]") {
  cvpn::Origin sg{"main.tf", "aws_security_group.db", 7, 5, {}};
  std::vector<cvpn::CheckResult> checks = PassingChecks();
  checks[1] = Check("CVPN002", cvpn::Status::kFail,
                    std::string("a<b & \"c\" 'd' \x01\x1b[0m bad:\xC3\x28 end\tx]]>"), sg,
                    "ingress { cidr = \"10.0.0.0/8\" }");
  auto h = MakeHandMade(checks);
  const std::string xml = cvpn::RenderJunit(h->graph, h->report);
  std::string why;
  INFO(xml);
  CHECK(WellFormedXml(xml, why));
  INFO(why);
  CHECK(xml.find("<testcase classname=\"aws_ec2_client_vpn_endpoint.main\" "
                 "name=\"aws_db_instance.orders tcp/5432\" time=\"0\">") != std::string::npos);
  CHECK(xml.find("message=\"CVPN002 failed: a&lt;b &amp; &quot;c&quot; &apos;d&apos; "
                 "\xEF\xBF\xBD\xEF\xBF\xBD[0m bad:\xEF\xBF\xBD( end&#9;x]]&gt;\" "
                 "type=\"blocked\">") != std::string::npos);
  CHECK(xml.find("  fix:\n    ingress { cidr = \"10.0.0.0/8\" }") != std::string::npos);

  auto unknown = MakeHandMade({Check("CVPN004", cvpn::Status::kUnknown, "not known yet")});
  const std::string skipped = cvpn::RenderJunit(unknown->graph, unknown->report);
  CHECK(WellFormedXml(skipped, why));
  CHECK(skipped.find("<skipped message=\"CVPN004 unknown: not known yet\">") != std::string::npos);

  auto reachable = MakeHandMade(PassingChecks());
  const std::string passed = cvpn::RenderJunit(reachable->graph, reachable->report);
  CHECK(WellFormedXml(passed, why));
  CHECK(CountTags(passed, "failure") == 0);
  CHECK(CountTags(passed, "testcase") == 1);
}

TEST_CASE("JUnit XML parses with Python's XML parser where python3 is installed", "[junit]") {
  // NOLINTNEXTLINE(concurrency-mt-unsafe,cert-env33-c): a test probing for an optional tool
  if (std::system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") != 0) {
    WARN("SKIPPED: python3 with xml.dom.minidom is not available");
    return;
  }
  const fs::path tmp = fs::temp_directory_path() / "cvpn_junit_parse";
  fs::create_directories(tmp);
  std::vector<std::string> files;
  for (const fs::path& dir : Scenarios()) {
    const auto a = Analyze(dir);
    const fs::path out =
        tmp / (dir.parent_path().filename().string() + "_" + dir.filename().string() + ".xml");
    std::ofstream(out, std::ios::binary) << cvpn::RenderJunit(a->graph, a->report);
    files.push_back(out.string());
  }
  cvpn::Origin sg{"main.tf", "aws_security_group.db", 7, 5, {}};
  std::vector<cvpn::CheckResult> checks = PassingChecks();
  checks[1] = Check("CVPN002", cvpn::Status::kFail, std::string("<&\"'\x01\x7f\xff>\r\n"), sg, "x");
  auto h = MakeHandMade(checks);
  std::ofstream(tmp / "escapes.xml", std::ios::binary) << cvpn::RenderJunit(h->graph, h->report);
  files.push_back((tmp / "escapes.xml").string());
  std::string command =
      "python3 -c 'import sys, xml.dom.minidom\nfor f in sys.argv[1:]: "
      "xml.dom.minidom.parse(f)'";
  for (const std::string& f : files) {
    command += " '" + f + "'";
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe,cert-env33-c): runs the optional reference parser
  CHECK(std::system(command.c_str()) == 0);
  fs::remove_all(tmp);
}
