// SPDX-License-Identifier: Apache-2.0
// The same inputs give byte-identical reports in every format, whatever the order of the inputs
// on the command line and the order of keys and resources inside them. Each input is shuffled
// with fixed seeds: the keys of every JSON object and the resource lists of plans, the entries of
// every YAML block mapping, the top-level blocks of .tf files, the targets of the config. Where a
// shuffle moves text, findings move with it: those reports are compared with their line and
// column numbers masked, nothing else.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/run_tool.h"
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using cvpn::testing::Run;
using cvpn::testing::RunTool;
using Json = nlohmann::json;

const std::vector<std::string> kFormats{"text", "json", "sarif", "github", "junit"};
/// The format most runs compare: every finding, message and check is in it. All five formats are
/// compared on a sample of the scenarios (each run costs a full analysis, and CI runs these under
/// AddressSanitizer too).
const std::vector<std::string> kJsonOnly{"json"};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// A scratch directory, unique to the process, removed at the end.
class Scratch {
 public:
  explicit Scratch(const std::string& name)
      : dir_(fs::temp_directory_path() /
             ("cvpn-lint-order-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& Dir() const { return dir_; }

 private:
  fs::path dir_;
};

/// Runs the tool from `dir` (so that two copies of the inputs under different directories, named
/// alike, give the same paths in the reports) in each of `formats`.
std::vector<std::string> Reports(const fs::path& dir,
                                 const std::vector<std::string>& args,
                                 const std::vector<std::string>& formats = kFormats) {
  const fs::path saved = fs::current_path();
  fs::current_path(dir);
  std::vector<std::string> out;
  for (const std::string& format : formats) {
    std::vector<std::string> with_format{"--format", format};
    with_format.insert(with_format.end(), args.begin(), args.end());
    const Run run = RunTool(with_format);
    INFO(run.err);
    CHECK(run.exit != 2);
    out.push_back(run.out);
  }
  fs::current_path(saved);
  return out;
}

/// A report with its line and column numbers replaced by `#`, for inputs whose text moved.
std::string MaskPositions(const std::string& report) {
  static const std::vector<std::pair<std::regex, std::string>> kMasks{
      {std::regex(R"re("(line|column|startLine|startColumn|endLine|endColumn)": \d+)re"),
       R"("$1": #)"},
      {std::regex(R"re(\.(yaml|yml|json|tf):\d+:\d+)re"), ".$1:#:#"},
      {std::regex(R"re(\b(line|col|endLine|endColumn)=\d+)re"), "$1=#"},
      // The text format's source excerpts: the gutter is as wide as the line number, and the
      // line and its caret are indented as the input is.
      {std::regex(R"re((^|\n) *\d* \| *)re"), "$1# | "},
  };
  std::string out = report;
  for (const auto& [pattern, replacement] : kMasks) {
    out = std::regex_replace(out, pattern, replacement);
  }
  return out;
}

void CheckSameReports(const std::vector<std::string>& a,
                      const std::vector<std::string>& b,
                      bool mask,
                      const std::vector<std::string>& formats = kFormats) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("format " << formats[i]);
    const std::string x = mask ? MaskPositions(a[i]) : a[i];
    const std::string y = mask ? MaskPositions(b[i]) : b[i];
    if (x != y) {
      // The first line that differs says more than two whole reports.
      std::istringstream xs(x);
      std::istringstream ys(y);
      std::string xl;
      std::string yl;
      int line = 1;
      while (std::getline(xs, xl) && std::getline(ys, yl) && xl == yl) {
        ++line;
      }
      FAIL_CHECK("line " << line << " differs:\n  " << xl << "\n  " << yl);
    }
  }
}

// --- Shufflers ----------------------------------------------------------------------------------

/// JSON text of `j`, one key or element per line, with the keys of every object in a random
/// order, and the elements of the arrays named in `lists` (whose order means nothing) shuffled too.
// NOLINTNEXTLINE(misc-no-recursion): fixture data, a few levels deep
std::string ShuffledJson(const Json& j,
                         std::mt19937& rng,
                         const std::vector<std::string>& lists,
                         bool shuffle_this = false,
                         int depth = 0) {
  const std::string inner(static_cast<size_t>(2 * (depth + 1)), ' ');
  const std::string outer(static_cast<size_t>(2 * depth), ' ');
  if (j.is_object() && !j.empty()) {
    std::vector<std::string> keys;
    for (const auto& item : j.items()) {
      keys.push_back(item.key());
    }
    std::shuffle(keys.begin(), keys.end(), rng);
    std::string out = "{";
    for (const std::string& k : keys) {
      const bool list = std::find(lists.begin(), lists.end(), k) != lists.end();
      out += (out.size() > 1 ? ",\n" : "\n") + inner + Json(k).dump() + ": " +
             ShuffledJson(j.at(k), rng, lists, list, depth + 1);
    }
    return out + "\n" + outer + "}";
  }
  if (j.is_array() && !j.empty()) {
    std::vector<const Json*> items;
    for (const Json& item : j) {
      items.push_back(&item);
    }
    if (shuffle_this) {
      std::shuffle(items.begin(), items.end(), rng);
    }
    std::string out = "[";
    for (const Json* item : items) {
      out += (out.size() > 1 ? ",\n" : "\n") + inner +
             ShuffledJson(*item, rng, lists, false, depth + 1);
    }
    return out + "\n" + outer + "]";
  }
  return j.dump();
}

