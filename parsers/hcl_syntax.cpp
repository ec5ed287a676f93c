// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_syntax.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_hcl(void);  // NOLINT(readability-identifier-naming)

namespace cvpn::parsers::hcl {

namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

bool Is(TSNode n, const char* type) {
  return std::strcmp(ts_node_type(n), type) == 0;
}

std::vector<TSNode> Children(TSNode n) {
  std::vector<TSNode> out;
  const uint32_t count = ts_node_child_count(n);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_child(n, i);
    if (!Is(c, "comment")) {
      out.push_back(c);
    }
  }
  return out;
}

bool IsOperator(std::string_view t) {
  static const char* const kOperators[] = {
      "*", "/", "%", "+", "-", "==", "!=", "<", ">", "<=", ">=", "&&", "||"};
  return std::any_of(std::begin(kOperators), std::end(kOperators),
                     [&](const char* op) { return t == op; });
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x110000) {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Template text: `$${` and `%%{` escape the template markers; in quoted strings the backslash
/// escapes of HCL apply as well.
std::string Unescape(std::string_view raw, bool quoted) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
      out.push_back(c);
      out.push_back('{');
      i += 2;
      continue;
    }
    if (!quoted || c != '\\' || i + 1 >= raw.size()) {
      out.push_back(c);
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case 'u':
      case 'U': {
        const size_t digits = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        bool ok = true;
        for (size_t k = 1; ok && k <= digits; ++k) {
          if (i + k >= raw.size()) {
            ok = false;
            break;
          }
          const char h = raw[i + k];
          uint32_t d = 0;
          if (h >= '0' && h <= '9') {
            d = static_cast<uint32_t>(h - '0');
          } else if (h >= 'a' && h <= 'f') {
            d = static_cast<uint32_t>(h - 'a' + 10);
          } else if (h >= 'A' && h <= 'F') {
            d = static_cast<uint32_t>(h - 'A' + 10);
          } else {
            ok = false;
            break;
          }
          cp = cp * 16 + d;
        }
        if (ok) {
          AppendUtf8(out, cp);
          i += digits;
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
        break;
      }
      default:
        out.push_back('\\');
        out.push_back(e);
        break;
    }
  }
  return out;
}

class Converter {
 public:
  Converter(const std::string& text, File& file, const ParseLimits& limits)
      : text_(text), file_(file), limits_(limits) {}

  Position Pos(TSNode n) const {
    const TSPoint p = ts_node_start_point(n);
    return Position{static_cast<int>(p.row) + 1, static_cast<int>(p.column) + 1};
  }

  std::string_view Text(TSNode n) const {
    const uint32_t start = ts_node_start_byte(n);
    const uint32_t end = ts_node_end_byte(n);
    if (end < start || end > text_.size()) {
      return {};
    }
    return std::string_view(text_).substr(start, end - start);
  }

  void Error(TSNode n, std::string message) {
    if (file_.errors.size() < 50) {
      file_.errors.push_back({Pos(n), std::move(message)});
    }
  }

