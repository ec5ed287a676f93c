// SPDX-License-Identifier: Apache-2.0
// Problems with an input that stop it from being analysed: the file, the position where known,
// and a message for a person. They make the tool exit with status 2.
#pragma once

#include <string>
#include <vector>

namespace cvpn {

/// An input that could not be read, parsed or understood.
struct InputError {
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based; 0 when unknown
  std::string message;

  /// `file:line:col: error: message`, or `file: error: message` without a position.
  std::string Render() const;
};

/// Errors collected while loading inputs, in the order they were found.
using InputErrors = std::vector<InputError>;

}  // namespace cvpn
