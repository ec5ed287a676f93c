// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_plan.h"

#include <algorithm>

#include <simdjson.h>

#include "analyzer/json_writer.h"
#include "parsers/hcl_schema.h"

namespace cvpn::parsers::hcl {

namespace {

using Json = nlohmann::json;

/// Where each argument and nested block of a resource is written: {"name": [[line, column],
/// ...]}, one entry per block of that name. Errors the plan loader finds in a value (an invalid
/// CIDR, a port out of range) are then shown where the value is written.
Json AttributePositions(const Body& body) {
  Json out = Json::object();
  for (const Attribute& a : body.attributes) {
    out[a.name].push_back({a.pos.line, a.pos.column});
  }
  for (const Block& b : body.blocks) {
    out[b.type].push_back({b.pos.line, b.pos.column});
  }
  return out;
}

/// `"key":`
void AppendKey(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out += ':';
}

/// Appends `value` as compact JSON, byte for byte as nlohmann::json's dump() with invalid UTF-8
/// replaced, in a fraction of its time.
void AppendCompactJson(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        AppendKey(out, key);
        AppendCompactJson(out, member);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) {
          out += ',';
        }
        first = false;
        AppendCompactJson(out, element);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      AppendJsonString(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::number_integer:
      AppendJsonNumber(out, value.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      AppendJsonNumber(out, value.get<uint64_t>());
      return;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    default:  // null, floating-point numbers (as nlohmann writes them), binary, discarded
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
  }
}

/// `,"key":"value"`
void AppendStringMember(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  AppendKey(out, key);
  AppendJsonString(out, value);
}

/// `,"key":` and `value` as compact JSON.
void AppendJsonMember(std::string& out, std::string_view key, const Json& value) {
  out += ',';
  AppendKey(out, key);
  AppendCompactJson(out, value);
}

/// A known value as plan JSON shows it, written as AppendCompactJson writes its ToJson():
/// unknown attributes of objects are left out, unknown elements of lists are null (their
/// position is how after_unknown matches them).
void AppendPlanValue(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.Fields()) {
        if (!e.IsUnknown()) {
          out += first ? "" : ",";
          first = false;
          AppendKey(out, k);
          AppendPlanValue(out, e);
        }
      }
      out += '}';
      return;
    }
    case Value::Kind::kList:
    case Value::Kind::kSet: {
      out += '[';
      bool first = true;
      for (const Value& e : v.Items()) {
        out += first ? "" : ",";
        first = false;
        if (e.IsUnknown()) {
          out += "null";
        } else {
          AppendPlanValue(out, e);
        }
      }
      out += ']';
      return;
    }
    case Value::Kind::kString:
      AppendJsonString(out, v.AsString());
      return;
    case Value::Kind::kBool:
      out += v.AsBool() ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      if (v.IsWholeNumber()) {
        AppendJsonNumber(out, v.AsInteger());
      } else {
        AppendCompactJson(out, v.ToJson());
      }
      return;
    default:
      out += "null";
      return;
  }
}

bool IsMetaArgument(const std::string& name) {
  return name == "count" || name == "for_each" || name == "provider" || name == "depends_on";
}

bool IsMetaBlock(const std::string& type) {
  return type == "lifecycle" || type == "provisioner" || type == "connection";
}

bool IsCallArgument(const std::string& name) {
  return !(name == "source" || name == "version" || name == "count" || name == "for_each" ||
           name == "providers" || name == "depends_on");
}

class PlanBuilder {
 public:
  explicit PlanBuilder(Session& session) : session_(session) {}

