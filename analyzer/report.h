// SPDX-License-Identifier: Apache-2.0
// Reports: the results of a run rendered for people (text) and for programs (JSON, as the
// contract specifies). Rendering is deterministic: the same results give the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine.h"
#include "analyzer/graph.h"

namespace cvpn {

enum class Level { kError, kWarning };

/// A failed (error) or unknown (warning) check, with what to change.
struct Finding {
  std::string rule;
  Level level = Level::kError;
  std::string message;
  std::string endpoint;
  std::string target;
  std::string pair;  ///< "endpoint -> target tcp/22" for people
  std::optional<Origin> resource;
  std::string fix;
};

struct Report {
  std::vector<std::string> inputs;
  std::vector<PairResult> results;
  std::vector<Finding> findings;
  size_t reachable = 0;
  size_t blocked = 0;
  size_t unknown = 0;
  size_t errors = 0;
  size_t warnings = 0;
};

/// Builds the report of a run.
Report MakeReport(const Graph& graph, std::vector<PairResult> results);

/// An input file as a path relative to the current directory (kept as given when relative):
/// code scanning and annotations match paths against the repository, the working directory.
std::string RelativePath(const std::string& file);

/// Appends `text` line by line, each line after `prefix` and ended by a line break (a fix under
/// its heading).
void AppendIndented(std::string& out, std::string_view text, std::string_view prefix);

/// The pair's port as the contract writes it ("tcp/5432"), or nullopt for a port-less pair.
std::optional<std::string> PortText(const Pair& pair);

std::string RenderJson(const Graph& graph, const Report& report);

/// What reports say about each rule: SARIF's tool.driver.rules and help pages.
struct RuleDescription {
  std::string id;
  std::string name;
  std::string summary;
  std::string doc;  ///< the rule's Markdown page
};

/// SARIF 2.1.0 for GitHub code scanning.
std::string RenderSarif(const Graph& graph, const Report& report,
                        const std::vector<RuleDescription>& rules);
/// GitHub Actions workflow commands (`::error file=...,line=...::message`).
std::string RenderGithub(const Graph& graph, const Report& report);
/// A Markdown summary for `$GITHUB_STEP_SUMMARY`.
std::string RenderMarkdownSummary(const Graph& graph, const Report& report);
/// JUnit XML: a test case per pair, a failure per blocked pair.
std::string RenderJunit(const Graph& graph, const Report& report);
struct TextOptions {
  bool color = false;
};
std::string RenderText(const Graph& graph, const Report& report, const TextOptions& options);

}  // namespace cvpn
