//===- Json.cpp - a small JSON reader for launch manifests ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Json.h"

#include <cctype>
#include <cstdlib>

using namespace attn::runtime;

const JsonValue *JsonValue::get(const std::string &key) const {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

namespace {
struct Parser {
  const std::string &s;
  size_t i = 0;
  std::string error;

  void skip() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
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
  bool parseString(std::string &out) {
    if (s[i] != '"')
      return fail("expected a string");
    for (++i; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\') {
        if (++i >= s.size())
          break;
        char c = s[i];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += s[i];
      }
    }
    if (i >= s.size())
      return fail("unterminated string");
    ++i;
    return true;
  }
  bool parse(JsonValue &v) {
    skip();
    if (i >= s.size())
      return fail("unexpected end");
    char c = s[i];
    if (c == '{') {
      v.kind = JsonValue::Kind::Object;
      ++i;
      skip();
      if (i < s.size() && s[i] == '}')
        return ++i, true;
      while (true) {
        skip();
        std::string key;
        if (!parseString(key))
          return false;
        skip();
        if (i >= s.size() || s[i++] != ':')
          return fail("expected ':'");
        if (!parse(v.object[key]))
          return false;
        skip();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == '}')
          return ++i, true;
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = JsonValue::Kind::Array;
      ++i;
      skip();
      if (i < s.size() && s[i] == ']')
        return ++i, true;
      while (true) {
        v.array.emplace_back();
        if (!parse(v.array.back()))
          return false;
        skip();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ']')
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
    char *end = nullptr;
    v.number = std::strtod(s.c_str() + i, &end);
    if (end == s.c_str() + i)
      return fail("unexpected character");
    v.kind = JsonValue::Kind::Number;
    i = end - s.c_str();
    return true;
  }
};
} // namespace

bool attn::runtime::parseJson(const std::string &text, JsonValue &value,
                              std::string &error) {
  Parser p{text};
  bool ok = p.parse(value);
  p.skip();
  if (ok && p.i != text.size())
    ok = p.fail("trailing text");
  error = p.error;
  return ok;
}
