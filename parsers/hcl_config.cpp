// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "parsers/text_position.h"

namespace cvpn::parsers::hcl {

namespace {

namespace fs = std::filesystem;

std::string DisplayPath(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).lexically_normal().generic_string();
}

bool ReadText(const std::string& path, ReadLimits& limits, std::string& text, InputErrors& errors) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const std::string shown = fs::path(path).lexically_normal().generic_string();
  if (!ec && size > limits.max_file_bytes) {
    errors.push_back({shown, 0, 0,
                      fmt::format("the file is {} bytes; cvpn-lint reads Terraform files of up "
                                  "to {} bytes (analyse a plan of this configuration instead)",
                                  size, limits.max_file_bytes)});
    return false;
  }
  if (!ec && limits.total_read + size > limits.max_total_bytes) {
    errors.push_back({shown, 0, 0,
                      fmt::format("the configuration's files add up to more than {} bytes, "
                                  "which cvpn-lint does not read (analyse a plan of it instead)",
                                  limits.max_total_bytes)});
    return false;
  }
  limits.total_read += ec ? 0 : size;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, 0, 0, "cannot be opened for reading"});
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  if (const EncodingProblem bad = FindEncodingProblem(text); bad.Found()) {
    // Terraform reads UTF-8 only; tree-sitter would report a syntax error somewhere near.
    const TextPosition p = PositionOf(text, bad.offset);
    errors.push_back({shown, p.line, p.column, bad.message});
    return false;
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    // A byte-order mark (Windows editors write one) is no HCL token; without it, columns on the
    // first line are the ones an editor shows.
    text.erase(0, 3);
  }
  return true;
}

std::vector<std::string> SortedFiles(const std::string& dir,
                                     const std::vector<std::string>& suffixes,
                                     std::error_code& ec) {
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) {
      continue;
    }
    const std::string name = it->path().filename().string();
    if (name == "override.tf" ||
        (name.size() > 12 && name.compare(name.size() - 12, 12, "_override.tf") == 0)) {
      continue;  // override files merge into other blocks; not evaluated (see hcl_loader.h)
    }
    for (const std::string& suffix : suffixes) {
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
          name.front() != '.') {
        names.push_back(name);
        break;
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Duplicate(InputErrors& errors, const File& file, Position pos, const std::string& what) {
  errors.push_back({file.path, pos.line, pos.column, fmt::format("duplicate {}", what)});
}

}  // namespace

std::unique_ptr<ModuleConfig> ReadModule(const std::string& dir,
                                         ReadLimits& limits,
                                         InputErrors& errors) {
  std::error_code ec;
  const auto names = SortedFiles(dir, {".tf"}, ec);
  if (ec) {
    errors.push_back({dir, 0, 0, fmt::format("cannot list the directory: {}", ec.message())});
    return nullptr;
  }
  auto module = std::make_unique<ModuleConfig>();
  module->dir = fs::path(dir).lexically_normal().generic_string();
  ParseLimits parse_limits;
  parse_limits.max_depth = limits.max_nesting_depth;
  for (const std::string& name : names) {
    const std::string path = DisplayPath(dir, name);
    std::string text;
    if (!ReadText((fs::path(dir) / name).string(), limits, text, errors)) {
      continue;
    }
    auto file = std::make_unique<File>(ParseHcl(path, text, parse_limits));
    for (const SyntaxError& e : file->errors) {
      errors.push_back({path, e.pos.line, e.pos.column, e.message});
    }
    module->files.push_back(std::move(file));
  }
  std::set<std::string, std::less<>> resource_addresses;
  for (const auto& file_ptr : module->files) {
    const File& file = *file_ptr;
    for (const Block& block : file.body.blocks) {
      const std::string& kind = block.type;
      auto need_labels = [&](size_t n) {
        if (block.labels.size() != n) {
          errors.push_back(
              {file.path, block.pos.line, block.pos.column,
               fmt::format("a `{}` block needs {} label{}", kind, n, n == 1 ? "" : "s")});
          return false;
        }
        return true;
      };
      if (kind == "resource" || kind == "data") {
        if (!need_labels(2)) {
          continue;
        }
        ResourceConfig r;
        r.data = kind == "data";
        r.type = block.labels[0];
        r.name = block.labels[1];
        r.block = &block;
        r.file = &file;
        if (!resource_addresses.insert(r.Address()).second) {
          Duplicate(errors, file, block.pos, fmt::format("resource `{}`", r.Address()));
          continue;
        }
        module->resources.push_back(r);
      } else if (kind == "variable" || kind == "module" || kind == "output") {
        if (!need_labels(1)) {
          continue;
        }
        auto& map = kind == "variable" ? module->variables
                    : kind == "module" ? module->module_calls
                                       : module->outputs;
        if (!map.emplace(block.labels[0], NamedBlock{&block, &file}).second) {
          Duplicate(errors, file, block.pos, fmt::format("{} `{}`", kind, block.labels[0]));
          continue;
        }
        if (kind == "module") {
          module->call_order.push_back(block.labels[0]);
        }
      } else if (kind == "locals") {
        for (const Attribute& a : block.body.attributes) {
          if (!module->locals.emplace(a.name, LocalConfig{&a, &file}).second) {
            Duplicate(errors, file, a.pos, fmt::format("local value `{}`", a.name));
          }
        }
      }
      // terraform, provider, moved, import, removed and check blocks do not change what is
      // deployed in ways the checks see.
    }
  }
  return module;
}

