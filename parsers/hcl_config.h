// SPDX-License-Identifier: Apache-2.0
// A Terraform module read from its directory: every `.tf` file parsed, its blocks indexed by
// kind (variables, locals, resources, data sources, module calls, outputs). Also the variable
// type constraints and the conversion of values to them, and the variable definition files
// (terraform.tfvars, *.auto.tfvars).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "parsers/hcl_eval.h"
#include "parsers/hcl_syntax.h"

namespace cvpn::parsers::hcl {

/// A resource or data block.
struct ResourceConfig {
  bool data = false;
  std::string type;
  std::string name;
  const Block* block = nullptr;
  const File* file = nullptr;
  std::string Address() const { return (data ? "data." : "") + type + "." + name; }
};

struct NamedBlock {
  const Block* block = nullptr;
  const File* file = nullptr;
};

struct LocalConfig {
  const Attribute* attribute = nullptr;
  const File* file = nullptr;
};

/// One module's configuration (a directory).
struct ModuleConfig {
  std::string dir;  ///< as shown to the user, e.g. "infra/modules/vpc"
  std::vector<std::unique_ptr<File>> files;
  std::map<std::string, NamedBlock, std::less<>> variables;
  std::map<std::string, LocalConfig, std::less<>> locals;
  std::vector<ResourceConfig> resources;  ///< managed and data, in file order
  std::map<std::string, NamedBlock, std::less<>> module_calls;
  std::map<std::string, NamedBlock, std::less<>> outputs;
  std::vector<std::string> call_order;  ///< module call names in file order
};

/// How much source text one load reads. Tree-sitter's HCL grammar takes about a microsecond and
/// 200 bytes of memory per byte of string text, so these bound the time and memory of a parse.
struct ReadLimits {
  size_t max_file_bytes = size_t{1} << 20;   ///< one .tf or .tfvars file
  size_t max_total_bytes = size_t{8} << 20;  ///< every file of every module of the load
  int max_nesting_depth = 200;
  size_t total_read = 0;  ///< bytes read so far, counted against max_total_bytes
};

/// Reads the `.tf` files of `dir` (sorted by name). Syntax errors and duplicate definitions go to
/// `errors`, with file, line and column. Returns null when the directory cannot be listed.
std::unique_ptr<ModuleConfig> ReadModule(const std::string& dir,
                                         ReadLimits& limits,
                                         InputErrors& errors);

/// A variable's type constraint.
struct TypeSpec {
  enum class Kind { kAny, kString, kNumber, kBool, kList, kSet, kMap, kTuple, kObject };
  Kind kind = Kind::kAny;
  std::vector<TypeSpec> elements;     ///< list/set/map: one; tuple: each
  std::vector<std::string> names;     ///< object attribute names (parallel to elements)
  std::vector<bool> optional;         ///< object attributes declared optional()
  std::vector<const Expr*> defaults;  ///< optional() defaults (or null)
  bool IsPrimitive() const {
    return kind == Kind::kString || kind == Kind::kNumber || kind == Kind::kBool;
  }
};

/// Reads a `type = ...` expression. Unknown forms give `any`.
TypeSpec ParseType(const Expr* expr);

/// Converts a value to a type as Terraform does for input variables.
Value ConvertToType(const Value& value, const TypeSpec& type, Budget& budget, int depth = 0);

/// Reads the root module's variable definition files (terraform.tfvars, terraform.tfvars.json,
/// *.auto.tfvars, *.auto.tfvars.json, in Terraform's order); later files win.
std::map<std::string, Value> ReadVariableFiles(const std::string& dir,
                                               ReadLimits& limits,
                                               Budget& budget,
                                               InputErrors& errors);

/// A scope with no names: for constant expressions (tfvars, --var).
class ConstantScope : public Scope {
 public:
  explicit ConstantScope(std::string file) : file_(std::move(file)) {}
  Value Reference(const std::string& root, const std::string& name, Position) override {
    return Value::Error(fmt_reference(root, name));
  }
  Value DataReference(const std::string& type, const std::string& name, Position) override {
    return Value::Error(fmt_reference("data." + type, name));
  }
  const std::string& FileName() const override { return file_; }

 private:
  static std::string fmt_reference(const std::string& root, const std::string& name) {
    return "`" + root + "." + name + "` cannot be used here: only constant values are allowed";
  }
  std::string file_;
};

}  // namespace cvpn::parsers::hcl