  /// Reports ERROR and MISSING nodes, without recursion.
  void CollectSyntaxErrors(TSNode root) {
    if (!ts_node_has_error(root)) {
      return;
    }
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    bool done = false;
    while (!done) {
      TSNode n = ts_tree_cursor_current_node(&cursor);
      bool descend = ts_node_has_error(n);
      if (ts_node_is_missing(n)) {
        Error(n, fmt::format("syntax error: missing `{}`", ts_node_type(n)));
        descend = false;
      } else if (ts_node_is_error(n)) {
        TSNode first = n;
        while (ts_node_child_count(first) > 0) {
          first = ts_node_child(first, 0);
        }
        std::string_view token = Text(first);
        if (token.empty()) {
          token = Text(n);
        }
        if (token.size() > 40) {
          token = token.substr(0, 40);
        }
        const size_t newline = token.find('\n');
        if (newline != std::string_view::npos) {
          token = token.substr(0, newline);
        }
        Error(n, token.empty() ? std::string("syntax error")
                               : fmt::format("syntax error: unexpected `{}`", token));
        descend = false;
      }
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
        continue;
      }
      while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (!ts_tree_cursor_goto_parent(&cursor)) {
          done = true;
          break;
        }
      }
    }
    ts_tree_cursor_delete(&cursor);
  }

  void ConvertBody(TSNode node, Body& body, int depth) {
    if (depth > limits_.max_depth) {
      Error(node, fmt::format("blocks nest deeper than {} levels", limits_.max_depth));
      return;
    }
    std::map<std::string, Position, std::less<>> set_at;
    for (TSNode child : Children(node)) {
      if (Is(child, "attribute")) {
        Attribute attr;
        attr.pos = Pos(child);
        for (TSNode part : Children(child)) {
          if (Is(part, "identifier")) {
            attr.name = std::string(Text(part));
          } else if (Is(part, "expression")) {
            attr.expr = ConvertExpression(part, depth + 1);
          }
        }
        if (auto [it, first] = set_at.emplace(attr.name, attr.pos); !first && !attr.name.empty()) {
          // HCL's "Attribute redefined": Terraform refuses the file.
          Error(child, fmt::format("`{}` is already set at line {}; an argument is set only once",
                                   attr.name, it->second.line));
          continue;
        }
        if (!attr.name.empty() && attr.expr) {
          body.attributes.push_back(std::move(attr));
        }
      } else if (Is(child, "block")) {
        Block block;
        block.pos = Pos(child);
        bool have_type = false;
        for (TSNode part : Children(child)) {
          if (Is(part, "identifier")) {
            if (!have_type) {
              block.type = std::string(Text(part));
              have_type = true;
            } else {
              block.labels.emplace_back(Text(part));
            }
          } else if (Is(part, "string_lit")) {
            block.labels.push_back(StringLiteral(part));
          } else if (Is(part, "body")) {
            ConvertBody(part, block.body, depth + 1);
          }
        }
        if (have_type) {
          body.blocks.push_back(std::move(block));
        }
      }
    }
  }

  std::string StringLiteral(TSNode node) {
    // quoted_template_start template_literal* quoted_template_end: the raw text in between.
    const auto children = Children(node);
    if (children.size() < 2) {
      return {};
    }
    const uint32_t start = ts_node_end_byte(children.front());
    const uint32_t end = ts_node_start_byte(children.back());
    if (end <= start || end > text_.size()) {
      return {};
    }
    return Unescape(std::string_view(text_).substr(start, end - start), true);
  }

  ExprPtr Make(ExprKind kind, TSNode at) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = Pos(at);
    return e;
  }

  ExprPtr Invalid(TSNode at, const std::string& what) {
    Error(at, what);
    auto e = Make(ExprKind::kLiteral, at);
    e->literal = Value::Unknown(what);
    return e;
  }

  ExprPtr ConvertExpression(TSNode node, int depth) {
    return ConvertSequence(Children(node), 0, Children(node).size(), node, depth);
  }

  /// A term followed by attribute, index and splat steps; or `( expression )` followed by steps.
  ExprPtr ConvertSequence(
      const std::vector<TSNode>& nodes, size_t begin, size_t end, TSNode where, int depth) {
    if (depth > limits_.max_depth) {
      return Invalid(where,
                     fmt::format("the expression nests deeper than {} levels", limits_.max_depth));
    }
    if (begin >= end) {
      return Invalid(where, "syntax error: an expression is missing");
    }
    ExprPtr base;
    size_t i = begin;
    if (Is(nodes[i], "(") && !ts_node_is_named(nodes[i])) {
      size_t close = i + 1;
      while (close < end && !(Is(nodes[close], ")") && !ts_node_is_named(nodes[close]))) {
        ++close;
      }
      if (close - i == 2) {
        base = ConvertTerm(nodes[i + 1], depth + 1);
        base->wrapped = true;
      } else {
        base = ConvertSequence(nodes, i + 1, close, where, depth + 1);
        base->wrapped = true;
      }
      i = close + 1;
    } else {
      base = ConvertTerm(nodes[i], depth + 1);
      ++i;
    }
    for (; i < end; ++i) {
      base = ApplyStep(std::move(base), nodes[i], depth + 1);
    }
    return base;
  }

  ExprPtr ApplyStep(ExprPtr base, TSNode step, int depth) {
    if (Is(step, "get_attr")) {
      auto e = Make(ExprKind::kGetAttr, step);
      for (TSNode c : Children(step)) {
        if (Is(c, "identifier")) {
          e->name = std::string(Text(c));
        }
      }
      e->args.push_back(std::move(base));
      return e;
    }
    if (Is(step, "index")) {
      auto e = Make(ExprKind::kIndex, step);
      e->args.push_back(std::move(base));
      for (TSNode c : Children(step)) {
        if (Is(c, "new_index")) {
          for (TSNode k : Children(c)) {
            if (Is(k, "expression")) {
              e->args.push_back(ConvertExpression(k, depth + 1));
            }
          }
        } else if (Is(c, "legacy_index")) {
          std::string_view digits = Text(c);
          if (!digits.empty() && digits.front() == '.') {
            digits.remove_prefix(1);
          }
          auto key = Make(ExprKind::kLiteral, c);
          key->literal = Value::Number(std::strtod(std::string(digits).c_str(), nullptr));
          e->args.push_back(std::move(key));
        }
      }
      if (e->args.size() != 2) {
        return Invalid(step, "syntax error: an index needs a key");
      }
      return e;
    }
    if (Is(step, "splat")) {
      auto e = Make(ExprKind::kSplat, step);
      e->args.push_back(std::move(base));
      ExprPtr item = Make(ExprKind::kSplatItem, step);
      bool any = false;
      for (TSNode kind : Children(step)) {
        for (TSNode c : Children(kind)) {
          if (Is(c, "get_attr") || Is(c, "index")) {
            item = ApplyStep(std::move(item), c, depth + 1);
            any = true;
          }
        }
      }
      e->args.push_back(any ? std::move(item) : nullptr);
      return e;
    }
    return Invalid(step, fmt::format("syntax error: unexpected `{}`", ts_node_type(step)));
  }

  ExprPtr ConvertTerm(TSNode node, int depth) {
    if (depth > limits_.max_depth) {
      return Invalid(node,
                     fmt::format("the expression nests deeper than {} levels", limits_.max_depth));
    }
    const std::string_view type = ts_node_type(node);
    if (type == "expression") {
      return ConvertExpression(node, depth + 1);
    }
    if (type == "literal_value") {
      const auto children = Children(node);
      if (children.empty()) {
        return Invalid(node, "syntax error: empty literal");
      }
      TSNode lit = children.front();
      auto e = Make(ExprKind::kLiteral, node);
      if (Is(lit, "numeric_lit")) {
        e->literal = Value::Number(std::strtod(std::string(Text(lit)).c_str(), nullptr));
      } else if (Is(lit, "bool_lit")) {
        e->literal = Value::Bool(Text(lit) == "true");
      } else if (Is(lit, "null_lit")) {
        e->literal = Value::Null();
      } else if (Is(lit, "string_lit")) {
        e->literal = Value::String(StringLiteral(lit));
      } else {
        return Invalid(node, "syntax error: unknown literal");
      }
      return e;
    }
    if (type == "template_expr") {
      const auto children = Children(node);
      if (children.empty()) {
        return Invalid(node, "syntax error: empty template");
      }
      return ConvertTemplate(children.front(), depth + 1);
    }
    if (type == "variable_expr") {
      auto e = Make(ExprKind::kVariable, node);
      e->name = std::string(Text(node));
      return e;
    }
    if (type == "collection_value") {
      const auto children = Children(node);
      if (children.empty()) {
        return Invalid(node, "syntax error: empty collection");
      }
      TSNode c = children.front();
      if (Is(c, "tuple")) {
        auto e = Make(ExprKind::kTuple, c);
        for (TSNode item : Children(c)) {
          if (Is(item, "expression")) {
            e->args.push_back(ConvertExpression(item, depth + 1));
          }
        }
        return e;
      }
      auto e = Make(ExprKind::kObject, c);
      for (TSNode elem : Children(c)) {
        if (!Is(elem, "object_elem")) {
          continue;
        }
        TSNode key = ts_node_child_by_field_name(elem, "key", 3);
        TSNode val = ts_node_child_by_field_name(elem, "val", 3);
        if (ts_node_is_null(key) || ts_node_is_null(val)) {
          continue;
        }
        e->args.push_back(ObjectKey(key, depth + 1));
        e->args.push_back(ConvertExpression(val, depth + 1));
      }
      return e;
    }
    if (type == "function_call") {
      auto e = Make(ExprKind::kCall, node);
      for (TSNode c : Children(node)) {
        if (Is(c, "identifier")) {
          e->name += std::string(Text(c));
        } else if (Is(c, "::")) {
          e->name += "::";
        } else if (Is(c, "function_arguments")) {
          for (TSNode a : Children(c)) {
            if (Is(a, "expression")) {
              e->args.push_back(ConvertExpression(a, depth + 1));
            } else if (Is(a, "ellipsis")) {
              e->expand_last = true;
            }
          }
        }
      }
      return e;
    }
    if (type == "for_expr") {
      const auto children = Children(node);
      if (children.empty()) {
        return Invalid(node, "syntax error: empty for expression");
      }
      return ConvertFor(children.front(), depth + 1);
    }
    if (type == "conditional") {
      std::vector<ExprPtr> parts;
      for (TSNode c : Children(node)) {
        if (Is(c, "expression")) {
          parts.push_back(ConvertExpression(c, depth + 1));
        }
      }
      if (parts.size() != 3) {
        return Invalid(node, "syntax error: incomplete conditional");
      }
      // The grammar groups `a ? b : c ? d : e` as `(a ? b : c) ? d : e`; HCL groups to the right.
      while (parts[0]->kind == ExprKind::kConditional && !parts[0]->wrapped) {
        ExprPtr inner = std::move(parts[0]);
        ExprPtr rest = Make(ExprKind::kConditional, node);
        rest->pos = inner->args[2]->pos;
        rest->args.push_back(std::move(inner->args[2]));
        rest->args.push_back(std::move(parts[1]));
        rest->args.push_back(std::move(parts[2]));
        parts[0] = std::move(inner->args[0]);
        parts[1] = std::move(inner->args[1]);
        parts[2] = std::move(rest);
      }
      auto e = Make(ExprKind::kConditional, node);
      e->args = std::move(parts);
      return e;
    }
    if (type == "operation") {
      const auto children = Children(node);
      if (children.empty()) {
        return Invalid(node, "syntax error: empty operation");
      }
      return ConvertOperation(children.front(), depth + 1);
    }
    if (type == "binary_operation" || type == "unary_operation") {
      return ConvertOperation(node, depth + 1);
    }
    if (ts_node_is_error(node) || ts_node_is_missing(node)) {
      auto e = Make(ExprKind::kLiteral, node);
      e->literal = Value::Unknown("the expression has a syntax error");
      return e;
    }
    return Invalid(node, fmt::format("syntax error: unexpected `{}`", type));
  }

  ExprPtr ObjectKey(TSNode key, int depth) {
    // A bare identifier names the attribute itself; anything else is evaluated.
    const auto children = Children(key);
    if (children.size() == 1 && Is(children.front(), "variable_expr")) {
      auto e = Make(ExprKind::kLiteral, key);
      e->literal = Value::String(std::string(Text(children.front())));
      return e;
    }
    return ConvertExpression(key, depth);
  }

  ExprPtr ConvertOperation(TSNode node, int depth) {
    const auto children = Children(node);
    if (Is(node, "unary_operation")) {
      if (children.size() < 2) {
        return Invalid(node, "syntax error: incomplete operation");
      }
      auto e = Make(ExprKind::kUnary, node);
      e->name = std::string(Text(children.front()));
      e->args.push_back(ConvertSequence(children, 1, children.size(), node, depth + 1));
      return e;
    }
    // Find the operator: an unnamed token that is not inside parentheses.
    size_t op = children.size();
    int parens = 0;
    for (size_t i = 0; i < children.size(); ++i) {
      if (ts_node_is_named(children[i])) {
        continue;
      }
      const std::string_view t = ts_node_type(children[i]);
      if (t == "(") {
        ++parens;
      } else if (t == ")") {
        --parens;
      } else if (parens == 0 && IsOperator(t) && i > 0) {
        op = i;
        break;
      }
    }
    if (op == children.size() || op + 1 >= children.size()) {
      return Invalid(node, "syntax error: incomplete operation");
    }
    auto e = Make(ExprKind::kBinary, node);
    e->name = std::string(ts_node_type(children[op]));
    e->args.push_back(ConvertSequence(children, 0, op, node, depth + 1));
    e->args.push_back(ConvertSequence(children, op + 1, children.size(), node, depth + 1));
    return e;
  }

  ExprPtr ConvertFor(TSNode node, int depth) {
    auto e = Make(ExprKind::kFor, node);
    e->object_for = Is(node, "for_object_expr");
    ExprPtr collection;
    std::vector<ExprPtr> values;
    ExprPtr condition;
    for (TSNode c : Children(node)) {
      if (Is(c, "for_intro")) {
        std::vector<std::string> names;
        for (TSNode p : Children(c)) {
          if (Is(p, "identifier")) {
            names.emplace_back(Text(p));
          } else if (Is(p, "expression")) {
            collection = ConvertExpression(p, depth + 1);
          }
        }
        if (names.size() == 2) {
          e->key_var = names[0];
          e->value_var = names[1];
        } else if (names.size() == 1) {
          e->value_var = names[0];
        }
      } else if (Is(c, "expression")) {
        values.push_back(ConvertExpression(c, depth + 1));
      } else if (Is(c, "ellipsis")) {
        e->group = true;
      } else if (Is(c, "for_cond")) {
        for (TSNode p : Children(c)) {
          if (Is(p, "expression")) {
            condition = ConvertExpression(p, depth + 1);
          }
        }
      }
    }
    if (!collection || values.empty() || (e->object_for && values.size() != 2) ||
        e->value_var.empty()) {
      return Invalid(node, "syntax error: incomplete for expression");
    }
    e->args.push_back(std::move(collection));
    if (e->object_for) {
      e->args.push_back(std::move(values[0]));
      e->args.push_back(std::move(values[1]));
    } else {
      e->args.push_back(nullptr);
      e->args.push_back(std::move(values[0]));
    }
    e->args.push_back(std::move(condition));
    return e;
  }

  /// quoted_template or heredoc_template.
  ExprPtr ConvertTemplate(TSNode node, int depth) {
    const auto children = Children(node);
    if (Is(node, "quoted_template")) {
      if (children.size() < 2) {
        return Invalid(node, "syntax error: unterminated string");
      }
      return TemplateRange(node, children, ts_node_end_byte(children.front()),
                           ts_node_start_byte(children.back()), true, depth);
    }
    // heredoc: <<[-]ID \n content ID
    bool flush = false;
    uint32_t start = 0;
    uint32_t end = 0;
    int identifiers = 0;
    for (TSNode c : children) {
      if (Is(c, "heredoc_start")) {
        flush = Text(c).find('-') != std::string_view::npos;
      } else if (Is(c, "heredoc_identifier")) {
        if (identifiers++ == 0) {
          start = ts_node_end_byte(c);
          while (start < text_.size() && text_[start] != '\n') {
            ++start;
          }
          if (start < text_.size()) {
            ++start;
          }
        } else {
          end = ts_node_start_byte(c);
          // The closing identifier may be indented: the content ends at its line's start.
          while (end > start && (text_[end - 1] == ' ' || text_[end - 1] == '\t')) {
            --end;
          }
        }
      }
    }
    if (identifiers < 2 || end < start) {
      return Invalid(node, "syntax error: unterminated heredoc");
    }
    ExprPtr e = TemplateRange(node, children, start, end, false, depth);
    if (flush && e->kind == ExprKind::kTemplate) {
      FlushIndent(*e);
    }
    return e;
  }

  /// The template parts between byte offsets: literal text, interpolations and directives.
  ExprPtr TemplateRange(TSNode where,
                        const std::vector<TSNode>& children,
                        uint32_t start,
                        uint32_t end,
                        bool quoted,
                        int depth) {
    auto e = Make(ExprKind::kTemplate, where);
    if (depth > limits_.max_depth) {
      return Invalid(where,
                     fmt::format("the template nests deeper than {} levels", limits_.max_depth));
    }
    uint32_t at = start;
    bool strip_next = false;
    auto add_text = [&](uint32_t from, uint32_t to) {
      if (to <= from || to > text_.size()) {
        return;
      }
      std::string piece = Unescape(std::string_view(text_).substr(from, to - from), quoted);
      if (strip_next) {
        const size_t first = piece.find_first_not_of(" \t\r\n");
        piece = first == std::string::npos ? std::string() : piece.substr(first);
        strip_next = false;
      }
      e->texts.push_back(std::move(piece));
      e->args.push_back(nullptr);
    };
    auto strip_previous = [&]() {
      if (!e->texts.empty() && !e->args.back()) {
        std::string& prev = e->texts.back();
        const size_t last = prev.find_last_not_of(" \t\r\n");
        prev = last == std::string::npos ? std::string() : prev.substr(0, last + 1);
      }
    };
    for (TSNode c : children) {
      const uint32_t cs = ts_node_start_byte(c);
      if (cs < start || cs >= end) {
        continue;
      }
      const bool interpolation = Is(c, "template_interpolation");
      const bool directive = Is(c, "template_directive");
      if (!interpolation && !directive) {
        continue;
      }
      add_text(at, cs);
      at = ts_node_end_byte(c);
      if (interpolation) {
        bool strip_before = false;
        bool strip_after = false;
        bool seen_expression = false;
        ExprPtr inner;
        for (TSNode p : Children(c)) {
          if (Is(p, "strip_marker")) {
            (seen_expression ? strip_after : strip_before) = true;
          } else if (Is(p, "expression")) {
            inner = ConvertExpression(p, depth + 1);
            seen_expression = true;
          }
        }
        if (strip_before) {
          strip_previous();
        }
        e->texts.emplace_back();
        e->args.push_back(inner ? std::move(inner) : Invalid(c, "syntax error: empty ${}"));
        strip_next = strip_after;
      } else {
        e->texts.emplace_back();
        e->args.push_back(ConvertDirective(c, quoted, depth + 1));
      }
    }
    add_text(at, end);
    return e;
  }

  ExprPtr ConvertDirective(TSNode node, bool quoted, int depth) {
    const auto outer = Children(node);
    if (outer.empty()) {
      return Invalid(node, "syntax error: empty directive");
    }
    TSNode d = outer.front();
    const auto children = Children(d);
    if (Is(d, "template_if")) {
      auto e = Make(ExprKind::kTemplateIf, d);
      ExprPtr condition;
      uint32_t then_start = 0;
      uint32_t then_end = 0;
      uint32_t else_start = 0;
      uint32_t else_end = 0;
      bool has_else = false;
      for (TSNode c : children) {
        if (Is(c, "template_if_intro")) {
          for (TSNode p : Children(c)) {
            if (Is(p, "expression")) {
              condition = ConvertExpression(p, depth + 1);
            }
          }
          then_start = ts_node_end_byte(c);
        } else if (Is(c, "template_else_intro")) {
          then_end = ts_node_start_byte(c);
          else_start = ts_node_end_byte(c);
          has_else = true;
        } else if (Is(c, "template_if_end")) {
          (has_else ? else_end : then_end) = ts_node_start_byte(c);
        }
      }
      if (!condition) {
        return Invalid(d, "syntax error: incomplete %{if}");
      }
      e->args.push_back(std::move(condition));
      e->args.push_back(TemplateRange(d, children, then_start, then_end, quoted, depth + 1));
      e->args.push_back(
          has_else ? TemplateRange(d, children, else_start, else_end, quoted, depth + 1) : nullptr);
      return e;
    }
    if (Is(d, "template_for")) {
      auto e = Make(ExprKind::kTemplateFor, d);
      ExprPtr collection;
      uint32_t body_start = 0;
      uint32_t body_end = 0;
      std::vector<std::string> names;
      for (TSNode c : children) {
        if (Is(c, "template_for_start")) {
          for (TSNode p : Children(c)) {
            if (Is(p, "identifier")) {
              names.emplace_back(Text(p));
            } else if (Is(p, "expression")) {
              collection = ConvertExpression(p, depth + 1);
            }
          }
          body_start = ts_node_end_byte(c);
        } else if (Is(c, "template_for_end")) {
          body_end = ts_node_start_byte(c);
        }
      }
      if (!collection || names.empty()) {
        return Invalid(d, "syntax error: incomplete %{for}");
      }
      if (names.size() == 2) {
        e->key_var = names[0];
      }
      e->value_var = names.back();
      e->args.push_back(std::move(collection));
      e->args.push_back(TemplateRange(d, children, body_start, body_end, quoted, depth + 1));
      return e;
    }
    return Invalid(d, "syntax error: unknown template directive");
  }

  /// `<<-`: removes the smallest indentation of the content's lines.
  static void FlushIndent(Expr& e) {
    // Lines start at the beginning and after each newline inside literal text.
    size_t smallest = std::string::npos;
    bool line_start = true;
    for (size_t i = 0; i < e.texts.size(); ++i) {
      if (e.args[i]) {
        if (line_start) {
          smallest = 0;
        }
        line_start = false;
        continue;
      }
      const std::string& t = e.texts[i];
      size_t pos = 0;
      while (pos <= t.size()) {
        const size_t eol = t.find('\n', pos);
        const size_t stop = eol == std::string::npos ? t.size() : eol;
        if (line_start) {
          size_t spaces = 0;
          while (pos + spaces < stop && (t[pos + spaces] == ' ' || t[pos + spaces] == '\t')) {
            ++spaces;
          }
          const bool blank = pos + spaces == stop && eol != std::string::npos;
          if (!blank && (pos + spaces < stop || i + 1 < e.texts.size())) {
            smallest = std::min(smallest, spaces);
          }
        }
        if (eol == std::string::npos) {
          line_start = false;
          break;
        }
        line_start = true;
        pos = eol + 1;
      }
    }
    if (smallest == std::string::npos || smallest == 0) {
      return;
    }
    line_start = true;
    for (size_t i = 0; i < e.texts.size(); ++i) {
      if (e.args[i]) {
        line_start = false;
        continue;
      }
      std::string out;
      const std::string& t = e.texts[i];
      size_t pos = 0;
      while (pos <= t.size()) {
        const size_t eol = t.find('\n', pos);
        const size_t stop = eol == std::string::npos ? t.size() : eol;
        size_t skip = 0;
        if (line_start) {
          while (skip < smallest && pos + skip < stop &&
                 (t[pos + skip] == ' ' || t[pos + skip] == '\t')) {
            ++skip;
          }
        }
        out.append(t, pos + skip, stop - pos - skip);
        if (eol == std::string::npos) {
          line_start = false;
          break;
        }
        out.push_back('\n');
        line_start = true;
        pos = eol + 1;
      }
      e.texts[i] = std::move(out);
    }
  }

 private:
  const std::string& text_;
  File& file_;
  const ParseLimits& limits_;
};

