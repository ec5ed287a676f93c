// SPDX-License-Identifier: Apache-2.0
#include "analyzer/diagnostic.h"

#include <fmt/format.h>

namespace cvpn {

std::string InputError::Render() const {
  if (line > 0) {
    return fmt::format("{}:{}:{}: error: {}", file, line, column > 0 ? column : 1, message);
  }
  return fmt::format("{}: error: {}", file, message);
}

}  // namespace cvpn
