// SPDX-License-Identifier: Apache-2.0
// cvpn-bench: measures cvpn-lint end to end against simdjson's parse of the same plan and
// against cfn-lint on the same CloudFormation templates, and prints a Markdown table with the
// goals of issue 7 (goals.h). tests/bench/run.sh writes the inputs and the manifest.
//
//   cvpn-bench --cvpn-lint BIN [--cfn-lint BIN] [--runs N] [--work DIR] [--check] MANIFEST
//   cvpn-bench --parse-only FILE RUNS     (internal: the simdjson floor in a process of its own)
//
// MANIFEST: one case a line, `NAME GOAL REF FILE [CVPN-LINT ARG...]`, separated by tabs; lines
// starting with `#` are comments. GOAL is `none`, `base`, `scale`, `pairs`, `sources`, `check`
// (compared with simdjson or with the earlier case REF, see Judge) or `cfn`. FILE is the plan
// simdjson parses, the template cfn-lint reads, or (`sources`) the directory of .tf files; REF is
// `-` or the name of an earlier case.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/bench/child_process.h"
#include "tests/bench/goals.h"
#include "tests/bench/simdjson_floor.h"

namespace cvpn::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string cvpn_lint;
  std::string cfn_lint;
  std::string manifest;
  std::string work = fs::temp_directory_path().string();
  int runs = 5;
  bool check = false;
};

struct Case {
  std::string name;
  std::string goal;
  std::string ref;
  std::string file;
  std::vector<std::string> args;
};

struct Result {
  double megabytes = 0;  // the input's size
  long resources = -1;
  long pairs = -1;
  double floor_ms = -1;  // simdjson, in-process
  double floor_mb = -1;  // simdjson's peak memory, in a process of its own
  double lint_ms = 0;    // best of the runs
  double lint_mb = 0;    // peak over the runs
  double cfn_ms = -1;    // cfn-lint, best of the runs
  std::string error;     // why a tool failed, if it did
};

struct Verdict {
  std::string goal;      // what is asked, for the table
  std::string measured;  // the measured quantity, where no column shows it
  int met = -1;          // 1 met, 0 not met, -1 no goal
};

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "cvpn-bench: " << message << "\n";
  std::exit(2);  // NOLINT(concurrency-mt-unsafe): single-threaded
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) {
    fields.push_back(field);
  }
  return fields;
}

std::vector<Case> ReadManifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    Fail("cannot read " + path);
  }
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 4) {
      Fail(path + ": a case needs NAME GOAL REF FILE, separated by tabs: " + line);
    }
    cases.push_back({fields[0], fields[1], fields[2], fields[3],
                     std::vector<std::string>(fields.begin() + 4, fields.end())});
  }
  return cases;
}

/// FILE of a `cfn` case: one or more templates, separated by commas.
std::vector<std::string> SplitCommas(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    out.push_back(item);
  }
  return out;
}

/// The size of the files (or of the files under the directories) in megabytes.
double SizeMegabytes(const std::vector<std::string>& paths) {
  std::uintmax_t bytes = 0;
  for (const std::string& path : paths) {
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        bytes += entry.is_regular_file() ? entry.file_size() : 0;
      }
    } else {
      bytes += fs::file_size(path);
    }
  }
  return static_cast<double>(bytes) / 1e6;
}

/// Megabytes (10^6 bytes, as file sizes are given) of a peak resident size, which wait4 gives in
/// KiB.
double MegabytesOfRss(long kib) {
  return static_cast<double>(kib) * 1024.0 / 1e6;
}

/// cvpn-lint's statuses when it ran: 0, or 1 for findings.
bool LintRan(int status) {
  return status == 0 || status == 1;
}

/// cfn-lint's statuses when it ran: 0, or an OR of 2 (errors), 4 (warnings), 8 (informational).
bool CfnLintRan(int status) {
  return status >= 0 && status < 16 && status % 2 == 0;
}