struct YamlLine {
  std::string text;
  int indent = 0;
  bool blank = true;    ///< empty or a comment
  bool key = false;     ///< `key:` at the start of the line
  bool opaque = false;  ///< a key whose value continues below as text: `|`, `>` or an open `{`/`[`
};

std::vector<YamlLine> SplitYaml(const std::string& text) {
  static const std::regex kKey(R"re(^("[^"]*"|'[^']*'|[^\s#'"\-][^:#]*):(\s|$))re");
  std::vector<YamlLine> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    YamlLine l;
    l.text = line;
    const size_t first = line.find_first_not_of(' ');
    l.blank = first == std::string::npos || line[first] == '#' || line[first] == '\r';
    l.indent = first == std::string::npos ? 0 : static_cast<int>(first);
    if (!l.blank) {
      const std::string rest = line.substr(first);
      l.key = std::regex_search(rest, kKey);
      int open = 0;
      for (const char c : rest) {
        open += (c == '{' || c == '[') ? 1 : (c == '}' || c == ']') ? -1 : 0;
      }
      const size_t end = rest.find_last_not_of(" \r");
      const char last = end == std::string::npos ? ' ' : rest[end];
      l.opaque = open > 0 || last == '|' || last == '>' ||
                 std::regex_search(rest, std::regex(R"re(:\s*[|>][-+0-9]*\s*$)re"));
    }
    lines.push_back(l);
  }
  return lines;
}

/// The lines [begin, end) with the entries of the block mapping they hold in a random order, and
/// the mappings inside each entry shuffled the same way. A range that holds anything but one
/// mapping (a sequence, a scalar) is left as it is.
// NOLINTNEXTLINE(misc-no-recursion): fixture data, a few levels deep
std::vector<std::string> ShuffledBlock(const std::vector<YamlLine>& lines,
                                       size_t begin,
                                       size_t end,
                                       std::mt19937& rng) {
  std::vector<std::string> out;
  size_t first = begin;
  while (first < end && lines[first].blank) {
    out.push_back(lines[first++].text);
  }
  if (first == end || !lines[first].key) {
    for (size_t i = first; i < end; ++i) {
      out.push_back(lines[i].text);
    }
    return out;
  }
  const int indent = lines[first].indent;
  std::vector<std::pair<size_t, size_t>> entries;
  for (size_t i = first; i < end; ++i) {
    if (lines[i].blank) {
      continue;
    }
    if (lines[i].indent < indent || (lines[i].indent == indent && !lines[i].key)) {
      // Not one mapping at this indentation: leave the whole range alone.
      out.resize(first - begin);
      for (size_t k = first; k < end; ++k) {
        out.push_back(lines[k].text);
      }
      return out;
    }
    if (lines[i].indent == indent) {
      if (!entries.empty()) {
        entries.back().second = i;
      }
      entries.emplace_back(i, end);
    }
  }
  std::vector<std::vector<std::string>> shuffled;
  for (const auto& [b, e] : entries) {
    std::vector<std::string> entry{lines[b].text};
    if (lines[b].opaque) {
      for (size_t i = b + 1; i < e; ++i) {
        entry.push_back(lines[i].text);
      }
    } else {
      const auto inner = ShuffledBlock(lines, b + 1, e, rng);
      entry.insert(entry.end(), inner.begin(), inner.end());
    }
    shuffled.push_back(std::move(entry));
  }
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (const auto& entry : shuffled) {
    out.insert(out.end(), entry.begin(), entry.end());
  }
  return out;
}

std::string ShuffledYaml(const std::string& text, std::mt19937& rng) {
  const auto lines = SplitYaml(text);
  std::string out;
  for (const std::string& line : ShuffledBlock(lines, 0, lines.size(), rng)) {
    out += line + "\n";
  }
  return out;
}

/// The items of the config's `targets:` list in a random order (each item from its `- ` line to
/// the next).
std::string ShuffledTargets(const std::string& text, std::mt19937& rng) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> items;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, 2, "- ") == 0) {
      items.push_back({line});
    } else if (items.empty()) {
      head.push_back(line);
    } else {
      items.back().push_back(line);
    }
  }
  std::shuffle(items.begin(), items.end(), rng);
  std::string out;
  for (const std::string& l : head) {
    out += l + "\n";
  }
  for (const auto& item : items) {
    for (const std::string& l : item) {
      out += l + "\n";
    }
  }
  return out;
}

