// SPDX-License-Identifier: Apache-2.0
// The real-world plans in ../shared/corpus load without error and give a report. Skipped where
// that folder is absent.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzer/cli.h"

namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() {
  if (const char* env = std::getenv("CVPN_CORPUS_DIR")) {  // NOLINT(concurrency-mt-unsafe)
    return env;
  }
  return fs::path(CVPN_SOURCE_DIR) / ".." / "shared" / "corpus";
}

bool IsTerraformJson(const fs::path& file) {
  std::ifstream in(file);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head.find("\"format_version\"") != std::string::npos ||
         head.find("\"planned_values\"") != std::string::npos;
}

}  // namespace

TEST_CASE("every Terraform plan in the corpus loads and reports", "[corpus]") {
  const fs::path dir = CorpusDir();
  if (!fs::is_directory(dir)) {
    WARN("corpus not found at " << dir << "; skipped");
    return;
  }
  std::vector<fs::path> plans;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        IsTerraformJson(entry.path())) {
      plans.push_back(entry.path());
    }
  }
  std::sort(plans.begin(), plans.end());
  CHECK(plans.size() >= 5);
  for (const fs::path& plan : plans) {
    DYNAMIC_SECTION(plan.filename().string()) {
      std::ostringstream out;
      std::ostringstream err;
      const int exit = cvpn::RunCli({"--format", "json", plan.string()}, out, err);
      INFO(plan << ": " << err.str());
      CHECK(exit != 2);
      const auto report = nlohmann::json::parse(out.str());
      CHECK(report["inputs"].size() == 1);
      std::ostringstream dump;
      CHECK(cvpn::RunCli({"--dump-graph", plan.string()}, dump, err) == 0);
    }
  }
}
