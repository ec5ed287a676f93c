// SPDX-License-Identifier: Apache-2.0
#include "analyzer/status.h"

namespace cvpn {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace cvpn