// --- references --------------------------------------------------------------------------------

bool StaticKey(const Expr& key, nlohmann::json& out) {
  if (key.kind == ExprKind::kLiteral) {
    if (key.literal.IsString()) {
      out = key.literal.AsString();
      return true;
    }
    if (key.literal.IsWholeNumber()) {
      out = key.literal.AsInteger();
      return true;
    }
    return false;
  }
  if (key.kind == ExprKind::kTemplate && key.args.size() <= 1 &&
      std::all_of(key.args.begin(), key.args.end(), [](const ExprPtr& a) { return !a; })) {
    out = key.texts.empty() ? std::string() : key.texts.front();
    return true;
  }
  return false;
}

class ReferenceCollector {
 public:
  explicit ReferenceCollector(std::vector<std::string> bound) : bound_(std::move(bound)) {}

  void Visit(const Expr* e) {
    if (e == nullptr) {
      return;
    }
    switch (e->kind) {
      case ExprKind::kVariable:
      case ExprKind::kGetAttr:
      case ExprKind::kIndex:
        VisitChain(*e);
        return;
      case ExprKind::kFor: {
        Visit(e->args[0].get());
        bound_.push_back(e->value_var);
        if (!e->key_var.empty()) {
          bound_.push_back(e->key_var);
        }
        for (size_t i = 1; i < e->args.size(); ++i) {
          Visit(e->args[i].get());
        }
        bound_.pop_back();
        if (!e->key_var.empty()) {
          bound_.pop_back();
        }
        return;
      }
      case ExprKind::kTemplateFor: {
        Visit(e->args[0].get());
        bound_.push_back(e->value_var);
        if (!e->key_var.empty()) {
          bound_.push_back(e->key_var);
        }
        Visit(e->args[1].get());
        bound_.pop_back();
        if (!e->key_var.empty()) {
          bound_.pop_back();
        }
        return;
      }
      default:
        for (const ExprPtr& a : e->args) {
          Visit(a.get());
        }
        return;
    }
  }

