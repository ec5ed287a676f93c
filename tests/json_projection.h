// SPDX-License-Identifier: Apache-2.0
// What a selection should keep of a whole tree, computed from the tree itself: the oracle of the
// selection's tests and of the input fuzzer.
#pragma once

#include <string>

#include "parsers/json_selection.h"
#include "parsers/json_view.h"

namespace cvpn::testing {

/// The compact JSON text of the parts of `value` that `selection` keeps (a null selection keeps
/// all of it), members in order, keys quoted alike whatever their escapes were.
inline std::string Projection(parsers::JsonView value, const parsers::JsonSelection* selection) {
  const bool filter_members = selection != nullptr && !selection->members.empty();
  if (value.IsObject()) {
    std::string out = "{";
    for (auto [key, member] : value.ObjectMembers()) {
      const parsers::JsonSelection::Member* wanted = nullptr;
      if (filter_members) {
        for (const parsers::JsonSelection::Member& m : selection->members) {
          wanted = m.key == key ? &m : wanted;
        }
        if (wanted == nullptr) {
          continue;
        }
      }
      out += (out.size() > 1 ? "," : "") + parsers::JsonQuote(key) + ":" +
             Projection(member, wanted != nullptr ? wanted->value : nullptr);
    }
    return out + "}";
  }
  if (value.IsArray()) {
    const parsers::JsonSelection* elements = selection != nullptr ? selection->elements : nullptr;
    std::string out = "[";
    for (const parsers::JsonView element : value.Items()) {
      out += (out.size() > 1 ? "," : "") + Projection(element, elements);
    }
    return out + "]";
  }
  return value.Dump();
}

}  // namespace cvpn::testing
