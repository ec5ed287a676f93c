// SPDX-License-Identifier: Apache-2.0
// Evaluates CloudFormation intrinsic functions where their inputs are known offline: Ref,
// Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::Cidr, Fn::If with Conditions,
// Fn::FindInMap, Fn::GetAZs, Fn::Base64, Fn::ImportValue (against the exports of the other
// inputs). What only deployment decides becomes a token (a resource's ID) or an unknown value
// with the reason; nothing is guessed.
//
// Evaluation is bounded: expressions nest at most kMaxDepth deep, references between resources
// and stacks at most kMaxReferenceDepth, a string built by Fn::Join, Fn::Sub or Fn::Base64 holds
// at most kMaxStringBytes, and the total work and the bytes of all values made are budgeted.
// Cycles among conditions, resources and exports are errors, as CloudFormation rejects them.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"
#include "parsers/cfn_template.h"
#include "parsers/cfn_value.h"

namespace cvpn::parsers::cfn {

/// Where an export's value is declared.
struct ExportSource {
  int template_index = 0;
  NodeId value = kNoNode;
  Position at;
};

class Evaluator {
 public:
  static constexpr int kMaxDepth = 200;
  static constexpr int kMaxReferenceDepth = 24;
  static constexpr long kMaxSteps = 4'000'000;
  /// Templates hold at most 1 MB: a longer string comes from repeating one (an attack).
  static constexpr size_t kMaxStringBytes = size_t{1} << 20;
  /// The bytes of all string values evaluated, copies included.
  static constexpr size_t kMaxBytes = size_t{64} << 20;

  Evaluator(const std::vector<Template>& templates, InputErrors& errors);

  /// Evaluates the expression at `node` of template `t`.
  Value Evaluate(int t, NodeId node);
  /// The value of condition `name` of template `t`: true, false, or unknown with the reason.
  Maybe<bool> ConditionValue(int t, const std::string& name, Position at);
  /// Whether resource `r` of template `t` is created (its Condition).
  Maybe<bool> Exists(int t, size_t r);
  /// The evaluated Properties of resource `r` of template `t` (a mapping, or absent).
  const Value& Properties(int t, size_t r);

  /// The exports other templates may import.
  void SetExports(std::map<std::string, ExportSource> exports) { exports_ = std::move(exports); }
  /// Forgets evaluated values (after the exports changed).
  void Reset();

 private:
  Value Eval(int t, NodeId node, int depth);
  Value EvalNode(int t, const Node& n, int depth);
  /// Whether a string of `size` bytes built by `fn` is too long (reported at `at`).
  bool TooLong(int t, size_t size, const char* fn, Position at);
  Value Call(int t, const Node& node, const Entry& fn, int depth);
  Value Ref(int t, const Value& name, Position at);
  Value GetAtt(int t, const Node& args, Position at, int depth);
  Value Attribute(int t, size_t r, const std::string& attribute, Position at);
  Value Sub(int t, const Node& args, Position at, int depth);
  Value Join(int t, const Node& args, Position at, int depth);
  Value Select(int t, const Node& args, Position at, int depth);
  Value Split(int t, const Node& args, Position at, int depth);
  Value If(int t, const Node& args, Position at, int depth);
  Value FindInMap(int t, const Node& args, Position at, int depth);
  Value GetAZs(int t, NodeId args, Position at, int depth);
  Value Base64(int t, NodeId args, Position at, int depth);
  Value Cidr(int t, const Node& args, Position at, int depth);
  Value ImportValue(int t, NodeId args, Position at, int depth);
  Maybe<bool> Truth(int t, NodeId node, int depth);
  Maybe<bool> Equal(const Value& a, const Value& b, Position at);

  /// The arguments of a list-form function, checked for their number.
  const std::vector<NodeId>* Args(
      int t, const Node& args, const char* fn, size_t min, size_t max, Position at);
  /// A scalar argument (after evaluation); nullopt with `why` set when unknown or invalid.
  std::optional<std::string> ScalarArg(int t, NodeId node, const char* what, int depth, Value& why);
  Value Invalid(int t, Position at, std::string message);
  void Error(int t, Position at, std::string message);

  const std::vector<Template>& templates_;
  InputErrors& errors_;
  std::set<std::tuple<int, int, int, std::string>> reported_;
  std::map<std::string, ExportSource> exports_;
  long steps_ = 0;
  size_t bytes_ = 0;
  bool budget_reported_ = false;
  int references_ = 0;  ///< nesting of resource and export evaluations

  enum class State : uint8_t { kNone, kBusy, kDone };
  struct ConditionMemo {
    State state = State::kNone;
    Maybe<bool> value;
  };
  std::map<std::pair<int, std::string>, ConditionMemo> conditions_;
  struct PropertiesMemo {
    State state = State::kNone;
    Value value;
  };
  std::vector<std::vector<PropertiesMemo>> properties_;
  /// The resources whose properties are being evaluated, outermost first (for cycle messages).
  std::vector<std::pair<int, size_t>> resource_stack_;
  std::set<std::string> imports_busy_;
};

}  // namespace cvpn::parsers::cfn