/// The top-level blocks of a .tf file in a random order (a block runs from a line starting with a
/// letter to the next such line; comments before the first block stay first).
std::string ShuffledHcl(const std::string& text, std::mt19937& rng) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> blocks;
  while (std::getline(in, line)) {
    if (!line.empty() && std::isalpha(static_cast<unsigned char>(line[0])) != 0) {
      blocks.push_back({line});
    } else if (blocks.empty()) {
      head.push_back(line);
    } else {
      blocks.back().push_back(line);
    }
  }
  std::shuffle(blocks.begin(), blocks.end(), rng);
  std::string out;
  for (const std::string& l : head) {
    out += l + "\n";
  }
  for (const auto& block : blocks) {
    for (const std::string& l : block) {
      out += l + "\n";
    }
  }
  return out;
}

// --- Scenarios ----------------------------------------------------------------------------------

std::vector<fs::path> Scenarios(const std::string& kind) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(CVPN_SOURCE_DIR) / "fixtures" / kind)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.txt")) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The templates of a CloudFormation scenario, sorted.
std::vector<std::string> Templates(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (name != "cvpn-lint.yaml" && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// --parameter options from a scenario's parameters.txt.
std::vector<std::string> Parameters(const fs::path& dir) {
  std::vector<std::string> out;
  std::ifstream in(dir / "parameters.txt");
  std::string line;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] != '#') {
      out.push_back("--parameter");
      out.push_back(line.substr(first, line.find_last_not_of(" \t\r") - first + 1));
    }
  }
  return out;
}

class GithubSummaryOff {
 public:
  // NOLINTNEXTLINE(concurrency-mt-unsafe): a test's own environment, before any thread
  GithubSummaryOff() { ::unsetenv("GITHUB_STEP_SUMMARY"); }
};

}  // namespace

TEST_CASE("key and resource order inside a plan or state change no report", "[determinism]") {
  const GithubSummaryOff no_summary;
  const Scratch scratch("plan");
  auto scenarios = Scenarios("terraform");
  scenarios.push_back(fs::path(CVPN_SOURCE_DIR) / "fixtures" / "state");
  const std::vector<std::string> lists{"resources", "resource_changes", "child_modules"};
  for (size_t index = 0; index < scenarios.size(); ++index) {
    const fs::path& dir = scenarios[index];
    const std::string input = fs::exists(dir / "plan.json") ? "plan.json" : "state.json";
    const auto& formats = index % 10 == 0 ? kFormats : kJsonOnly;
    DYNAMIC_SECTION(dir.filename().string()) {
      const Json doc = Json::parse(ReadFile(dir / input));
      std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>{}(dir.filename().string())));
      WriteFile(scratch.Dir() / "a" / input, ReadFile(dir / input));
      WriteFile(scratch.Dir() / "b" / input, ShuffledJson(doc, rng, lists));
      // The same sources for both: findings point at the same .tf lines.
      std::vector<std::string> args{"--source", dir.string()};
      if (fs::exists(dir / "cvpn-lint.yaml")) {
        args.insert(args.end(), {"--config", (dir / "cvpn-lint.yaml").string()});
      }
      args.push_back(input);
      CheckSameReports(Reports(scratch.Dir() / "a", args, formats),
                       Reports(scratch.Dir() / "b", args, formats), /*mask=*/false, formats);
    }
  }
}