/// Runs `argv` up to `runs` times (fewer when one run is long): the best wall time, the highest
/// peak memory. A run whose status `ran` rejects is returned at once, its standard error shown.
ChildRun Best(const std::vector<std::string>& argv,
              int runs,
              const std::string& err_path,
              bool (*ran)(int),
              bool capture_stdout = false) {
  ChildRun best;
  for (int i = 0; i < runs; ++i) {
    ChildRun run = RunChild(argv, capture_stdout, err_path);
    if (!ran(run.status)) {
      std::ifstream err(err_path);
      std::cerr << argv[0] << " exited with status " << run.status << ":\n" << err.rdbuf();
      return run;
    }
    const long peak = std::max(run.max_rss_kb, best.max_rss_kb);
    if (i == 0 || run.wall_ms < best.wall_ms) {
      best = run;
    }
    best.max_rss_kb = peak;
    if (best.wall_ms > 10000 || (best.wall_ms > 2000 && i >= 1)) {
      break;
    }
  }
  return best;
}

/// The pair count from the summary line of a text report ("1600 pairs: ...").
long PairsOf(const std::string& report_path) {
  std::ifstream in(report_path);
  static const std::regex kSummary(R"(^(\d+) pairs?:)");
  long pairs = -1;
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, m, kSummary)) {
      pairs = std::stol(m[1]);
    }
  }
  return pairs;
}

/// One measurement of the simdjson floor, in a process of its own: its time and peak memory are
/// folded into `r` (best time, highest peak).
void MeasureFloorOnce(const Case& c, const Options& o, Result& r, bool first) {
  const ChildRun run = Best(
      {"/proc/self/exe", "--parse-only", c.file, "1"}, 1, o.work + "/parse.err",
      [](int status) { return status == 0; }, true);
  if (run.status != 0) {
    Fail("simdjson cannot parse " + c.file);
  }
  std::istringstream out(run.out);
  double ms = 0;
  out >> ms >> r.resources;
  r.floor_ms = first ? ms : std::min(r.floor_ms, ms);
  r.floor_mb = std::max(r.floor_mb, MegabytesOfRss(run.max_rss_kb));
}

Result Measure(const Case& c, const Options& o) {
  Result r;
  const std::vector<std::string> files =
      c.goal == "cfn" ? SplitCommas(c.file) : std::vector<std::string>{c.file};
  r.megabytes = SizeMegabytes(files);
  const std::string report = o.work + "/report.txt";
  fs::remove(report);  // no pair count from an earlier case's report
  std::vector<std::string> argv{o.cvpn_lint, "--output", report};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  if (c.goal == "cfn") {
    if (!o.cfn_lint.empty()) {
      std::vector<std::string> cfn{o.cfn_lint};
      cfn.insert(cfn.end(), files.begin(), files.end());
      const ChildRun run = Best(cfn, std::min(o.runs, 3), o.work + "/cfn.err", CfnLintRan);
      r.cfn_ms = run.wall_ms;
      r.error = CfnLintRan(run.status) ? "" : "cfn-lint exit " + std::to_string(run.status);
    }
  }
  // The floor and cvpn-lint take turns, run by run, so that a slow spell of a shared machine
  // falls on both alike rather than on one side of the ratio.
  const bool floor = c.goal != "cfn" && c.goal != "sources";
  ChildRun lint;
  for (int i = 0; i < o.runs; ++i) {
    if (floor) {
      MeasureFloorOnce(c, o, r, i == 0);
    }
    const ChildRun run = Best(argv, 1, o.work + "/cvpn-lint.err", LintRan);
    if (!LintRan(run.status)) {
      lint = run;
      break;
    }
    const long peak = std::max(run.max_rss_kb, lint.max_rss_kb);
    if (i == 0 || run.wall_ms < lint.wall_ms) {
      lint = run;
    }
    lint.max_rss_kb = peak;
    if (lint.wall_ms > 10000 || (lint.wall_ms > 2000 && i >= 1)) {
      break;  // long runs are repeated less
    }
  }
  if (!LintRan(lint.status)) {
    r.error = "cvpn-lint exit " + std::to_string(lint.status);
  }
  r.lint_ms = lint.wall_ms;
  r.lint_mb = MegabytesOfRss(lint.max_rss_kb);
  r.pairs = PairsOf(report);
  return r;
}

