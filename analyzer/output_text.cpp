// SPDX-License-Identifier: Apache-2.0
// The text report for people: a line per pair, then compiler-style findings with their fixes,
// then a summary line.
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "analyzer/report.h"

namespace cvpn {

namespace {

struct Palette {
  const char* red = "";
  const char* yellow = "";
  const char* green = "";
  const char* bold = "";
  const char* dim = "";
  const char* reset = "";
};

Palette MakePalette(bool color) {
  if (!color) {
    return {};
  }
  return {"\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"};
}

/// The lines of the files findings point into, read once per report.
class SourceLines {
 public:
  /// Line `line` (1-based) of `file`, or nullptr when it cannot be read.
  const std::string* Line(const std::string& file, int line) {
    auto it = files_.find(file);
    if (it == files_.end()) {
      std::vector<std::string> lines;
      std::ifstream in(file, std::ios::binary);
      std::string text;
      while (in && std::getline(in, text)) {
        if (!text.empty() && text.back() == '\r') {
          text.pop_back();
        }
        lines.push_back(std::move(text));
      }
      it = files_.emplace(file, std::move(lines)).first;
    }
    if (line < 1 || static_cast<size_t>(line) > it->second.size()) {
      return nullptr;
    }
    return &it->second[static_cast<size_t>(line - 1)];
  }

 private:
  std::map<std::string, std::vector<std::string>> files_;
};

/// A source excerpt in the style of rustc: the line with its number, and a caret under the column.
std::string Excerpt(SourceLines& sources, const Origin& at, const Palette& c) {
  const std::string* line = sources.Line(at.file, at.line);
  if (line == nullptr) {
    return {};
  }
  const std::string number = std::to_string(at.line);
  const std::string gutter(number.size(), ' ');
  const size_t column = at.column > 0 ? static_cast<size_t>(at.column - 1) : 0;
  std::string marker;
  for (size_t i = 0; i < column && i < line->size(); ++i) {
    marker += (*line)[i] == '\t' ? '\t' : ' ';
  }
  return fmt::format("  {}{} |{}\n  {}{} |{} {}\n  {}{} |{} {}{}^{}\n", c.dim, gutter, c.reset, c.dim,
                     number, c.reset, *line, c.dim, gutter, c.reset, marker, c.red, c.reset);
}

std::string Plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string RenderText(const Graph& graph, const Report& report, const TextOptions& options) {
  const Palette c = MakePalette(options.color);
  SourceLines sources;
  std::string out;
  if (report.results.empty()) {
    out += graph.endpoints.empty()
               ? "no Client VPN endpoint in the inputs: nothing to check\n"
               : "no pairs to check: declare targets in .cvpn-lint.yaml or with --target, or "
                 "authorize networks that hold targets\n";
  }
  auto to = std::back_inserter(out);
  for (const PairResult& r : report.results) {
    const char* color = r.verdict == Verdict::kReachable ? c.green
                        : r.verdict == Verdict::kBlocked ? c.red
                                                         : c.yellow;
    fmt::format_to(to, "{}{:<9}{} {} -> {} {}", color, VerdictName(r.verdict), c.reset,
                   graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address,
                   graph.targets[static_cast<size_t>(r.pair.target)].origin.address,
                   PortText(r.pair).value_or("(any port)"));
    if (r.pair.group) {
      fmt::format_to(to, " (group {})", *r.pair.group);
    }
    if (!r.pair.port) {
      if (r.reachable_ports.empty()) {
        out += ": no port is reachable";
      }
      for (size_t i = 0; i < r.reachable_ports.size(); ++i) {
        out += i == 0 ? ": reachable on " : ", ";
        out += r.reachable_ports[i].ToString();
      }
    } else if (r.verdict != Verdict::kReachable) {
      out += " (";
      const char* separator = "";
      for (const CheckResult& check : r.checks) {
        if (check.status != Status::kPass) {
          out += separator;
          out += check.rule;
          separator = ", ";
        }
      }
      out += ')';
    }
    out += '\n';
  }
  for (const Finding& f : report.findings) {
    out += '\n';
    const bool error = f.level == Level::kError;
    out += c.bold;
    if (f.resource && f.resource->line > 0) {
      fmt::format_to(to, "{}:{}:{}", f.resource->file, f.resource->line,
                     f.resource->column > 0 ? f.resource->column : 1);
    } else if (f.resource) {
      out += f.resource->address;
    } else {
      out += f.target;
    }
    fmt::format_to(to, ":{} {}{}:{} {} [{}]\n", c.reset, error ? c.red : c.yellow,
                   error ? "error" : "warning", c.reset, f.message, f.rule);
    if (f.resource && f.resource->line > 0) {
      out += Excerpt(sources, *f.resource, c);
    }
    fmt::format_to(to, "  {}pair:{} {}\n", c.dim, c.reset, f.pair);
    if (!f.fix.empty()) {
      fmt::format_to(to, "  {}fix:{}\n", c.dim, c.reset);
      AppendIndented(out, f.fix, "    ");
    }
  }
  out += fmt::format("\n{}: {} reachable, {} blocked, {} unknown; {}, {}\n",
                     Plural(report.results.size(), "pair", "pairs"), report.reachable,
                     report.blocked, report.unknown, Plural(report.errors, "error", "errors"),
                     Plural(report.warnings, "warning", "warnings"));
  return out;
}

}  // namespace cvpn
