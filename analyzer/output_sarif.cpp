// SPDX-License-Identifier: Apache-2.0
// The SARIF 2.1.0 report, shaped for GitHub code scanning: every rule with its documentation, a
// result per finding with a physical and a logical location, a line-independent fingerprint, and
// a code flow that walks the path from the client to the target.
//
// Quirks worth knowing:
// - Terraform plans carry no source positions. Such results point at line 1 of the input that
//   declared the resource, so GitHub can show them, and say so (`approximateLocation`).
// - Origin columns count bytes; SARIF columns here count UTF-16 code units (`columnKind`), so
//   columns are converted with the text of the line where the file can be read.
// - GitHub's limits: name <= 255 characters, short and full descriptions <= 1024.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/report.h"
#include "analyzer/version.h"

namespace cvpn {

namespace {

using Ordered = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char* kSrcRoot = "%SRCROOT%";
constexpr size_t kDescriptionLimit = 1024;
constexpr size_t kNameLimit = 255;

/// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence, marking the cut.
std::string Truncate(const std::string& text, size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  const std::string ellipsis = "...";
  size_t cut = limit - ellipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + ellipsis;
}

/// SARIF's validators ask for messages that end like sentences.
std::string Sentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  if (text.empty()) {
    return text;
  }
  const char last = text.back();
  if (last != '.' && last != '!' && last != '?') {
    text += '.';
  }
  return text;
}

/// The first paragraph of the doc's "## Why is this bad?" section, joined into one line.
std::string WhyParagraph(const std::string& doc) {
  std::istringstream in(doc);
  std::string line;
  bool in_section = false;
  std::string paragraph;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!in_section) {
      in_section = line.rfind("## Why is this bad?", 0) == 0;
      continue;
    }
    const bool blank = line.find_first_not_of(" \t") == std::string::npos;
    if (line.rfind('#', 0) == 0 || (blank && !paragraph.empty())) {
      break;
    }
    if (blank) {
      continue;
    }
    const size_t start = line.find_first_not_of(" \t");
    paragraph += (paragraph.empty() ? "" : " ") + line.substr(start);
  }
  return paragraph;
}

/// Percent-encodes what may not appear in a relative URI reference's path.
std::string UriPath(const std::string& path) {
  std::string out;
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '!' ||
                      c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
                      c == '+' || c == ',' || c == ';' || c == '=' || c == '@';
    if (keep) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}


/// FNV-1a, 64 bits: small, stable across platforms and releases.
uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char ch : text) {
    hash ^= static_cast<unsigned char>(ch);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/// Reads lines of input files on demand to turn byte columns into UTF-16 columns.
class ColumnConverter {
 public:
  int Utf16Column(const std::string& file, int line, int byte_column) {
    if (line <= 0 || byte_column <= 1) {
      return std::max(byte_column, 1);
    }
    const std::vector<std::string>& lines = Lines(file);
    if (static_cast<size_t>(line) > lines.size()) {
      return byte_column;
    }
    const std::string& text = lines[static_cast<size_t>(line - 1)];
    const size_t bytes = std::min(text.size(), static_cast<size_t>(byte_column - 1));
    int units = 0;
    for (size_t i = 0; i < bytes; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c & 0xC0U) == 0x80U) {
        continue;  // a continuation byte
      }
      units += (c & 0xF8U) == 0xF0U ? 2 : 1;  // four-byte sequences are surrogate pairs
    }
    return units + 1 + static_cast<int>(static_cast<size_t>(byte_column - 1) - bytes);
  }

 private:
  const std::vector<std::string>& Lines(const std::string& file) {
    auto it = files_.find(file);
    if (it != files_.end()) {
      return it->second;
    }
    std::vector<std::string> lines;
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (in && std::getline(in, line)) {
      lines.push_back(line);
    }
    return files_.emplace(file, std::move(lines)).first->second;
  }

  std::map<std::string, std::vector<std::string>> files_;
};

Ordered LogicalLocation(const std::string& address) {
  return Ordered::array({{{"fullyQualifiedName", address}, {"kind", "resource"}}});
}

/// A physical location for `origin`, or null when it names no file. With `approximate`, an origin
/// without a position points at line 1 of its file.
Ordered PhysicalLocation(const Origin& origin, bool approximate, ColumnConverter& columns) {
  if (origin.file.empty()) {
    return nullptr;
  }
  Ordered physical;
  physical["artifactLocation"] = {{"uri", UriPath(RelativePath(origin.file))},
                                  {"uriBaseId", kSrcRoot}};
  if (origin.line > 0) {
    physical["region"] = {
        {"startLine", origin.line},
        {"startColumn", columns.Utf16Column(origin.file, origin.line, origin.column)}};
  } else if (approximate) {
    physical["region"] = {{"startLine", 1}, {"startColumn", 1}};
  }
  return physical;
}