std::string Fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string Ms(double ms) {
  return ms < 0 ? "-" : Fixed(ms, ms < 100 ? 1 : 0);
}

std::string Times(double ratio) {
  return Fixed(ratio, ratio < 10 ? 2 : 1) + "x";
}

int Met(bool ok) {
  return ok ? 1 : 0;
}

/// The goal of a case and whether it is met; `ref` is the result of the case's REF.
Verdict JudgeGoal(const Case& c, const Result& r, const Result* ref) {
  const double time_ratio = r.floor_ms > 0 ? r.lint_ms / r.floor_ms : -1;
  const double memory_ratio = r.lint_mb / r.megabytes;
  if (c.goal == "base") {
    return {"≤ " + Times(kGoalTimeRatio) + " simdjson, memory ≤ " + Times(kGoalMemoryRatio), "",
            Met(time_ratio <= kGoalTimeRatio && memory_ratio <= kGoalMemoryRatio)};
  }
  if (c.goal == "check") {
    return {"CI check: ≤ " + Times(kCheckMaxTimeRatio) + " simdjson, memory ≤ " +
                Times(kCheckMaxMemoryRatio),
            "", Met(time_ratio <= kCheckMaxTimeRatio && memory_ratio <= kCheckMaxMemoryRatio)};
  }
  if (c.goal == "cfn") {
    const double speedup = r.cfn_ms / r.lint_ms;
    return {"≥ " + Times(kGoalCfnSpeedup) + " faster than cfn-lint", Times(speedup),
            r.cfn_ms < 0 ? -1 : Met(speedup >= kGoalCfnSpeedup)};
  }
  if (ref == nullptr) {
    return {"-", "", -1};
  }
  const double growth = r.lint_ms / ref->lint_ms;
  if (c.goal == "scale") {
    return {"time ≤ " + Times(kGoalScaleRatio) + " of " + c.ref, Times(growth),
            Met(growth <= kGoalScaleRatio)};
  }
  if (c.goal == "pairs") {
    const double beyond = r.lint_ms - ref->lint_ms;
    return {"< " + Ms(kGoalPairsMs) + " ms beyond " + c.ref, Ms(beyond) + " ms",
            Met(beyond < kGoalPairsMs)};
  }
  if (c.goal == "sources") {
    return {"time ≤ " + Times(kGoalSourcesRatio) + " of " + c.ref, Times(growth),
            Met(growth <= kGoalSourcesRatio)};
  }
  return {"-", "", -1};
}

/// JudgeGoal, where a tool that failed fails the goal.
Verdict Judge(const Case& c, const Result& r, const Result* ref) {
  Verdict v = JudgeGoal(c, r, ref);
  if (!r.error.empty()) {
    v.measured = r.error;
    v.met = 0;
  }
  return v;
}

std::string MetText(const Verdict& v) {
  const std::string word = v.met < 0 ? "-" : v.met == 1 ? "met" : "**not met**";
  return v.measured.empty() ? word : word + " (" + v.measured + ")";
}

/// A row of the plans' table. Sources (no JSON) have no simdjson columns and no memory ratio.
void PrintPlanRow(const Case& c, const Result& r, const Verdict& v) {
  const bool floor = r.floor_ms > 0;
  std::cout << "| " << c.name << " | " << Fixed(r.megabytes, r.megabytes < 1 ? 3 : 1) << " | "
            << (r.resources < 0 ? "-" : std::to_string(r.resources)) << " | "
            << (r.pairs < 0 ? "-" : std::to_string(r.pairs)) << " | " << Ms(r.floor_ms) << " | "
            << Ms(r.lint_ms) << " | " << (floor ? Times(r.lint_ms / r.floor_ms) : "-") << " | "
            << v.goal << " | " << Fixed(r.lint_mb, 1) << " | "
            << (floor ? Fixed(r.floor_mb, 1) : "-") << " | "
            << (floor ? Times(r.lint_mb / r.megabytes) : "-") << " | " << MetText(v) << " |\n";
}