  Plan Build() {
    ModuleInstance& root = *session_.Root();
    Collect(root, 0);
    // Computed in the order the plan was always built (configuration last: its constants draw on
    // the session's budget); written with keys in order, as nlohmann::json wrote them.
    std::string modules;
    ModuleValues(root, 0, modules);
    std::string configuration;
    AppendCompactJson(configuration, ModuleConfiguration(root.Config(), "", 0));
    std::string root_dir;
    AppendJsonString(root_dir, session_.RootDir());
    Plan plan;
    plan.text.reserve(modules.size() + changes_.size() + configuration.size() + root_dir.size() +
                      256 + simdjson::SIMDJSON_PADDING);
    std::string& out = plan.text;
    out += R"({"configuration":{"root_module":)";
    out += configuration;
    out += R"(},"cvpn_sources":)";
    out += root_dir;
    out += R"(,"format_version":"1.2","planned_values":{"root_module":)";
    out += modules;
    out += R"(},"resource_changes":[)";
    out += changes_;
    out += R"json(],"terraform_version":"cvpn-lint (from .tf sources)"})json";
    plan.sources = std::move(sources_);
    return plan;
  }

 private:
  void Collect(ModuleInstance& m, int depth) {
    instances_[m.ConfigPath()].push_back(&m);
    if (depth > 64) {
      return;
    }
    for (const auto& [name, call] : m.Calls()) {
      for (const auto& child : call.instances) {
        Collect(*child, depth + 1);
      }
    }
  }

  /// The module's planned values (address, child_modules, resources) into `out`, its changes
  /// onto changes_: its own resources first, then its children's.
  void ModuleValues(ModuleInstance& m, int depth, std::string& out) {
    std::string resources;
    for (const ResourceState& state : m.Resources()) {
      const ResourceConfig& config = *state.config;
      for (const ResourceInstance& instance : state.instances) {
        const std::string address =
            (m.Address().empty() ? "" : m.Address() + ".") + instance.address;
        AppendResource(m, config, instance, address, resources);
      }
    }
    out += '{';
    if (!m.Address().empty()) {
      AppendKey(out, "address");
      AppendJsonString(out, m.Address());
      out += ',';
    }
    if (depth <= 64) {
      bool first = true;
      for (const std::string& name : m.Config().call_order) {
        const auto it = m.Calls().find(name);
        if (it == m.Calls().end()) {
          continue;
        }
        for (const auto& child : it->second.instances) {
          out += first ? R"("child_modules":[)" : ",";
          first = false;
          ModuleValues(*child, depth + 1, out);
        }
      }
      out += first ? "" : "],";
    }
    out += R"("resources":[)";
    out += resources;
    out += "]}";
  }

  /// One resource instance: its planned values onto `resources`, its change onto changes_.
  void AppendResource(const ModuleInstance& m, const ResourceConfig& config,
                      const ResourceInstance& instance, const std::string& address,
                      std::string& resources) {
    Json unknown = Json::object();
    Json reasons = Json::object();
    for (const auto& [k, v] : instance.shaped) {
      Json marks = v.UnknownMarks();
      if (!marks.is_null()) {
        unknown[k] = std::move(marks);
      }
      if (const Value* u = v.FirstUnknown(); u != nullptr && !u->Reason().empty()) {
        reasons[k] = u->Reason();
      }
    }
    for (const std::string& k : instance.computed) {
      unknown[k] = true;
    }
    const std::string_view mode = config.data ? "data" : "managed";
    const std::string provider = ProviderName(config.type);
    Json source = {{"file", config.file->path},
                   {"line", config.block->pos.line},
                   {"column", config.block->pos.column},
                   {"attributes", AttributePositions(config.block->body)}};

    std::string& r = resources;
    r += r.empty() ? "{" : ",{";
    AppendKey(r, "address");
    AppendJsonString(r, address);
    AppendJsonMember(r, "cvpn_source", source);
    if (!reasons.empty()) {
      AppendJsonMember(r, "cvpn_unknown", reasons);
    }
    if (!instance.key.is_null()) {
      AppendJsonMember(r, "index", instance.key);
    }
    AppendStringMember(r, "mode", mode);
    AppendStringMember(r, "name", config.name);
    AppendStringMember(r, "provider_name", provider);
    r += R"(,"schema_version":0,"sensitive_values":{})";
    AppendStringMember(r, "type", config.type);
    r += R"(,"values":{)";
    bool first = true;
    for (const auto& [k, v] : instance.shaped) {
      if (!v.IsUnknown()) {
        r += first ? "" : ",";
        first = false;
        AppendKey(r, k);
        AppendPlanValue(r, v);
      }
    }
    r += "}}";

    // The plan front end reads only `after_unknown` of a change: `after` (the values again)
    // and the sensitivity marks are left out, which halves what is written and read back.
    std::string& c = changes_;
    c += c.empty() ? "{" : ",{";
    AppendKey(c, "address");
    AppendJsonString(c, address);
    c += R"(,"change":{"actions":[)";
    AppendJsonString(c, config.data ? "read" : "create");
    c += R"(],"after_unknown":)";
    AppendCompactJson(c, unknown);
    c += R"(,"before":null})";
    if (!instance.key.is_null()) {
      AppendJsonMember(c, "index", instance.key);
    }
    AppendStringMember(c, "mode", mode);
    if (!m.Address().empty()) {
      AppendStringMember(c, "module_address", m.Address());
    }
    AppendStringMember(c, "name", config.name);
    AppendStringMember(c, "provider_name", provider);
    AppendStringMember(c, "type", config.type);
    c += '}';
    sources_.emplace(address, std::move(source));
  }

