// SPDX-License-Identifier: Apache-2.0
#include "parsers/config_yaml.h"

namespace cvpn::parsers {

YAML::Mark PlainYamlNode::Mark() const {
  YAML::Mark mark;
  mark.pos = pos_;
  mark.line = line_;
  mark.column = column_;
  return mark;
}

namespace {

/// The plain scalars YAML reads as null.
bool IsNullWord(const std::string& s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

}  // namespace

/// A recursive descent over lines. Every method returns false to give up; the reader never
/// guesses.
class PlainYamlReader {
 public:
  explicit PlainYamlReader(std::string_view text) : text_(text) {}

  std::optional<PlainYamlNode> Read() {
    if (!SplitLines()) {
      return std::nullopt;
    }
    SkipBlank();
    if (AtEnd() || Indent() != 0) {
      return std::nullopt;
    }
    PlainYamlNode root;
    if (!BlockMap(0, root)) {
      return std::nullopt;
    }
    SkipBlank();
    if (!AtEnd()) {
      return std::nullopt;
    }
    return root;
  }

 private:
  struct Line {
    size_t start;  ///< offset of the line in the text
    size_t size;   ///< without the line break
    size_t indent;
  };

  /// Splits the text into lines; gives up on bytes the reader does not handle.
  bool SplitLines() {
    size_t start = 0;
    for (size_t i = 0; i <= text_.size(); ++i) {
      if (i < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[i]);
        if (c == '\t' || c == '\r' || c >= 0x7FU || (c < 0x20U && c != '\n')) {
          return false;
        }
        if (c != '\n') {
          continue;
        }
      }
      Line line{start, i - start, 0};
      while (line.indent < line.size && text_[start + line.indent] == ' ') {
        ++line.indent;
      }
      lines_.push_back(line);
      start = i + 1;
    }
    return true;
  }

  bool AtEnd() const { return line_ >= lines_.size(); }
  size_t Indent() const { return lines_[line_].indent; }
  /// The current line from `column` on.
  std::string_view Rest(size_t column) const {
    const Line& l = lines_[line_];
    return column >= l.size ? std::string_view() : text_.substr(l.start + column, l.size - column);
  }
  char At(size_t column) const {
    const Line& l = lines_[line_];
    return column < l.size ? text_[l.start + column] : '\0';
  }
  /// Whether nothing but spaces and a comment follows `column` on the current line.
  bool OnlyCommentFrom(size_t column) const {
    const Line& l = lines_[line_];
    size_t c = column;
    while (c < l.size && text_[l.start + c] == ' ') {
      ++c;
    }
    // A comment needs a space before it, or the line start.
    return c >= l.size || (text_[l.start + c] == '#' && (c == 0 || text_[l.start + c - 1] == ' '));
  }
  void SkipBlank() {
    while (!AtEnd() && OnlyCommentFrom(0)) {
      ++line_;
    }
  }
  void Place(PlainYamlNode& node, size_t column) const {
    node.line_ = static_cast<int>(line_);
    node.column_ = static_cast<int>(column);
    node.pos_ = static_cast<int>(lines_[line_].start + column);
  }

