// SPDX-License-Identifier: Apache-2.0
#include "parsers/plan_model.h"

#include <algorithm>

#include <fmt/format.h>

namespace cvpn::parsers {

namespace {

constexpr int kMaxDepth = 24;

const Json* Child(const Json* node, std::string_view key) {
  if (node == nullptr || !node->is_object()) {
    return nullptr;
  }
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

const Json* Element(const Json* node, int index) {
  if (node == nullptr || !node->is_array() || index < 0 ||
      static_cast<size_t>(index) >= node->size()) {
    return nullptr;
  }
  return &(*node)[static_cast<size_t>(index)];
}

bool IsExpression(const Json& node) {
  return node.is_object() && (node.contains("references") || node.contains("constant_value"));
}

/// Orders instance keys: count indices numerically, for_each keys as strings, numbers first.
bool KeyLess(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    return a.get<int64_t>() < b.get<int64_t>();
  }
  if (a.is_string() && b.is_string()) {
    return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  }
  return a.is_number_integer() && !b.is_number_integer();
}

Json ParseIndexStep(std::string_view step) {
  // step is "[0]" or "[\"key\"]"
  if (step.size() < 2 || step.front() != '[' || step.back() != ']') {
    return nullptr;
  }
  std::string_view inner = step.substr(1, step.size() - 2);
  if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
    return std::string(inner.substr(1, inner.size() - 2));
  }
  if (inner.empty() || inner.size() > 9 ||
      !std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return nullptr;
  }
  return std::stoll(std::string(inner));
}

/// The last instance key of a module instance address, or null.
Json LastModuleKey(std::string_view module_address) {
  if (module_address.empty() || module_address.back() != ']') {
    return nullptr;
  }
  const auto steps = SplitReference(module_address);
  return steps.empty() ? Json(nullptr) : ParseIndexStep(steps.back());
}

/// The parent of a module instance address: module.a[0].module.b -> module.a[0].
std::string ParentModule(std::string_view module_address) {
  const auto pos = module_address.rfind(".module.");
  if (pos == std::string_view::npos) {
    return {};
  }
  return std::string(module_address.substr(0, pos));
}

std::string ResourceKey(std::string_view module_address, std::string_view resource) {
  return fmt::format("{}|{}", module_address, resource);
}

}  // namespace

std::vector<std::string> SplitReference(std::string_view reference) {
  std::vector<std::string> steps;
  size_t i = 0;
  std::string current;
  while (i < reference.size()) {
    const char c = reference[i];
    if (c == '.') {
      if (!current.empty()) {
        steps.push_back(std::move(current));
        current.clear();
      }
      ++i;
    } else if (c == '[') {
      if (!current.empty()) {
        steps.push_back(std::move(current));
        current.clear();
      }
      size_t j = i + 1;
      bool quoted = false;
      while (j < reference.size()) {
        if (reference[j] == '"') {
          quoted = !quoted;
        } else if (reference[j] == '\\' && quoted) {
          ++j;
        } else if (reference[j] == ']' && !quoted) {
          break;
        }
        ++j;
      }
      const size_t end = std::min(j + 1, reference.size());
      steps.emplace_back(reference.substr(i, end - i));
      i = end;
    } else {
      current.push_back(c);
      ++i;
    }
  }
  if (!current.empty()) {
    steps.push_back(std::move(current));
  }
  return steps;
}

