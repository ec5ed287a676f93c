// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_eval.h"

#include <cmath>

#include <fmt/format.h>

namespace cvpn::parsers::hcl {

namespace {

/// Counts one level of evaluation nesting for as long as it lives.
class DepthGuard {
 public:
  explicit DepthGuard(Budget& budget) : budget_(budget) { ++budget_.depth; }
  ~DepthGuard() { --budget_.depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  Budget& budget_;
};

std::vector<std::string> AppendToOrigins(const std::vector<std::string>& origins,
                                         const std::string& suffix) {
  std::vector<std::string> out;
  out.reserve(origins.size());
  for (const std::string& o : origins) {
    out.push_back(o + suffix);
  }
  return out;
}

}  // namespace

Value UnknownFrom(const std::vector<const Value*>& values) {
  std::string reason;
  bool error = false;
  std::vector<std::string> origins;
  for (const Value* v : values) {
    if (v == nullptr) {
      continue;
    }
    const Value* u = v->FirstUnknown();
    if (u == nullptr) {
      continue;
    }
    if (reason.empty() || (u->IsError() && !error)) {
      reason = u->Reason();
      error = u->IsError();
    }
    const auto more = v->AllOrigins();
    origins.insert(origins.end(), more.begin(), more.end());
  }
  if (error) {
    return Value::Error(reason);
  }
  return Value::Unknown(reason, std::move(origins));
}

Value IndexValue(const Value& collection, const Value& key) {
  if (key.IsUnknown()) {
    return UnknownFrom({&key, &collection});
  }
  if (collection.IsUnknown()) {
    if (collection.IsError()) {
      return collection;
    }
    return Value::Unknown(collection.Reason(),
                          AppendToOrigins(collection.Origins(), IndexStep(key.ToJson())));
  }
  if (collection.IsNull()) {
    return Value::Error("cannot index a null value");
  }
  if (collection.IsList()) {
    const auto n = ToNumberValue(key);
    if (!n || std::floor(*n) != *n) {
      return Value::Error(
          fmt::format("a list index must be a whole number, not {}", key.ToJson().dump()));
    }
    const auto& items = collection.Items();
    if (*n < 0 || *n >= static_cast<double>(items.size())) {
      return Value::Error(fmt::format("index {} is out of range for a list of {} elements",
                                      FormatNumber(*n), items.size()));
    }
    return items[static_cast<size_t>(*n)];
  }
  if (collection.IsSet()) {
    return Value::Error("elements of a set cannot be selected by index; convert it with tolist()");
  }
  if (collection.IsObject()) {
    const auto k = ToStringValue(key);
    if (!k) {
      return Value::Error(fmt::format("a map key must be a string, not a {}", key.TypeName()));
    }
    if (const Value* v = collection.Field(*k)) {
      return *v;
    }
    if (!collection.ResourceAddress().empty()) {
      return collection.MissingAttribute(*k);
    }
    return Value::Error(fmt::format("the map has no element with the key \"{}\"", *k));
  }
  return Value::Error(fmt::format("a {} cannot be indexed", collection.TypeName()));
}

Value GetAttribute(const Value& object, const std::string& name) {
  if (object.IsUnknown()) {
    if (object.IsError()) {
      return object;
    }
    return Value::Unknown(object.Reason(), AppendToOrigins(object.Origins(), "." + name));
  }
  if (object.IsObject()) {
    if (const Value* v = object.Field(name)) {
      return *v;
    }
    if (!object.ResourceAddress().empty()) {
      return object.MissingAttribute(name);
    }
    return Value::Error(fmt::format("the object has no attribute `{}`", name));
  }
  if (object.IsNull()) {
    return Value::Error(fmt::format("cannot read the attribute `{}` of a null value", name));
  }
  if (object.IsSequence()) {
    return Value::Error(
        fmt::format("a {} has no attribute `{}`: use `[*].{}` for every element, or an index",
                    object.TypeName(), name, name));
  }
  return Value::Error(fmt::format("a {} has no attribute `{}`", object.TypeName(), name));
}

Value Scope::ModuleOutput(const std::string& name,
                          const Value* key,
                          const std::string& output,
                          Position pos) {
  Value call = Reference("module", name, pos);
  if (key != nullptr) {
    call = IndexValue(call, *key);
  }
  return GetAttribute(call, output);
}

std::string Evaluator::Where(Position pos) const {
  return fmt::format("{}:{}:{}", scope_.FileName(), pos.line, pos.column);
}

const Value* Evaluator::Bound(const std::string& name) const {
  for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
    if (it->first == name) {
      return &it->second;
    }
  }
  return nullptr;
}

Value Evaluator::Eval(const Expr& expr) {
  if (budget_.exhausted) {
    return Value::Error(budget_.exhausted_message);
  }
  Value out;
  if (--budget_.nodes_left < 0) {
    out = budget_.Exceed(
        fmt::format("the configuration needs more than {} evaluation steps; simplify it or "
                    "analyse a plan",
                    Budget().nodes_left));
  } else {
    DepthGuard guard(budget_);
    if (budget_.depth > budget_.max_depth) {
      out = budget_.Exceed(
          fmt::format("expressions and references nest deeper than {} levels", budget_.max_depth));
    } else {
      out = EvalInner(expr);
    }
  }
  if (out.IsString()) {
    // Strings are copied by value: every one evaluated is paid for, so that a list of many
    // references to one long string cannot exhaust memory.
    budget_.string_bytes_left -= static_cast<int64_t>(out.AsString().size());
    if (out.AsString().size() > budget_.max_string_bytes) {
      out =
          budget_.Exceed(fmt::format("this expression builds a string of {} bytes; cvpn-lint "
                                     "handles strings of up to {} bytes",
                                     out.AsString().size(), budget_.max_string_bytes));
    } else if (budget_.string_bytes_left < 0) {
      out = budget_.Exceed(fmt::format("the configuration's strings add up to more than {} MiB",
                                       Budget().string_bytes_left >> 20));
    }
  }
  if (budget_.exhausted && budget_.exhausted_file.empty()) {
    // The innermost expression that saw the limit: a function call, a for expression, ...
    budget_.exhausted_file = scope_.FileName();
    budget_.exhausted_pos = expr.pos;
  }
  return out;
}

Value Evaluator::EvalInner(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return expr.literal;
    case ExprKind::kTemplate:
      return EvalTemplate(expr);
    case ExprKind::kVariable: {
      if (const Value* v = Bound(expr.name)) {
        return *v;
      }
      if (expr.name == "self") {
        return Value::Unknown("`self` is known only inside provisioners");
      }
      return Value::Error(
          fmt::format("`{}` must be followed by an attribute ({})", expr.name, Where(expr.pos)));
    }
    case ExprKind::kGetAttr:
      return EvalGetAttr(expr);
    case ExprKind::kIndex: {
      const Value collection = Eval(*expr.args[0]);
      const Value key = Eval(*expr.args[1]);
      Value out = IndexValue(collection, key);
      if (out.IsError() && !collection.IsError() && !key.IsError()) {
        return Value::Error(fmt::format("{} ({})", out.Reason(), Where(expr.pos)));
      }
      return out;
    }
    case ExprKind::kSplat:
      return EvalSplat(expr);
    case ExprKind::kSplatItem:
      return splat_item_ != nullptr ? *splat_item_ : Value::Error("splat outside a splat");
    case ExprKind::kCall:
      return EvalCall(expr);
    case ExprKind::kTuple: {
      ValueList items;
      items.reserve(expr.args.size());
      for (const ExprPtr& a : expr.args) {
        items.push_back(Eval(*a));
      }
      return Value::List(std::move(items));
    }
    case ExprKind::kObject: {
      ValueMap fields;
      std::vector<Value> unknown_keys;
      for (size_t i = 0; i + 1 < expr.args.size(); i += 2) {
        const Value key = Eval(*expr.args[i]);
        Value value = Eval(*expr.args[i + 1]);
        if (key.IsUnknown()) {
          unknown_keys.push_back(key);
          continue;
        }
        const auto k = ToStringValue(key);
        if (!k) {
          return Value::Error(fmt::format("an object key must be a string, not a {} ({})",
                                          key.TypeName(), Where(expr.args[i]->pos)));
        }
        fields.insert_or_assign(*k, std::move(value));
      }
      if (!unknown_keys.empty()) {
        return UnknownFrom({&unknown_keys.front()});
      }
      return Value::Object(std::move(fields));
    }
    case ExprKind::kFor:
      return EvalFor(expr);
    case ExprKind::kConditional: {
      const Value condition = Eval(*expr.args[0]);
      if (condition.IsUnknown()) {
        const Value a = Eval(*expr.args[1]);
        const Value b = Eval(*expr.args[2]);
        return UnknownFrom({&condition, &a, &b});
      }
      const auto c = ToBoolValue(condition);
      if (!c) {
        return Value::Error(fmt::format("the condition must be true or false, not {} ({})",
                                        condition.TypeName(), Where(expr.pos)));
      }
      return Eval(*expr.args[*c ? 1 : 2]);
    }
    case ExprKind::kBinary:
      return EvalBinary(expr);
    case ExprKind::kUnary:
      return EvalUnary(expr);
    case ExprKind::kTemplateIf:
    case ExprKind::kTemplateFor:
      return Value::Error("a template directive outside a template");
  }
  return Value::Error("unsupported expression");
}

