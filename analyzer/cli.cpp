// SPDX-License-Identifier: Apache-2.0
#include "analyzer/cli.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>

#include <fmt/format.h>

#include "analyzer/engine.h"
#include "analyzer/graph_dump.h"
#include "analyzer/pairs.h"
#include "analyzer/report.h"
#include "analyzer/rule.h"
#include "analyzer/version.h"
#include "parsers/config.h"
#include "parsers/input.h"
#include "rules/all_rules.h"
#include "rules/docs.h"

namespace cvpn {

namespace {

constexpr const char* kUsage = R"(usage: cvpn-lint [OPTIONS] INPUT...

Checks, before deployment, whether AWS Client VPN users can reach the resources they are meant
to reach. INPUT is any mix of Terraform plans or states in JSON (terraform show -json),
CloudFormation templates (YAML or JSON, CDK output included) and directories of Terraform .tf
sources; together they describe one network.

options:
  --config FILE           pair declarations (default: .cvpn-lint.yaml if it exists)
  --target SPEC           declare a pair: TARGET or TARGET=PORT[,PORT...] (repeatable)
  --format FMT            text (default), json, sarif, github or junit
  --output FILE           write the report to FILE instead of standard output
  --parameter KEY=VALUE   a CloudFormation parameter value; STACK.KEY=VALUE for one template
                          (repeatable)
  --var KEY=VALUE         a Terraform input variable for HCL analysis (repeatable)
  --source DIR            the .tf sources of a plan, for findings on their lines (default: the
                          plan's directory, where it holds .tf files)
  --fail-on LEVEL         error (default), warning or never
  --list-rules            print every rule with its ID and summary
  --explain RULE          print a rule's documentation
  --dump-graph            print the resource graph the inputs describe (for debugging)
  --version               print the version
  --help                  print this help

exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or an
input that could not be read or parsed.
)";

struct Options {
  std::vector<std::string> inputs;
  std::optional<std::string> config;
  std::vector<std::string> targets;
  std::string format = "text";
  std::optional<std::string> output;
  std::vector<std::string> parameters;
  std::vector<std::string> vars;
  std::string fail_on = "error";
  std::string source;
  bool list_rules = false;
  std::optional<std::string> explain;
  bool version = false;
  bool help = false;
  bool dump_graph = false;
};

const char* const kValueOptions[] = {"--config", "--target",  "--format",  "--output", "--parameter",
                                     "--var",    "--fail-on", "--explain", "--source"};
const char* const kFlagOptions[] = {"--list-rules", "--version", "--help", "-h", "--dump-graph"};

std::string ClosestOption(const std::string& given) {
  std::string best;
  size_t best_score = 4;
  auto consider = [&](const std::string& candidate) {
    // Edit distance over short option names.
    std::vector<size_t> row(candidate.size() + 1);
    for (size_t j = 0; j <= candidate.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= given.size(); ++i) {
      size_t prev = row[0];
      row[0] = i;
      for (size_t j = 1; j <= candidate.size(); ++j) {
        const size_t cur = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                           prev + (given[i - 1] == candidate[j - 1] ? 0 : 1)});
        prev = cur;
      }
    }
    if (row[candidate.size()] < best_score) {
      best_score = row[candidate.size()];
      best = candidate;
    }
  };
  for (const char* o : kValueOptions) consider(o);
  for (const char* o : kFlagOptions) consider(o);
  return best;
}

bool ParseArgs(const std::vector<std::string>& args, Options& o, std::string& error) {
  bool only_inputs = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (only_inputs || arg.empty() || arg[0] != '-' || arg == "-") {
      o.inputs.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_inputs = true;
      continue;
    }
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    const bool takes_value = std::any_of(std::begin(kValueOptions), std::end(kValueOptions),
                                         [&](const char* v) { return arg == v; });
    const bool is_flag = std::any_of(std::begin(kFlagOptions), std::end(kFlagOptions),
                                     [&](const char* v) { return arg == v; });
    if (!takes_value && !is_flag) {
      const std::string suggestion = ClosestOption(arg);
      error = fmt::format("unknown option `{}`{}", arg,
                          suggestion.empty() ? "" : fmt::format("; did you mean `{}`?", suggestion));
      return false;
    }
    if (is_flag) {
      if (inline_value) {
        error = fmt::format("`{}` takes no value", arg);
        return false;
      }
      if (arg == "--list-rules") o.list_rules = true;
      if (arg == "--version") o.version = true;
      if (arg == "--help" || arg == "-h") o.help = true;
      if (arg == "--dump-graph") o.dump_graph = true;
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      error = fmt::format("`{}` needs a value", arg);
      return false;
    }
    if (arg == "--config") o.config = value;
    if (arg == "--target") o.targets.push_back(value);
    if (arg == "--format") o.format = value;
    if (arg == "--output") o.output = value;
    if (arg == "--parameter") o.parameters.push_back(value);
    if (arg == "--var") o.vars.push_back(value);
    if (arg == "--fail-on") o.fail_on = value;
    if (arg == "--explain") o.explain = value;
    if (arg == "--source") o.source = value;
  }
  if (o.format != "text" && o.format != "json" && o.format != "sarif" && o.format != "github" &&
      o.format != "junit") {
    error = fmt::format("unknown format `{}`; expected text, json, sarif, github or junit",
                        o.format);
    return false;
  }
  if (o.fail_on != "error" && o.fail_on != "warning" && o.fail_on != "never") {
    error = fmt::format("unknown level `{}` for --fail-on; expected error, warning or never",
                        o.fail_on);
    return false;
  }
  for (const auto* list : {&o.parameters, &o.vars}) {
    for (const std::string& kv : *list) {
      if (kv.find('=') == std::string::npos || kv.front() == '=') {
        error = fmt::format("`{}` is not KEY=VALUE", kv);
        return false;
      }
    }
  }
  return true;
}