  /// The references of traversals in plan JSON form; `local.*` references, which a plan
  /// cannot follow, are replaced by the references their values come from.
  std::vector<std::string> References(const std::vector<Traversal>& traversals,
                                      const std::string& config_path) {
    std::vector<Traversal> direct;
    std::vector<std::string> out;
    auto add = [&](const std::vector<std::string>& refs) {
      for (const std::string& r : refs) {
        if (std::find(out.begin(), out.end(), r) == out.end()) {
          out.push_back(r);
        }
      }
    };
    for (const Traversal& t : traversals) {
      if (t.root != "local" || t.steps.empty() || !t.steps.front().is_string()) {
        direct.push_back(t);
        continue;
      }
      add(TerraformReferences(direct));
      direct.clear();
      std::vector<Traversal> origins;
      for (ModuleInstance* m : instances_[config_path]) {
        Value v = m->Local(t.steps.front().get<std::string>());
        for (size_t i = 1; i < t.steps.size() && v.IsKnown(); ++i) {
          const Json& step = t.steps[i];
          v = step.is_string() ? GetAttribute(v, step.get<std::string>())
                               : IndexValue(v, Value::FromJson(step["index"]));
        }
        for (const std::string& origin : v.AllOrigins()) {
          origins.push_back(ParseOrigin(origin));
        }
      }
      add(TerraformReferences(origins));
    }
    add(TerraformReferences(direct));
    return out;
  }

  Json ExprJson(const Expr& expr,
                const std::vector<std::string>& bound,
                const std::string& config_path,
                bool suppress) {
    if (suppress) {
      return Json::object();  // an evaluation error: no reference may stand for the value
    }
    const auto traversals = ReferencesOf(expr, bound);
    if (!traversals.empty()) {
      Json out = Json::object();
      const auto refs = References(traversals, config_path);
      if (!refs.empty()) {
        out["references"] = refs;
      }
      return out;
    }
    ConstantScope scope("(constant)");
    Evaluator ev(scope, session_.GetBudget());
    const Value v = ev.Eval(expr);
    if (v.ContainsUnknown()) {
      return Json::object();
    }
    return Json{{"constant_value", v.ToJson()}};
  }

  void CollectTraversals(const Body& body,
                         std::vector<std::string>& bound,
                         std::vector<Traversal>& out,
                         int depth) {
    for (const Attribute& a : body.attributes) {
      auto refs = ReferencesOf(*a.expr, bound);
      out.insert(out.end(), refs.begin(), refs.end());
    }
    if (depth > 64) {
      return;
    }
    for (const Block& b : body.blocks) {
      if (b.type == "dynamic" && !b.labels.empty()) {
        std::string name = b.labels.front();
        if (const Attribute* it = b.body.Find("iterator");
            it != nullptr && it->expr->kind == ExprKind::kVariable) {
          name = it->expr->name;
        }
        if (const Attribute* fe = b.body.Find("for_each")) {
          auto refs = ReferencesOf(*fe->expr, bound);
          out.insert(out.end(), refs.begin(), refs.end());
        }
        bound.push_back(name);
        for (const Block& c : b.body.blocks) {
          if (c.type == "content") {
            CollectTraversals(c.body, bound, out, depth + 1);
          }
        }
        bound.pop_back();
      } else {
        CollectTraversals(b.body, bound, out, depth + 1);
      }
    }
  }