Value Evaluator::EvalGetAttr(const Expr& expr) {
  const Expr& base = *expr.args[0];
  auto is_module_call = [&](const Expr& e) {
    return e.kind == ExprKind::kGetAttr && e.args[0]->kind == ExprKind::kVariable &&
           e.args[0]->name == "module" && Bound("module") == nullptr;
  };
  if (is_module_call(base)) {
    return scope_.ModuleOutput(base.name, nullptr, expr.name, base.pos);
  }
  if (base.kind == ExprKind::kIndex && is_module_call(*base.args[0])) {
    const Value key = Eval(*base.args[1]);
    if (key.IsUnknown()) {
      return key;
    }
    return scope_.ModuleOutput(base.args[0]->name, &key, expr.name, base.pos);
  }
  if (base.kind == ExprKind::kGetAttr && base.args[0]->kind == ExprKind::kVariable &&
      base.args[0]->name == "data" && Bound("data") == nullptr) {
    return scope_.DataReference(base.name, expr.name, base.args[0]->pos);
  }
  if (base.kind == ExprKind::kVariable && Bound(base.name) == nullptr) {
    if (base.name == "data") {
      return Value::Error(fmt::format("`data.{}` must be followed by the data source's name ({})",
                                      expr.name, Where(expr.pos)));
    }
    return scope_.Reference(base.name, expr.name, base.pos);
  }
  const Value object = Eval(base);
  Value out = GetAttribute(object, expr.name);
  if (out.IsError() && !object.IsError()) {
    return Value::Error(fmt::format("{} ({})", out.Reason(), Where(expr.pos)));
  }
  return out;
}