std::string ConfigPathOf(std::string_view module_address) {
  std::string out;
  out.reserve(module_address.size());
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < module_address.size(); ++i) {
    const char c = module_address[i];
    if (depth > 0) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted) {
        ++i;
      } else if (c == ']' && !quoted) {
        --depth;
      }
      continue;
    }
    if (c == '[') {
      ++depth;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

PlanModel::PlanModel(const Json& document, std::string file, InputErrors& errors)
    : file_(std::move(file)), errors_(errors) {
  const Json* planned = Child(Child(&document, "planned_values"), "root_module");
  const Json* state_values = Child(Child(&document, "values"), "root_module");
  const Json* prior = Child(Child(Child(&document, "prior_state"), "values"), "root_module");
  if (planned != nullptr) {
    CollectModule(*planned, false);
  }
  if (state_values != nullptr) {
    CollectModule(*state_values, false);
  }
  if (prior != nullptr) {
    CollectModule(*prior, true);
  }
  // The document's order of resources and modules must not matter: work in address order.
  std::sort(instances_.begin(), instances_.end(),
            [](const PlanInstance& a, const PlanInstance& b) { return a.address < b.address; });
  std::sort(module_instances_.begin(), module_instances_.end());
  by_address_.clear();
  for (int i = 0; i < static_cast<int>(instances_.size()); ++i) {
    by_address_.emplace(instances_[static_cast<size_t>(i)].address, i);
  }
  // Unknown-after-apply markers, by address.
  if (const Json* changes = Child(&document, "resource_changes");
      changes != nullptr && changes->is_array()) {
    for (const Json& change : *changes) {
      const Json* address = Child(&change, "address");
      const Json* after_unknown = Child(Child(&change, "change"), "after_unknown");
      if (address == nullptr || !address->is_string() || after_unknown == nullptr) {
        continue;
      }
      auto it = by_address_.find(address->get_ref<const std::string&>());
      if (it != by_address_.end() && !instances_[static_cast<size_t>(it->second)].data) {
        instances_[static_cast<size_t>(it->second)].after_unknown = after_unknown;
      }
    }
  }
  if (const Json* config = Child(Child(&document, "configuration"), "root_module")) {
    IndexConfiguration(*config, "");
  }
  LinkConfiguration();
}

void PlanModel::CollectModule(const Json& root, bool from_prior_state) {
  // Iterative walk over nested child_modules.
  std::vector<const Json*> stack{&root};
  while (!stack.empty()) {
    const Json* module = stack.back();
    stack.pop_back();
    if (!module->is_object()) {
      errors_.push_back({file_, 0, 0, "a module in the plan's values is not a JSON object"});
      continue;
    }
    std::string module_address;
    if (const Json* a = Child(module, "address"); a != nullptr && a->is_string()) {
      module_address = a->get<std::string>();
    }
    if (!module_address.empty() &&
        std::find(module_instances_.begin(), module_instances_.end(), module_address) ==
            module_instances_.end()) {
      module_instances_.push_back(module_address);
    }
    if (const Json* resources = Child(module, "resources"); resources && !resources->is_null()) {
      if (!resources->is_array()) {
        errors_.push_back({file_, 0, 0,
                           fmt::format("`resources` of module `{}` is not a list",
                                       module_address.empty() ? "root" : module_address)});
      } else {
        for (const Json& r : *resources) {
          const Json* address = Child(&r, "address");
          const Json* type = Child(&r, "type");
          const Json* name = Child(&r, "name");
          if (address == nullptr || !address->is_string() || type == nullptr ||
              !type->is_string() || name == nullptr || !name->is_string()) {
            errors_.push_back(
                {file_, 0, 0,
                 fmt::format("a resource in module `{}` lacks a string address, type or name",
                             module_address.empty() ? "root" : module_address)});
            continue;
          }
          const std::string& addr = address->get_ref<const std::string&>();
          if (by_address_.count(addr) != 0) {
            continue;  // planned values win over prior state
          }
          const Json* mode = Child(&r, "mode");
          const bool data = mode != nullptr && mode->is_string() && *mode == "data";
          if (from_prior_state && !data) {
            // Managed resources of the prior state that are not planned are being destroyed.
            continue;
          }
          static const Json kEmptyObject = Json::object();
          const Json* values = Child(&r, "values");
          if (values != nullptr && !values->is_object()) {
            errors_.push_back(
                {file_, 0, 0, fmt::format("`values` of `{}` is not a JSON object", addr)});
            values = nullptr;
          }
          PlanInstance instance;
          instance.address = addr;
          instance.module_address = module_address;
          instance.type = type->get<std::string>();
          instance.name = name->get<std::string>();
          instance.data = data;
          if (const Json* index = Child(&r, "index")) {
            instance.index = *index;
          }
          instance.values = values != nullptr ? values : &kEmptyObject;
          if (const Json* source = Child(&r, "cvpn_source"); source && source->is_object()) {
            const Json* f = Child(source, "file");
            const Json* l = Child(source, "line");
            const Json* c = Child(source, "column");
            if (f && f->is_string() && l && l->is_number_integer() && c &&
                c->is_number_integer()) {
              instance.source_file = f->get<std::string>();
              instance.source_line = static_cast<int>(l->get<int64_t>());
              instance.source_column = static_cast<int>(c->get<int64_t>());
            }
          }
          if (const Json* reasons = Child(&r, "cvpn_unknown"); reasons && reasons->is_object()) {
            for (const auto& [k, v] : reasons->items()) {
              if (v.is_string()) {
                instance.unknown_reasons.emplace(k, v.get<std::string>());
              }
            }
          }
          by_address_.emplace(addr, static_cast<int>(instances_.size()));
          instances_.push_back(std::move(instance));
        }
      }
    }
    if (const Json* children = Child(module, "child_modules")) {
      if (children->is_array()) {
        for (auto it = children->rbegin(); it != children->rend(); ++it) {
          stack.push_back(&*it);
        }
      } else {
        errors_.push_back({file_, 0, 0, "`child_modules` is not a list"});
      }
    }
  }
}

void PlanModel::IndexConfiguration(const Json& root, const std::string& root_path) {
  std::vector<std::pair<const Json*, std::string>> stack{{&root, root_path}};
  while (!stack.empty()) {
    auto [module, path] = stack.back();
    stack.pop_back();
    if (const Json* resources = Child(module, "resources"); resources && resources->is_array()) {
      for (const Json& r : *resources) {
        const Json* address = Child(&r, "address");
        if (address != nullptr && address->is_string()) {
          config_resources_.emplace(ResourceKey(path, address->get<std::string>()), &r);
        }
      }
    }
    if (const Json* calls = Child(module, "module_calls"); calls && calls->is_object()) {
      for (const auto& [name, call] : calls->items()) {
        const std::string child_path =
            path.empty() ? "module." + name : path + ".module." + name;
        module_calls_.emplace(child_path, &call);
        if (const Json* child = Child(&call, "module"); child && child->is_object()) {
          stack.emplace_back(child, child_path);
        }
      }
    }
  }
}

void PlanModel::LinkConfiguration() {
  for (int i = 0; i < static_cast<int>(instances_.size()); ++i) {
    PlanInstance& inst = instances_[static_cast<size_t>(i)];
    const std::string resource = (inst.data ? "data." : "") + inst.type + "." + inst.name;
    auto it = config_resources_.find(ResourceKey(ConfigPathOf(inst.module_address), resource));
    if (it != config_resources_.end()) {
      inst.config = it->second;
    }
    by_resource_[ResourceKey(inst.module_address, resource)].push_back(i);
    for (const char* key : {"id", "arn"}) {
      if (const Json* id = Child(inst.values, key); id != nullptr && id->is_string()) {
        by_id_.emplace(id->get<std::string>(), i);
      }
    }
  }
  for (auto& [key, list] : by_resource_) {
    std::stable_sort(list.begin(), list.end(), [this](int a, int b) {
      return KeyLess(instances_[static_cast<size_t>(a)].index,
                     instances_[static_cast<size_t>(b)].index);
    });
  }
}

int PlanModel::FindById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

AttributeValue PlanModel::Attribute(int instance, const AttributePath& path) const {
  const PlanInstance& inst = Instance(instance);
  AttributeValue out;
  const Json* value = inst.values;
  const Json* unknown = inst.after_unknown;
  bool unknown_here = false;
  for (const PathStep& step : path) {
    if (step.key.empty()) {
      value = Element(value, step.index);
      unknown = Element(unknown, step.index);
    } else {
      value = Child(value, step.key);
      unknown = Child(unknown, step.key);
    }
    if (unknown != nullptr && unknown->is_boolean() && unknown->get<bool>()) {
      unknown_here = true;
      break;
    }
  }
  const bool has_value = !unknown_here && value != nullptr && !value->is_null();
  // A reason the document gives for this attribute, preferred to a generic one.
  const auto given = path.empty() ? inst.unknown_reasons.end()
                                  : inst.unknown_reasons.find(path.front().key);
  const bool has_reason = given != inst.unknown_reasons.end();
  bool partly_unknown = false;
  if (has_value && unknown != nullptr && unknown->is_array()) {
    partly_unknown = std::any_of(unknown->begin(), unknown->end(), [](const Json& u) {
      return u.is_boolean() ? u.get<bool>() : !u.empty();
    });
  }
  if (has_value) {
    out.known = value;
    if (!partly_unknown) {
      return out;
    }
  }
  // Follow the configuration expression.
  const Json* expression = inst.config != nullptr ? Child(inst.config, "expressions") : nullptr;
  for (const PathStep& step : path) {
    if (expression == nullptr) {
      break;
    }
    if (IsExpression(*expression)) {
      break;  // the whole attribute is one expression: use its references
    }
    expression = step.key.empty() ? Element(expression, step.index) : Child(expression, step.key);
  }
  if (expression == nullptr || !IsExpression(*expression)) {
    if (unknown_here || partly_unknown) {
      out.unknown = has_reason ? given->second : fmt::format("`{}.{}` is known only after apply and the plan's configuration "
                                "has no reference for it",
                                inst.address, path.empty() ? "" : path.front().key);
    }
    return out;
  }
  Context context;
  context.module_address = inst.module_address;
  context.key = inst.index;
  context.for_each = Child(inst.config, "for_each_expression");
  std::string why;
  out.targets = ResolveExpression(*expression, context, 0, why);
  if (out.targets.empty() && (unknown_here || partly_unknown || !has_value)) {
    const Json* constant = Child(expression, "constant_value");
    if (constant != nullptr && !constant->is_null() && !has_value) {
      out.known = constant;
      return out;
    }
    if (why.empty()) {
      // Say what the value depends on: a person can then tell why the plan could not know it.
      std::string inputs;
      if (const Json* refs = Child(expression, "references"); refs && refs->is_array()) {
        for (const Json& r : *refs) {
          if (!r.is_string()) {
            continue;
          }
          const std::string& text = r.get_ref<const std::string&>();
          const bool parent = inputs.find("`" + text + ".") != std::string::npos ||
                              inputs.find("`" + text + "[") != std::string::npos;
          if (!parent) {
            inputs += (inputs.empty() ? "" : ", ") + ("`" + text + "`");
          }
        }
      }
      why = fmt::format("`{}.{}` is known only after apply: {}", inst.address,
                        path.empty() ? "" : path.front().key,
                        inputs.empty() ? "the plan does not evaluate its expression"
                                       : "it is computed from " + inputs);
    }
    out.unknown = has_reason ? given->second : why;
  }
  return out;
}

std::vector<RefTarget> PlanModel::ResolveExpression(const Json& expression,
                                                    const Context& context, int depth,
                                                    std::string& unknown) const {
  std::vector<RefTarget> out;
  if (depth > kMaxDepth) {
    unknown = "references nest too deeply to follow";
    return out;
  }
  const Json* refs = Child(&expression, "references");
  if (refs == nullptr || !refs->is_array()) {
    return out;
  }
  std::vector<std::string> references;
  for (const Json& r : *refs) {
    if (r.is_string()) {
      references.push_back(r.get<std::string>());
    }
  }
  const bool pairs_by_key = std::any_of(references.begin(), references.end(), [](auto& r) {
    return r == "count.index" || r == "each.key" || r.rfind("each.value", 0) == 0;
  });
  std::vector<std::string> processed;
  for (const std::string& ref : references) {
    // Terraform lists `aws_vpc.v.id` and then its parent `aws_vpc.v`; keep the longest.
    const bool is_parent = std::any_of(processed.begin(), processed.end(), [&](auto& p) {
      return p.size() > ref.size() && p.compare(0, ref.size(), ref) == 0 &&
             (p[ref.size()] == '.' || p[ref.size()] == '[');
    });
    if (is_parent || ref == "count.index" || ref == "each.key") {
      continue;
    }
    processed.push_back(ref);
    std::vector<RefTarget> found;
    if (ref.rfind("each.value", 0) == 0) {
      if (context.for_each == nullptr) {
        unknown = "`each.value` is used outside a for_each";
        continue;
      }
      Context outer = context;
      outer.key = nullptr;
      found = ResolveExpression(*context.for_each, outer, depth + 1, unknown);
      const auto steps = SplitReference(ref);
      if (steps.size() > 2) {
        for (RefTarget& t : found) {
          t.attribute = steps[2];
        }
      }
    } else {
      found = ResolveReference(ref, references, context, depth, unknown);
    }
    if (pairs_by_key && !context.key.is_null() && found.size() > 1) {
      std::vector<RefTarget> matching;
      for (const RefTarget& t : found) {
        if (Instance(t.instance).index == context.key) {
          matching.push_back(t);
        }
      }
      if (matching.empty() && context.key.is_number_integer()) {
        const auto position = context.key.get<int64_t>();
        if (position >= 0 && static_cast<size_t>(position) < found.size()) {
          matching.push_back(found[static_cast<size_t>(position)]);
        }
      }
      if (matching.empty()) {
        unknown = fmt::format("cannot tell which instance of `{}` the key {} selects", ref,
                              context.key.dump());
        continue;
      }
      found = std::move(matching);
    }
    out.insert(out.end(), found.begin(), found.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<RefTarget> PlanModel::ResolveReference(const std::string& reference,
                                                   const std::vector<std::string>& /*siblings*/,
                                                   const Context& context, int depth,
                                                   std::string& unknown) const {
  std::vector<RefTarget> out;
  const auto steps = SplitReference(reference);
  if (steps.size() < 2) {
    return out;
  }
  const std::string& head = steps[0];
  if (head == "local") {
    unknown = fmt::format("`{}` is a local value, which the plan does not record", reference);
    return out;
  }
  if (head == "path" || head == "terraform" || head == "self" || head == "count" ||
      head == "each") {
    return out;
  }
  if (head == "var") {
    if (context.module_address.empty()) {
      unknown = fmt::format("`{}` is a root input variable holding an ID the plan cannot link",
                            reference);
      return out;
    }
    auto call = module_calls_.find(ConfigPathOf(context.module_address));
    const Json* expression =
        call == module_calls_.end() ? nullptr
                                    : Child(Child(call->second, "expressions"), steps[1]);
    if (expression == nullptr) {
      unknown = fmt::format("`{}` of module `{}` has no expression in the plan", reference,
                            context.module_address);
      return out;
    }
    Context parent;
    parent.module_address = ParentModule(context.module_address);
    parent.key = LastModuleKey(context.module_address);
    parent.for_each = Child(call->second, "for_each_expression");
    out = ResolveExpression(*expression, parent, depth + 1, unknown);
    if (steps.size() > 2) {
      const Json index = ParseIndexStep(steps[2]);
      if (index.is_number_integer()) {
        const auto position = index.get<int64_t>();
        std::vector<RefTarget> picked;
        if (position >= 0 && static_cast<size_t>(position) < out.size()) {
          picked.push_back(out[static_cast<size_t>(position)]);
        }
        out = std::move(picked);
      }
    }
    return out;
  }
  if (head == "module") {
    std::string child = context.module_address.empty()
                            ? "module." + steps[1]
                            : context.module_address + ".module." + steps[1];
    size_t next = 2;
    std::string key_filter;
    if (next < steps.size() && steps[next].front() == '[') {
      key_filter = steps[next];
      ++next;
    }
    if (next >= steps.size()) {
      unknown = fmt::format("`{}` names a whole module, not one of its outputs", reference);
      return out;
    }
    const std::string& output = steps[next];
    bool any = false;
    for (const std::string& instance : module_instances_) {
      const bool exact = instance == child + key_filter;
      const bool keyed = key_filter.empty() && instance.size() > child.size() &&
                         instance.compare(0, child.size(), child) == 0 &&
                         instance[child.size()] == '[' &&
                         instance.find(".module.", child.size()) == std::string::npos;
      if (exact || keyed) {
        any = true;
        auto found = ResolveModuleOutput(instance, output, depth + 1, unknown);
        out.insert(out.end(), found.begin(), found.end());
      }
    }
    if (!any) {
      // A module without resources has no instance entry; resolve through its configuration.
      auto found = ResolveModuleOutput(child + key_filter, output, depth + 1, unknown);
      out.insert(out.end(), found.begin(), found.end());
    }
    return out;
  }
  size_t next = 0;
  std::string resource;
  if (head == "data") {
    if (steps.size() < 3) {
      return out;
    }
    resource = "data." + steps[1] + "." + steps[2];
    next = 3;
  } else {
    resource = steps[0] + "." + steps[1];
    next = 2;
  }
  Json index = nullptr;
  if (next < steps.size() && steps[next].front() == '[') {
    index = ParseIndexStep(steps[next]);
    ++next;
  }
  const std::string attribute = next < steps.size() ? steps[next] : std::string();
  auto it = by_resource_.find(ResourceKey(context.module_address, resource));
  if (it == by_resource_.end()) {
    unknown = fmt::format("`{}` is not in the plan", reference);
    return out;
  }
  for (int i : it->second) {
    if (!index.is_null() && Instance(i).index != index) {
      continue;
    }
    out.push_back(RefTarget{i, attribute});
  }
  return out;
}

std::vector<RefTarget> PlanModel::ResolveModuleOutput(const std::string& child_module,
                                                      const std::string& output, int depth,
                                                      std::string& unknown) const {
  auto call = module_calls_.find(ConfigPathOf(child_module));
  const Json* expression =
      call == module_calls_.end()
          ? nullptr
          : Child(Child(Child(Child(call->second, "module"), "outputs"), output), "expression");
  if (expression == nullptr) {
    unknown = fmt::format("output `{}` of `{}` is not in the plan's configuration", output,
                          child_module);
    return {};
  }
  Context context;
  context.module_address = child_module;
  return ResolveExpression(*expression, context, depth + 1, unknown);
}

}  // namespace cvpn::parsers
