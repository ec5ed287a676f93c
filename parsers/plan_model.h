// SPDX-License-Identifier: Apache-2.0
// The resource instances of a Terraform plan or state, with their configuration, and the
// resolution of attribute values through configuration references when the values themselves are
// known only after apply.
#pragma once

#include <map>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "parsers/json_view.h"

namespace cvpn::parsers {

/// The key of a resource instance: none, a count index or a for_each key.
struct InstanceKey {
  enum class Kind { kNone, kIndex, kKey };
  Kind kind = Kind::kNone;
  int64_t index = 0;
  std::string key;

  static InstanceKey Of(JsonView value);
  bool IsNone() const { return kind == Kind::kNone; }
  /// As Terraform writes it in an address: 3, "a" (quoted).
  std::string Text() const;
  friend bool operator==(const InstanceKey&, const InstanceKey&) = default;
  /// Count indices numerically, for_each keys as strings, indices first.
  friend bool operator<(const InstanceKey& a, const InstanceKey& b);
};

/// Where a resource is declared in `.tf` sources.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
};

/// The declarations of a plan's resources, from its `.tf` sources: by instance address, and by
/// configuration address (instance keys removed) for instances the sources expand differently.
struct SourceMap {
  std::map<std::string, SourcePosition, std::less<>> by_address;
  std::map<std::string, SourcePosition, std::less<>> by_config;
};

/// One resource instance of the plan (or state), after apply.
struct PlanInstance {
  std::string address;         ///< module.a[0].aws_subnet.s["x"]
  std::string module_address;  ///< module.a[0]; empty at the root
  std::string type;
  std::string name;
  bool data = false;            ///< a data source
  InstanceKey index;
  JsonView values;         ///< planned or prior values (absent when the plan has none)
  JsonView after_unknown;  ///< change.after_unknown, or absent
  JsonView config;         ///< the configuration block, or absent
  /// Where the resource is declared, when known: from a `cvpn_source` object on the resource
  /// (`{"file": ..., "line": N, "column": N}`), which documents built from `.tf` sources carry,
  /// or from a source map given to the model.
  std::string source_file;
  int source_line = 0;
  int source_column = 0;
  /// Why attributes are unknown, from a `cvpn_unknown` object on the resource (`{"attr":
  /// "reason"}`), which documents built from `.tf` sources carry (an unknown function, a
  /// reference cycle, a remote module, a data source).
  std::map<std::string, std::string, std::less<>> unknown_reasons;
  /// The top-level attributes with something unknown inside (a `true` in after_unknown): the
  /// others are read from `values` alone.
  std::vector<std::string_view> unknown_attributes;
};

/// A step of an attribute path: an object key, or a list index (key empty).
struct PathStep {
  std::string key;
  int index = -1;
};
using AttributePath = std::vector<PathStep>;

/// Where a reference leads: a resource instance and the attribute named after it ("id",
/// "default_security_group_id", "subnet_id", ...; empty for the whole object).
struct RefTarget {
  int instance = -1;
  std::string attribute;
  friend bool operator<(const RefTarget& a, const RefTarget& b) {
    return a.instance != b.instance ? a.instance < b.instance : a.attribute < b.attribute;
  }
  friend bool operator==(const RefTarget&, const RefTarget&) = default;
};

/// What an attribute evaluates to.
struct AttributeValue {
  JsonView known;                  ///< the value, where known (may be a list with some unknowns)
  std::vector<RefTarget> targets;  ///< the instances its configuration references lead to
  std::string unknown;             ///< why it is not known, when neither of the above says
};

/// All instances of one document, indexed, with reference resolution.
class PlanModel {
 public:
  /// Builds the model from a parsed plan or state document, which must outlive it. Type
  /// problems go to `errors`. `sources` says where resources without `cvpn_source` are declared.
  /// `text`, the document's text when there is one, gives messages their positions.
  PlanModel(JsonView document, std::string file, InputErrors& errors,
            const SourceMap* sources = nullptr, std::string_view text = {},
            size_t max_string_bytes = size_t{16} << 20);