TypeSpec ParseType(const Expr* expr) {
  TypeSpec t;
  if (expr == nullptr) {
    return t;
  }
  if (expr->kind == ExprKind::kVariable) {
    if (expr->name == "string")
      t.kind = TypeSpec::Kind::kString;
    if (expr->name == "number")
      t.kind = TypeSpec::Kind::kNumber;
    if (expr->name == "bool")
      t.kind = TypeSpec::Kind::kBool;
    if (expr->name == "list") {
      t.kind = TypeSpec::Kind::kList;
      t.elements.emplace_back();
    }
    if (expr->name == "set") {
      t.kind = TypeSpec::Kind::kSet;
      t.elements.emplace_back();
    }
    if (expr->name == "map") {
      t.kind = TypeSpec::Kind::kMap;
      t.elements.emplace_back();
    }
    return t;
  }
  if (expr->kind != ExprKind::kCall || expr->args.empty()) {
    return t;
  }
  const std::string& f = expr->name;
  if (f == "list" || f == "set" || f == "map") {
    t.kind = f == "list"  ? TypeSpec::Kind::kList
             : f == "set" ? TypeSpec::Kind::kSet
                          : TypeSpec::Kind::kMap;
    t.elements.push_back(ParseType(expr->args[0].get()));
  } else if (f == "tuple" && expr->args[0]->kind == ExprKind::kTuple) {
    t.kind = TypeSpec::Kind::kTuple;
    for (const ExprPtr& e : expr->args[0]->args) {
      t.elements.push_back(ParseType(e.get()));
    }
  } else if (f == "object" && expr->args[0]->kind == ExprKind::kObject) {
    t.kind = TypeSpec::Kind::kObject;
    const auto& args = expr->args[0]->args;
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
      std::string name;
      if (args[i]->kind == ExprKind::kLiteral && args[i]->literal.IsString()) {
        name = args[i]->literal.AsString();
      } else if (args[i]->kind == ExprKind::kVariable) {
        name = args[i]->name;
      }
      const Expr* type_expr = args[i + 1].get();
      bool optional = false;
      const Expr* def = nullptr;
      if (type_expr->kind == ExprKind::kCall && type_expr->name == "optional" &&
          !type_expr->args.empty()) {
        optional = true;
        if (type_expr->args.size() > 1) {
          def = type_expr->args[1].get();
        }
        type_expr = type_expr->args[0].get();
      }
      t.names.push_back(name);
      t.elements.push_back(ParseType(type_expr));
      t.optional.push_back(optional);
      t.defaults.push_back(def);
    }
  }
  return t;
}