void PrintCfnRow(const Case& c, const Result& r, const Verdict& v) {
  std::cout << "| " << c.name << " | " << Fixed(r.megabytes * 1000, 1) << " | " << Ms(r.cfn_ms)
            << " | " << Ms(r.lint_ms) << " | " << v.goal << " | " << MetText(v) << " |\n";
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--check") {
      o.check = true;
    } else if (a == "--cvpn-lint" && has_value) {
      o.cvpn_lint = args[++i];
    } else if (a == "--cfn-lint" && has_value) {
      o.cfn_lint = args[++i];
    } else if (a == "--runs" && has_value) {
      o.runs = std::max(1, std::atoi(args[++i].c_str()));
    } else if (a == "--work" && has_value) {
      o.work = args[++i];
    } else if (o.manifest.empty() && a[0] != '-') {
      o.manifest = a;
    } else {
      Fail("unknown argument " + a + " (see the comment at the top of tests/bench/cvpn_bench.cpp)");
    }
  }
  if (o.cvpn_lint.empty() || o.manifest.empty()) {
    Fail(
        "usage: cvpn-bench --cvpn-lint BIN [--cfn-lint BIN] [--runs N] [--work DIR] [--check] "
        "MANIFEST");
  }
  return o;
}

const char* kPlanHeader =
    "| case | file MB | resources | pairs | simdjson ms | cvpn-lint ms | ratio | goal | peak MB "
    "| simdjson MB | memory ratio | met |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |\n";
const char* kCfnHeader =
    "| template | KB | cfn-lint ms | cvpn-lint ms | goal | met |\n"
    "| --- | ---: | ---: | ---: | --- | --- |\n";

int Run(const Options& o) {
  const std::vector<Case> cases = ReadManifest(o.manifest);
  std::cout << "simdjson: " << SimdjsonDescription() << "\n\n";
  std::map<std::string, Result> done;
  int not_met = 0;
  int judged = 0;
  bool plan_header = false;
  bool cfn_header = false;
  for (const Case& c : cases) {
    const auto ref = done.find(c.ref);
    if (c.ref != "-" && ref == done.end()) {
      Fail("case " + c.name + ": REF " + c.ref + " is not an earlier case");
    }
    Result r = Measure(c, o);
    if (c.goal == "sources" && ref != done.end()) {
      r.resources = ref->second.resources;  // what the sources expand to: REF's plan
    }
    const Verdict v = Judge(c, r, ref == done.end() ? nullptr : &ref->second);
    const bool cfn = c.goal == "cfn";
    bool& header = cfn ? cfn_header : plan_header;
    if (!header) {
      std::cout << (plan_header || cfn_header ? "\n" : "") << (cfn ? kCfnHeader : kPlanHeader);
      header = true;
    }
    (cfn ? PrintCfnRow : PrintPlanRow)(c, r, v);
    std::cout.flush();
    judged += v.met >= 0 ? 1 : 0;
    not_met += v.met == 0 ? 1 : 0;
    if (o.check && c.goal == "check" && v.met == 0) {
      std::cerr << "cvpn-bench --check: " << c.name << " exceeds the regression thresholds of "
                << "tests/bench/goals.h\n";
      return 1;
    }
    done[c.name] = r;
  }
  std::cout << "\ngoals met: " << judged - not_met << " of " << judged << "\n";
  return 0;
}

}  // namespace
}  // namespace cvpn::bench

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--parse-only") {
    return cvpn::bench::ParseOnlyMain(argv[2], std::max(1, std::atoi(argv[3])));
  }
  try {
    return cvpn::bench::Run(cvpn::bench::ParseOptions(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "cvpn-bench: " << e.what() << "\n";
    return 2;
  }
}