TEST_CASE("the order of inputs on the command line changes no report", "[determinism]") {
  const GithubSummaryOff no_summary;
  const fs::path fixtures = fs::path(CVPN_SOURCE_DIR) / "fixtures";
  SECTION("stacks that export and import") {
    const fs::path dir = fixtures / "cloudformation" / "two_stacks";
    std::vector<std::string> base = Parameters(dir);
    base.insert(base.end(), {"--config", (dir / "cvpn-lint.yaml").string()});
    std::vector<std::string> templates = Templates(dir);
    REQUIRE(templates.size() == 2);
    std::vector<std::string> first;
    do {
      std::vector<std::string> args = base;
      for (const std::string& t : templates) {
        args.push_back((dir / t).string());
      }
      const auto reports = Reports(fs::current_path(), args);
      if (first.empty()) {
        first = reports;
      } else {
        CheckSameReports(first, reports, /*mask=*/false);
      }
    } while (std::next_permutation(templates.begin(), templates.end()));
  }
  SECTION("a plan, a state, a template and sources together") {
    const std::vector<std::string> inputs{
        (fixtures / "terraform" / "rds_same_vpc_reachable" / "plan.json").string(),
        (fixtures / "state" / "state.json").string(),
        (fixtures / "cloudformation" / "rds_same_vpc_reachable" / "template.yaml").string(),
        (fixtures / "cloudformation" / "cdk_style" / "cdk-style-stack.template.json").string(),
        (fixtures / "terraform" / "two_subnets_sg_one_cidr").string()};
    std::vector<size_t> order(inputs.size());
    for (size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::vector<std::string> first;
    std::mt19937 rng(8);
    for (int round = 0; round < 6; ++round) {
      std::vector<std::string> args;
      for (size_t i : order) {
        args.push_back(inputs[i]);
      }
      const auto reports = Reports(fs::current_path(), args);
      if (first.empty()) {
        first = reports;
        CHECK(reports[1].find("\"pairs\": [\n") != std::string::npos);
      } else {
        CheckSameReports(first, reports, /*mask=*/false);
      }
      std::shuffle(order.begin(), order.end(), rng);
    }
  }
}

TEST_CASE("key and resource order inside templates change no report but its positions",
          "[determinism]") {
  const GithubSummaryOff no_summary;
  const Scratch scratch("cfn");
  for (const fs::path& dir : Scenarios("cloudformation")) {
    DYNAMIC_SECTION(dir.filename().string()) {
      for (unsigned seed = 1; seed <= 2; ++seed) {
        std::mt19937 rng(seed);
        const auto& formats = seed == 1 ? kFormats : kJsonOnly;
        std::vector<std::string> args = Parameters(dir);
        if (fs::exists(dir / "cvpn-lint.yaml")) {
          const std::string config = ReadFile(dir / "cvpn-lint.yaml");
          WriteFile(scratch.Dir() / "a" / "cvpn-lint.yaml", config);
          WriteFile(scratch.Dir() / "b" / "cvpn-lint.yaml", ShuffledTargets(config, rng));
          args.insert(args.end(), {"--config", "cvpn-lint.yaml"});
        }
        for (const std::string& name : Templates(dir)) {
          const std::string text = ReadFile(dir / name);
          const bool json = fs::path(name).extension() == ".json";
          const std::string shuffled =
              json ? ShuffledJson(Json::parse(text), rng, {}) : ShuffledYaml(text, rng);
          INFO(name << " shuffled:\n" << shuffled);
          CHECK(shuffled != text);  // the shuffle did something
          WriteFile(scratch.Dir() / "a" / name, text);
          WriteFile(scratch.Dir() / "b" / name, shuffled);
          args.push_back(name);
        }
        CheckSameReports(Reports(scratch.Dir() / "a", args, formats),
                         Reports(scratch.Dir() / "b", args, formats), /*mask=*/true, formats);
        fs::remove_all(scratch.Dir() / "a");
        fs::remove_all(scratch.Dir() / "b");
      }
    }
  }
}

TEST_CASE("block order in .tf sources changes no report but its positions", "[determinism]") {
  const GithubSummaryOff no_summary;
  const Scratch scratch("tf");
  std::vector<fs::path> scenarios;
  for (const fs::path& dir : Scenarios("terraform")) {
    if (fs::exists(dir / "main.tf")) {
      scenarios.push_back(dir);
    }
  }
  // Every third scenario (evaluating sources is the slowest front end), the module tree and the
  // 100-spoke landing zone among them.
  for (size_t index = 0; index < scenarios.size(); ++index) {
    const fs::path& dir = scenarios[index];
    const std::string name = dir.filename().string();
    if (index % 3 != 0 && name != "module_tree" && name != "hub_spoke_100") {
      continue;
    }
    const auto& formats = index % 15 == 0 ? kFormats : kJsonOnly;
    DYNAMIC_SECTION(name) {
      std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>{}(name)));
      for (const char* side : {"a", "b"}) {
        fs::create_directories(scratch.Dir() / side);
        fs::copy(dir, scratch.Dir() / side / "src", fs::copy_options::recursive);
        fs::remove(scratch.Dir() / side / "src" / "plan.json");
      }
      const std::string original = ReadFile(dir / "main.tf");
      const std::string shuffled = ShuffledHcl(original, rng);
      CHECK(shuffled != original);  // the shuffle did something
      WriteFile(scratch.Dir() / "b" / "src" / "main.tf", shuffled);
      std::vector<std::string> args;
      if (fs::exists(dir / "cvpn-lint.yaml")) {
        args.insert(args.end(), {"--config", "src/cvpn-lint.yaml"});
      }
      args.push_back("src");
      CheckSameReports(Reports(scratch.Dir() / "a", args, formats),
                       Reports(scratch.Dir() / "b", args, formats), /*mask=*/true, formats);
      fs::remove_all(scratch.Dir() / "a");
      fs::remove_all(scratch.Dir() / "b");
    }
  }
}
