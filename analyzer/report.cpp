// SPDX-License-Identifier: Apache-2.0
#include "analyzer/report.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace cvpn {

std::string RelativePath(const std::string& file) {
  if (file.empty() || file == "-") {
    return file;
  }
  std::filesystem::path p(file);
  if (p.is_absolute()) {
    std::error_code ec;
    const std::filesystem::path cwd = std::filesystem::current_path(ec);
    if (!ec) {
      const std::filesystem::path rel = p.lexically_proximate(cwd);
      if (!rel.empty() && !rel.is_absolute()) {
        p = rel;
      }
    }
  }
  return p.lexically_normal().generic_string();
}

void AppendIndented(std::string& out, std::string_view text, std::string_view prefix) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    out += prefix;
    out += text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += '\n';
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
}

std::optional<std::string> PortText(const Pair& pair) {
  if (!pair.port) {
    return std::nullopt;
  }
  return pair.port->ToString();
}

Report MakeReport(const Graph& graph, std::vector<PairResult> results) {
  Report report;
  // The order of inputs on the command line does not change the report.
  report.inputs = graph.inputs;
  std::sort(report.inputs.begin(), report.inputs.end());
  report.results = std::move(results);
  for (const PairResult& r : report.results) {
    switch (r.verdict) {
      case Verdict::kReachable:
        ++report.reachable;
        break;
      case Verdict::kBlocked:
        ++report.blocked;
        break;
      case Verdict::kUnknown:
        ++report.unknown;
        break;
    }
    // A pair that is reachable on some port has nothing to fix.
    if (r.verdict == Verdict::kReachable) {
      continue;
    }
    const std::string& endpoint =
        graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address;
    const std::string& target = graph.targets[static_cast<size_t>(r.pair.target)].origin.address;
    std::string pair_text = fmt::format("{} -> {} {}", endpoint, target,
                                        PortText(r.pair).value_or("(any port)"));
    if (r.pair.group) {
      pair_text += fmt::format(" (group {})", *r.pair.group);
    }
    for (const CheckResult& c : r.checks) {
      if (c.status == Status::kPass) {
        continue;
      }
      Finding f;
      f.rule = c.rule;
      f.level = c.status == Status::kFail ? Level::kError : Level::kWarning;
      f.message = c.message;
      f.endpoint = endpoint;
      f.target = target;
      f.pair = pair_text;
      f.resource = c.resource;
      f.fix = c.fix;
      (f.level == Level::kError ? report.errors : report.warnings)++;
      report.findings.push_back(std::move(f));
    }
  }
  return report;
}

}  // namespace cvpn
