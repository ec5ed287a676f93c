// SPDX-License-Identifier: Apache-2.0
#include "tests/bench/simdjson_floor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <simdjson.h>

namespace cvpn::bench {
namespace {

long CountResources(simdjson::dom::element doc) {
  simdjson::dom::array changes;
  if (doc["resource_changes"].get(changes) == simdjson::SUCCESS) {
    return static_cast<long>(changes.size());
  }
  simdjson::dom::array planned;
  if (doc.at_pointer("/planned_values/root_module/resources").get(planned) == simdjson::SUCCESS) {
    return static_cast<long>(planned.size());
  }
  return -1;
}

}  // namespace

Floor MeasureFloor(const std::string& path, int runs) {
  Floor floor;
  for (int i = 0; i < std::max(runs, 1); ++i) {
    const auto start = std::chrono::steady_clock::now();
    simdjson::padded_string json;
    if (simdjson::padded_string::load(path).get(json) != simdjson::SUCCESS) {
      throw std::runtime_error("cannot read " + path);
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (const auto error = parser.parse(json).get(doc); error != simdjson::SUCCESS) {
      throw std::runtime_error(path + ": " + simdjson::error_message(error));
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    floor.best_ms = i == 0 ? ms : std::min(floor.best_ms, ms);
    floor.resources = CountResources(doc);
  }
  return floor;
}

std::string SimdjsonDescription() {
  const auto& active = simdjson::get_active_implementation();
  return std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
         std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
         std::to_string(simdjson::SIMDJSON_VERSION_REVISION) + ", implementation " +
         active->name() + " (" + active->description() +
         "); DOM parse of the file, read included, once per process as cvpn-lint parses it, timed "
         "in-process; best of the runs, which alternate with cvpn-lint's";
}

int ParseOnlyMain(const std::string& path, int runs) {
  try {
    const Floor floor = MeasureFloor(path, runs);
    std::printf("%.6f %ld\n", floor.best_ms, floor.resources);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cvpn-bench --parse-only: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace cvpn::bench