  Json BodyExpressions(const Body& body,
                       const std::string& type,
                       bool top,
                       std::vector<std::string>& bound,
                       const std::string& config_path,
                       const std::set<std::string>& suppressed,
                       const Value* first_instance,
                       int depth) {
    Json out = Json::object();
    for (const Attribute& a : body.attributes) {
      if (top && IsMetaArgument(a.name)) {
        continue;
      }
      out[a.name] = ExprJson(*a.expr, bound, config_path, suppressed.count(a.name) != 0);
    }
    if (depth > 64) {
      return out;
    }
    std::map<std::string, std::vector<const Block*>> groups;
    std::vector<std::string> order;
    for (const Block& b : body.blocks) {
      if (top && IsMetaBlock(b.type)) {
        continue;
      }
      const std::string name =
          b.type == "dynamic" ? (b.labels.empty() ? "" : b.labels.front()) : b.type;
      if (name.empty()) {
        continue;
      }
      if (groups.count(name) == 0) {
        order.push_back(name);
      }
      groups[name].push_back(&b);
    }
    for (const std::string& name : order) {
      const auto& blocks = groups[name];
      if (top && IsAttributeAsBlocks(type, name)) {
        // One expression for every block of the name, as Terraform shows attributes-as-blocks.
        std::vector<Traversal> traversals;
        for (const Block* b : blocks) {
          if (b->type == "dynamic") {
            std::vector<std::string> inner = bound;
            CollectDynamic(*b, inner, traversals, depth);
          } else {
            CollectTraversals(b->body, bound, traversals, depth + 1);
          }
        }
        if (suppressed.count(name) != 0) {
          out[name] = Json::object();
        } else if (!traversals.empty()) {
          const auto refs = References(traversals, config_path);
          out[name] = refs.empty() ? Json::object() : Json{{"references", refs}};
        } else if (first_instance != nullptr && first_instance->Field(name) != nullptr &&
                   !first_instance->Field(name)->ContainsUnknown()) {
          out[name] = Json{{"constant_value", first_instance->Field(name)->ToJson()}};
        } else {
          out[name] = Json::object();
        }
        continue;
      }
      Json list = Json::array();
      for (const Block* b : blocks) {
        if (b->type == "dynamic") {
          std::string iterator = name;
          if (const Attribute* it = b->body.Find("iterator");
              it != nullptr && it->expr->kind == ExprKind::kVariable) {
            iterator = it->expr->name;
          }
          for (const Block& c : b->body.blocks) {
            if (c.type == "content") {
              bound.push_back(iterator);
              list.push_back(
                  BodyExpressions(c.body, "", false, bound, config_path, {}, nullptr, depth + 1));
              bound.pop_back();
            }
          }
        } else {
          list.push_back(
              BodyExpressions(b->body, "", false, bound, config_path, {}, nullptr, depth + 1));
        }
      }
      out[name] = std::move(list);
    }
    return out;
  }

  void CollectDynamic(const Block& b,
                      std::vector<std::string>& bound,
                      std::vector<Traversal>& out,
                      int depth) {
    std::string name = b.labels.empty() ? std::string() : b.labels.front();
    if (const Attribute* it = b.body.Find("iterator");
        it != nullptr && it->expr->kind == ExprKind::kVariable) {
      name = it->expr->name;
    }
    if (const Attribute* fe = b.body.Find("for_each")) {
      auto refs = ReferencesOf(*fe->expr, bound);
      out.insert(out.end(), refs.begin(), refs.end());
    }
    bound.push_back(name);
    for (const Block& c : b.body.blocks) {
      if (c.type == "content") {
        CollectTraversals(c.body, bound, out, depth + 1);
      }
    }
    bound.pop_back();
  }

