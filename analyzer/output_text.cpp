// SPDX-License-Identifier: Apache-2.0
// The text report for people: a line per pair, then compiler-style findings with their fixes,
// then a summary line.
#include <fstream>
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

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += prefix + line + "\n";
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
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
  for (const PairResult& r : report.results) {
    const char* color = r.verdict == Verdict::kReachable ? c.green
                        : r.verdict == Verdict::kBlocked ? c.red
                                                         : c.yellow;
    std::string line = fmt::format(
        "{}{:<9}{} {} -> {} {}", color, VerdictName(r.verdict), c.reset,
        graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address,
        graph.targets[static_cast<size_t>(r.pair.target)].origin.address,
        PortText(r.pair).value_or("(any port)"));
    if (r.pair.group) {
      line += fmt::format(" (group {})", *r.pair.group);
    }
    if (!r.pair.port) {
      std::string ports;
      for (const PortSpec& s : r.reachable_ports) {
        ports += (ports.empty() ? "" : ", ") + s.ToString();
      }
      line += ports.empty() ? ": no port is reachable" : ": reachable on " + ports;
    } else if (r.verdict != Verdict::kReachable) {
      std::string failing;
      for (const CheckResult& check : r.checks) {
        if (check.status != Status::kPass) {
          failing += (failing.empty() ? "" : ", ") + check.rule;
        }
      }
      line += fmt::format(" ({})", failing);
    }
    out += line + "\n";
  }
  for (const Finding& f : report.findings) {
    out += "\n";
    std::string where;
    if (f.resource && f.resource->line > 0) {
      where = fmt::format("{}:{}:{}", f.resource->file, f.resource->line,
                          f.resource->column > 0 ? f.resource->column : 1);
    } else if (f.resource) {
      where = f.resource->address;
    } else {
      where = f.target;
    }
    const bool error = f.level == Level::kError;
    out += fmt::format("{}{}:{} {}{}:{} {} [{}]\n", c.bold, where, c.reset,
                       error ? c.red : c.yellow, error ? "error" : "warning", c.reset, f.message,
                       f.rule);
    if (f.resource && f.resource->line > 0) {
      out += Excerpt(sources, *f.resource, c);
    }
    out += fmt::format("  {}pair:{} {}\n", c.dim, c.reset, f.pair);
    if (!f.fix.empty()) {
      out += fmt::format("  {}fix:{}\n", c.dim, c.reset);
      out += Indent(f.fix, "    ");
    }
  }
  out += fmt::format("\n{}: {} reachable, {} blocked, {} unknown; {}, {}\n",
                     Plural(report.results.size(), "pair", "pairs"), report.reachable,
                     report.blocked, report.unknown, Plural(report.errors, "error", "errors"),
                     Plural(report.warnings, "warning", "warnings"));
  return out;
}

}  // namespace cvpn