Value Evaluator::EvalSplat(const Expr& expr) {
  const Value source = Eval(*expr.args[0]);
  if (source.IsUnknown()) {
    return source;
  }
  const Expr* step = expr.args[1].get();
  auto apply = [&](const Value& item) {
    if (step == nullptr) {
      return item;
    }
    const Value* saved = splat_item_;
    splat_item_ = &item;
    Value out = Eval(*step);
    splat_item_ = saved;
    return out;
  };
  if (source.IsNull()) {
    return Value::List({});
  }
  if (source.IsSequence()) {
    ValueList out;
    out.reserve(source.Items().size());
    for (const Value& item : source.Items()) {
      out.push_back(apply(item));
    }
    return Value::List(std::move(out));
  }
  return Value::List({apply(source)});
}

Value Evaluator::EvalTemplate(const Expr& expr) {
  // A template that is one interpolation and nothing else gives the value itself.
  size_t parts = 0;
  const Expr* only = nullptr;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    if (expr.args[i] || !expr.texts[i].empty()) {
      ++parts;
      only = expr.args[i].get();
    }
  }
  if (parts == 1 && only != nullptr && only->kind != ExprKind::kTemplateIf &&
      only->kind != ExprKind::kTemplateFor) {
    return Eval(*only);
  }
  std::string out;
  std::vector<Value> unknowns;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    const Expr* part = expr.args[i].get();
    if (part == nullptr) {
      out += expr.texts[i];
      continue;
    }
    Value v;
    if (part->kind == ExprKind::kTemplateIf) {
      const Value condition = Eval(*part->args[0]);
      if (condition.IsUnknown()) {
        v = condition;
      } else if (const auto c = ToBoolValue(condition); !c) {
        return Value::Error(
            fmt::format("the %{{if}} condition must be true or false ({})", Where(part->pos)));
      } else if (*c || part->args[2]) {
        const Expr& branch = *part->args[*c ? 1 : 2];
        v = EvalTemplate(branch);
      } else {
        v = Value::String("");
      }
    } else if (part->kind == ExprKind::kTemplateFor) {
      const Value collection = Eval(*part->args[0]);
      if (collection.IsUnknown()) {
        v = collection;
      } else if (!collection.IsCollection()) {
        return Value::Error(fmt::format("%{{for}} needs a collection, not a {} ({})",
                                        collection.TypeName(), Where(part->pos)));
      } else {
        std::string text;
        auto each = [&](const Value& key, const Value& value) {
          bindings_.emplace_back(part->value_var, value);
          if (!part->key_var.empty()) {
            bindings_.emplace_back(part->key_var, key);
          }
          const Value piece = EvalTemplate(*part->args[1]);
          bindings_.pop_back();
          if (!part->key_var.empty()) {
            bindings_.pop_back();
          }
          return piece;
        };
        std::vector<Value> pieces;
        if (collection.IsObject()) {
          for (const auto& [k, value] : collection.Fields()) {
            pieces.push_back(each(Value::String(k), value));
          }
        } else {
          double index = 0;
          for (const Value& value : collection.Items()) {
            pieces.push_back(each(Value::Number(index), value));
            index += 1;
          }
        }
        v = Value::String("");
        for (const Value& p : pieces) {
          if (p.IsUnknown()) {
            v = p;
            break;
          }
          if (p.IsString() && text.size() + p.AsString().size() > budget_.max_string_bytes) {
            return budget_.Exceed(fmt::format("%{{for}} builds a string of more than {} bytes",
                                              budget_.max_string_bytes));
          }
          text += p.IsString() ? p.AsString() : std::string();
        }
        if (v.IsKnown()) {
          v = Value::String(text);
        }
      }
    } else {
      v = Eval(*part);
    }
    if (v.IsUnknown()) {
      unknowns.push_back(v);
      continue;
    }
    if (v.IsNull()) {
      return Value::Error(
          fmt::format("a template cannot interpolate a null value ({})", Where(part->pos)));
    }
    const auto s = ToStringValue(v);
    if (!s) {
      return Value::Error(
          fmt::format("a template cannot interpolate a {} ({})", v.TypeName(), Where(part->pos)));
    }
    if (out.size() + s->size() > budget_.max_string_bytes) {
      return budget_.Exceed(fmt::format("this template builds a string of more than {} bytes",
                                        budget_.max_string_bytes));
    }
    out += *s;
  }
  if (!unknowns.empty()) {
    std::vector<const Value*> ptrs;
    for (const Value& u : unknowns) {
      ptrs.push_back(&u);
    }
    return UnknownFrom(ptrs);
  }
  return Value::String(std::move(out));
}

