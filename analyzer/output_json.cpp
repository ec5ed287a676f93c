// SPDX-License-Identifier: Apache-2.0
// The JSON report, exactly as contract.md shows it, written straight into the output.
#include "analyzer/json_writer.h"
#include "analyzer/report.h"
#include "analyzer/version.h"

namespace cvpn {

namespace {

void NullableMember(JsonWriter& w, std::string_view key, const std::optional<std::string>& s) {
  w.Key(key);
  if (s) {
    w.String(*s);
  } else {
    w.Null();
  }
}

/// Where each rule's last check object was written: pairs of one endpoint and target share the
/// results of checks that read neither port nor group, which are then written once and copied.
struct WrittenCheck {
  const CheckResult* check = nullptr;
  size_t begin = 0;
  size_t end = 0;
};

void WritePair(JsonWriter& w, const Graph& graph, const PairResult& r,
               std::vector<WrittenCheck>& written) {
  w.BeginObject();
  w.Member("endpoint", graph.endpoints[static_cast<size_t>(r.pair.endpoint)].origin.address);
  w.Member("target", graph.targets[static_cast<size_t>(r.pair.target)].origin.address);
  NullableMember(w, "port", PortText(r.pair));
  NullableMember(w, "group", r.pair.group);
  w.Member("verdict", VerdictName(r.verdict));
  w.Key("checks");
  w.BeginArray();
  if (written.size() < r.checks.size()) {
    written.resize(r.checks.size());
  }
  for (size_t i = 0; i < r.checks.size(); ++i) {
    const CheckResult& c = r.checks[i];
    WrittenCheck& last = written[i];
    if (last.check == &c) {
      w.Copy(last.begin, last.end);
      continue;
    }
    w.BeginObject();
    last.begin = w.Position() - 1;
    w.Member("rule", c.rule);
    w.Member("status", StatusName(c.status));
    w.Member("message", c.message);
    w.EndObject();
    last.check = &c;
    last.end = w.Position();
  }
  w.EndArray();
  if (!r.pair.port) {
    w.Key("reachable_ports");
    w.BeginArray();
    for (const PortSpec& s : r.reachable_ports) {
      w.String(s.ToString());
    }
    w.EndArray();
  }
  w.EndObject();
}

void WriteFinding(JsonWriter& w, const Finding& f) {
  w.BeginObject();
  w.Member("rule", f.rule);
  w.Member("level", f.level == Level::kError ? "error" : "warning");
  w.Member("message", f.message);
  w.Member("endpoint", f.endpoint);
  w.Member("target", f.target);
  if (f.resource) {
    w.Member("resource", f.resource->address);
  } else {
    w.NullMember("resource");
  }
  w.Key("location");
  if (f.resource && f.resource->line > 0) {
    w.BeginObject();
    w.Member("file", f.resource->file);
    w.Key("line");
    w.Number(f.resource->line);
    w.Key("column");
    w.Number(f.resource->column > 0 ? f.resource->column : 1);
    w.EndObject();
  } else {
    w.Null();
  }
  if (f.fix.empty()) {
    w.NullMember("fix");
  } else {
    w.Member("fix", f.fix);
  }
  w.EndObject();
}

/// About the size of the report, so that the output grows once (a report of 100,000 pairs is
/// hundreds of megabytes: growing by doubling would hold twice that).
size_t EstimatedSize(const Report& report) {
  size_t size = 4096;
  for (const PairResult& r : report.results) {
    size += 400;
    for (const CheckResult& c : r.checks) {
      size += 100 + c.message.size() + c.message.size() / 16;
    }
  }
  for (const Finding& f : report.findings) {
    const size_t text = f.message.size() + f.fix.size() + f.endpoint.size() + f.target.size();
    size += 400 + text + text / 16;
  }
  return size;
}

}  // namespace

std::string RenderJson(const Graph& graph, const Report& report) {
  std::string out;
  out.reserve(EstimatedSize(report));
  JsonWriter w(out);
  w.BeginObject();
  w.Key("tool");
  w.BeginObject();
  w.Member("name", "cvpn-lint");
  w.Member("version", kVersion);
  w.EndObject();
  w.Key("inputs");
  w.BeginArray();
  for (const std::string& input : report.inputs) {
    w.String(input);
  }
  w.EndArray();
  w.Key("pairs");
  w.BeginArray();
  std::vector<WrittenCheck> written;
  for (const PairResult& r : report.results) {
    WritePair(w, graph, r, written);
  }
  w.EndArray();
  w.Key("findings");
  w.BeginArray();
  for (const Finding& f : report.findings) {
    WriteFinding(w, f);
  }
  w.EndArray();
  w.Key("summary");
  w.BeginObject();
  w.Key("pairs");
  w.Number(uint64_t{report.results.size()});
  w.Key("reachable");
  w.Number(uint64_t{report.reachable});
  w.Key("blocked");
  w.Number(uint64_t{report.blocked});
  w.Key("unknown");
  w.Number(uint64_t{report.unknown});
  w.EndObject();
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace cvpn
