// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_value.h"

#include <charconv>

#include <fmt/format.h>

namespace cvpn::parsers::cfn {

namespace {

constexpr char kOpen = '\x1E';
constexpr char kClose = '\x1F';

}  // namespace

Value Value::Absent(Position at) {
  Value v;
  v.at = at;
  return v;
}

Value Value::Scalar(std::string text, Position at, bool quoted) {
  Value v;
  v.kind = Kind::kScalar;
  v.text = std::move(text);
  v.at = at;
  v.quoted = quoted;
  return v;
}

Value Value::Unknown(std::string why, Position at) {
  Value v;
  v.kind = Kind::kUnknown;
  v.text = std::move(why);
  v.at = at;
  return v;
}

Value Value::List(std::vector<Value> items, Position at) {
  Value v;
  v.kind = Kind::kList;
  v.items = std::move(items);
  v.at = at;
  return v;
}

const MapEntry* Value::GetEntry(std::string_view key) const {
  if (kind != Kind::kMap) {
    return nullptr;
  }
  for (const MapEntry& e : entries) {
    if (e.key == key) {
      return &e;
    }
  }
  return nullptr;
}

const Value* Value::Get(std::string_view key) const {
  const MapEntry* e = GetEntry(key);
  return e == nullptr ? nullptr : &e->value;
}

std::string Value::KindName() const {
  switch (kind) {
    case Kind::kAbsent:
      return "nothing";
    case Kind::kScalar:
      return "a string";
    case Kind::kList:
      return "a list";
    case Kind::kMap:
      return "a mapping";
    case Kind::kUnknown:
      return "an unknown value";
  }
  return "a value";
}

std::string MakeToken(TokenKind kind, int template_index, std::string_view name) {
  std::string out;
  out += kOpen;
  out += static_cast<char>(kind);
  out += std::to_string(template_index);
  out += ':';
  out += name;
  out += kClose;
  return out;
}

std::optional<Token> ParseToken(std::string_view text) {
  if (text.size() < 5 || text.front() != kOpen || text.back() != kClose ||
      text.find(kOpen, 1) != std::string_view::npos) {
    return std::nullopt;
  }
  Token t;
  const char kind = text[1];
  if (kind != 'R' && kind != 'S' && kind != 'N' && kind != 'P') {
    return std::nullopt;
  }
  t.kind = static_cast<TokenKind>(kind);
  const size_t colon = text.find(':', 2);
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto [end, ec] = std::from_chars(text.data() + 2, text.data() + colon, t.template_index);
  if (ec != std::errc() || end != text.data() + colon) {
    return std::nullopt;
  }
  t.name = std::string(text.substr(colon + 1, text.size() - colon - 2));
  return t;
}

bool ContainsToken(std::string_view text) {
  return text.find(kOpen) != std::string_view::npos;
}

std::string Readable(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find(kOpen, i);
    if (open == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const size_t close = text.find(kClose, open);
    if (close == std::string_view::npos) {
      out += text.substr(open + 1);
      break;
    }
    const auto token = ParseToken(text.substr(open, close - open + 1));
    if (token) {
      switch (token->kind) {
        case TokenKind::kResource:
        case TokenKind::kOpaque:
          out += token->name;
          break;
        case TokenKind::kDefaultSecurityGroup:
          out += token->name + ".DefaultSecurityGroup";
          break;
        case TokenKind::kDefaultNetworkAcl:
          out += token->name + ".DefaultNetworkAcl";
          break;
      }
    }
    i = close + 1;
  }
  return out;
}

std::string Shown(std::string_view text) {
  constexpr size_t kMaxShown = 100;
  constexpr size_t kKept = 60;
  std::string out = Readable(text);
  if (out.size() <= kMaxShown) {
    return out;
  }
  size_t cut = kKept;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
    --cut;  // not inside a UTF-8 sequence
  }
  return fmt::format("{}... ({} bytes)", std::string_view(out).substr(0, cut), out.size());
}

}  // namespace cvpn::parsers::cfn