Value Evaluator::EvalFor(const Expr& expr) {
  const Value collection = Eval(*expr.args[0]);
  if (collection.IsUnknown()) {
    return collection;
  }
  if (!collection.IsCollection()) {
    return Value::Error(fmt::format("a for expression needs a collection, not a {} ({})",
                                    collection.TypeName(), Where(expr.pos)));
  }
  const Expr* key_expr = expr.args[1].get();
  const Expr& value_expr = *expr.args[2];
  const Expr* condition_expr = expr.args[3].get();
  std::vector<std::pair<Value, Value>> elements;
  if (collection.IsObject()) {
    for (const auto& [k, v] : collection.Fields()) {
      elements.emplace_back(Value::String(k), v);
    }
  } else if (collection.IsSet()) {
    for (const Value& v : collection.Items()) {
      elements.emplace_back(v, v);
    }
  } else {
    double index = 0;
    for (const Value& v : collection.Items()) {
      elements.emplace_back(Value::Number(index), v);
      index += 1;
    }
  }
  if (elements.size() > budget_.max_elements) {
    return budget_.Exceed(
        fmt::format("a for expression over {} elements; cvpn-lint handles at "
                    "most {}",
                    elements.size(), budget_.max_elements));
  }
  ValueList list;
  ValueMap object;
  std::map<std::string, ValueList, std::less<>> groups;
  std::vector<Value> unknowns;
  for (const auto& [key, value] : elements) {
    bindings_.emplace_back(expr.value_var, value);
    if (!expr.key_var.empty()) {
      bindings_.emplace_back(expr.key_var, key);
    }
    bool keep = true;
    if (condition_expr != nullptr) {
      const Value c = Eval(*condition_expr);
      if (c.IsUnknown()) {
        unknowns.push_back(c);
        keep = false;
      } else if (const auto b = ToBoolValue(c); !b) {
        unknowns.push_back(Value::Error(fmt::format(
            "a for expression's condition must be true or false ({})", Where(expr.pos))));
        keep = false;
      } else {
        keep = *b;
      }
    }
    if (keep) {
      if (expr.object_for) {
        const Value k = Eval(*key_expr);
        Value v = Eval(value_expr);
        if (k.IsUnknown()) {
          unknowns.push_back(k);
        } else if (const auto ks = ToStringValue(k); !ks) {
          unknowns.push_back(Value::Error(
              fmt::format("a for expression's key must be a string ({})", Where(expr.pos))));
        } else if (expr.group) {
          groups[*ks].push_back(std::move(v));
        } else if (object.count(*ks) != 0) {
          unknowns.push_back(Value::Error(fmt::format(
              "two elements have the key \"{}\"; add `...` after the value to group them ({})", *ks,
              Where(expr.pos))));
        } else {
          object.emplace(*ks, std::move(v));
        }
      } else {
        list.push_back(Eval(value_expr));
      }
    }
    bindings_.pop_back();
    if (!expr.key_var.empty()) {
      bindings_.pop_back();
    }
  }
  if (!unknowns.empty()) {
    std::vector<const Value*> ptrs;
    for (const Value& u : unknowns) {
      ptrs.push_back(&u);
    }
    return UnknownFrom(ptrs);
  }
  if (!expr.object_for) {
    return Value::List(std::move(list));
  }
  if (expr.group) {
    for (auto& [k, items] : groups) {
      object.emplace(k, Value::List(std::move(items)));
    }
  }
  return Value::Object(std::move(object));
}

