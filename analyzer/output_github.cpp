// SPDX-License-Identifier: Apache-2.0
// GitHub Actions output: workflow commands that become annotations on the pull request, and a
// Markdown summary for the job's summary page ($GITHUB_STEP_SUMMARY).
//
// Workflow command syntax (docs.github.com, "Workflow commands for GitHub Actions"):
//   ::error file={name},line={line},col={col},title={title}::{message}
// The escaping is the one GitHub's own toolkit applies (actions/toolkit,
// packages/core/src/command.ts, escapeData and escapeProperty):
//   message (data):   % -> %25, CR -> %0D, LF -> %0A
//   property values:  the same, and also : -> %3A and , -> %2C
// '%' goes first so the escapes themselves are not escaped again.
#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "analyzer/report.h"

namespace cvpn {

namespace {

namespace fs = std::filesystem;

/// Escapes `text` with GitHub's escapes: `%`, CR and LF always, `:` and `,` in properties.
std::string Escape(const std::string& text, bool property) {
  std::string out;
  out.reserve(text.size());
  size_t run = 0;  // the start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escape = nullptr;
    switch (text[i]) {
      case '%':
        escape = "%25";
        break;
      case '\r':
        escape = "%0D";
        break;
      case '\n':
        escape = "%0A";
        break;
      case ':':
        escape = property ? "%3A" : nullptr;
        break;
      case ',':
        escape = property ? "%2C" : nullptr;
        break;
      default:
        break;
    }
    if (escape != nullptr) {
      out.append(text, run, i - run);
      out += escape;
      run = i + 1;
    }
  }
  out.append(text, run, text.size() - run);
  return out;
}

std::string EscapeData(const std::string& text) { return Escape(text, false); }

std::string EscapeProperty(const std::string& text) { return Escape(text, true); }

/// The file and position an annotation points at: the resource's own, else the file that
/// declared the target, else the first input.
struct Place {
  std::string file;
  int line = 0;
  int column = 0;
};

Place PlaceOf(const Graph& graph, const Report& report, const Finding& f) {
  Place p;
  if (f.resource && !f.resource->file.empty()) {
    p.file = f.resource->file;
    p.line = f.resource->line;
    p.column = f.resource->column;
  } else if (const NodeIndex t = graph.FindTarget(f.target); t != kNone) {
    const Origin& o = graph.targets[static_cast<size_t>(t)].origin;
    p.file = o.file;
    p.line = o.line;
    p.column = o.column;
  } else if (!report.inputs.empty()) {
    p.file = report.inputs.front();
  }
  return p;
}

/// RelativePath() of each file, worked out once per report.
class RelativePaths {
 public:
  const std::string& Of(const std::string& file) {
    auto it = paths_.find(file);
    if (it == paths_.end()) {
      it = paths_.emplace(file, RelativePath(file)).first;
    }
    return it->second;
  }

 private:
  std::map<std::string, std::string> paths_;
};

std::string Plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string SummaryLine(const Report& report) {
  return fmt::format("{}: {} reachable, {} blocked, {} unknown; {}, {}",
                     Plural(report.results.size(), "pair", "pairs"), report.reachable,
                     report.blocked, report.unknown, Plural(report.errors, "error", "errors"),
                     Plural(report.warnings, "warning", "warnings"));
}

// ---- Markdown ----

/// Escapes what would start HTML outside `code spans`, so messages render as written.
std::string MarkdownText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_code = false;
  size_t run = 0;  // the start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '`') {
      in_code = !in_code;
    }
    if (!in_code && (c == '<' || c == '>')) {
      out.append(text, run, i - run);
      out += c == '<' ? "&lt;" : "&gt;";
      run = i + 1;
    }
  }
  out.append(text, run, text.size() - run);
  return out;
}

/// Text made safe for one table cell: no line breaks, no column separators.
std::string Cell(const std::string& text) {
  const std::string markdown = MarkdownText(text);
  std::string out;
  out.reserve(markdown.size());
  size_t run = 0;  // the start of the bytes not yet copied
  for (size_t i = 0; i < markdown.size(); ++i) {
    const char c = markdown[i];
    if (c == '|' || c == '\n' || c == '\r') {
      out.append(markdown, run, i - run);
      out += c == '|' ? "\\|" : c == '\n' ? "<br>" : "";
      run = i + 1;
    }
  }
  out.append(markdown, run, markdown.size() - run);
  return out;
}