/// One hop of a path: what it is, and where it was declared.
struct Hop {
  Origin origin;
  std::string message;
};

/// The hops from the client to the target: client, endpoint, associated subnets, their route
/// tables and the target's, target subnets, target.
std::vector<Hop> PathHops(const Graph& graph, const PairResult& r) {
  std::vector<Hop> hops;
  const ClientVpnEndpoint& endpoint = graph.endpoints[static_cast<size_t>(r.pair.endpoint)];
  const Target& target = graph.targets[static_cast<size_t>(r.pair.target)];
  const std::string cidr = endpoint.client_cidr.Known()
                               ? endpoint.client_cidr.value->ToString()
                               : std::string("a client CIDR known only after apply");
  hops.push_back({endpoint.origin,
                  fmt::format("A Client VPN client in {}{} connects.", cidr,
                              r.pair.group ? fmt::format(" (group {})", *r.pair.group) : "")});
  hops.push_back({endpoint.origin, fmt::format("Client VPN endpoint `{}` receives the traffic.",
                                               endpoint.origin.address)});
  auto subnet_text = [&](NodeIndex s) {
    const Subnet& subnet = graph.subnets[static_cast<size_t>(s)];
    return subnet.cidr.Known()
               ? fmt::format("`{}` ({})", subnet.origin.address, subnet.cidr.value->ToString())
               : fmt::format("`{}`", subnet.origin.address);
  };
  std::vector<NodeIndex> associated;
  for (const ClientVpnAssociation& a : endpoint.associations) {
    if (a.subnet.Resolved()) {
      if (std::find(associated.begin(), associated.end(), a.subnet.index) == associated.end()) {
        associated.push_back(a.subnet.index);
        hops.push_back(
            {graph.subnets[static_cast<size_t>(a.subnet.index)].origin,
             fmt::format("It leaves through associated subnet {}.", subnet_text(a.subnet.index))});
      }
    } else {
      hops.push_back({a.origin, Sentence(fmt::format("Association `{}`: {}", a.origin.address,
                                                     a.subnet.unknown.empty()
                                                         ? "its subnet is not in the inputs"
                                                         : a.subnet.unknown))});
    }
  }
  std::vector<NodeIndex> target_subnets;
  for (const Link& l : target.subnets) {
    if (l.Resolved() &&
        std::find(target_subnets.begin(), target_subnets.end(), l.index) == target_subnets.end()) {
      target_subnets.push_back(l.index);
    }
  }
  std::vector<NodeIndex> tables;
  auto add_table = [&](NodeIndex subnet, const char* role) {
    const Link table = graph.RouteTableOf(subnet);
    if (!table.Resolved() || std::find(tables.begin(), tables.end(), table.index) != tables.end()) {
      return;
    }
    tables.push_back(table.index);
    const RouteTable& t = graph.route_tables[static_cast<size_t>(table.index)];
    hops.push_back({t.origin, fmt::format("Route table `{}` routes the {} subnet {}.",
                                          t.origin.address, role, subnet_text(subnet))});
  };
  for (const NodeIndex s : associated) {
    add_table(s, "associated");
  }
  for (const NodeIndex s : target_subnets) {
    add_table(s, "target's");
  }
  for (const NodeIndex s : target_subnets) {
    hops.push_back({graph.subnets[static_cast<size_t>(s)].origin,
                    fmt::format("It enters target subnet {}.", subnet_text(s))});
  }
  if (!target.subnets_unknown.empty()) {
    hops.push_back({target.origin, Sentence("The target's subnets: " + target.subnets_unknown)});
  }
  hops.push_back(
      {target.origin,
       fmt::format("It reaches {} `{}` on {}.", target.kind.empty() ? "target" : target.kind,
                   target.origin.address, PortText(r.pair).value_or("any port"))});
  return hops;
}

/// Where a finding's own step goes in the path, by the requirement its rule checks.
size_t BlockingStepPosition(const std::string& rule, const std::vector<Hop>& hops) {
  if (rule == "CVPN004" || rule == "CVPN005" || rule == "CVPN006") {
    return std::min<size_t>(2, hops.size());  // at the endpoint
  }
  return hops.empty() ? 0 : hops.size() - 1;  // before the target
}

