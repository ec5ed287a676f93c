// SPDX-License-Identifier: Apache-2.0
// HCL syntax through tree-sitter: a `.tf` file becomes a small syntax tree of bodies, attributes,
// blocks and expressions, each with its 1-based line and column. Tree-sitter's ERROR and MISSING
// nodes become syntax errors with their positions; the rest of the file is still read.
// The tree-sitter grammar is flat where HCL is nested (an expression is a term followed by its
// attribute, index and splat steps; `a ? b : c ? d : e` groups to the left); the conversion here
// builds HCL's own structure.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "parsers/hcl_value.h"

namespace cvpn::parsers::hcl {

struct Position {
  int line = 0;    ///< 1-based
  int column = 0;  ///< 1-based, in bytes
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  kLiteral,      ///< `literal`
  kTemplate,     ///< parts: strings (in `texts`) and expressions, in order; see TemplatePart
  kVariable,     ///< `name`: a root name (var, local, aws_vpc, count, each, ...)
  kGetAttr,      ///< args[0].name
  kIndex,        ///< args[0][args[1]]
  kSplat,        ///< args[0][*] then args[1] applied to each element (args[1] may be null)
  kSplatItem,    ///< the element inside a splat's step chain
  kCall,         ///< name(args...), `expand_last` for `...`
  kTuple,        ///< [args...]
  kObject,       ///< {args[0] = args[1], args[2] = args[3], ...}
  kFor,          ///< see ForClause
  kConditional,  ///< args[0] ? args[1] : args[2]
  kBinary,       ///< args[0] `name` args[1]
  kUnary,        ///< `name` args[0]  ("!" or "-")
  kTemplateIf,   ///< %{ if args[0] } args[1] %{ else } args[2] %{ endif } (args[2] may be null)
  kTemplateFor,  ///< %{ for key, value in args[0] } args[1] %{ endfor }
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Position pos;
  std::string name;
  Value literal;
  std::vector<ExprPtr> args;
  /// kTemplate: for each part, the literal text; the matching entry of `args` is null for text.
  std::vector<std::string> texts;
  bool expand_last = false;  ///< kCall: the last argument ends with `...`
  bool wrapped = false;      ///< in parentheses
  // kFor / kTemplateFor:
  std::string key_var;  ///< empty when only one variable is named
  std::string value_var;
  bool object_for = false;  ///< `{for ...: k => v}`
  bool group = false;       ///< `...` after the value of an object for
  /// kFor: args = [collection, key (object for) or null, value, condition or null]
};

struct Block;

struct Attribute {
  std::string name;
  Position pos;
  ExprPtr expr;
};

struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  const Attribute* Find(const std::string& name) const;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  Position pos;
  Body body;
};

struct SyntaxError {
  Position pos;
  std::string message;
};

/// A parsed file.
struct File {
  std::string path;  ///< as shown to the user
  Body body;
  std::vector<SyntaxError> errors;
};

struct ParseLimits {
  int max_depth = 200;  ///< nesting of expressions and blocks
};

/// Parses HCL text. Never throws; problems go to `File::errors`.
File ParseHcl(const std::string& path, const std::string& text, const ParseLimits& limits = {});

/// Parses a standalone expression (a `--var` value or a tfvars right-hand side).
ExprPtr ParseExpression(const std::string& text, std::string& error);

/// The traversal an expression starts with, if it is a static reference: root name and the
/// steps after it (attribute names and literal index keys), e.g. aws_subnet.a["x"].id.
struct Traversal {
  std::string root;
  std::vector<nlohmann::json> steps;  ///< string: attribute name; {"index": key}: an index
  Position pos;
};

/// Every reference an expression makes, in source order, excluding names bound inside it (for
/// expression variables) and names in `bound`.
std::vector<Traversal> ReferencesOf(const Expr& expr, const std::vector<std::string>& bound = {});

/// Terraform's rendering of references for plan JSON: each reference with its remaining steps
/// stripped one at a time, plus the unkeyed resource or module call (jsonconfig's format).
std::vector<std::string> TerraformReferences(const std::vector<Traversal>& traversals);

}  // namespace cvpn::parsers::hcl