  /// A key at `column`: a plain word, then `:` and a space or the line end. Sets `after` to the
  /// column after the colon.
  bool Key(size_t column, PlainYamlNode& key, size_t& after) const {
    size_t c = column;
    auto word = [](char ch, bool first) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
             (!first && ((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'));
    };
    while (word(At(c), c == column)) {
      ++c;
    }
    if (c == column || At(c) != ':' || (At(c + 1) != ' ' && At(c + 1) != '\0')) {
      return false;
    }
    key.type_ = YAML::NodeType::Scalar;
    key.scalar_ = std::string(Rest(column).substr(0, c - column));
    if (IsNullWord(key.scalar_)) {
      return false;  // yaml-cpp reads these as null
    }
    Place(key, column);
    after = c + 1;
    return true;
  }

  /// Whether the line at `column` starts a key (a mapping entry).
  bool LooksLikeKey(size_t column) const {
    PlainYamlNode key;
    size_t after = 0;
    return Key(column, key, after);
  }

  /// A block mapping whose first key is at `column` of the current line, and whose other keys
  /// are at the same column of the lines that follow.
  bool BlockMap(size_t column, PlainYamlNode& map) {
    map.type_ = YAML::NodeType::Map;
    Place(map, column);
    bool first = true;
    while (true) {
      if (!first) {
        SkipBlank();
        if (AtEnd() || Indent() < column) {
          return true;
        }
        if (Indent() > column || !LooksLikeKey(column)) {
          return false;  // a continuation line, or something else where a key belongs
        }
      }
      first = false;
      PlainYamlNode key;
      size_t after = 0;
      if (!Key(column, key, after)) {
        return false;
      }
      for (size_t i = 0; i < map.children_.size(); i += 2) {
        if (map.children_[i].scalar_ == key.scalar_) {
          return false;  // duplicate keys: leave them to yaml-cpp
        }
      }
      PlainYamlNode value;
      if (OnlyCommentFrom(after)) {
        // The value is on the lines that follow: a deeper block, or a sequence at this column.
        ++line_;
        SkipBlank();
        if (AtEnd()) {
          return false;
        }
        const size_t indent = Indent();
        if (indent > column) {
          if (!Block(indent, value)) {
            return false;
          }
        } else if (indent == column && At(column) == '-' && At(column + 1) == ' ') {
          if (!BlockSequence(column, value)) {
            return false;
          }
        } else {
          return false;  // an empty value is null
        }
      } else {
        size_t c = after;
        while (At(c) == ' ') {
          ++c;
        }
        if (!InlineValue(c, value)) {
          return false;
        }
        ++line_;
      }
      map.children_.push_back(std::move(key));
      map.children_.push_back(std::move(value));
    }
  }

  /// A block node starting at `column` of the current line: a sequence or a mapping.
  bool Block(size_t column, PlainYamlNode& node) {
    if (At(column) == '-' && At(column + 1) == ' ') {
      return BlockSequence(column, node);
    }
    if (LooksLikeKey(column)) {
      return BlockMap(column, node);
    }
    return false;
  }

  /// A block sequence whose `- ` entries are at `column`.
  bool BlockSequence(size_t column, PlainYamlNode& seq) {
    seq.type_ = YAML::NodeType::Sequence;
    Place(seq, column);
    while (true) {
      SkipBlank();
      if (AtEnd() || Indent() < column) {
        return true;
      }
      if (Indent() > column) {
        return false;
      }
      if (At(column) != '-' || At(column + 1) != ' ') {
        return true;  // the next key of the mapping around an indentless sequence
      }
      size_t c = column + 1;
      while (At(c) == ' ') {
        ++c;
      }
      PlainYamlNode item;
      if (OnlyCommentFrom(c) || At(c) == '-') {
        return false;  // a null item, an item on the next lines, or a nested sequence
      }
      if (LooksLikeKey(c)) {
        if (!BlockMap(c, item)) {
          return false;
        }
      } else {
        if (!InlineValue(c, item)) {
          return false;
        }
        ++line_;
      }
      seq.children_.push_back(std::move(item));
    }
  }

  /// A value that ends on this line: a flow sequence or a scalar, then at most a comment.
  bool InlineValue(size_t column, PlainYamlNode& node) {
    size_t end = 0;
    if (At(column) == '[') {
      if (!FlowSequence(column, node, end)) {
        return false;
      }
    } else if (!Scalar(column, /*flow=*/false, node, end)) {
      return false;
    }
    return OnlyCommentFrom(end);
  }

  /// `[a, b, ...]` of scalars, on one line; `end` is the column after `]`.
  bool FlowSequence(size_t column, PlainYamlNode& seq, size_t& end) {
    seq.type_ = YAML::NodeType::Sequence;
    Place(seq, column);
    size_t c = column + 1;
    while (At(c) == ' ') {
      ++c;
    }
    if (At(c) == ']') {
      end = c + 1;
      return true;
    }
    while (true) {
      PlainYamlNode item;
      size_t after = 0;
      if (!Scalar(c, /*flow=*/true, item, after)) {
        return false;
      }
      seq.children_.push_back(std::move(item));
      c = after;
      while (At(c) == ' ') {
        ++c;
      }
      if (At(c) == ']') {
        end = c + 1;
        return true;
      }
      if (At(c) != ',') {
        return false;
      }
      ++c;
      while (At(c) == ' ') {
        ++c;
      }
      if (At(c) == ']' || At(c) == ',') {
        return false;  // a trailing or empty entry
      }
    }
  }

  /// A one-line scalar at `column`: plain, or quoted without escapes. `end` is the column after it.
  bool Scalar(size_t column, bool flow, PlainYamlNode& node, size_t& end) const {
    node.type_ = YAML::NodeType::Scalar;
    Place(node, column);
    const char open = At(column);
    if (open == '"' || open == '\'') {
      size_t c = column + 1;
      while (At(c) != '\0' && At(c) != open && At(c) != '\\') {
        ++c;
      }
      if (At(c) != open || At(c + 1) == open) {
        return false;  // unterminated on this line, escaped, or a doubled single quote
      }
      node.scalar_ = std::string(Rest(column + 1).substr(0, c - column - 1));
      end = c + 1;
      return true;
    }
    static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
    if (open == '\0' || open == ' ' || kIndicators.find(open) != std::string_view::npos) {
      return false;
    }
    size_t c = column;
    size_t last = column;  // one past the last non-space character
    while (At(c) != '\0') {
      const char ch = At(c);
      if (ch == '#' && At(c - 1) == ' ') {
        break;  // a comment
      }
      const char next = At(c + 1);
      if (ch == ':' && (next == ' ' || next == '\0' ||
                        (flow && (next == ',' || next == ']' || next == '}')))) {
        return false;  // a mapping where a scalar was expected
      }
      if (flow && (ch == ',' || ch == ']')) {
        break;
      }
      if (flow && (ch == '[' || ch == '{' || ch == '}' || ch == '?')) {
        return false;  // yaml-cpp ends a flow scalar at `?` too
      }
      ++c;
      if (ch != ' ') {
        last = c;
      }
    }
    node.scalar_ = std::string(Rest(column).substr(0, last - column));
    if (IsNullWord(node.scalar_)) {
      return false;  // yaml-cpp reads these as null
    }
    end = last;
    return true;
  }

  std::string_view text_;
  std::vector<Line> lines_;
  size_t line_ = 0;
};

std::optional<PlainYamlNode> ReadPlainYaml(std::string_view text) {
  return PlainYamlReader(text).Read();
}

}  // namespace cvpn::parsers