Ordered ThreadFlowLocation(const Hop& hop, bool essential, ColumnConverter& columns) {
  Ordered location;
  // GitHub lists region.startLine as required for every physical location, so a step without a
  // position points at line 1 of its file too, marked like a result's location.
  Ordered physical = PhysicalLocation(hop.origin, true, columns);
  const bool approximate = !physical.is_null() && hop.origin.line <= 0;
  if (!physical.is_null()) {
    location["physicalLocation"] = std::move(physical);
  }
  location["logicalLocations"] = LogicalLocation(hop.origin.address);
  location["message"] = {{"text", Sentence(hop.message)}};
  if (approximate) {
    location["properties"] = {{"approximateLocation", true}};
  }
  Ordered step;
  step["location"] = std::move(location);
  step["importance"] = essential ? "essential" : "important";
  return step;
}

Ordered CodeFlow(const Graph& graph,
                 const PairResult& r,
                 const Finding& f,
                 ColumnConverter& columns) {
  std::vector<Hop> hops = PathHops(graph, r);
  const std::string resource = f.resource ? f.resource->address : std::string();
  const bool on_path = std::any_of(hops.begin(), hops.end(),
                                   [&](const Hop& h) { return h.origin.address == resource; });
  std::vector<bool> essential(hops.size(), false);
  if (f.resource && !on_path) {
    const size_t at = BlockingStepPosition(f.rule, hops);
    hops.insert(hops.begin() + static_cast<std::ptrdiff_t>(at),
                Hop{*f.resource, fmt::format("{}: `{}` blocks the path: {}", f.rule,
                                             f.resource->address, f.message)});
    essential.insert(essential.begin() + static_cast<std::ptrdiff_t>(at), true);
  } else if (f.resource) {
    // The last hop it names: the endpoint rather than the client in front of it, the target
    // subnet rather than the same subnet as an associated one.
    for (size_t i = hops.size(); i-- > 0;) {
      if (hops[i].origin.address == resource) {
        essential[i] = true;
        hops[i].message = Sentence(hops[i].message) + fmt::format(" {}: {}", f.rule, f.message);
        break;
      }
    }
  }
  Ordered locations = Ordered::array();
  for (size_t i = 0; i < hops.size(); ++i) {
    locations.push_back(ThreadFlowLocation(hops[i], essential[i], columns));
  }
  Ordered thread;
  thread["locations"] = std::move(locations);
  Ordered flow;
  flow["message"] = {{"text", Sentence(fmt::format("The path of {}", f.pair))}};
  flow["threadFlows"] = Ordered::array({std::move(thread)});
  return flow;
}

Ordered RuleDescriptor(const RuleDescription& rule) {
  const std::string summary = rule.summary.empty() ? rule.id : rule.summary;
  std::string full = rule.doc.empty() ? std::string() : WhyParagraph(rule.doc);
  if (full.empty()) {
    full = summary;
  }
  const std::string help = rule.doc.empty() ? summary : rule.doc;
  Ordered d;
  d["id"] = rule.id;
  d["name"] = Truncate(rule.name.empty() ? rule.id : rule.name, kNameLimit);
  d["shortDescription"] = {{"text", Truncate(summary, kDescriptionLimit)}};
  d["fullDescription"] = {{"text", Truncate(full, kDescriptionLimit)}};
  d["help"] = {{"text", help}, {"markdown", help}};
  d["defaultConfiguration"] = {{"level", "error"}};
  d["properties"] = {{"tags", Ordered::array({"network", "client-vpn"})}, {"precision", "high"}};
  return d;
}

/// The pair result each finding came from: MakeReport lists the failed and unknown checks of
/// each unreachable pair in order, so the two lists walk together.
std::vector<const PairResult*> FindingOwners(const Graph& graph, const Report& report) {
  std::vector<const PairResult*> owners(report.findings.size(), nullptr);
  size_t next = 0;
  for (const PairResult& r : report.results) {
    if (r.verdict == Verdict::kReachable) {
      continue;
    }
    const std::string& endpoint =
        graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address;
    const std::string& target = graph.targets[static_cast<size_t>(r.pair.target)].origin.address;
    for (const CheckResult& c : r.checks) {
      if (c.status == Status::kPass || next >= report.findings.size()) {
        continue;
      }
      const Finding& f = report.findings[next];
      if (f.rule == c.rule && f.message == c.message && f.endpoint == endpoint &&
          f.target == target) {
        owners[next++] = &r;
      }
    }
  }
  return owners;
}

