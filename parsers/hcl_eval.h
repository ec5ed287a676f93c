// SPDX-License-Identifier: Apache-2.0
// The HCL expression evaluator: Terraform's operators, templates, for expressions, splats and
// the built-in functions that networking code uses, with Terraform's semantics. Names outside
// the expression (var, local, resources, modules, count, each) come from a Scope. Evaluation is
// bounded: a depth limit and a budget of evaluated nodes shared by a whole load.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "parsers/hcl_syntax.h"
#include "parsers/hcl_value.h"

namespace cvpn::parsers::hcl {

/// Limits shared by everything one load evaluates. Hitting one stops the evaluation (every later
/// step gives the same error) and the load reports it, with the position where it was hit.
struct Budget {
  int64_t nodes_left = 20'000'000;  ///< expression nodes evaluated
  int depth = 0;                    ///< current nesting of evaluations (expressions and objects)
  int max_depth = 400;
  size_t max_elements = 100'000;  ///< elements one collection may hold (range, for, count)
  /// The longest string one expression may build (a repeated string is an attack).
  size_t max_string_bytes = size_t{4} << 20;
  /// The bytes of all strings evaluated, copies included (each reference copies its value).
  int64_t string_bytes_left = int64_t{256} << 20;
  bool exhausted = false;
  std::string exhausted_message;
  /// Where the limit was hit: the file and position of the expression (set by the evaluator).
  std::string exhausted_file;
  Position exhausted_pos;

  /// Stops the evaluation with `message` (the first limit hit wins) and returns its error.
  Value Exceed(std::string message) {
    if (!exhausted) {
      exhausted = true;
      exhausted_message = std::move(message);
    }
    return Value::Error(exhausted_message);
  }
  /// Exceed() where the position is known (outside an expression).
  Value Exceed(std::string message, const std::string& file, Position pos) {
    if (!exhausted) {
      exhausted_file = file;
      exhausted_pos = pos;
    }
    return Exceed(std::move(message));
  }
};

/// Resolves the names an expression refers to.
class Scope {
 public:
  virtual ~Scope() = default;
  /// `root.name`: var.x, local.x, module.x, count.index, each.key, path.module, aws_vpc.main...
  virtual Value Reference(const std::string& root, const std::string& name, Position pos) = 0;
  /// data.type.name
  virtual Value DataReference(const std::string& type, const std::string& name, Position pos) = 0;
  /// module.name.output, or module.name[key].output (`key` null when there is none): one output,
  /// so that a module's outputs are evaluated one at a time, as Terraform does.
  virtual Value ModuleOutput(const std::string& name,
                             const Value* key,
                             const std::string& output,
                             Position pos);
  /// The file being evaluated, for messages.
  virtual const std::string& FileName() const = 0;
};

class Evaluator {
 public:
  Evaluator(Scope& scope, Budget& budget) : scope_(scope), budget_(budget) {}

  Value Eval(const Expr& expr);

  /// Names bound by the caller (a dynamic block's iterator), innermost last.
  void Bind(std::string name, Value value) { bindings_.emplace_back(std::move(name), value); }
  void Unbind() { bindings_.pop_back(); }

 private:
  Value EvalInner(const Expr& expr);
  Value EvalTemplate(const Expr& expr);
  Value EvalFor(const Expr& expr);
  Value EvalBinary(const Expr& expr);
  Value EvalUnary(const Expr& expr);
  Value EvalCall(const Expr& expr);
  Value EvalSplat(const Expr& expr);
  Value EvalGetAttr(const Expr& expr);
  const Value* Bound(const std::string& name) const;
  std::string Where(Position pos) const;

  Scope& scope_;
  Budget& budget_;
  std::vector<std::pair<std::string, Value>> bindings_;
  const Value* splat_item_ = nullptr;
};

/// Calls a built-in function on evaluated arguments. Errors come back as Value::Error.
Value CallFunction(const std::string& name, const std::vector<Value>& args, Budget& budget);

/// Whether `name` is a function CallFunction() knows (try and can are handled by the evaluator).
bool IsKnownFunction(const std::string& name);

/// Index and attribute access with Terraform's rules.
Value IndexValue(const Value& collection, const Value& key);
Value GetAttribute(const Value& object, const std::string& name);

/// Unknown when any argument is: the first reason, every origin.
Value UnknownFrom(const std::vector<const Value*>& values);

}  // namespace cvpn::parsers::hcl