Value Evaluator::EvalBinary(const Expr& expr) {
  const std::string& op = expr.name;
  const Value a = Eval(*expr.args[0]);
  if (op == "&&" || op == "||") {
    const auto ab = a.IsKnown() ? ToBoolValue(a) : std::nullopt;
    if (ab && ((op == "&&" && !*ab) || (op == "||" && *ab))) {
      return Value::Bool(*ab);
    }
    const Value b = Eval(*expr.args[1]);
    if (a.IsUnknown() || b.IsUnknown()) {
      return UnknownFrom({&a, &b});
    }
    const auto bb = ToBoolValue(b);
    if (!ab || !bb) {
      return Value::Error(
          fmt::format("`{}` needs true or false on both sides ({})", op, Where(expr.pos)));
    }
    return Value::Bool(op == "&&" ? (*ab && *bb) : (*ab || *bb));
  }
  const Value b = Eval(*expr.args[1]);
  if (op == "==" || op == "!=") {
    if (a.ContainsUnknown() || b.ContainsUnknown()) {
      return UnknownFrom({&a, &b});
    }
    const bool equal = a == b;
    return Value::Bool(op == "==" ? equal : !equal);
  }
  if (a.IsUnknown() || b.IsUnknown()) {
    return UnknownFrom({&a, &b});
  }
  const auto x = ToNumberValue(a);
  const auto y = ToNumberValue(b);
  if (!x || !y) {
    return Value::Error(fmt::format("`{}` needs numbers on both sides, found {} and {} ({})", op,
                                    a.TypeName(), b.TypeName(), Where(expr.pos)));
  }
  if (op == "+")
    return Value::Number(*x + *y);
  if (op == "-")
    return Value::Number(*x - *y);
  if (op == "*")
    return Value::Number(*x * *y);
  if (op == "/" || op == "%") {
    if (*y == 0) {
      return Value::Error(fmt::format("division by zero ({})", Where(expr.pos)));
    }
    return Value::Number(op == "/" ? *x / *y : std::fmod(*x, *y));
  }
  if (op == "<")
    return Value::Bool(*x < *y);
  if (op == ">")
    return Value::Bool(*x > *y);
  if (op == "<=")
    return Value::Bool(*x <= *y);
  if (op == ">=")
    return Value::Bool(*x >= *y);
  return Value::Error(fmt::format("unknown operator `{}` ({})", op, Where(expr.pos)));
}

