// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_module.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "parsers/hcl_schema.h"
#include "parsers/plan_model.h"

namespace cvpn::parsers::hcl {

namespace {

namespace fs = std::filesystem;

const char* const kAfterApply = "is known only after apply";
const char* const kDataSource =
    "comes from a data source, which Terraform reads from AWS at plan time and cvpn-lint does "
    "not read";

bool IsMetaArgument(const std::string& name) {
  return name == "count" || name == "for_each" || name == "provider" || name == "depends_on";
}

bool IsMetaBlock(const std::string& type) {
  return type == "lifecycle" || type == "provisioner" || type == "connection";
}

/// Restores the evaluation stack when an object's evaluation ends.
class StackEntry {
 public:
  StackEntry(Session& session, const std::string& label) : session_(session) {
    session_.Enter(label);
  }
  ~StackEntry() { session_.Leave(); }
  StackEntry(const StackEntry&) = delete;
  StackEntry& operator=(const StackEntry&) = delete;

 private:
  Session& session_;
};

nlohmann::json KeyJson(const Value& v) {
  if (v.IsNumber()) {
    return v.AsInteger();
  }
  return v.IsString() ? nlohmann::json(v.AsString()) : nlohmann::json(nullptr);
}

/// The keys (and each.value) of a for_each value, or a reason it cannot be expanded.
/// How a for_each value expands.
enum class ForEach { kExpanded, kUnknown, kInvalid };

ForEach ForEachKeys(const Value& v, std::vector<std::pair<Value, Value>>& out, std::string& why) {
  // Only the keys must be known: a map of resources whose IDs are known after apply expands.
  if (v.IsUnknown() || (v.IsSet() && v.ContainsUnknown())) {
    const Value* u = v.FirstUnknown();
    why = u != nullptr ? u->Reason() : v.Reason();
    return ForEach::kUnknown;
  }
  if (v.IsNull()) {
    why = "for_each is null";
    return ForEach::kInvalid;
  }
  if (v.IsObject()) {
    for (const auto& [k, e] : v.Fields()) {
      out.emplace_back(Value::String(k), e);
    }
    return ForEach::kExpanded;
  }
  if (v.IsSet()) {
    for (const Value& e : v.Items()) {
      if (!e.IsString()) {
        why = fmt::format("for_each over a set needs a set of strings, not of {}s", e.TypeName());
        return ForEach::kInvalid;
      }
      out.emplace_back(e, e);
    }
    return ForEach::kExpanded;
  }
  why = fmt::format(
      "for_each needs a map or a set of strings, not a {}; convert a list with "
      "toset()",
      v.TypeName());
  return ForEach::kInvalid;
}

/// Why the known value of argument `key` of a resource of `type` has a shape the AWS provider
/// refuses, or empty. Only arguments whose shape every AWS resource type agrees on are checked.
std::string ShapeProblem(const std::string& type, const std::string& key, const Value& v) {
  static const std::set<std::string, std::less<>> kLists{
      "cidr_blocks",        "ipv6_cidr_blocks",       "prefix_list_ids", "security_groups",
      "security_group_ids", "vpc_security_group_ids", "subnet_ids",      "subnets"};
  if (v.IsUnknown() || v.IsNull()) {
    return {};
  }
  if (IsAttributeAsBlocks(type, key)) {
    if (!v.IsSequence()) {
      return fmt::format("`{}` must be a list of rules (or `{}` blocks), not a {}", key, key,
                         v.TypeName());
    }
    for (const Value& e : v.Items()) {
      if (e.IsKnown() && !e.IsObject()) {
        return fmt::format("`{}` must be a list of rules, not of {}s", key, e.TypeName());
      }
    }
    return {};
  }
  if (kLists.count(key) != 0 && !v.IsSequence()) {
    return fmt::format("`{}` must be a list, not a {}", key, v.TypeName());
  }
  if ((key == "tags" || key == "tags_all") && !v.IsObject()) {
    return fmt::format("`{}` must be a map, not a {}", key, v.TypeName());
  }
  return {};
}

/// Why a known count is not one Terraform accepts, or empty.
std::string InvalidCount(const Value& c, const std::optional<double>& n) {
  if (!n) {
    return fmt::format("count must be a whole number, not {}",
                       c.IsString() ? fmt::format("\"{}\"", c.AsString()) : "a " + c.TypeName());
  }
  if (std::isnan(*n) || std::floor(*n) != *n) {
    return fmt::format("count must be a whole number, not {}", FormatNumber(*n));
  }
  if (*n < 0) {
    return fmt::format("count must not be negative ({})", FormatNumber(*n));
  }
  return {};
}

}  // namespace

Traversal ParseOrigin(const std::string& origin) {
  Traversal t;
  const auto steps = SplitReference(origin);
  if (steps.empty()) {
    return t;
  }
  t.root = steps[0];
  for (size_t i = 1; i < steps.size(); ++i) {
    const std::string& s = steps[i];
    if (!s.empty() && s.front() == '[') {
      const std::string inner = s.substr(1, s.size() - 2);
      if (!inner.empty() && inner.front() == '"') {
        try {
          t.steps.push_back(nlohmann::json{{"index", nlohmann::json::parse(inner)}});
        } catch (const nlohmann::json::exception&) {
          t.steps.push_back(nlohmann::json{{"index", inner}});
        }
      } else {
        t.steps.push_back(nlohmann::json{{"index", std::strtoll(inner.c_str(), nullptr, 10)}});
      }
    } else {
      t.steps.emplace_back(s);
    }
  }
  return t;
}

// --- InstanceScope
// ---------------------------------------------------------------------------------

Value InstanceScope::Reference(const std::string& root, const std::string& name, Position pos) {
  if (root == "count") {
    if (name != "index") {
      return Value::Error(fmt::format("`count.{}` does not exist; use count.index", name));
    }
    return count_index ? *count_index
                       : Value::Error("`count.index` is used in a block without count");
  }
  if (root == "each") {
    if (name != "key" && name != "value") {
      return Value::Error(
          fmt::format("`each.{}` does not exist; use each.key or each.value", name));
    }
    const auto& v = name == "key" ? each_key : each_value;
    return v ? *v
             : Value::Error(fmt::format("`each.{}` is used in a block without for_each", name));
  }
  return module_.Reference(root, name, pos);
}

Value InstanceScope::DataReference(const std::string& type, const std::string& name, Position pos) {
  return module_.DataReference(type, name, pos);
}

Value InstanceScope::ModuleOutput(const std::string& name,
                                  const Value* key,
                                  const std::string& output,
                                  Position pos) {
  return module_.ModuleOutput(name, key, output, pos);
}

const std::string& InstanceScope::FileName() const {
  return file_ != nullptr ? file_->path : module_.DefaultFile();
}

// --- ModuleInstance
// --------------------------------------------------------------------------------

ModuleInstance::ModuleInstance(Session& session,
                               const ModuleConfig& config,
                               std::string address,
                               std::string config_path,
                               ModuleInstance* parent,
                               const NamedBlock* call)
    : session_(session),
      config_(config),
      address_(std::move(address)),
      config_path_(std::move(config_path)),
      parent_(parent),
      call_(call) {
  for (const ResourceConfig& r : config_.resources) {
    ResourceState state;
    state.config = &r;
    resources_.push_back(std::move(state));
  }
  for (const auto& [name, call_block] : config_.module_calls) {
    ModuleCallState state;
    state.call = &call_block;
    calls_.emplace(name, std::move(state));
  }
}

const std::string& ModuleInstance::DefaultFile() const {
  static const std::string kNone = "(configuration)";
  return config_.files.empty() ? kNone : config_.files.front()->path;
}

bool ModuleInstance::CallsAncestor(const std::string& dir) const {
  auto normal = [](const std::string& d) {
    std::string n = fs::path(d).lexically_normal().generic_string();
    while (n.size() > 1 && n.back() == '/') {
      n.pop_back();
    }
    return n;
  };
  const std::string target = normal(dir);
  for (const ModuleInstance* m = this; m != nullptr; m = m->parent_) {
    if (normal(m->config_.dir) == target) {
      return true;
    }
  }
  return false;
}

std::string ModuleInstance::Label(const std::string& what) const {
  return address_.empty() ? what : address_ + "." + what;
}

ModuleCallState* ModuleInstance::Call(const std::string& name) {
  auto it = calls_.find(name);
  if (it == calls_.end()) {
    return nullptr;
  }
  ModuleCallState& state = it->second;
  if (state.state == SlotState::kDone) {
    return &state;
  }
  if (state.state == SlotState::kBusy) {
    state.unavailable =
        session_.CycleError(Label("module." + name), state.call->file->path, state.call->block->pos)
            .Reason();
    return &state;
  }
  state.state = SlotState::kBusy;
  StackEntry entry(session_, Label("module." + name));
  const Block& block = *state.call->block;
  InstanceScope scope(*this, state.call->file);
  Evaluator ev(scope, session_.GetBudget());
  // The source must be a literal string.
  const Attribute* source = block.body.Find("source");
  if (source == nullptr) {
    state.unavailable = fmt::format("module `{}` has no `source`", name);
  } else {
    const Value s = ev.Eval(*source->expr);
    if (!s.IsString()) {
      state.unavailable = fmt::format("the `source` of module `{}` is not a literal string", name);
    } else {
      state.source = s.AsString();
    }
  }
  const std::string key = config_path_.empty() ? name : config_path_ + "." + name;
  if (state.unavailable.empty()) {
    const bool local = state.source.rfind("./", 0) == 0 || state.source.rfind("../", 0) == 0;
    std::string dir;
    if (local) {
      dir = (fs::path(config_.dir) / state.source).lexically_normal().generic_string();
    } else if (auto installed = session_.InstalledModule(key)) {
      dir = *installed;
    }
    const int depth = static_cast<int>(std::count(key.begin(), key.end(), '.')) + 1;
    if (dir.empty()) {
      state.unavailable = fmt::format(
          "module `{}` comes from `{}`, which is not a local path; cvpn-lint does not download "
          "modules (run `terraform init` so that .terraform/modules holds it, or analyse a plan)",
          Label("module." + name), state.source);
    } else if (depth > session_.Options().max_module_depth) {
      state.unavailable =
          fmt::format("modules nest deeper than {} levels at `{}`; does `{}` call itself?",
                      session_.Options().max_module_depth, Label("module." + name), state.source);
      session_.Fatal(state.call->file->path, block.pos, state.unavailable);
    } else if (CallsAncestor(dir)) {
      // Terraform would load this module without end.
      state.unavailable = fmt::format("module `{}` calls `{}`, a module it is itself part of",
                                      Label("module." + name), state.source);
      session_.Fatal(state.call->file->path, block.pos, state.unavailable);
    } else {
      std::string why;
      state.config = session_.LoadModule(dir, why);
      if (state.config == nullptr) {
        state.unavailable = fmt::format("module `{}`: {}", Label("module." + name), why);
      }
    }
  }
  // Expand count / for_each.
  std::vector<std::pair<nlohmann::json, InstanceScope>> keys;
  std::string why_not;
  const Attribute* count = block.body.Find("count");
  const Attribute* for_each = block.body.Find("for_each");
  std::vector<
      std::tuple<nlohmann::json, std::optional<Value>, std::optional<Value>, std::optional<Value>>>
      instances;
  if (count != nullptr) {
    state.keyed = true;
    const Value c = ev.Eval(*count->expr);
    const auto n = c.IsKnown() ? ToNumberValue(c) : std::nullopt;
    if (c.IsUnknown()) {
      why_not = fmt::format("the count of module `{}` is unknown: {}", name, c.Reason());
    } else if (const std::string invalid = InvalidCount(c, n); !invalid.empty()) {
      why_not = fmt::format("the count of module `{}` is invalid: {}", name, invalid);
      session_.Fatal(state.call->file->path, count->pos, invalid);
    } else if (*n > static_cast<double>(session_.Options().max_instances)) {
      session_.Fatal(state.call->file->path, block.pos,
                     fmt::format("module `{}` has a count of {}; the limit is {}", name,
                                 FormatNumber(*n), session_.Options().max_instances));
    } else {
      for (int64_t i = 0; i < static_cast<int64_t>(*n); ++i) {
        instances.emplace_back(i, Value::Number(static_cast<double>(i)), std::nullopt,
                               std::nullopt);
      }
    }
  } else if (for_each != nullptr) {
    state.keyed = true;
    std::vector<std::pair<Value, Value>> elements;
    std::string why;
    const ForEach expanded = ForEachKeys(ev.Eval(*for_each->expr), elements, why);
    if (expanded != ForEach::kExpanded) {
      why_not = fmt::format("the for_each of module `{}` cannot be expanded: {}", name, why);
      if (expanded == ForEach::kInvalid) {
        session_.Fatal(state.call->file->path, for_each->pos, why);
      }
    } else if (elements.size() > session_.Options().max_instances) {
      session_.Fatal(state.call->file->path, block.pos,
                     fmt::format("module `{}` has {} for_each elements; the limit is {}", name,
                                 elements.size(), session_.Options().max_instances));
    } else {
      for (auto& [k, v] : elements) {
        instances.emplace_back(KeyJson(k), std::nullopt, k, v);
      }
    }
  } else {
    instances.emplace_back(nullptr, std::nullopt, std::nullopt, std::nullopt);
  }
  if (!why_not.empty() && state.unavailable.empty()) {
    state.unavailable = why_not;
  }
  if (state.config != nullptr && state.unavailable.empty()) {
    for (auto& [k, count_index, each_key, each_value] : instances) {
      std::string address = (address_.empty() ? "" : address_ + ".") + "module." + name;
      if (!k.is_null()) {
        address += IndexStep(k);
      }
      auto child =
          std::make_unique<ModuleInstance>(session_, *state.config, address, key, this, state.call);
      child->instance_key = k;
      child->call_count = count_index;
      child->call_each_key = each_key;
      child->call_each_value = each_value;
      state.instances.push_back(std::move(child));
    }
  }
  state.state = SlotState::kDone;
  return &state;
}

void ModuleInstance::EvaluateAll() {
  for (ResourceState& r : resources_) {
    ResourceValue(r);
  }
  for (const std::string& name : config_.call_order) {
    ModuleCallState* call = Call(name);
    if (call == nullptr) {
      continue;
    }
    for (auto& child : call->instances) {
      child->EvaluateAll();
    }
  }
  for (const auto& [name, output] : config_.outputs) {
    Output(name);
  }
}

Value ModuleInstance::Reference(const std::string& root,
                                const std::string& name,
                                Position /*pos*/) {
  if (root == "var") {
    return Var(name);
  }
  if (root == "local") {
    return Local(name);
  }
  if (root == "module") {
    ModuleCallState* call = Call(name);
    if (call == nullptr) {
      return Value::Error(fmt::format("module `{}` is not declared", name));
    }
    return CallValue(*call, name);
  }
  if (root == "path") {
    if (name == "module")
      return Value::String(config_.dir);
    if (name == "root")
      return Value::String(session_.RootDir());
    if (name == "cwd")
      return Value::String(".");
    return Value::Error(fmt::format("`path.{}` does not exist", name));
  }
  if (root == "terraform") {
    if (name == "workspace")
      return Value::String("default");
    return Value::Unknown(fmt::format("`terraform.{}` is known only when Terraform runs", name));
  }
  if (root == "count" || root == "each") {
    return Value::Error(fmt::format("`{}.{}` is used outside a block with {}", root, name,
                                    root == "count" ? "count" : "for_each"));
  }
  if (root == "self") {
    return Value::Unknown("`self` is known only inside provisioners");
  }
  const std::string address = root + "." + name;
  for (ResourceState& r : resources_) {
    if (!r.config->data && r.config->type == root && r.config->name == name) {
      return ResourceValue(r);
    }
  }
  return Value::Error(fmt::format("`{}` is not declared in {}", address,
                                  address_.empty() ? "the root module" : "`" + address_ + "`"));
}

Value ModuleInstance::DataReference(const std::string& type,
                                    const std::string& name,
                                    Position /*pos*/) {
  for (ResourceState& r : resources_) {
    if (r.config->data && r.config->type == type && r.config->name == name) {
      return ResourceValue(r);
    }
  }
  return Value::Error(fmt::format("`data.{}.{}` is not declared", type, name));
}

Value ModuleInstance::ModuleOutput(const std::string& name,
                                   const Value* key,
                                   const std::string& output,
                                   Position /*pos*/) {
  ModuleCallState* call = Call(name);
  if (call == nullptr) {
    return Value::Error(fmt::format("module `{}` is not declared", name));
  }
  std::string origin = "module." + name;
  if (key != nullptr) {
    origin += IndexStep(KeyJson(*key));
  }
  origin += "." + output;
  if (call->config == nullptr || !call->unavailable.empty()) {
    return Value::Unknown(call->unavailable, {origin});
  }
  if (call->config->outputs.count(output) == 0) {
    return Value::Error(fmt::format("module `{}` has no output `{}`", name, output));
  }
  if (key == nullptr && call->keyed) {
    return Value::Error(
        fmt::format("module `{}` has count or for_each: select an instance, as "
                    "in module.{}[0].{}",
                    name, name, output));
  }
  if (key != nullptr && !call->keyed) {
    return Value::Error(fmt::format("module `{}` has no count or for_each to index", name));
  }
  const nlohmann::json wanted = key != nullptr ? KeyJson(*key) : nlohmann::json(nullptr);
  for (auto& child : call->instances) {
    if (child->instance_key == wanted) {
      return child->Output(output).WithOrigins({origin});
    }
  }
  return Value::Error(fmt::format("module `{}` has no instance {}", name, wanted.dump()));
}

Value ModuleInstance::CallValue(ModuleCallState& call, const std::string& name) {
  if (call.whole.state == SlotState::kDone) {
    return call.whole.value;
  }
  if (call.whole.state == SlotState::kBusy) {
    return session_.CycleError(Label("module." + name), call.call->file->path,
                               call.call->block->pos);
  }
  if (call.config == nullptr || !call.unavailable.empty()) {
    return Value::Unknown(call.unavailable, {"module." + name});
  }
  call.whole.state = SlotState::kBusy;
  StackEntry entry(session_, Label("module." + name));
  auto outputs_of = [&](ModuleInstance& child) {
    ValueMap fields;
    std::string prefix = "module." + name;
    if (!child.instance_key.is_null()) {
      prefix += IndexStep(child.instance_key);
    }
    for (const auto& [output, block] : call.config->outputs) {
      fields.emplace(output, child.Output(output).WithOrigins({prefix + "." + output}));
    }
    return Value::Object(std::move(fields));
  };
  Value result;
  if (!call.keyed) {
    result = call.instances.empty() ? Value::Null() : outputs_of(*call.instances.front());
  } else if (call.call->block->body.Find("count") != nullptr) {
    ValueList items;
    for (auto& child : call.instances) {
      items.push_back(outputs_of(*child));
    }
    result = Value::List(std::move(items));
  } else {
    ValueMap fields;
    for (auto& child : call.instances) {
      fields.emplace(child->instance_key.is_string() ? child->instance_key.get<std::string>()
                                                     : child->instance_key.dump(),
                     outputs_of(*child));
    }
    result = Value::Object(std::move(fields));
  }
  call.whole.value = result;
  call.whole.state = SlotState::kDone;
  return result;
}

Value ModuleInstance::Local(const std::string& name) {
  const auto config = config_.locals.find(name);
  if (config == config_.locals.end()) {
    return Value::Error(fmt::format("local value `{}` is not declared", name));
  }
  ValueSlot& slot = locals_[name];
  if (slot.state == SlotState::kDone) {
    return slot.value;
  }
  if (slot.state == SlotState::kBusy) {
    return session_.CycleError(Label("local." + name), config->second.file->path,
                               config->second.attribute->pos);
  }
  slot.state = SlotState::kBusy;
  StackEntry entry(session_, Label("local." + name));
  InstanceScope scope(*this, config->second.file);
  Evaluator ev(scope, session_.GetBudget());
  slot.value = ev.Eval(*config->second.attribute->expr);
  slot.state = SlotState::kDone;
  return slot.value;
}

Value ModuleInstance::Output(const std::string& name) {
  const auto config = config_.outputs.find(name);
  if (config == config_.outputs.end()) {
    return Value::Error(fmt::format("output `{}` is not declared", name));
  }
  ValueSlot& slot = outputs_[name];
  if (slot.state == SlotState::kDone) {
    return slot.value;
  }
  if (slot.state == SlotState::kBusy) {
    return session_.CycleError(Label("output." + name), config->second.file->path,
                               config->second.block->pos);
  }
  slot.state = SlotState::kBusy;
  StackEntry entry(session_, Label("output." + name));
  const Attribute* value = config->second.block->body.Find("value");
  if (value == nullptr) {
    slot.value = Value::Error(fmt::format("output `{}` has no value", name));
  } else {
    InstanceScope scope(*this, config->second.file);
    Evaluator ev(scope, session_.GetBudget());
    slot.value = ev.Eval(*value->expr);
  }
  slot.state = SlotState::kDone;
  return slot.value;
}

Value ModuleInstance::Var(const std::string& name) {
  const auto config = config_.variables.find(name);
  if (config == config_.variables.end()) {
    return Value::Error(fmt::format("input variable `{}` is not declared", name));
  }
  ValueSlot& slot = vars_[name];
  if (slot.state == SlotState::kDone) {
    return slot.value;
  }
  if (slot.state == SlotState::kBusy) {
    return session_.CycleError(Label("var." + name), config->second.file->path,
                               config->second.block->pos);
  }
  slot.state = SlotState::kBusy;
  StackEntry entry(session_, Label("var." + name));
  const Body& body = config->second.block->body;
  const Attribute* type_attr = body.Find("type");
  const TypeSpec type = ParseType(type_attr != nullptr ? type_attr->expr.get() : nullptr);
  const Attribute* default_attr = body.Find("default");
  ConstantScope constants(config->second.file->path);
  Evaluator constant_ev(constants, session_.GetBudget());
  std::optional<Value> value;
  if (parent_ == nullptr) {
    const auto& cli = session_.Options().cli_variables;
    if (auto it = cli.find(name); it != cli.end()) {
      if (type_attr != nullptr && !type.IsPrimitive()) {
        std::string error;
        ExprPtr parsed = ParseExpression(it->second, error);
        value = parsed ? constant_ev.Eval(*parsed)
                       : Value::Error(fmt::format("--var {}: {}", name, error));
      } else {
        value = Value::String(it->second);
      }
    } else if (auto v = session_.RootValues().find(name); v != session_.RootValues().end()) {
      value = v->second;
    }
  } else if (const Attribute* arg = call_->block->body.Find(name)) {
    InstanceScope scope(*parent_, call_->file);
    scope.count_index = call_count;
    scope.each_key = call_each_key;
    scope.each_value = call_each_value;
    Evaluator ev(scope, session_.GetBudget());
    value = ev.Eval(*arg->expr).WithOrigins({"var." + name});
  }
  if (!value && default_attr != nullptr) {
    value = constant_ev.Eval(*default_attr->expr);
  }
  if (!value) {
    value = Value::Unknown(
        parent_ == nullptr
            ? fmt::format("input variable `{}` has no value: give it with --var {}=VALUE or in "
                          "terraform.tfvars",
                          name, name)
            : fmt::format("input variable `{}` of `{}` is not set by the module call", name,
                          address_),
        {"var." + name});
  }
  Value converted = ConvertToType(*value, type, session_.GetBudget());
  if (converted.IsError() && !value->IsError()) {
    converted = Value::Error(fmt::format("input variable `{}`: {}", name, converted.Reason()));
  }
  slot.value = converted;
  slot.state = SlotState::kDone;
  return slot.value;
}

void ModuleInstance::CheckShapes(const ResourceConfig& config, const ValueMap& configured) {
  if (config.data || config.type.rfind("aws_", 0) != 0) {
    return;
  }
  const Body& body = config.block->body;
  auto where = [&](const std::string& name) {
    if (const Attribute* a = body.Find(name)) {
      return a->pos;
    }
    for (const Block& b : body.blocks) {
      if (b.type == name || (b.type == "dynamic" && !b.labels.empty() && b.labels[0] == name)) {
        return b.pos;
      }
    }
    return config.block->pos;
  };
  for (const auto& [key, value] : configured) {
    std::string problem = ShapeProblem(config.type, key, value);
    if (problem.empty() && value.IsSequence()) {
      // One level down: the arguments of nested blocks (`ingress { cidr_blocks = ... }`).
      for (size_t i = 0; i < value.Items().size() && problem.empty(); ++i) {
        const Value& element = value.Items()[i];
        if (!element.IsObject()) {
          continue;
        }
        for (const auto& [inner, v] : element.Fields()) {
          if (std::string p = ShapeProblem("", inner, v); !p.empty()) {
            problem = fmt::format("in `{}[{}]`: {}", key, i, p);
            break;
          }
        }
      }
    }
    if (!problem.empty()) {
      session_.Fatal(config.file->path, where(key),
                     fmt::format("`{}`: {}", Label(config.Address()), problem));
    }
  }
}

ValueMap ModuleInstance::EvalBody(const Body& body, Evaluator& ev, bool top, int depth) {
  ValueMap fields;
  for (const Attribute& a : body.attributes) {
    if (top && IsMetaArgument(a.name)) {
      continue;
    }
    fields.insert_or_assign(a.name, ev.Eval(*a.expr));
  }
  if (depth > 64) {
    return fields;
  }
  std::map<std::string, ValueList, std::less<>> lists;
  std::map<std::string, Value, std::less<>> unknown_lists;
  for (const Block& b : body.blocks) {
    if (top && IsMetaBlock(b.type)) {
      continue;
    }
    if (b.type != "dynamic") {
      lists[b.type].push_back(Value::Object(EvalBody(b.body, ev, false, depth + 1)));
      continue;
    }
    if (b.labels.empty()) {
      continue;
    }
    const std::string& label = b.labels.front();
    lists[label];  // the block type exists even when it expands to nothing
    const Attribute* for_each = b.body.Find("for_each");
    const Attribute* iterator = b.body.Find("iterator");
    const Block* content = nullptr;
    for (const Block& c : b.body.blocks) {
      if (c.type == "content") {
        content = &c;
      }
    }
    if (for_each == nullptr || content == nullptr) {
      continue;
    }
    std::string name = label;
    if (iterator != nullptr && iterator->expr->kind == ExprKind::kVariable) {
      name = iterator->expr->name;
    }
    const Value collection = ev.Eval(*for_each->expr);
    if (collection.IsUnknown()) {
      unknown_lists.emplace(label, collection);
      continue;
    }
    std::vector<std::pair<Value, Value>> elements;
    if (collection.IsObject()) {
      for (const auto& [k, v] : collection.Fields()) {
        elements.emplace_back(Value::String(k), v);
      }
    } else if (collection.IsSet()) {
      for (const Value& v : collection.Items()) {
        elements.emplace_back(v, v);
      }
    } else if (collection.IsList()) {
      double i = 0;
      for (const Value& v : collection.Items()) {
        elements.emplace_back(Value::Number(i), v);
        i += 1;
      }
    } else if (!collection.IsNull()) {
      unknown_lists.emplace(
          label, Value::Error(fmt::format("the for_each of dynamic \"{}\" needs a collection, "
                                          "not a {}",
                                          label, collection.TypeName())));
      continue;
    }
    for (const auto& [k, v] : elements) {
      ValueMap iter;
      iter.emplace("key", k);
      iter.emplace("value", v);
      ev.Bind(name, Value::Object(std::move(iter)));
      lists[label].push_back(Value::Object(EvalBody(content->body, ev, false, depth + 1)));
      ev.Unbind();
    }
  }
  for (auto& [name, items] : lists) {
    auto unknown = unknown_lists.find(name);
    if (unknown != unknown_lists.end()) {
      fields.insert_or_assign(
          name, unknown->second.IsError()
                    ? unknown->second
                    : Value::Unknown(fmt::format("the dynamic `{}` blocks iterate over a value "
                                                 "that {}",
                                                 name, unknown->second.Reason()),
                                     unknown->second.AllOrigins()));
    } else {
      fields.insert_or_assign(name, Value::List(std::move(items)));
    }
  }
  return fields;
}

Value ModuleInstance::ResourceValue(ResourceState& state) {
  if (state.state == SlotState::kDone) {
    return state.value;
  }
  const std::string label = Label(state.config->Address());
  if (state.state == SlotState::kBusy) {
    return session_.CycleError(label, state.config->file->path, state.config->block->pos);
  }
  state.state = SlotState::kBusy;
  StackEntry entry(session_, label);
  ExpandResource(state);
  state.state = SlotState::kDone;
  return state.value;
}

void ModuleInstance::ExpandResource(ResourceState& state) {
  const ResourceConfig& config = *state.config;
  const Body& body = config.block->body;
  InstanceScope base(*this, config.file);
  Evaluator ev(base, session_.GetBudget());
  struct Key {
    nlohmann::json key;
    InstanceScope scope;
  };
  std::vector<Key> keys;
  std::string placeholder;  // why count/for_each could not be expanded
  const Attribute* count = body.Find("count");
  const Attribute* for_each = body.Find("for_each");
  const size_t limit = session_.Options().max_instances;
  if (count != nullptr) {
    const Value c = ev.Eval(*count->expr);
    const auto n = c.IsKnown() ? ToNumberValue(c) : std::nullopt;
    if (c.IsUnknown()) {
      placeholder = fmt::format("the count of `{}` cannot be known before apply: {}",
                                Label(config.Address()), c.Reason());
    } else if (const std::string invalid = InvalidCount(c, n); !invalid.empty()) {
      placeholder =
          fmt::format("the count of `{}` is invalid: {}", Label(config.Address()), invalid);
      session_.Fatal(config.file->path, count->pos, invalid);
    } else if (*n > static_cast<double>(limit)) {
      session_.Fatal(config.file->path, count->pos,
                     fmt::format("`{}` has a count of {}; cvpn-lint handles at most {} instances "
                                 "of one block",
                                 Label(config.Address()), FormatNumber(*n), limit));
    } else {
      for (int64_t i = 0; i < static_cast<int64_t>(*n); ++i) {
        Key k{i, InstanceScope(*this, config.file)};
        k.scope.count_index = Value::Number(static_cast<double>(i));
        keys.push_back(std::move(k));
      }
    }
  } else if (for_each != nullptr) {
    std::vector<std::pair<Value, Value>> elements;
    std::string why;
    const ForEach expanded = ForEachKeys(ev.Eval(*for_each->expr), elements, why);
    if (expanded != ForEach::kExpanded) {
      placeholder =
          fmt::format("the for_each of `{}` cannot be expanded: {}", Label(config.Address()), why);
      if (expanded == ForEach::kInvalid) {
        session_.Fatal(config.file->path, for_each->pos, why);
      }
    } else if (elements.size() > limit) {
      session_.Fatal(config.file->path, for_each->pos,
                     fmt::format("`{}` has {} for_each elements; cvpn-lint handles at most {} "
                                 "instances of one block",
                                 Label(config.Address()), elements.size(), limit));
    } else {
      for (auto& [k, v] : elements) {
        Key key{KeyJson(k), InstanceScope(*this, config.file)};
        key.scope.each_key = k;
        key.scope.each_value = v;
        keys.push_back(std::move(key));
      }
    }
  } else {
    keys.push_back(Key{nullptr, InstanceScope(*this, config.file)});
  }
  if (!session_.AddInstances(keys.size() + (placeholder.empty() ? 0 : 1), config.file->path,
                             config.block->pos)) {
    keys.clear();
    placeholder.clear();
    state.value = Value::Error(session_.GetBudget().exhausted_message);
    return;
  }
  if (!placeholder.empty()) {
    // One instance stands for all: its values that depend on the key are unknown.
    Key k{nullptr, InstanceScope(*this, config.file)};
    const Value unknown = Value::Unknown(placeholder);
    if (count != nullptr) {
      k.scope.count_index = unknown;
    } else {
      k.scope.each_key = unknown;
      k.scope.each_value = unknown;
    }
    keys.push_back(std::move(k));
  }
  ValueList list;
  ValueMap map;
  for (Key& k : keys) {
    ResourceInstance instance;
    instance.key = k.key;
    instance.address = config.Address() + (k.key.is_null() ? "" : IndexStep(k.key));
    Evaluator iev(k.scope, session_.GetBudget());
    const ValueMap configured = EvalBody(body, iev, true, 0);
    CheckShapes(config, configured);
    if (config.data) {
      instance.shaped = ShapeDataSource(config.type, configured);
    } else {
      instance.shaped = ShapeResource(config.type, configured, instance.computed);
    }
    Value object =
        Value::Resource(instance.shaped, instance.address, config.data ? kDataSource : kAfterApply);
    if (k.key.is_number_integer()) {
      list.push_back(object);
    } else if (k.key.is_string()) {
      map.emplace(k.key.get<std::string>(), object);
    } else {
      list.push_back(object);
    }
    state.instances.push_back(std::move(instance));
  }
  if (!placeholder.empty()) {
    state.value = Value::Unknown(placeholder, {config.Address()});
  } else if (count != nullptr) {
    state.value = Value::List(std::move(list));
  } else if (for_each != nullptr) {
    state.value = Value::Object(std::move(map));
  } else {
    state.value = list.empty() ? Value::Null() : list.front();
  }
}

// --- Session
// ---------------------------------------------------------------------------------------

Session::Session(std::string root_dir, SessionOptions options, InputErrors& errors)
    : root_dir_(std::move(root_dir)), options_(std::move(options)), errors_(errors) {}

std::string Session::Cycle(const std::string& label) const {
  auto it = std::find(stack_.begin(), stack_.end(), label);
  std::string path;
  for (; it != stack_.end(); ++it) {
    path += *it + " -> ";
  }
  return fmt::format("reference cycle: {}{}", path, label);
}

Value Session::CycleError(const std::string& label, const std::string& file, Position pos) {
  std::string message = Cycle(label);
  Fatal(file, pos, message);
  return Value::Error(std::move(message));
}

bool Session::AddInstances(size_t n, const std::string& file, Position pos) {
  instances_ += n;
  if (instances_ <= options_.max_total_instances) {
    return true;
  }
  budget_.Exceed(fmt::format("the configuration has more than {} resource instances, which "
                             "cvpn-lint does not evaluate from sources (analyse a plan instead)",
                             options_.max_total_instances),
                 file, pos);
  return false;
}

void Session::Fatal(const std::string& file, Position pos, const std::string& message) {
  // One error per position: a block expanded a thousand times is wrong once.
  if (fatal_at_.emplace(file, pos.line, pos.column).second) {
    errors_.push_back({file, pos.line, pos.column, message});
  }
}

const ModuleConfig* Session::LoadModule(const std::string& dir, std::string& why) {
  const std::string key = fs::path(dir).lexically_normal().generic_string();
  if (auto it = modules_.find(key); it != modules_.end()) {
    return it->second.get();
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    why = fmt::format("`{}` is not a directory", key);
    return nullptr;
  }
  auto module = ReadModule(dir, options_.read, errors_);
  if (!module) {
    why = fmt::format("`{}` cannot be read", key);
    return nullptr;
  }
  const ModuleConfig* out = module.get();
  modules_.emplace(key, std::move(module));
  return out;
}

std::optional<std::string> Session::InstalledModule(const std::string& key) const {
  auto it = installed_.find(key);
  if (it == installed_.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool Session::Run() {
  const size_t before = errors_.size();
  std::string why;
  const ModuleConfig* root = LoadModule(root_dir_, why);
  if (root == nullptr) {
    errors_.push_back({root_dir_, 0, 0, why});
    return false;
  }
  if (root->files.empty()) {
    if (errors_.size() == before) {  // else the files that could not be read are named
      errors_.push_back({root_dir_, 0, 0, "the directory holds no Terraform `.tf` files"});
    }
    return false;
  }
  // Modules that `terraform init` installed: .terraform/modules/modules.json.
  const fs::path manifest = fs::path(root_dir_) / ".terraform" / "modules" / "modules.json";
  std::error_code ec;
  if (fs::is_regular_file(manifest, ec) &&
      fs::file_size(manifest, ec) < options_.read.max_file_bytes) {
    std::ifstream in(manifest);
    try {
      const auto json = nlohmann::json::parse(in);
      for (const auto& m : json.value("Modules", nlohmann::json::array())) {
        const std::string k = m.value("Key", "");
        const std::string d = m.value("Dir", "");
        if (!k.empty() && !d.empty()) {
          installed_[k] = (fs::path(root_dir_) / d).lexically_normal().generic_string();
        }
      }
    } catch (const nlohmann::json::exception&) {
      // An unreadable manifest only means remote modules stay unknown.
    }
  }
  root_values_ = ReadVariableFiles(root_dir_, options_.read, budget_, errors_);
  if (errors_.size() != before) {
    return false;  // syntax errors in our files: exit 2 with their positions
  }
  root_ = std::make_unique<ModuleInstance>(*this, *root, "", "", nullptr, nullptr);
  root_->EvaluateAll();
  if (budget_.exhausted) {
    if (budget_.exhausted_file.empty()) {
      errors_.push_back({root_dir_, 0, 0, budget_.exhausted_message});
    } else {
      errors_.push_back({budget_.exhausted_file, budget_.exhausted_pos.line,
                         budget_.exhausted_pos.column, budget_.exhausted_message});
    }
  }
  return errors_.size() == before;
}

}  // namespace cvpn::parsers::hcl