/// A code span that survives backticks inside `text`.
std::string Code(const std::string& text) {
  size_t longest = 0;
  size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

/// A fenced code block that survives fences inside `text`.
std::string CodeBlock(const std::string& text, const char* language) {
  size_t longest = 0;
  size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fmt::format("{}{}\n{}\n{}\n", fence, language, text, fence);
}

const char* FixLanguage(const Finding& f) {
  if (!f.resource) {
    return "";
  }
  switch (f.resource->language) {
    case Origin::Language::kTerraform:
      return "hcl";
    case Origin::Language::kCloudFormationYaml:
      return "yaml";
    case Origin::Language::kCloudFormationJson:
      return "json";
  }
  return "";
}

const char* VerdictIcon(Verdict v) {
  switch (v) {
    case Verdict::kReachable:
      return "\xE2\x9C\x85";  // white heavy check mark
    case Verdict::kBlocked:
      return "\xE2\x9D\x8C";  // cross mark
    case Verdict::kUnknown:
      return "\xE2\x9A\xA0\xEF\xB8\x8F";  // warning sign
  }
  return "";
}

}  // namespace

std::string RenderGithub(const Graph& graph, const Report& report) {
  std::string out;
  RelativePaths paths;
  for (const Finding& f : report.findings) {
    const Place place = PlaceOf(graph, report, f);
    std::string properties;
    if (!place.file.empty()) {
      properties += "file=" + EscapeProperty(paths.Of(place.file));
      // Where the input gives no position (Terraform plans), point at the top of the file.
      properties += fmt::format(",line={}", place.line > 0 ? place.line : 1);
      if (place.line > 0 && place.column > 0) {
        properties += fmt::format(",col={}", place.column);
      }
      properties += ",";
    }
    properties += "title=" + EscapeProperty(fmt::format("{}: {}", f.rule, f.pair));
    std::string message = f.message;
    if (f.resource) {
      message += fmt::format("\nresource: {}", f.resource->address);
    }
    message += fmt::format("\npair: {}", f.pair);
    if (!f.fix.empty()) {
      message += "\nfix:\n" + f.fix;
    }
    out += fmt::format("::{} {}::{}\n", f.level == Level::kError ? "error" : "warning", properties,
                       EscapeData(message));
  }
  // A plain line for the log; lines that do not start with "::" are shown as they are.
  out += "cvpn-lint: " + SummaryLine(report) + "\n";
  return out;
}

std::string RenderMarkdownSummary(const Graph& graph, const Report& report) {
  std::string out = "## cvpn-lint\n\n";
  RelativePaths paths;
  out += fmt::format("**{}**\n\n", SummaryLine(report));
  if (report.results.empty()) {
    out += graph.endpoints.empty() ? "No Client VPN endpoint in the inputs: nothing to check.\n"
                                   : "No pairs to check.\n";
  } else {
    out += "| verdict | endpoint | target | port | group | checks |\n";
    out += "| --- | --- | --- | --- | --- | --- |\n";
    for (const PairResult& r : report.results) {
      std::string checks;
      for (const CheckResult& c : r.checks) {
        if (c.status != Status::kPass) {
          checks +=
              fmt::format("{}{} {}", checks.empty() ? "" : ", ", c.rule, StatusName(c.status));
        }
      }
      if (!r.pair.port) {
        std::string ports;
        for (const PortSpec& s : r.reachable_ports) {
          ports += (ports.empty() ? "" : ", ") + s.ToString();
        }
        checks += (checks.empty() ? "" : "; ") +
                  (ports.empty() ? std::string("no port is reachable") : "reachable on " + ports);
      }
      if (checks.empty()) {
        checks = "all pass";
      }
      out += fmt::format(
          "| {} {} | {} | {} | {} | {} | {} |\n", VerdictIcon(r.verdict), VerdictName(r.verdict),
          Cell(Code(graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address)),
          Cell(Code(graph.targets[static_cast<size_t>(r.pair.target)].origin.address)),
          Cell(PortText(r.pair).value_or("any")), r.pair.group ? Cell(*r.pair.group) : "-",
          Cell(checks));
    }
  }
  if (!report.findings.empty()) {
    out += "\n### Findings\n";
    for (const Finding& f : report.findings) {
      const Place place = PlaceOf(graph, report, f);
      const bool error = f.level == Level::kError;
      out += fmt::format("\n#### {} {} {}: {}\n\n",
                         error ? "\xE2\x9D\x8C" : "\xE2\x9A\xA0\xEF\xB8\x8F",
                         error ? "error" : "warning", f.rule, MarkdownText(Code(f.pair)));
      out += MarkdownText(f.message) + "\n\n";
      std::string where = paths.Of(place.file);
      if (place.line > 0) {
        where += fmt::format(":{}:{}", place.line, place.column > 0 ? place.column : 1);
      }
      if (f.resource) {
        out += fmt::format("Change {}{}.\n", Code(f.resource->address),
                           where.empty() ? "" : " in " + Code(where));
      }
      if (!f.fix.empty()) {
        out += "\n<details><summary>Fix</summary>\n\n";
        out += CodeBlock(f.fix, FixLanguage(f));
        out += "\n</details>\n";
      }
    }
  }
  return out;
}

}  // namespace cvpn