  /// The parts of a plan or state document the model reads (JsonDocument::Parse builds only
  /// those): not the values of resource_changes (`before`, `after`, ...), which repeat
  /// planned_values, nor the documents' other members.
  static const JsonSelection& Reads();

  const std::vector<PlanInstance>& Instances() const { return instances_; }
  const PlanInstance& Instance(int i) const { return instances_[static_cast<size_t>(i)]; }

  /// The value of an attribute path of an instance, following configuration references where the
  /// value is known only after apply.
  AttributeValue Attribute(int instance, const AttributePath& path) const;
  AttributeValue Attribute(int instance, std::string_view key) const {
    return Attribute(instance, AttributePath{PathStep{std::string(key), -1}});
  }

  /// The instance whose known `id` (or `arn`, or subnet-group `name`) equals `id`; -1 if none.
  int FindById(const std::string& id) const;

  /// Whether the configuration block of `instance` exists in the plan.
  bool HasConfig(int instance) const { return static_cast<bool>(Instance(instance).config); }

  const std::string& File() const { return file_; }

  /// Where `instance` is in the document's text (its first `"address"`); file empty and line 0
  /// without a text (documents built from `.tf` sources place their errors themselves).
  SourcePosition PositionOf(int instance) const;
  /// Where the resource `address` is in the document's text (its first `"address"`).
  SourcePosition LocateAddress(std::string_view address) const;
  /// Where `needle` first occurs in the document's text; line 0 when it does not.
  SourcePosition Locate(std::string_view needle) const;

 private:
  struct Context {
    std::string module_address;  ///< module instance whose scope the expression lives in
    InstanceKey key;             ///< count.index / each.key of the evaluating object
    JsonView for_each;           ///< for_each_expression of the evaluating object
  };

  void CollectModule(JsonView module, bool from_prior_state, const SourceMap* sources);
  void IndexConfiguration(JsonView module, const std::string& config_path);
  void LinkConfiguration();

  std::vector<RefTarget> ResolveExpression(JsonView expression, const Context& context,
                                           int depth, std::string& unknown) const;
  /// Resolves one reference. `pair_key`, when set, is the key the expression pairs instances
  /// by (count.index, each.key): of a resource's instances, only the one it selects is kept.
  std::vector<RefTarget> ResolveReference(const std::string& reference,
                                          const InstanceKey* pair_key, const Context& context,
                                          int depth, std::string& unknown) const;
  std::vector<RefTarget> ResolveModuleOutput(const std::string& child_module,
                                             const std::string& output, int depth,
                                             std::string& unknown) const;

  std::string file_;
  std::string_view text_;
  size_t max_string_bytes_;
  std::vector<PlanInstance> instances_;
  /// Address -> instance; the views point into the document's strings.
  std::unordered_map<std::string_view, int> by_address_;
  /// module instance address + "|" + type.name (data. prefixed for data sources) -> instances.
  std::map<std::string, std::vector<int>, std::less<>> by_resource_;
  std::map<std::string, int, std::less<>> by_id_;
  /// configuration path ("module.a.module.b") + "|" + resource key -> configuration block.
  std::map<std::string, JsonView, std::less<>> config_resources_;
  /// configuration path of a module ("module.a") -> its module_call object (in the parent).
  std::map<std::string, JsonView, std::less<>> module_calls_;
  /// module instance addresses seen, for module output resolution.
  std::vector<std::string> module_instances_;
  InputErrors& errors_;
};

/// Strips instance keys from a module instance address: module.a[0].module.b["x"] -> module.a.module.b
std::string ConfigPathOf(std::string_view module_address);

/// Splits a Terraform reference into its steps: `module.x["k"].out` -> module, x, ["k"], out.
/// Index steps keep their brackets.
std::vector<std::string> SplitReference(std::string_view reference);

}  // namespace cvpn::parsers
