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

#include "analyzer/json_writer.h"
#include "analyzer/report.h"
#include "analyzer/version.h"

namespace cvpn {

namespace {

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

/// The URI of each input file, relative to the working directory, worked out once per file.
class ArtifactUris {
 public:
  const std::string& Of(const std::string& file) {
    auto it = uris_.find(file);
    if (it == uris_.end()) {
      it = uris_.emplace(file, UriPath(RelativePath(file))).first;
    }
    return it->second;
  }

 private:
  std::map<std::string, std::string> uris_;
};

/// What a report needs beyond the findings: files read once, URIs worked out once.
struct SarifContext {
  ColumnConverter columns;
  ArtifactUris uris;
};

void WriteLogicalLocations(JsonWriter& w, const std::string& address) {
  w.Key("logicalLocations");
  w.BeginArray();
  w.BeginObject();
  w.Member("fullyQualifiedName", address);
  w.Member("kind", "resource");
  w.EndObject();
  w.EndArray();
}

void WriteText(JsonWriter& w, std::string_view key, std::string_view text) {
  w.Key(key);
  w.BeginObject();
  w.Member("text", text);
  w.EndObject();
}

/// The physical location member for `origin`, unless it names no file. With `approximate`, an
/// origin without a position points at line 1 of its file.
void WritePhysicalLocation(JsonWriter& w, const Origin& origin, bool approximate,
                           SarifContext& context) {
  if (origin.file.empty()) {
    return;
  }
  w.Key("physicalLocation");
  w.BeginObject();
  w.Key("artifactLocation");
  w.BeginObject();
  w.Member("uri", context.uris.Of(origin.file));
  w.Member("uriBaseId", kSrcRoot);
  w.EndObject();
  if (origin.line > 0) {
    w.Key("region");
    w.BeginObject();
    w.Key("startLine");
    w.Number(origin.line);
    w.Key("startColumn");
    w.Number(context.columns.Utf16Column(origin.file, origin.line, origin.column));
    w.EndObject();
  } else if (approximate) {
    w.Key("region");
    w.BeginObject();
    w.Key("startLine");
    w.Number(1);
    w.Key("startColumn");
    w.Number(1);
    w.EndObject();
  }
  w.EndObject();
}

void WriteApproximate(JsonWriter& w) {
  w.Key("properties");
  w.BeginObject();
  w.Key("approximateLocation");
  w.Bool(true);
  w.EndObject();
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

void WriteThreadFlowLocation(JsonWriter& w, const Hop& hop, bool essential,
                             SarifContext& context) {
  w.BeginObject();
  w.Key("location");
  w.BeginObject();
  // GitHub lists region.startLine as required for every physical location, so a step without a
  // position points at line 1 of its file too, marked like a result's location.
  WritePhysicalLocation(w, hop.origin, true, context);
  const bool approximate = !hop.origin.file.empty() && hop.origin.line <= 0;
  WriteLogicalLocations(w, hop.origin.address);
  WriteText(w, "message", Sentence(hop.message));
  if (approximate) {
    WriteApproximate(w);
  }
  w.EndObject();
  w.Member("importance", essential ? "essential" : "important");
  w.EndObject();
}

void WriteCodeFlow(JsonWriter& w, const Graph& graph, const PairResult& r, const Finding& f,
                   SarifContext& context) {
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
  w.BeginObject();
  WriteText(w, "message", Sentence(fmt::format("The path of {}", f.pair)));
  w.Key("threadFlows");
  w.BeginArray();
  w.BeginObject();
  w.Key("locations");
  w.BeginArray();
  for (size_t i = 0; i < hops.size(); ++i) {
    WriteThreadFlowLocation(w, hops[i], essential[i], context);
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

void WriteRuleDescriptor(JsonWriter& w, const RuleDescription& rule) {
  const std::string summary = rule.summary.empty() ? rule.id : rule.summary;
  std::string full = rule.doc.empty() ? std::string() : WhyParagraph(rule.doc);
  if (full.empty()) {
    full = summary;
  }
  const std::string help = rule.doc.empty() ? summary : rule.doc;
  w.BeginObject();
  w.Member("id", rule.id);
  w.Member("name", Truncate(rule.name.empty() ? rule.id : rule.name, kNameLimit));
  WriteText(w, "shortDescription", Truncate(summary, kDescriptionLimit));
  WriteText(w, "fullDescription", Truncate(full, kDescriptionLimit));
  w.Key("help");
  w.BeginObject();
  w.Member("text", help);
  w.Member("markdown", help);
  w.EndObject();
  w.Key("defaultConfiguration");
  w.BeginObject();
  w.Member("level", "error");
  w.EndObject();
  w.Key("properties");
  w.BeginObject();
  w.Key("tags");
  w.BeginArray();
  w.String("network");
  w.String("client-vpn");
  w.EndArray();
  w.Member("precision", "high");
  w.EndObject();
  w.EndObject();
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

void WriteResult(JsonWriter& w, const Graph& graph, const Report& report, const Finding& f,
                 const PairResult* owner, size_t rule_index, SarifContext& context) {
  const Origin where = FindingOrigin(graph, report, f);
  const bool approximate = where.line <= 0 && !where.file.empty();
  const std::string& uri = context.uris.Of(where.file);

  w.BeginObject();
  w.Member("ruleId", f.rule);
  w.Key("ruleIndex");
  w.Number(uint64_t{rule_index});
  w.Member("level", f.level == Level::kError ? "error" : "warning");
  WriteText(w, "message", Sentence(Sentence(f.message) + " Pair: " + f.pair));
  w.Key("locations");
  w.BeginArray();
  w.BeginObject();
  WritePhysicalLocation(w, where, true, context);
  WriteLogicalLocations(w, where.address);
  if (approximate) {
    WriteApproximate(w);
  }
  w.EndObject();
  w.EndArray();

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
  w.Key("partialFingerprints");
  w.BeginObject();
  w.Member("cvpn/v1", fmt::format("{:016x}", Fnv1a(key)));
  w.EndObject();
  if (owner != nullptr) {
    w.Key("codeFlows");
    w.BeginArray();
    WriteCodeFlow(w, graph, *owner, f, context);
    w.EndArray();
  }
  w.Key("properties");
  w.BeginObject();
  w.Member("endpoint", f.endpoint);
  w.Member("target", f.target);
  if (owner != nullptr) {
    if (PortText(owner->pair)) {
      w.Member("port", port);
    } else {
      w.NullMember("port");
    }
    if (owner->pair.group) {
      w.Member("group", group);
    } else {
      w.NullMember("group");
    }
  }
  if (!f.fix.empty()) {
    w.Member("fix", f.fix);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string RenderSarif(const Graph& graph,
                        const Report& report,
                        const std::vector<RuleDescription>& rules) {
  SarifContext context;
  // Every rule described, then any rule a finding names that the caller did not describe, so
  // that every ruleIndex points at its rule.
  std::vector<RuleDescription> descriptors;
  std::map<std::string, size_t> rule_index;
  for (const RuleDescription& rule : rules) {
    if (rule_index.emplace(rule.id, descriptors.size()).second) {
      descriptors.push_back(rule);
    }
  }
  for (const Finding& f : report.findings) {
    if (rule_index.emplace(f.rule, descriptors.size()).second) {
      descriptors.push_back(RuleDescription{f.rule, f.rule, f.rule, {}});
    }
  }
  const std::vector<const PairResult*> owners = FindingOwners(graph, report);

  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Member("$schema", kSchema);
  w.Member("version", "2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  w.Key("tool");
  w.BeginObject();
  w.Key("driver");
  w.BeginObject();
  w.Member("name", "cvpn-lint");
  w.Member("version", kVersion);
  w.Member("semanticVersion", kVersion);
  w.Member("informationUri", kInformationUri);
  w.Key("rules");
  w.BeginArray();
  for (const RuleDescription& rule : descriptors) {
    WriteRuleDescriptor(w, rule);
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  // No absolute URI here: the output stays the same on every machine. %SRCROOT% is the directory
  // cvpn-lint ran in, which is the repository root in CI.
  w.Key("originalUriBaseIds");
  w.BeginObject();
  w.Key(kSrcRoot);
  w.BeginObject();
  WriteText(w, "description", "The directory cvpn-lint ran in; input paths are relative to it.");
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.BeginArray();
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    WriteResult(w, graph, report, f, owners[i], rule_index.at(f.rule), context);
  }
  w.EndArray();
  w.Member("columnKind", "utf16CodeUnits");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace cvpn
