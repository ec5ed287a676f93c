// SPDX-License-Identifier: Apache-2.0
// Static evaluation of a Terraform configuration: module instances, their variables, locals,
// resources, data sources, module calls and outputs, each evaluated once, on demand, in
// Terraform's dependency order (a reference evaluates what it names first). count and for_each
// expand resources and modules over known values. What only apply would tell (IDs, data sources,
// registry modules) stays unknown with its reason; a reference cycle is reported as such.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "parsers/hcl_config.h"

namespace cvpn::parsers::hcl {

struct SessionOptions {
  ReadLimits read;
  std::map<std::string, std::string> cli_variables;  ///< --var KEY=VALUE
  size_t max_instances = 10'000;                     ///< instances of one resource or module block
  /// Resource instances of the whole configuration: about 0.1 ms and 20 kB each, from the
  /// evaluation to the plan the analysis reads.
  size_t max_total_instances = 20'000;
  int max_module_depth = 32;
};

/// One resource or data source instance after evaluation.
struct ResourceInstance {
  nlohmann::json key;   ///< null, a count index or a for_each key
  std::string address;  ///< within its module: aws_subnet.a["x"]
  ValueMap shaped;      ///< attributes as a plan shows them (data sources: the known filters)
  std::set<std::string> computed;  ///< attributes the provider computes (unknown)
};

enum class SlotState { kTodo, kBusy, kDone };

struct ResourceState {
  const ResourceConfig* config = nullptr;
  SlotState state = SlotState::kTodo;
  Value value;
  std::vector<ResourceInstance> instances;
};

struct ValueSlot {
  SlotState state = SlotState::kTodo;
  Value value;
};

class Session;
class ModuleInstance;

/// A module call and the instances it expands to.
struct ModuleCallState {
  const NamedBlock* call = nullptr;
  SlotState state = SlotState::kTodo;
  std::string source;
  const ModuleConfig* config = nullptr;  ///< null when the module's source is not available
  std::string unavailable;               ///< why, when config is null
  bool keyed = false;                    ///< count or for_each
  std::vector<std::unique_ptr<ModuleInstance>> instances;
  ValueSlot whole;  ///< `module.name` as one value
};

/// Scope of one instance of a block: count.index, each.key and each.value, then the module's.
class InstanceScope : public Scope {
 public:
  InstanceScope(ModuleInstance& module, const File* file) : module_(module), file_(file) {}
  std::optional<Value> count_index;
  std::optional<Value> each_key;
  std::optional<Value> each_value;

  Value Reference(const std::string& root, const std::string& name, Position pos) override;
  Value DataReference(const std::string& type, const std::string& name, Position pos) override;
  Value ModuleOutput(const std::string& name,
                     const Value* key,
                     const std::string& output,
                     Position pos) override;
  const std::string& FileName() const override;

 private:
  ModuleInstance& module_;
  const File* file_;
};

class ModuleInstance {
 public:
  ModuleInstance(Session& session,
                 const ModuleConfig& config,
                 std::string address,
                 std::string config_path,
                 ModuleInstance* parent,
                 const NamedBlock* call);

  const ModuleConfig& Config() const { return config_; }
  const std::string& Address() const { return address_; }
  /// Call names from the root, joined with "." (modules.json keys): "" for the root, "vpc.sub".
  const std::string& ConfigPath() const { return config_path_; }
  nlohmann::json instance_key;      ///< this instance's key in its call
  std::optional<Value> call_count;  ///< the call's count.index for this instance
  std::optional<Value> call_each_key;
  std::optional<Value> call_each_value;

  /// Evaluates everything: resources, data sources, module calls (recursively) and outputs.
  void EvaluateAll();

  Value Reference(const std::string& root, const std::string& name, Position pos);
  Value DataReference(const std::string& type, const std::string& name, Position pos);
  Value ModuleOutput(const std::string& name,
                     const Value* key,
                     const std::string& output,
                     Position pos);
  Value Local(const std::string& name);
  Value Var(const std::string& name);
  Value Output(const std::string& name);