Value Evaluator::EvalUnary(const Expr& expr) {
  const Value a = Eval(*expr.args[0]);
  if (a.IsUnknown()) {
    return a;
  }
  if (expr.name == "!") {
    const auto b = ToBoolValue(a);
    if (!b) {
      return Value::Error(fmt::format("`!` needs true or false ({})", Where(expr.pos)));
    }
    return Value::Bool(!*b);
  }
  const auto n = ToNumberValue(a);
  if (!n) {
    return Value::Error(fmt::format("`-` needs a number ({})", Where(expr.pos)));
  }
  return Value::Number(-*n);
}

Value Evaluator::EvalCall(const Expr& expr) {
  const std::string& name = expr.name;
  if (name == "try" || name == "can") {
    if (expr.args.empty()) {
      return Value::Error(fmt::format("{}() needs an argument ({})", name, Where(expr.pos)));
    }
    if (name == "can") {
      const Value v = Eval(*expr.args[0]);
      const Value* u = v.FirstUnknown();
      if (u != nullptr) {
        return u->IsError() ? Value::Bool(false) : Value::Unknown(u->Reason(), v.AllOrigins());
      }
      return Value::Bool(true);
    }
    std::string last;
    for (const ExprPtr& a : expr.args) {
      Value v = Eval(*a);
      const Value* u = v.FirstUnknown();
      if (u == nullptr || !u->IsError()) {
        return v;
      }
      last = u->Reason();
    }
    return Value::Error(fmt::format("no argument of try() could be evaluated: {}", last));
  }
  if (name.find("::") != std::string::npos) {
    return Value::Error(
        fmt::format("`{}` is a provider function, which only the provider "
                    "evaluates ({})",
                    name, Where(expr.pos)));
  }
  if (!IsKnownFunction(name)) {
    for (const ExprPtr& a : expr.args) {
      Eval(*a);  // still walk the arguments: their references count
    }
    return Value::Error(
        fmt::format("`{}` is not a function cvpn-lint evaluates ({})", name, Where(expr.pos)));
  }
  std::vector<Value> args;
  args.reserve(expr.args.size());
  for (const ExprPtr& a : expr.args) {
    args.push_back(Eval(*a));
  }
  if (expr.expand_last && !args.empty()) {
    Value last = std::move(args.back());
    args.pop_back();
    if (last.IsUnknown()) {
      return last;
    }
    if (!last.IsSequence()) {
      return Value::Error(
          fmt::format("`...` expands a list, not a {} ({})", last.TypeName(), Where(expr.pos)));
    }
    for (const Value& v : last.Items()) {
      args.push_back(v);
    }
  }
  Value out = CallFunction(name, args, budget_);
  if (out.IsError()) {
    bool argument_error = false;
    for (const Value& a : args) {
      const Value* u = a.FirstUnknown();
      argument_error =
          argument_error || (u != nullptr && u->IsError() && u->Reason() == out.Reason());
    }
    if (!argument_error) {
      return Value::Error(fmt::format("{}(): {} ({})", name, out.Reason(), Where(expr.pos)));
    }
  }
  return out;
}

}  // namespace cvpn::parsers::hcl