  std::vector<Traversal> out;

 private:
  void VisitChain(const Expr& top) {
    std::vector<const Expr*> chain;
    const Expr* e = &top;
    while (e != nullptr && (e->kind == ExprKind::kGetAttr || e->kind == ExprKind::kIndex)) {
      chain.push_back(e);
      e = e->args[0].get();
    }
    std::reverse(chain.begin(), chain.end());
    if (e == nullptr) {
      return;
    }
    if (e->kind != ExprKind::kVariable) {
      Visit(e);
      for (const Expr* step : chain) {
        if (step->kind == ExprKind::kIndex) {
          Visit(step->args[1].get());
        }
      }
      return;
    }
    Traversal t;
    t.root = e->name;
    t.pos = e->pos;
    bool is_static = true;
    for (const Expr* step : chain) {
      if (!is_static) {
        continue;
      }
      if (step->kind == ExprKind::kGetAttr) {
        t.steps.emplace_back(step->name);
      } else {
        nlohmann::json key;
        if (StaticKey(*step->args[1], key)) {
          t.steps.push_back(nlohmann::json{{"index", key}});
        } else {
          is_static = false;
        }
      }
    }
    if (std::find(bound_.begin(), bound_.end(), t.root) == bound_.end()) {
      out.push_back(std::move(t));
    }
    // Index keys after the collection they index, as HCL lists variables.
    for (const Expr* step : chain) {
      if (step->kind == ExprKind::kIndex) {
        Visit(step->args[1].get());
      }
    }
  }