Value ConvertToType(const Value& value, const TypeSpec& type, Budget& budget, int depth) {
  if (value.IsUnknown() || value.IsNull() || type.kind == TypeSpec::Kind::kAny) {
    return value;
  }
  if (depth > 32) {
    return Value::Error("the type nests too deeply");
  }
  switch (type.kind) {
    case TypeSpec::Kind::kAny:
      return value;
    case TypeSpec::Kind::kString: {
      const auto s = ToStringValue(value);
      return s ? Value::String(*s)
               : Value::Error(fmt::format("a string is required, not a {}", value.TypeName()));
    }
    case TypeSpec::Kind::kNumber: {
      const auto n = ToNumberValue(value);
      return n ? Value::Number(*n)
               : Value::Error(fmt::format("a number is required, not {}", value.ToJson().dump()));
    }
    case TypeSpec::Kind::kBool: {
      const auto b = ToBoolValue(value);
      return b ? Value::Bool(*b)
               : Value::Error(fmt::format("a bool is required, not {}", value.ToJson().dump()));
    }
    case TypeSpec::Kind::kList:
    case TypeSpec::Kind::kSet:
    case TypeSpec::Kind::kTuple: {
      if (!value.IsSequence()) {
        return Value::Error(fmt::format("a list is required, not a {}", value.TypeName()));
      }
      ValueList items;
      const auto& in = value.Items();
      for (size_t i = 0; i < in.size(); ++i) {
        const TypeSpec& element = type.kind == TypeSpec::Kind::kTuple
                                      ? (i < type.elements.size() ? type.elements[i] : TypeSpec())
                                      : type.elements.front();
        items.push_back(ConvertToType(in[i], element, budget, depth + 1));
      }
      return type.kind == TypeSpec::Kind::kSet ? Value::Set(std::move(items))
                                               : Value::List(std::move(items));
    }
    case TypeSpec::Kind::kMap: {
      if (!value.IsObject()) {
        return Value::Error(fmt::format("a map is required, not a {}", value.TypeName()));
      }
      ValueMap fields;
      for (const auto& [k, v] : value.Fields()) {
        fields.emplace(k, ConvertToType(v, type.elements.front(), budget, depth + 1));
      }
      return Value::Object(std::move(fields));
    }
    case TypeSpec::Kind::kObject: {
      if (!value.IsObject()) {
        return Value::Error(fmt::format("an object is required, not a {}", value.TypeName()));
      }
      ValueMap fields;
      for (size_t i = 0; i < type.names.size(); ++i) {
        const Value* v = value.Field(type.names[i]);
        if (v != nullptr && !v->IsNull()) {
          fields.emplace(type.names[i], ConvertToType(*v, type.elements[i], budget, depth + 1));
        } else if (type.optional[i] && type.defaults[i] != nullptr) {
          ConstantScope scope("variable default");
          Evaluator ev(scope, budget);
          fields.emplace(type.names[i], ConvertToType(ev.Eval(*type.defaults[i]), type.elements[i],
                                                      budget, depth + 1));
        } else if (v != nullptr || type.optional[i]) {
          fields.emplace(type.names[i], Value::Null());
        } else {
          return Value::Error(fmt::format("attribute \"{}\" is required", type.names[i]));
        }
      }
      return Value::Object(std::move(fields));
    }
  }
  return value;
}

std::map<std::string, Value> ReadVariableFiles(const std::string& dir,
                                               ReadLimits& limits,
                                               Budget& budget,
                                               InputErrors& errors) {
  std::map<std::string, Value> out;
  std::error_code ec;
  std::vector<std::string> order;
  for (const char* name : {"terraform.tfvars", "terraform.tfvars.json"}) {
    if (fs::is_regular_file(fs::path(dir) / name, ec)) {
      order.emplace_back(name);
    }
  }
  for (const std::string& name : SortedFiles(dir, {".auto.tfvars", ".auto.tfvars.json"}, ec)) {
    order.push_back(name);
  }
  for (const std::string& name : order) {
    const std::string path = DisplayPath(dir, name);
    std::string text;
    if (!ReadText((fs::path(dir) / name).string(), limits, text, errors)) {
      continue;
    }
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) {
      try {
        const auto json = nlohmann::json::parse(text);
        if (!json.is_object()) {
          errors.push_back({path, 1, 1, "a .tfvars.json file must hold a JSON object"});
          continue;
        }
        for (const auto& [k, v] : json.items()) {
          out[k] = Value::FromJson(v);
        }
      } catch (const nlohmann::json::exception&) {
        errors.push_back({path, 0, 0, "invalid JSON"});
      }
      continue;
    }
    ParseLimits parse_limits;
    parse_limits.max_depth = limits.max_nesting_depth;
    const File file = ParseHcl(path, text, parse_limits);
    for (const SyntaxError& e : file.errors) {
      errors.push_back({path, e.pos.line, e.pos.column, e.message});
    }
    for (const Block& b : file.body.blocks) {
      errors.push_back({path, b.pos.line, b.pos.column,
                        "a variable definitions file holds only `name = value` lines"});
    }
    ConstantScope scope(path);
    Evaluator ev(scope, budget);
    for (const Attribute& a : file.body.attributes) {
      out[a.name] = ev.Eval(*a.expr);
    }
  }
  return out;
}

}  // namespace cvpn::parsers::hcl
