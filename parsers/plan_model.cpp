// SPDX-License-Identifier: Apache-2.0
#include "parsers/plan_model.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "parsers/text_position.h"

namespace cvpn::parsers {

namespace {

constexpr int kMaxDepth = 24;

bool IsExpression(JsonView node) {
  return node.IsObject() && (node["references"] || node["constant_value"]);
}

/// The first problem of a resource's values that a plan written by Terraform never has: a key
/// given twice in one object, a string longer than `max_string_bytes`. Empty when none. Walks
/// simdjson's elements directly: every value of every resource passes through here.
std::string ValuesProblem(simdjson::dom::element value, size_t max_string_bytes) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: {
      const size_t size = value.get_string().value_unsafe().size();
      return size > max_string_bytes
                 ? fmt::format("holds a string of {} bytes; the limit is {} bytes", size,
                               max_string_bytes)
                 : std::string();
    }
    case simdjson::dom::element_type::ARRAY: {
      const simdjson::dom::array array = value.get_array().value_unsafe();
      for (const simdjson::dom::element element : array) {
        if (element.is_object() || element.is_array() || element.is_string()) {
          if (std::string problem = ValuesProblem(element, max_string_bytes); !problem.empty()) {
            return problem;
          }
        }
      }
      return {};
    }
    case simdjson::dom::element_type::OBJECT: {
      // Terraform writes keys in order, so a key given twice is next to its twin or out of
      // order: only objects not in order are sorted.
      const simdjson::dom::object object = value.get_object().value_unsafe();
      std::string_view previous;
      bool ordered = true;
      for (const simdjson::dom::key_value_pair member : object) {
        if (ordered) {
          const int order = previous.compare(member.key);
          if (order == 0 && !previous.data() == !member.key.data()) {
            return fmt::format("has the duplicate key `{}` (given twice in one object)",
                               member.key);
          }
          ordered = order < 0;
        }
        previous = member.key;
        if (member.value.is_object() || member.value.is_array() || member.value.is_string()) {
          if (std::string problem = ValuesProblem(member.value, max_string_bytes);
              !problem.empty()) {
            return problem;
          }
        }
      }
      if (!ordered) {
        std::vector<std::string_view> keys;
        for (const simdjson::dom::key_value_pair member : object) {
          keys.push_back(member.key);
        }
        std::sort(keys.begin(), keys.end());
        if (auto twice = std::adjacent_find(keys.begin(), keys.end()); twice != keys.end()) {
          return fmt::format("has the duplicate key `{}` (given twice in one object)", *twice);
        }
      }
      return {};
    }
    default:
      return {};
  }
}

/// Whether an after_unknown subtree marks anything unknown (a `true` anywhere in it). Its depth
/// is bounded by the parser's nesting limit.
bool MarksUnknown(JsonView marks) {
  if (marks.IsBool()) {
    return marks.Bool();
  }
  for (const JsonView e : marks.Items()) {
    if (MarksUnknown(e)) {
      return true;
    }
  }
  for (auto [key, value] : marks.ObjectMembers()) {
    if (MarksUnknown(value)) {
      return true;
    }
  }
  return false;
}

InstanceKey ParseIndexStep(std::string_view step) {
  // step is "[0]" or "[\"key\"]"
  InstanceKey key;
  if (step.size() < 2 || step.front() != '[' || step.back() != ']') {
    return key;
  }
  std::string_view inner = step.substr(1, step.size() - 2);
  if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
    key.kind = InstanceKey::Kind::kKey;
    key.key = std::string(inner.substr(1, inner.size() - 2));
    return key;
  }
  if (inner.empty() || inner.size() > 9 ||
      !std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return key;
  }
  key.kind = InstanceKey::Kind::kIndex;
  key.index = std::stoll(std::string(inner));
  return key;
}

