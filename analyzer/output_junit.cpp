// SPDX-License-Identifier: Apache-2.0
// The JUnit XML report for CI test views (Jenkins, GitLab, Azure Pipelines and the like): one test
// suite, a test case per pair (classname: the endpoint; name: target, port and group), a failure
// per blocked pair and a skipped test per pair whose verdict is unknown.
//
// The shape is the common subset those readers accept: <testsuites> around one <testsuite> with
// tests/failures/errors/skipped counts, <properties>, <testcase classname name time>, and
// <failure message type>, <skipped message> or <system-out> inside. Times are 0: the analysis
// takes milliseconds and a measured time would make the output differ between runs.
#include <fmt/format.h>

#include "analyzer/report.h"
#include "analyzer/version.h"

namespace cvpn {

namespace {

/// Decodes one UTF-8 sequence at `i`; returns the code point and advances `i`, or returns -1 for
/// an invalid or overlong sequence (advancing past one byte).
long DecodeUtf8(const std::string& s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int length = 0;
  long cp = 0;
  if (b0 < 0x80U) {
    ++i;
    return b0;
  }
  if ((b0 & 0xE0U) == 0xC0U) {
    length = 2;
    cp = b0 & 0x1FU;
  } else if ((b0 & 0xF0U) == 0xE0U) {
    length = 3;
    cp = b0 & 0x0FU;
  } else if ((b0 & 0xF8U) == 0xF0U) {
    length = 4;
    cp = b0 & 0x07U;
  } else {
    ++i;
    return -1;
  }
  if (i + static_cast<size_t>(length) > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0U) != 0x80U) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | static_cast<long>(b & 0x3FU);
  }
  static constexpr long kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += static_cast<size_t>(length);
  return cp;
}

/// Whether XML 1.0 allows the character at all (production [2] Char).
bool XmlChar(long cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/// Escapes text for XML content (`attribute` false) or a double- or single-quoted attribute
/// value. Characters XML 1.0 forbids, and invalid UTF-8, become U+FFFD. In attributes, tabs and
/// line breaks are written as character references so that attribute-value normalisation keeps
/// them.
std::string XmlEscape(const std::string& text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Printable ASCII that needs no reference goes over in one piece.
    size_t run = i;
    while (run < text.size()) {
      const char c = text[run];
      if (c < 0x20 || c > 0x7E || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') {
        break;
      }
      ++run;
    }
    if (run > i) {
      out.append(text, i, run - i);
      i = run;
      continue;
    }
    const size_t start = i;
    const long cp = DecodeUtf8(text, i);
    if (cp < 0 || !XmlChar(cp)) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\'':
        out += attribute ? "&apos;" : "'";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out.append(text, start, i - start);
    }
  }
  return out;
}

std::string Attr(const std::string& text) {
  return XmlEscape(text, true);
}
std::string Text(const std::string& text) {
  return XmlEscape(text, false);
}

/// The details of the checks that did not pass, for a person reading the CI log.
std::string CheckDetails(const PairResult& r) {
  std::string out;
  for (const CheckResult& c : r.checks) {
    if (c.status == Status::kPass) {
      continue;
    }
    out += fmt::format("{} {}: {}\n", c.rule, StatusName(c.status), c.message);
    if (c.resource) {
      std::string where = c.resource->file;
      if (c.resource->line > 0) {
        where += fmt::format(":{}:{}", c.resource->line,
                             c.resource->column > 0 ? c.resource->column : 1);
      }
      out += fmt::format("  resource: {}{}\n", c.resource->address,
                         where.empty() ? "" : " (" + where + ")");
    }
    if (!c.fix.empty()) {
      out += "  fix:\n";
      AppendIndented(out, c.fix, "    ");
    }
  }
  return out;
}

/// A one-line message naming the checks with `status`, e.g. "CVPN002 failed: ...".
std::string ShortMessage(const PairResult& r, Status status) {
  std::string rules;
  const CheckResult* first = nullptr;
  for (const CheckResult& c : r.checks) {
    if (c.status == status) {
      rules += (rules.empty() ? "" : ", ") + c.rule;
      first = first == nullptr ? &c : first;
    }
  }
  if (first == nullptr) {
    return std::string(VerdictName(r.verdict));
  }
  return fmt::format("{} {}: {}", rules, status == Status::kFail ? "failed" : "unknown",
                     first->message);
}

}  // namespace

std::string RenderJunit(const Graph& graph, const Report& report) {
  const size_t tests = report.results.size();
  std::string cases;
  for (const PairResult& r : report.results) {
    const std::string& endpoint =
        graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address;
    std::string name =
        fmt::format("{} {}", graph.targets[static_cast<size_t>(r.pair.target)].origin.address,
                    PortText(r.pair).value_or("(any port)"));
    if (r.pair.group) {
      name += fmt::format(" (group {})", *r.pair.group);
    }
    std::string body;
    switch (r.verdict) {
      case Verdict::kBlocked:
        body += fmt::format("      <failure message=\"{}\" type=\"blocked\">{}</failure>\n",
                            Attr(ShortMessage(r, Status::kFail)), Text(CheckDetails(r)));
        break;
      case Verdict::kUnknown:
        body += fmt::format("      <skipped message=\"{}\">{}</skipped>\n",
                            Attr(ShortMessage(r, Status::kUnknown)), Text(CheckDetails(r)));
        break;
      case Verdict::kReachable:
        break;
    }
    if (!r.pair.port) {
      std::string ports;
      for (const PortSpec& s : r.reachable_ports) {
        ports += (ports.empty() ? "" : ", ") + s.ToString();
      }
      body += fmt::format("      <system-out>{}</system-out>\n",
                          Text(ports.empty() ? "no port is reachable" : "reachable on " + ports));
    }
    const std::string open = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
                                         Attr(endpoint), Attr(name));
    cases += body.empty() ? open + "/>\n" : open + ">\n" + body + "    </testcase>\n";
  }
  std::string properties = "    <properties>\n";
  properties +=
      fmt::format("      <property name=\"cvpn-lint.version\" value=\"{}\"/>\n", Attr(kVersion));
  for (const std::string& input : report.inputs) {
    properties += fmt::format("      <property name=\"input\" value=\"{}\"/>\n", Attr(input));
  }
  properties += "    </properties>\n";

  // Jenkins' schema (junit-10.xsd) has no `skipped` attribute on <testsuites>, only on
  // <testsuite>.
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"cvpn-lint\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"0\">\n",
      tests, report.blocked);
  out += fmt::format(
      "  <testsuite name=\"cvpn-lint\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"0\">\n",
      tests, report.blocked, report.unknown);
  out += properties;
  out += cases;
  out += "  </testsuite>\n";
  out += "</testsuites>\n";
  return out;
}

}  // namespace cvpn
