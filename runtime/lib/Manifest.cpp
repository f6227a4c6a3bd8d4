//===- Manifest.cpp - the launch manifest's schema ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Manifest.h"

#include <cmath>
#include <dirent.h>
#include <fstream>
#include <sstream>

using namespace attn::runtime;

namespace {

using Kind = JsonValue::Kind;

/// Reads members of one object, recording the first problem in `error`.
class Checker {
public:
  Checker(std::string &error) : error(error) {}

  /// Member `key` of `object` (named `where`) of kind `kind`, or null.
  const JsonValue *get(const JsonValue &object, const std::string &where,
                       const char *key, Kind kind, bool optional = false) {
    const JsonValue *value = object.get(key);
    if (!value) {
      if (!optional)
        fail(where + "missing \"" + key + "\"");
      return nullptr;
    }
    if (value->kind != kind) {
      fail(where + key + ": expected " + kindName(kind));
      return nullptr;
    }
    return value;
  }

  /// An integer member in [low, high].
  const JsonValue *integer(const JsonValue &object, const std::string &where,
                           const char *key, long long low, long long high,
                           bool optional = false) {
    const JsonValue *value = get(object, where, key, Kind::Number, optional);
    if (value && (value->number != std::floor(value->number) ||
                  value->number < low || value->number > high)) {
      fail(where + key + ": expected an integer from " + std::to_string(low) +
           " to " + std::to_string(high));
      return nullptr;
    }
    return value;
  }

  bool fail(const std::string &message) {
    if (error.empty())
      error = message;
    return false;
  }
  bool ok() const { return error.empty(); }

private:
  static const char *kindName(Kind kind) {
    switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "a boolean";
    case Kind::Number:
      return "a number";
    case Kind::String:
      return "a string";
    case Kind::Array:
      return "an array";
    case Kind::Object:
      return "an object";
    }
    return "a value";
  }

  std::string &error;
};

constexpr long long kMaxExtent = 1LL << 40;

} // namespace

bool attn::runtime::checkManifest(const JsonValue &m, std::string &error) {
  error.clear();
  Checker c(error);
  if (m.kind != Kind::Object)
    return c.fail("expected an object");
  for (const char *key : {"kernel", "chip", "ptx", "cubin"})
    c.get(m, "", key, Kind::String);
  c.integer(m, "", "dynamic_shared_memory", 0, 1 << 30);
  if (!c.ok())
    return false;

  const JsonValue *params = c.get(m, "", "params", Kind::Array);
  if (params && (params->array.size() < 4 || params->array.size() > 5))
    return c.fail("params: expected 4 or 5 tensors");
  for (size_t i = 0; params && i < params->array.size(); ++i) {
    const JsonValue &p = params->array[i];
    std::string where = "params[" + std::to_string(i) + "].";
    if (p.kind != Kind::Object)
      return c.fail(where + ": expected an object");
    c.get(p, where, "name", Kind::String);
    if (const JsonValue *e = c.get(p, where, "element", Kind::String))
      if (e->string != "bf16" && e->string != "f16" && e->string != "f32")
        c.fail(where + "element: expected bf16, f16 or f32");
    // Q, K, V and O are [B, H, S, D]; the LSE is [B, H, S].
    size_t rank = i < 4 ? 4 : 3;
    const JsonValue *shape = c.get(p, where, "shape", Kind::Array);
    if (shape && shape->array.size() != rank)
      c.fail(where + "shape: expected rank " + std::to_string(rank));
    for (size_t d = 0; shape && d < shape->array.size(); ++d) {
      const JsonValue &extent = shape->array[d];
      if (extent.kind != Kind::Number || extent.number < -1 ||
          extent.number != std::floor(extent.number))
        c.fail(where + "shape: expected sizes (-1 when dynamic)");
    }
  }
  if (!c.ok())
    return false;

  const JsonValue *block = c.get(m, "", "block", Kind::Array);
  if (block && block->array.size() != 3)
    return c.fail("block: expected 3 extents");
  for (size_t d = 0; block && d < 3; ++d)
    if (block->array[d].kind != Kind::Number || block->array[d].number < 1 ||
        block->array[d].number > 1024)
      return c.fail("block: expected extents from 1 to 1024");

  const JsonValue *grid = c.get(m, "", "grid", Kind::Array);
  if (grid && grid->array.size() != 3)
    return c.fail("grid: expected 3 axes");
  for (size_t d = 0; grid && d < 3; ++d) {
    const JsonValue &g = grid->array[d];
    std::string where = "grid[" + std::to_string(d) + "].";
    if (g.kind != Kind::Object)
      return c.fail(where + ": expected an object");
    const JsonValue *param = c.integer(
        g, where, "param", 0, static_cast<long long>(params->array.size()) - 1);
    if (!param)
      return false;
    long long rank = static_cast<long long>(
        params->array[param->asInt()].get("shape")->array.size());
    c.integer(g, where, "dim", 0, rank - 1);
    c.integer(g, where, "divisor", 1, kMaxExtent);
  }
  if (!c.ok())
    return false;

  // The semantics attn-run checks a kernel against.
  if (const JsonValue *a =
          c.get(m, "", "attention", Kind::Object, /*optional=*/true)) {
    c.get(*a, "attention.", "mask", Kind::String);
    c.get(*a, "attention.", "scale", Kind::Number);
    c.get(*a, "attention.", "lse", Kind::Bool);
    c.get(*a, "attention.", "softcap", Kind::Number, /*optional=*/true);
    if (const JsonValue *w = c.get(*a, "attention.", "window", Kind::Array,
                                   /*optional=*/true))
      if (w->array.size() != 2 || w->array[0].kind != Kind::Number ||
          w->array[1].kind != Kind::Number)
        c.fail("attention.window: expected [left, right]");
  }
  return c.ok();
}

bool attn::runtime::readFileBytes(const std::string &path, std::string &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

bool attn::runtime::readManifest(const std::string &dir, JsonValue &manifest,
                                 std::string &error) {
  std::string path;
  DIR *d = opendir(dir.c_str());
  if (!d) {
    error = dir + ": not a readable artifact folder";
    return false;
  }
  while (dirent *entry = readdir(d)) {
    std::string name = entry->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) {
      if (!path.empty()) {
        closedir(d);
        error = dir + ": more than one manifest";
        return false;
      }
      path = dir + "/" + name;
    }
  }
  closedir(d);
  if (path.empty()) {
    error = dir + ": no artifact manifest (<kernel>.json)";
    return false;
  }
  std::string text;
  if (!readFileBytes(path, text)) {
    error = path + ": unreadable";
    return false;
  }
  if (!parseJson(text, manifest, error) || !checkManifest(manifest, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}
