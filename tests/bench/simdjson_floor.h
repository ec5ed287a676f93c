// SPDX-License-Identifier: Apache-2.0
// The floor of the benchmark: the time simdjson's DOM parser needs merely to read and parse a
// plan, with nothing built from it.
#pragma once

#include <string>

namespace cvpn::bench {

struct Floor {
  double best_ms = 0;   // padded_string::load + a fresh dom::parser's parse, best of the runs
  long resources = -1;  // entries of resource_changes (else planned_values' root module), or -1
};

/// Loads and parses `path` `runs` times with a fresh parser each time; throws on a parse error.
Floor MeasureFloor(const std::string& path, int runs);

/// simdjson's version and the implementation it chose for this CPU.
std::string SimdjsonDescription();

/// `cvpn-bench --parse-only FILE RUNS`: MeasureFloor in a process of its own, printing
/// "BEST_MS RESOURCES", so that the parent reads the peak memory of parsing from wait4.
int ParseOnlyMain(const std::string& path, int runs);

}  // namespace cvpn::bench