const Rule* FindRule(const std::string& id) {
  for (const Rule& r : AllRules()) {
    std::string upper = id;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (r.id == upper || r.name == id) {
      return &r;
    }
  }
  return nullptr;
}

/// What SARIF says about each rule: its identity, summary and documentation page.
std::vector<RuleDescription> RuleDescriptions() {
  std::vector<RuleDescription> out;
  for (const Rule& r : AllRules()) {
    out.push_back({std::string(r.id), std::string(r.name), std::string(r.summary),
                   std::string(rules::RuleDoc(r.id))});
  }
  return out;
}

std::string Render(const std::string& format, const Graph& graph, const Report& report,
                   bool color) {
  if (format == "json") return RenderJson(graph, report);
  if (format == "sarif") return RenderSarif(graph, report, RuleDescriptions());
  if (format == "github") return RenderGithub(graph, report);
  if (format == "junit") return RenderJunit(graph, report);
  return RenderText(graph, report, {color});
}

/// With `--format github` inside GitHub Actions, appends the Markdown summary to the job summary
/// file. A summary that cannot be written is reported but does not change the exit status.
void WriteStepSummary(const Graph& graph, const Report& report, std::ostream& err) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");  // NOLINT(concurrency-mt-unsafe)
  if (path == nullptr || *path == '\0') {
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::app);
  file << RenderMarkdownSummary(graph, report);
  file.close();
  if (!file) {
    err << fmt::format("cvpn-lint: warning: cannot append the summary to `{}`\n", path);
  }
}

void PrintErrors(const InputErrors& errors, std::ostream& err) {
  for (const InputError& e : errors) {
    err << "cvpn-lint: " << e.Render() << "\n";
  }
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
           bool stdout_is_terminal) {
  Options o;
  std::string error;
  if (!ParseArgs(args, o, error)) {
    err << "cvpn-lint: error: " << error << "\n" << "try `cvpn-lint --help`\n";
    return kExitError;
  }
  if (o.help) {
    out << kUsage;
    return kExitClean;
  }
  if (o.version) {
    out << "cvpn-lint " << kVersion << "\n";
    return kExitClean;
  }
  if (o.list_rules) {
    for (const Rule& r : AllRules()) {
      out << fmt::format("{}  {:<32} {}\n", r.id, r.name, r.summary);
    }
    return kExitClean;
  }
  if (o.explain) {
    const Rule* rule = FindRule(*o.explain);
    if (rule == nullptr) {
      err << fmt::format("cvpn-lint: error: unknown rule `{}`; `cvpn-lint --list-rules` lists "
                         "them\n",
                         *o.explain);
      return kExitError;
    }
    out << rules::RuleDoc(rule->id);
    return kExitClean;
  }
  if (o.inputs.empty()) {
    err << "cvpn-lint: error: no input given\n" << kUsage;
    return kExitError;
  }

  InputErrors errors;
  std::vector<PairDeclaration> declarations;
  if (o.config) {
    declarations = parsers::LoadConfig(*o.config, errors);
  } else if (std::error_code ec; std::filesystem::exists(".cvpn-lint.yaml", ec)) {
    declarations = parsers::LoadConfig(".cvpn-lint.yaml", errors);
  }
  for (const std::string& spec : o.targets) {
    PairDeclaration d;
    std::string spec_error;
    d.where = InputError{"--target", 0, 0, {}};
    if (!parsers::ParseTargetSpec(spec, d, spec_error)) {
      errors.push_back({"--target", 0, 0, spec_error});
      continue;
    }
    declarations.push_back(std::move(d));
  }
  parsers::LoadOptions load;
  load.source_dir = o.source;
  for (const auto& [list, map] : {std::pair{&o.parameters, &load.parameters},
                                  std::pair{&o.vars, &load.variables}}) {
    for (const std::string& kv : *list) {
      const auto eq = kv.find('=');
      (*map)[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  Graph graph;
  parsers::LoadInputs(o.inputs, graph, errors, load);
  if (!errors.empty()) {
    PrintErrors(errors, err);
    return kExitError;
  }
  if (o.dump_graph) {
    out << DumpGraph(graph);
    return kExitClean;
  }
  const std::vector<Pair> pairs = ResolvePairs(graph, declarations, errors);
  if (!errors.empty()) {
    PrintErrors(errors, err);
    return kExitError;
  }
  const Report report = MakeReport(graph, Analyze(graph, pairs, AllRules()));
  const bool color = stdout_is_terminal && !o.output && o.format == "text" &&
                     std::getenv("NO_COLOR") == nullptr;  // NOLINT(concurrency-mt-unsafe)
  const std::string text = Render(o.format, graph, report, color);
  if (o.format == "github") {
    WriteStepSummary(graph, report, err);
  }
  if (o.output) {
    std::ofstream file(*o.output, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      err << fmt::format("cvpn-lint: error: cannot write `{}`\n", *o.output);
      return kExitError;
    }
  } else {
    out << text;
  }
  if (o.fail_on == "never") {
    return kExitClean;
  }
  const bool failing = report.errors > 0 || (o.fail_on == "warning" && report.warnings > 0);
  return failing ? kExitFindings : kExitClean;
}

}  // namespace cvpn