/// The last instance key of a module instance address, or none.
InstanceKey LastModuleKey(std::string_view module_address) {
  if (module_address.empty() || module_address.back() != ']') {
    return {};
  }
  const auto steps = SplitReference(module_address);
  return steps.empty() ? InstanceKey{} : ParseIndexStep(steps.back());
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

InstanceKey InstanceKey::Of(JsonView value) {
  InstanceKey key;
  if (value.IsInteger()) {
    key.kind = Kind::kIndex;
    key.index = value.Integer();
  } else if (value.IsString()) {
    key.kind = Kind::kKey;
    key.key = std::string(value.String());
  }
  return key;
}

std::string InstanceKey::Text() const {
  switch (kind) {
    case Kind::kIndex:
      return std::to_string(index);
    case Kind::kKey:
      return JsonQuote(key);
    default:
      return "null";
  }
}

bool operator<(const InstanceKey& a, const InstanceKey& b) {
  using Kind = InstanceKey::Kind;
  if (a.kind == Kind::kIndex && b.kind == Kind::kIndex) {
    return a.index < b.index;
  }
  if (a.kind == Kind::kKey && b.kind == Kind::kKey) {
    return a.key < b.key;
  }
  return a.kind == Kind::kIndex && b.kind != Kind::kIndex;
}

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

const JsonSelection& PlanModel::Reads() {
  // Each member named here is read by CollectModule, IndexConfiguration or the constructor, or
  // by the shape checks of the input loader.
  struct Selections {
    JsonSelection document, prior_state, state, module, resources, resource, children, changes,
        change, change_body;
    Selections() {
      resource.members = {{"address"}, {"mode"},   {"type"},        {"name"},
                          {"index"},   {"values"}, {"cvpn_source"}, {"cvpn_unknown"}};
      resources.elements = &resource;
      children.elements = &module;
      module.members = {{"address"}, {"resources", &resources}, {"child_modules", &children}};
      state.members = {{"root_module", &module}};
      change_body.members = {{"after_unknown"}};
      change.members = {{"address"}, {"change", &change_body}};
      changes.elements = &change;
      prior_state.members = {{"values", &state}};
      document.members = {{"format_version"},
                          {"planned_values", &state},
                          {"values", &state},
                          {"prior_state", &prior_state},
                          {"resource_changes", &changes},
                          {"configuration"}};
    }
  };
  static const Selections selections;
  return selections.document;
}

PlanModel::PlanModel(JsonView document, std::string file, InputErrors& errors,
                     const SourceMap* sources, std::string_view text, size_t max_string_bytes)
    : file_(std::move(file)), text_(text), max_string_bytes_(max_string_bytes), errors_(errors) {
  const JsonView planned = document["planned_values"]["root_module"];
  const JsonView state_values = document["values"]["root_module"];
  const JsonView prior = document["prior_state"]["values"]["root_module"];
  if (planned) {
    CollectModule(planned, false, sources);
  }
  if (state_values) {
    CollectModule(state_values, false, sources);
  }
  if (prior) {
    CollectModule(prior, true, sources);
  }
  // The document's order of resources and modules must not matter: work in address order.
  // Sorted through an index, so that each instance moves once.
  std::vector<size_t> order(instances_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [this](size_t a, size_t b) {
    return instances_[a].address < instances_[b].address;
  });
  std::vector<PlanInstance> sorted;
  sorted.reserve(instances_.size());
  for (const size_t i : order) {
    sorted.push_back(std::move(instances_[i]));
  }
  instances_ = std::move(sorted);
  std::sort(module_instances_.begin(), module_instances_.end());
  module_instances_.erase(std::unique(module_instances_.begin(), module_instances_.end()),
                          module_instances_.end());
  by_address_.clear();
  for (int i = 0; i < static_cast<int>(instances_.size()); ++i) {
    by_address_.emplace(instances_[static_cast<size_t>(i)].address, i);  // now in address order
  }
  // Unknown-after-apply markers, by address.
  for (JsonView change : document["resource_changes"].Items()) {
    const JsonView address = change["address"];
    const JsonView after_unknown = change["change"]["after_unknown"];
    if (!address.IsString() || !after_unknown) {
      continue;
    }
    auto it = by_address_.find(address.String());
    if (it != by_address_.end() && !instances_[static_cast<size_t>(it->second)].data) {
      instances_[static_cast<size_t>(it->second)].after_unknown = after_unknown;
    }
  }
  for (PlanInstance& inst : instances_) {
    for (auto [key, marks] : inst.after_unknown.ObjectMembers()) {
      if (MarksUnknown(marks)) {
        inst.unknown_attributes.push_back(key);
      }
    }
  }
  if (const JsonView config = document["configuration"]["root_module"]) {
    IndexConfiguration(config, "");
  }
  LinkConfiguration();
}

void PlanModel::CollectModule(JsonView root, bool from_prior_state, const SourceMap* sources) {
  // Iterative walk over nested child_modules.
  std::vector<JsonView> stack{root};
  while (!stack.empty()) {
    const JsonView module = stack.back();
    stack.pop_back();
    if (!module.IsObject()) {
      SourcePosition at = Locate("\"child_modules\"");
      if (at.line == 0) {
        at = Locate("\"root_module\"");
      }
      errors_.push_back({file_, at.line, at.column,
                         "a module in the plan's values is not a JSON object"});
      continue;
    }
    const std::string module_address(module["address"].String());
    if (!module_address.empty()) {
      module_instances_.push_back(module_address);
    }
    if (const JsonView resources = module["resources"]; resources && !resources.IsNull()) {
      if (!resources.IsArray()) {
        const SourcePosition at = Locate("\"resources\"");
        errors_.push_back({file_, at.line, at.column,
                           fmt::format("`resources` of module `{}` is not a list",
                                       module_address.empty() ? "root" : module_address)});
      } else {
        for (const JsonView r : resources.Items()) {
          const JsonView address = r["address"];
          const JsonView type = r["type"];
          const JsonView name = r["name"];
          if (!address.IsString() || !type.IsString() || !name.IsString()) {
            const SourcePosition at = Locate("\"resources\"");
            errors_.push_back(
                {file_, at.line, at.column,
                 fmt::format("a resource in module `{}` lacks a string address, type or name",
                             module_address.empty() ? "root" : module_address)});
            continue;
          }
          const std::string_view addr = address.String();
          if (by_address_.count(addr) != 0) {
            continue;  // planned values win over prior state
          }
          const bool data = r["mode"] == "data";
          if (from_prior_state && !data) {
            // Managed resources of the prior state that are not planned are being destroyed.
            continue;
          }
          JsonView values = r["values"];
          if (values && !values.IsObject()) {
            const SourcePosition at = LocateAddress(addr);
            errors_.push_back({file_, at.line, at.column,
                               fmt::format("`values` of `{}` is not a JSON object", addr)});
            values = JsonView();
          }
          if (std::string problem =
                  values ? ValuesProblem(values.Element(), max_string_bytes_) : std::string();
              !problem.empty()) {
            const SourcePosition at = LocateAddress(addr);
            errors_.push_back(
                {file_, at.line, at.column, fmt::format("`{}` {}", addr, problem)});
            continue;
          }
          PlanInstance instance;
          instance.address = std::string(addr);
          instance.module_address = module_address;
          instance.type = std::string(type.String());
          instance.name = std::string(name.String());
          instance.data = data;
          instance.index = InstanceKey::Of(r["index"]);
          instance.values = values;
          if (const JsonView source = r["cvpn_source"]; source.IsObject()) {
            if (source["file"].IsString() && source["line"].IsInteger() &&
                source["column"].IsInteger()) {
              instance.source_file = std::string(source["file"].String());
              instance.source_line = static_cast<int>(source["line"].Integer());
              instance.source_column = static_cast<int>(source["column"].Integer());
            }
          } else if (sources != nullptr) {
            const SourcePosition* position = nullptr;
            if (auto it = sources->by_address.find(addr); it != sources->by_address.end()) {
              position = &it->second;
            } else if (auto c = sources->by_config.find(ConfigPathOf(addr));
                       c != sources->by_config.end()) {
              position = &c->second;
            }
            if (position != nullptr) {
              instance.source_file = position->file;
              instance.source_line = position->line;
              instance.source_column = position->column;
            }
          }
          for (auto [k, v] : r["cvpn_unknown"].ObjectMembers()) {
            if (v.IsString()) {
              instance.unknown_reasons.emplace(std::string(k), std::string(v.String()));
            }
          }
          by_address_.emplace(addr, static_cast<int>(instances_.size()));
          instances_.push_back(std::move(instance));
        }
      }
    }
    if (const JsonView children = module["child_modules"]) {
      if (children.IsArray()) {
        std::vector<JsonView> reversed;
        for (const JsonView child : children.Items()) {
          reversed.push_back(child);
        }
        stack.insert(stack.end(), reversed.rbegin(), reversed.rend());
      } else {
        const SourcePosition at = Locate("\"child_modules\"");
        errors_.push_back({file_, at.line, at.column, "`child_modules` is not a list"});
      }
    }
  }
}

void PlanModel::IndexConfiguration(JsonView root, const std::string& root_path) {
  std::vector<std::pair<JsonView, std::string>> stack{{root, root_path}};
  while (!stack.empty()) {
    auto [module, path] = stack.back();
    stack.pop_back();
    for (const JsonView r : module["resources"].Items()) {
      if (const JsonView address = r["address"]; address.IsString()) {
        config_resources_.emplace(ResourceKey(path, address.String()), r);
      }
    }
    for (auto [name, call] : module["module_calls"].ObjectMembers()) {
      const std::string child_path = path.empty() ? fmt::format("module.{}", name)
                                                  : fmt::format("{}.module.{}", path, name);
      module_calls_.emplace(child_path, call);
      if (const JsonView child = call["module"]; child.IsObject()) {
        stack.emplace_back(child, child_path);
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
      if (const JsonView id = inst.values[key]; id.IsString()) {
        by_id_.emplace(id.String(), i);
      }
    }
  }
  for (auto& [key, list] : by_resource_) {
    std::stable_sort(list.begin(), list.end(), [this](int a, int b) {
      return instances_[static_cast<size_t>(a)].index < instances_[static_cast<size_t>(b)].index;
    });
  }
}

SourcePosition PlanModel::Locate(std::string_view needle) const {
  SourcePosition out;
  if (const size_t at = text_.find(needle); at != std::string_view::npos && !needle.empty()) {
    const TextPosition p = ::cvpn::parsers::PositionOf(text_, at);
    out.file = file_;
    out.line = p.line;
    out.column = p.column;
  }
  return out;
}

SourcePosition PlanModel::PositionOf(int instance) const {
  return LocateAddress(Instance(instance).address);
}

SourcePosition PlanModel::LocateAddress(std::string_view address) const {
  const std::string quoted = JsonQuote(address);
  for (const char* separator : {":", ": "}) {
    SourcePosition found = Locate(fmt::format("\"address\"{}{}", separator, quoted));
    if (found.line > 0) {
      return found;
    }
  }
  return {};
}

int PlanModel::FindById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

AttributeValue PlanModel::Attribute(int instance, const AttributePath& path) const {
  const PlanInstance& inst = Instance(instance);
  AttributeValue out;
  JsonView value = inst.values;
  JsonView unknown = inst.after_unknown;
  if (!path.empty() && std::find(inst.unknown_attributes.begin(), inst.unknown_attributes.end(),
                                 path.front().key) == inst.unknown_attributes.end()) {
    unknown = JsonView();  // nothing under this attribute is unknown: skip the markers
  }
  bool unknown_here = false;
  for (const PathStep& step : path) {
    if (step.key.empty()) {
      value = value.At(static_cast<size_t>(step.index));
      unknown = unknown.At(static_cast<size_t>(step.index));
    } else {
      value = value[step.key];
      unknown = unknown[step.key];
    }
    if (unknown.Bool()) {
      unknown_here = true;
      break;
    }
  }
  const bool has_value = !unknown_here && value && !value.IsNull();
  // A reason the document gives for this attribute, preferred to a generic one.
  const auto given = path.empty() ? inst.unknown_reasons.end()
                                  : inst.unknown_reasons.find(path.front().key);
  const bool has_reason = given != inst.unknown_reasons.end();
  bool partly_unknown = false;
  if (has_value && unknown.IsArray()) {
    for (const JsonView u : unknown.Items()) {
      partly_unknown = partly_unknown || (u.IsBool() ? u.Bool() : !u.Empty());
    }
  }
  if (has_value) {
    out.known = value;
    if (!partly_unknown) {
      return out;
    }
  }
  // Follow the configuration expression.
  JsonView expression = inst.config["expressions"];
  for (const PathStep& step : path) {
    if (!expression) {
      break;
    }
    if (IsExpression(expression)) {
      break;  // the whole attribute is one expression: use its references
    }
    expression = step.key.empty() ? expression.At(static_cast<size_t>(step.index))
                                  : expression[step.key];
  }
  if (!IsExpression(expression)) {
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
  context.for_each = inst.config["for_each_expression"];
  std::string why;
  out.targets = ResolveExpression(expression, context, 0, why);
  if (out.targets.empty() && (unknown_here || partly_unknown || !has_value)) {
    const JsonView constant = expression["constant_value"];
    if (constant && !constant.IsNull() && !has_value) {
      out.known = constant;
      return out;
    }
    if (why.empty()) {
      // Say what the value depends on: a person can then tell why the plan could not know it.
      std::string inputs;
      {
        for (const JsonView r : expression["references"].Items()) {
          if (!r.IsString()) {
            continue;
          }
          const std::string text(r.String());
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

std::vector<RefTarget> PlanModel::ResolveExpression(JsonView expression,
                                                    const Context& context, int depth,
                                                    std::string& unknown) const {
  std::vector<RefTarget> out;
  if (depth > kMaxDepth) {
    unknown = "references nest too deeply to follow";
    return out;
  }
  const JsonView refs = expression["references"];
  if (!refs.IsArray()) {
    return out;
  }
  std::vector<std::string> references;
  for (const JsonView r : refs.Items()) {
    if (r.IsString()) {
      references.emplace_back(r.String());
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
      if (!context.for_each) {
        unknown = "`each.value` is used outside a for_each";
        continue;
      }
      Context outer = context;
      outer.key = InstanceKey{};
      found = ResolveExpression(context.for_each, outer, depth + 1, unknown);
      const auto steps = SplitReference(ref);
      if (steps.size() > 2) {
        for (RefTarget& t : found) {
          t.attribute = steps[2];
        }
      }
    } else {
      found = ResolveReference(ref, pairs_by_key && !context.key.IsNone() ? &context.key : nullptr,
                               context, depth, unknown);
    }
    if (pairs_by_key && !context.key.IsNone() && found.size() > 1) {
      std::vector<RefTarget> matching;
      for (const RefTarget& t : found) {
        if (Instance(t.instance).index == context.key) {
          matching.push_back(t);
        }
      }
      if (matching.empty() && context.key.kind == InstanceKey::Kind::kIndex) {
        const auto position = context.key.index;
        if (position >= 0 && static_cast<size_t>(position) < found.size()) {
          matching.push_back(found[static_cast<size_t>(position)]);
        }
      }
      if (matching.empty()) {
        unknown = fmt::format("cannot tell which instance of `{}` the key {} selects", ref,
                              context.key.Text());
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
                                                   const InstanceKey* pair_key,
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
    const JsonView expression =
        call == module_calls_.end() ? JsonView() : call->second["expressions"][steps[1]];
    if (!expression) {
      unknown = fmt::format("`{}` of module `{}` has no expression in the plan", reference,
                            context.module_address);
      return out;
    }
    Context parent;
    parent.module_address = ParentModule(context.module_address);
    parent.key = LastModuleKey(context.module_address);
    parent.for_each = call->second["for_each_expression"];
    out = ResolveExpression(expression, parent, depth + 1, unknown);
    if (steps.size() > 2) {
      const InstanceKey index = ParseIndexStep(steps[2]);
      if (index.kind == InstanceKey::Kind::kIndex) {
        const auto position = index.index;
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
  InstanceKey index;
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
  const std::vector<int>& instances = it->second;
  if (index.IsNone() && pair_key != nullptr && instances.size() > 1) {
    // The instance with the same key (instances are sorted by key), else the one at that
    // position; failing both, all of them, for the caller to say it cannot tell.
    auto same = std::lower_bound(instances.begin(), instances.end(), *pair_key,
                                 [this](int i, const InstanceKey& key) {
                                   return Instance(i).index < key;
                                 });
    if (same != instances.end() && Instance(*same).index == *pair_key) {
      return {RefTarget{*same, attribute}};
    }
    if (pair_key->kind == InstanceKey::Kind::kIndex && pair_key->index >= 0 &&
        static_cast<size_t>(pair_key->index) < instances.size()) {
      return {RefTarget{instances[static_cast<size_t>(pair_key->index)], attribute}};
    }
  }
  for (int i : instances) {
    if (!index.IsNone() && Instance(i).index != index) {
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
  const JsonView expression = call == module_calls_.end()
                                  ? JsonView()
                                  : call->second["module"]["outputs"][output]["expression"];
  if (!expression) {
    unknown = fmt::format("output `{}` of `{}` is not in the plan's configuration", output,
                          child_module);
    return {};
  }
  Context context;
  context.module_address = child_module;
  return ResolveExpression(expression, context, depth + 1, unknown);
}

}  // namespace cvpn::parsers