  const std::vector<ResourceState>& Resources() const { return resources_; }
  const std::map<std::string, ModuleCallState, std::less<>>& Calls() const { return calls_; }
  ModuleCallState* Call(const std::string& name);
  Session& GetSession() { return session_; }
  const std::string& DefaultFile() const;

 private:
  Value ResourceValue(ResourceState& state);
  void ExpandResource(ResourceState& state);
  ValueMap EvalBody(const Body& body, Evaluator& ev, bool top, int depth);
  /// Reports arguments whose known value has a shape Terraform refuses (a string where the
  /// provider wants a list, a list where it wants a map).
  void CheckShapes(const ResourceConfig& config, const ValueMap& configured);
  Value CallValue(ModuleCallState& call, const std::string& name);
  std::string Label(const std::string& what) const;
  /// Whether `dir` is the directory of this module or of a module that (indirectly) calls it.
  bool CallsAncestor(const std::string& dir) const;

  Session& session_;
  const ModuleConfig& config_;
  std::string address_;
  std::string config_path_;
  ModuleInstance* parent_;
  const NamedBlock* call_;
  std::vector<ResourceState> resources_;
  std::map<std::string, ValueSlot, std::less<>> locals_;
  std::map<std::string, ValueSlot, std::less<>> vars_;
  std::map<std::string, ValueSlot, std::less<>> outputs_;
  std::map<std::string, ModuleCallState, std::less<>> calls_;
};

/// Everything one `cvpn-lint DIR` evaluates.
class Session {
 public:
  Session(std::string root_dir, SessionOptions options, InputErrors& errors);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Reads the root module and evaluates the whole configuration. False when the input could
  /// not be read (errors say why); evaluation problems are unknown values, not errors.
  bool Run();

  ModuleInstance* Root() { return root_.get(); }
  const std::string& RootDir() const { return root_dir_; }
  const SessionOptions& Options() const { return options_; }
  Budget& GetBudget() { return budget_; }
  InputErrors& Errors() { return errors_; }

  /// The module read from `dir` (cached); null with `why` when it cannot be read.
  const ModuleConfig* LoadModule(const std::string& dir, std::string& why);
  /// The directory `terraform init` put a remote module in, from .terraform/modules/modules.json.
  std::optional<std::string> InstalledModule(const std::string& key) const;
  const std::map<std::string, Value>& RootValues() const { return root_values_; }

  /// Entering and leaving the evaluation of a named object, for cycle messages.
  /// Returns the cycle's description when `label` is already being evaluated.
  void Enter(const std::string& label) { stack_.push_back(label); }
  void Leave() { stack_.pop_back(); }
  std::string Cycle(const std::string& label) const;
  /// Reports the cycle that re-enters `label` (declared at `file`:`pos`) as an error, as
  /// Terraform does, and returns its error value.
  Value CycleError(const std::string& label, const std::string& file, Position pos);
  /// Counts `n` more resource instances; false (the evaluation stopped, with an error at
  /// `file`:`pos`) when the configuration has more than max_total_instances.
  bool AddInstances(size_t n, const std::string& file, Position pos);
  /// A fatal problem (a limit, a cycle, an invalid count): reported once per position, stops
  /// nothing but the block.
  void Fatal(const std::string& file, Position pos, const std::string& message);

 private:
  std::string root_dir_;
  SessionOptions options_;
  InputErrors& errors_;
  Budget budget_;
  std::map<std::string, std::unique_ptr<ModuleConfig>, std::less<>> modules_;
  std::map<std::string, std::string, std::less<>> installed_;
  std::map<std::string, Value> root_values_;
  std::vector<std::string> stack_;
  std::set<std::tuple<std::string, int, int>> fatal_at_;
  size_t instances_ = 0;
  std::unique_ptr<ModuleInstance> root_;
};

/// A reference in an origin string (`aws_subnet.a[0].id`, `module.m.out`) split into the form
/// TerraformReferences() takes.
Traversal ParseOrigin(const std::string& origin);

}  // namespace cvpn::parsers::hcl