  std::vector<std::string> bound_;
};

std::string StepText(const nlohmann::json& step) {
  if (step.is_string()) {
    return "." + step.get<std::string>();
  }
  return IndexStep(step["index"]);
}

}  // namespace

const Attribute* Body::Find(const std::string& name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

File ParseHcl(const std::string& path, const std::string& text, const ParseLimits& limits) {
  File file;
  file.path = path;
  if (text.size() > 0xFFFFFFF0U) {
    file.errors.push_back({{1, 1}, "the file is too large to parse"});
    return file;
  }
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  if (!parser || !ts_parser_set_language(parser.get(), tree_sitter_hcl())) {
    file.errors.push_back({{1, 1}, "the HCL parser could not be initialised"});
    return file;
  }
  std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse_string(
      parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  if (!tree) {
    file.errors.push_back({{1, 1}, "the HCL parser gave up on this file"});
    return file;
  }
  Converter converter(text, file, limits);
  const TSNode root = ts_tree_root_node(tree.get());
  converter.CollectSyntaxErrors(root);
  for (TSNode child : Children(root)) {
    if (Is(child, "body")) {
      converter.ConvertBody(child, file.body, 0);
    } else if (Is(child, "object")) {
      converter.Error(child, "a `.tf` file must hold blocks and attributes, not an object");
    }
  }
  std::stable_sort(
      file.errors.begin(), file.errors.end(), [](const SyntaxError& a, const SyntaxError& b) {
        return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
      });
  return file;
}

ExprPtr ParseExpression(const std::string& text, std::string& error) {
  File file = ParseHcl("--var", "v = " + text + "\n");
  if (!file.errors.empty()) {
    error = file.errors.front().message;
    return nullptr;
  }
  if (file.body.attributes.size() != 1 || !file.body.blocks.empty()) {
    error = "not a single expression";
    return nullptr;
  }
  return std::move(file.body.attributes.front().expr);
}

std::vector<Traversal> ReferencesOf(const Expr& expr, const std::vector<std::string>& bound) {
  ReferenceCollector collector(bound);
  collector.Visit(&expr);
  return std::move(collector.out);
}

std::vector<std::string> TerraformReferences(const std::vector<Traversal>& traversals) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) {
      out.push_back(std::move(s));
    }
  };
  for (const Traversal& t : traversals) {
    const auto& steps = t.steps;
    auto attr = [&](size_t i) -> const std::string* {
      return i < steps.size() && steps[i].is_string() ? &steps[i].get_ref<const std::string&>()
                                                      : nullptr;
    };
    auto index = [&](size_t i) -> const nlohmann::json* {
      return i < steps.size() && steps[i].is_object() ? &steps[i]["index"] : nullptr;
    };
    std::string subject;
    std::string extra;
    size_t next = 0;
    if (t.root == "count" || t.root == "each" || t.root == "var" || t.root == "local" ||
        t.root == "path" || t.root == "terraform") {
      const std::string* name = attr(0);
      if (name == nullptr) {
        continue;
      }
      subject = t.root + "." + *name;
      next = 1;
    } else if (t.root == "self") {
      subject = "self";
    } else if (t.root == "module") {
      const std::string* name = attr(0);
      if (name == nullptr) {
        continue;
      }
      subject = "module." + *name;
      next = 1;
      if (const nlohmann::json* key = index(1)) {
        extra = subject;
        subject += IndexStep(*key);
        next = 2;
      }
      if (const std::string* output = attr(next)) {
        extra = subject;
        subject += "." + *output;
        ++next;
      }
    } else {
      std::string resource;
      if (t.root == "data") {
        const std::string* type = attr(0);
        const std::string* name = attr(1);
        if (type == nullptr || name == nullptr) {
          continue;
        }
        resource = "data." + *type + "." + *name;
        next = 2;
      } else {
        const std::string* name = attr(0);
        if (name == nullptr) {
          continue;
        }
        resource = t.root + "." + *name;
        next = 1;
      }
      subject = resource;
      if (const nlohmann::json* key = index(next)) {
        subject += IndexStep(*key);
        extra = resource;
        ++next;
      }
    }
    for (size_t end = steps.size(); end > next; --end) {
      std::string full = subject;
      for (size_t i = next; i < end; ++i) {
        full += StepText(steps[i]);
      }
      add(std::move(full));
    }
    add(subject);
    if (!extra.empty()) {
      add(extra);
    }
  }
  return out;
}

}  // namespace cvpn::parsers::hcl