/// Where a finding is reported: its resource, else the target, else the first input.
Origin FindingOrigin(const Graph& graph, const Report& report, const Finding& f) {
  if (f.resource && !f.resource->file.empty()) {
    return *f.resource;
  }
  Origin o;
  if (const NodeIndex t = graph.FindTarget(f.target); t != kNone) {
    o = graph.targets[static_cast<size_t>(t)].origin;
  } else if (!report.inputs.empty()) {
    o.file = report.inputs.front();
  }
  if (f.resource) {
    o.address = f.resource->address;
    o.line = f.resource->line;
    o.column = f.resource->column;
  }
  if (o.address.empty()) {
    o.address = f.target;
  }
  return o;
}

}  // namespace

std::string RenderSarif(const Graph& graph,
                        const Report& report,
                        const std::vector<RuleDescription>& rules) {
  ColumnConverter columns;
  Ordered descriptors = Ordered::array();
  std::map<std::string, size_t> rule_index;
  for (const RuleDescription& rule : rules) {
    if (rule_index.emplace(rule.id, descriptors.size()).second) {
      descriptors.push_back(RuleDescriptor(rule));
    }
  }
  // A finding of a rule the caller did not describe still gets a descriptor, so that every
  // ruleIndex points at its rule.
  for (const Finding& f : report.findings) {
    if (rule_index.emplace(f.rule, descriptors.size()).second) {
      descriptors.push_back(RuleDescriptor(RuleDescription{f.rule, f.rule, f.rule, {}}));
    }
  }

  const std::vector<const PairResult*> owners = FindingOwners(graph, report);
  Ordered results = Ordered::array();
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    const PairResult* owner = owners[i];
    const Origin where = FindingOrigin(graph, report, f);
    const bool approximate = where.line <= 0 && !where.file.empty();
    const std::string uri = UriPath(RelativePath(where.file));

    Ordered result;
    result["ruleId"] = f.rule;
    result["ruleIndex"] = rule_index.at(f.rule);
    result["level"] = f.level == Level::kError ? "error" : "warning";
    result["message"] = {{"text", Sentence(Sentence(f.message) + " Pair: " + f.pair)}};
    Ordered location;
    Ordered physical = PhysicalLocation(where, true, columns);
    if (!physical.is_null()) {
      location["physicalLocation"] = std::move(physical);
    }
    location["logicalLocations"] = LogicalLocation(where.address);
    if (approximate) {
      location["properties"] = {{"approximateLocation", true}};
    }
    result["locations"] = Ordered::array({std::move(location)});

    std::string port = "-";
    std::string group = "-";
    if (owner != nullptr) {
      port = PortText(owner->pair).value_or("-");
      group = owner->pair.group.value_or("-");
    }
    // Line-independent: moving the resource within its file keeps the fingerprint. The group
    // keeps two pairs that differ only in their access group apart.
    const std::string key =
        fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", f.rule, uri, where.address,
                    f.endpoint, f.target, owner != nullptr ? port : f.pair, group);
    result["partialFingerprints"] = {{"cvpn/v1", fmt::format("{:016x}", Fnv1a(key))}};
    if (owner != nullptr) {
      result["codeFlows"] = Ordered::array({CodeFlow(graph, *owner, f, columns)});
    }
    Ordered properties;
    properties["endpoint"] = f.endpoint;
    properties["target"] = f.target;
    if (owner != nullptr) {
      properties["port"] = PortText(owner->pair) ? Ordered(port) : Ordered(nullptr);
      properties["group"] = owner->pair.group ? Ordered(group) : Ordered(nullptr);
    }
    if (!f.fix.empty()) {
      properties["fix"] = f.fix;
    }
    result["properties"] = std::move(properties);
    results.push_back(std::move(result));
  }

  Ordered driver;
  driver["name"] = "cvpn-lint";
  driver["version"] = kVersion;
  driver["semanticVersion"] = kVersion;
  driver["informationUri"] = kInformationUri;
  driver["rules"] = std::move(descriptors);

  Ordered run;
  run["tool"] = {{"driver", std::move(driver)}};
  // No absolute URI here: the output stays the same on every machine. %SRCROOT% is the directory
  // cvpn-lint ran in, which is the repository root in CI.
  run["originalUriBaseIds"] = {
      {kSrcRoot,
       {{"description",
         {{"text", "The directory cvpn-lint ran in; input paths are relative to it."}}}}}};
  run["results"] = std::move(results);
  run["columnKind"] = "utf16CodeUnits";

  Ordered log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = Ordered::array({std::move(run)});
  return log.dump(2, ' ', false, Ordered::error_handler_t::replace) + "\n";
}

}  // namespace cvpn