  Json ModuleConfiguration(const ModuleConfig& config, const std::string& config_path, int depth) {
    Json module = Json::object();
    Json resources = Json::array();
    const auto& instances = instances_[config_path];
    for (size_t i = 0; i < config.resources.size(); ++i) {
      const ResourceConfig& rc = config.resources[i];
      // Attributes whose value is an evaluation error in some instance get no references.
      std::set<std::string> suppressed;
      const Value* first = nullptr;
      Value first_value;
      for (ModuleInstance* m : instances) {
        const ResourceState& state = m->Resources()[i];
        for (const ResourceInstance& inst : state.instances) {
          if (first == nullptr) {
            first_value = Value::Object(inst.shaped);
            first = &first_value;
          }
          for (const auto& [k, v] : inst.shaped) {
            const Value* u = v.FirstUnknown();
            if (u != nullptr && u->IsError()) {
              suppressed.insert(k);
            }
          }
        }
      }
      Json r;
      r["address"] = rc.Address();
      r["mode"] = rc.data ? "data" : "managed";
      r["type"] = rc.type;
      r["name"] = rc.name;
      r["provider_config_key"] = rc.type.substr(0, rc.type.find('_'));
      std::vector<std::string> bound;
      r["expressions"] =
          BodyExpressions(rc.block->body, rc.type, true, bound, config_path, suppressed, first, 0);
      r["schema_version"] = 0;
      if (const Attribute* c = rc.block->body.Find("count")) {
        r["count_expression"] = ExprJson(*c->expr, {}, config_path, false);
      }
      if (const Attribute* fe = rc.block->body.Find("for_each")) {
        r["for_each_expression"] = ExprJson(*fe->expr, {}, config_path, false);
      }
      resources.push_back(std::move(r));
    }
    module["resources"] = std::move(resources);
    Json calls = Json::object();
    for (const std::string& name : config.call_order) {
      const NamedBlock& block = config.module_calls.at(name);
      Json call;
      Json expressions = Json::object();
      for (const Attribute& a : block.block->body.attributes) {
        if (a.name == "source") {
          if (a.expr->kind == ExprKind::kLiteral && a.expr->literal.IsString()) {
            call["source"] = a.expr->literal.AsString();
          } else if (a.expr->kind == ExprKind::kTemplate && a.expr->texts.size() == 1 &&
                     !a.expr->args[0]) {
            call["source"] = a.expr->texts[0];
          }
        } else if (IsCallArgument(a.name)) {
          expressions[a.name] = ExprJson(*a.expr, {}, config_path, false);
        }
      }
      call["expressions"] = std::move(expressions);
      if (const Attribute* c = block.block->body.Find("count")) {
        call["count_expression"] = ExprJson(*c->expr, {}, config_path, false);
      }
      if (const Attribute* fe = block.block->body.Find("for_each")) {
        call["for_each_expression"] = ExprJson(*fe->expr, {}, config_path, false);
      }
      const ModuleConfig* child = nullptr;
      for (ModuleInstance* m : instances) {
        const auto it = m->Calls().find(name);
        if (it != m->Calls().end() && it->second.config != nullptr) {
          child = it->second.config;
        }
      }
      if (child != nullptr && depth < 64) {
        const std::string child_path = config_path.empty() ? name : config_path + "." + name;
        call["module"] = ModuleConfiguration(*child, child_path, depth + 1);
      }
      calls[name] = std::move(call);
    }
    if (!calls.empty()) {
      module["module_calls"] = std::move(calls);
    }
    Json outputs = Json::object();
    for (const auto& [name, block] : config.outputs) {
      const Attribute* value = block.block->body.Find("value");
      if (value != nullptr) {
        outputs[name] = {{"expression", ExprJson(*value->expr, {}, config_path, false)}};
      }
    }
    if (!outputs.empty()) {
      module["outputs"] = std::move(outputs);
    }
    return module;
  }

  Session& session_;
  std::string changes_;  ///< the entries of resource_changes, comma-separated
  std::map<std::string, Json, std::less<>> sources_;
  std::map<std::string, std::vector<ModuleInstance*>> instances_;
};

}  // namespace

Plan BuildPlan(Session& session) {
  return PlanBuilder(session).Build();
}

}  // namespace cvpn::parsers::hcl
