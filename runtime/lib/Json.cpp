//===- Json.cpp - a small JSON reader for launch manifests ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Strict RFC 8259 syntax: manifests come from files anyone can edit, so what
// strtod would also take (nan, inf, hex, a leading '+') is an error, and
// nesting is bounded so that a deep input cannot overflow the stack.
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Json.h"

#include <charconv>
#include <cmath>
#include <string_view>

using namespace attn::runtime;

const JsonValue *JsonValue::get(const std::string &key) const {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

namespace {

/// Deeper than any manifest (they nest four levels).
constexpr int kMaxDepth = 32;

struct Parser {
  const std::string &s;
  size_t i = 0;
  std::string error;

  bool atEnd() const { return i >= s.size(); }
  bool peek(char c) const { return i < s.size() && s[i] == c; }
  static bool isDigit(char c) { return c >= '0' && c <= '9'; }

  void skip() {
    while (i < s.size() &&
           (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
      ++i;
  }
  bool fail(const std::string &what) {
    if (error.empty())
      error = what + " at offset " + std::to_string(i);
    return false;
  }
  bool literal(const char *word) {
    size_t n = std::char_traits<char>::length(word);
    if (s.compare(i, n, word) != 0)
      return false;
    i += n;
    return true;
  }

  /// Appends code point `c` (below 0x10000) as UTF-8.
  static void appendUtf8(std::string &out, unsigned c) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }

  bool parseString(std::string &out) {
    if (!peek('"'))
      return fail("expected a string");
    for (++i; !atEnd() && s[i] != '"'; ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20)
        return fail("control character in a string");
      if (c != '\\') {
        out += s[i];
        continue;
      }
      if (++i >= s.size())
        break;
      switch (s[i]) {
      case '"':
      case '\\':
      case '/':
        out += s[i];
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        unsigned code = 0;
        for (int k = 0; k < 4; ++k) {
          char h = ++i < s.size() ? s[i] : '\0';
          int digit = isDigit(h)               ? h - '0'
                      : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                      : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                               : -1;
          if (digit < 0)
            return fail("bad \\u escape");
          code = code * 16 + digit;
        }
        appendUtf8(out, code);
        break;
      }
      default:
        return fail("bad escape");
      }
    }
    if (atEnd())
      return fail("unterminated string");
    ++i;
    return true;
  }

  /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, converted exactly as
  /// written.
  bool parseNumber(double &out) {
    size_t start = i;
    if (peek('-'))
      ++i;
    auto digits = [&] {
      size_t first = i;
      while (!atEnd() && isDigit(s[i]))
        ++i;
      return i > first;
    };
    if (peek('0'))
      ++i;
    else if (!digits())
      return i = start, fail("unexpected character");
    if (peek('.') && (++i, !digits()))
      return fail("expected digits after '.'");
    if (peek('e') || peek('E')) {
      ++i;
      if (peek('+') || peek('-'))
        ++i;
      if (!digits())
        return fail("expected an exponent");
    }
    // from_chars: unlike strtod, independent of the C locale. Out of
    // range, it leaves `out` alone: an overflow becomes an infinity, an
    // underflow (a negative exponent, or no integer part) zero.
    std::string_view text(s.data() + start, i - start);
    if (std::from_chars(text.data(), text.data() + text.size(), out).ec ==
        std::errc::result_out_of_range) {
      size_t e = text.find_first_of("eE");
      size_t from = text[0] == '-';
      std::string_view digits =
          text.substr(from, e == text.npos ? e : e - from);
      bool tiny = (e != text.npos && text.find('-', e) != text.npos) ||
                  digits.find_first_not_of("0.") >= digits.find('.');
      out = tiny ? 0.0 : HUGE_VAL;
      if (text[0] == '-')
        out = -out;
    }
    return true;
  }

  bool parse(JsonValue &v, int depth) {
    if (depth > kMaxDepth)
      return fail("nested too deeply");
    skip();
    if (atEnd())
      return fail("unexpected end");
    char c = s[i];
    if (c == '{') {
      v.kind = JsonValue::Kind::Object;
      ++i;
      skip();
      if (peek('}'))
        return ++i, true;
      while (true) {
        skip();
        std::string key;
        if (!parseString(key))
          return false;
        skip();
        if (!peek(':'))
          return fail("expected ':'");
        ++i;
        if (v.object.count(key))
          return fail("duplicate member \"" + key + "\"");
        if (!parse(v.object[key], depth + 1))
          return false;
        skip();
        if (peek(',')) {
          ++i;
          continue;
        }
        if (peek('}'))
          return ++i, true;
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = JsonValue::Kind::Array;
      ++i;
      skip();
      if (peek(']'))
        return ++i, true;
      while (true) {
        v.array.emplace_back();
        if (!parse(v.array.back(), depth + 1))
          return false;
        skip();
        if (peek(',')) {
          ++i;
          continue;
        }
        if (peek(']'))
          return ++i, true;
        return fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind = JsonValue::Kind::String;
      return parseString(v.string);
    }
    if (literal("true")) {
      v.kind = JsonValue::Kind::Bool;
      v.boolean = true;
      return true;
    }
    if (literal("false")) {
      v.kind = JsonValue::Kind::Bool;
      return true;
    }
    if (literal("null"))
      return true;
    v.kind = JsonValue::Kind::Number;
    return parseNumber(v.number);
  }
};

} // namespace

bool attn::runtime::parseJson(const std::string &text, JsonValue &value,
                              std::string &error) {
  Parser p{text, 0, {}};
  value = JsonValue();
  bool ok = p.parse(value, 0);
  p.skip();
  if (ok && !p.atEnd())
    ok = p.fail("trailing text");
  error = p.error;
  return ok;
}
