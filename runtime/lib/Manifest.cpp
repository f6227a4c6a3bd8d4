//===- Manifest.cpp - the launch manifest, read and checked ---------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Manifest.h"
#include "attn-runtime/Json.h"

#include <cmath>
#include <dirent.h>
#include <fstream>
#include <sstream>

using namespace attn::runtime;

namespace {

using Kind = JsonValue::Kind;

/// Whether `v` is an integer in [low, high] (so the cast to int64_t is
/// exact: NaN and infinities fail the comparisons).
bool isInteger(const JsonValue &v, int64_t low, int64_t high) {
  return v.kind == Kind::Number && v.number >= static_cast<double>(low) &&
         v.number <= static_cast<double>(high) &&
         v.number == std::floor(v.number);
}

/// A name the runtime may join to the artifact folder: no separators, no
/// "." or "..", no control characters.
bool isPlainFileName(const std::string &name) {
  if (name.empty() || name == "." || name == "..")
    return false;
  for (char c : name)
    if (c == '/' || static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

/// "sm_<2 or 3 digits>", with an "a" when the code uses features of that
/// chip alone; the compute capability times ten, or -1.
int chipCapability(const std::string &chip) {
  if (chip.rfind("sm_", 0) != 0)
    return -1;
  size_t end = chip.size() - (chip.back() == 'a' ? 1 : 0);
  if (end < 5 || end > 6)
    return -1;
  int capability = 0;
  for (size_t i = 3; i < end; ++i) {
    if (chip[i] < '0' || chip[i] > '9')
      return -1;
    capability = capability * 10 + (chip[i] - '0');
  }
  return capability;
}

/// Reads typed members of JSON objects, keeping the first problem found.
class Reader {
public:
  explicit Reader(std::string &error) : error(error) {}

  /// Member `key` of `object` (named by prefix `where`) of kind `kind`;
  /// null when absent (an error unless optional) or of another kind.
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

  void string(const JsonValue &object, const std::string &where,
              const char *key, std::string &out) {
    if (const JsonValue *v = get(object, where, key, Kind::String))
      out = v->string;
  }

  /// An integer member in [low, high].
  template <typename T>
  void integer(const JsonValue &object, const std::string &where,
               const char *key, int64_t low, int64_t high, T &out) {
    const JsonValue *v = get(object, where, key, Kind::Number);
    if (!v)
      return;
    if (!isInteger(*v, low, high)) {
      fail(where + key + ": expected an integer from " + std::to_string(low) +
           " to " + std::to_string(high));
      return;
    }
    out = static_cast<T>(v->number);
  }

  /// A finite number member.
  void finite(const JsonValue &object, const std::string &where,
              const char *key, double &out) {
    if (const JsonValue *v = get(object, where, key, Kind::Number)) {
      if (!std::isfinite(v->number))
        fail(where + key + ": expected a finite number");
      out = v->number;
    }
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

bool readParams(const JsonValue &m, Reader &r, Manifest &out) {
  const JsonValue *params = r.get(m, "", "params", Kind::Array);
  if (!params)
    return false;
  if (params->array.size() < 4 || params->array.size() > 5)
    return r.fail("params: expected 4 or 5 tensors");
  for (size_t i = 0; i < params->array.size(); ++i) {
    const JsonValue &p = params->array[i];
    std::string where = "params[" + std::to_string(i) + "].";
    if (p.kind != Kind::Object)
      return r.fail(where.substr(0, where.size() - 1) + ": expected an object");
    TensorParam param;
    std::string kind;
    r.string(p, where, "name", param.name);
    r.string(p, where, "kind", kind);
    if (r.ok() && kind != "memref")
      return r.fail(where + "kind: expected memref");
    r.string(p, where, "element", param.element);
    if (!r.ok())
      return false;
    if (param.element != "bf16" && param.element != "f16" &&
        param.element != "f32")
      return r.fail(where + "element: expected bf16, f16 or f32");
    // Q, K, V and O are [B, H, S, D]; the LSE is [B, H, S].
    size_t rank = i < 4 ? 4 : 3;
    const JsonValue *shape = r.get(p, where, "shape", Kind::Array);
    if (!shape)
      return false;
    if (shape->array.size() != rank)
      return r.fail(where + "shape: expected rank " + std::to_string(rank));
    for (const JsonValue &extent : shape->array) {
      if (!isInteger(extent, -1, kMaxExtent))
        return r.fail(where + "shape: expected sizes from 0 to " +
                      std::to_string(kMaxExtent) + " (-1 when dynamic)");
      param.shape.push_back(static_cast<int64_t>(extent.number));
    }
    out.params.push_back(std::move(param));
  }
  return true;
}

bool readLaunchGeometry(const JsonValue &m, Reader &r, Manifest &out) {
  r.integer(m, "", "dynamic_shared_memory", 0, 1 << 30,
            out.dynamicSharedMemory);
  const JsonValue *block = r.get(m, "", "block", Kind::Array);
  if (!block)
    return false;
  if (block->array.size() != 3)
    return r.fail("block: expected 3 extents");
  for (size_t d = 0; d < 3; ++d) {
    if (!isInteger(block->array[d], 1, 1024))
      return r.fail("block: expected extents from 1 to 1024");
    out.block[d] = static_cast<unsigned>(block->array[d].number);
  }
  if (static_cast<int64_t>(out.block[0]) * out.block[1] * out.block[2] > 1024)
    return r.fail("block: more than 1024 threads");

  const JsonValue *grid = r.get(m, "", "grid", Kind::Array);
  if (!grid)
    return false;
  if (grid->array.size() != 3)
    return r.fail("grid: expected 3 axes");
  for (size_t d = 0; d < 3; ++d) {
    const JsonValue &g = grid->array[d];
    std::string where = "grid[" + std::to_string(d) + "].";
    if (g.kind != Kind::Object)
      return r.fail(where.substr(0, where.size() - 1) + ": expected an object");
    GridAxis &axis = out.grid[d];
    r.integer(g, where, "param", 0, static_cast<int64_t>(out.params.size()) - 1,
              axis.param);
    if (!r.ok())
      return false;
    r.integer(g, where, "dim", 0,
              static_cast<int64_t>(out.params[axis.param].shape.size()) - 1,
              axis.dim);
    r.integer(g, where, "divisor", 1, kMaxExtent, axis.divisor);
  }
  return r.ok();
}

/// The optional "attention" member: the semantics attn-run checks against.
bool readAttention(const JsonValue &m, Reader &r, Manifest &out) {
  const JsonValue *a = r.get(m, "", "attention", Kind::Object,
                             /*optional=*/true);
  if (!a)
    return r.ok();
  AttentionSemantics s;
  const std::string where = "attention.";
  r.string(*a, where, "mask", s.mask);
  if (r.ok() && s.mask != "none" && s.mask != "causal" &&
      s.mask != "sliding_window")
    return r.fail("attention.mask: expected none, causal or sliding_window");
  r.finite(*a, where, "scale", s.scale);
  if (const JsonValue *lse = r.get(*a, where, "lse", Kind::Bool))
    s.lse = lse->boolean;
  if (a->get("softcap")) {
    double softcap = 0;
    r.finite(*a, where, "softcap", softcap);
    s.softcap = softcap;
  }
  if (const JsonValue *w =
          r.get(*a, where, "window", Kind::Array, /*optional=*/true)) {
    if (w->array.size() != 2 || !isInteger(w->array[0], 0, kMaxExtent) ||
        !isInteger(w->array[1], 0, kMaxExtent))
      return r.fail("attention.window: expected [left, right], each from 0 "
                    "to " +
                    std::to_string(kMaxExtent));
    s.window = {static_cast<int64_t>(w->array[0].number),
                static_cast<int64_t>(w->array[1].number)};
  }
  if (!r.ok())
    return false;
  if ((s.mask == "sliding_window") != s.window.has_value())
    return r.fail("attention.window: expected exactly when the mask is "
                  "sliding_window");
  if (s.lse != (out.params.size() == 5))
    return r.fail("attention.lse: " + std::string(s.lse ? "true" : "false") +
                  " but the kernel takes " + std::to_string(out.params.size()) +
                  " tensors");
  out.attention = std::move(s);
  return true;
}

} // namespace

bool attn::runtime::parseManifest(const std::string &text, Manifest &out,
                                  std::string &error) {
  out = Manifest();
  JsonValue m;
  if (!parseJson(text, m, error))
    return false;
  Reader r(error);
  if (m.kind != Kind::Object)
    return r.fail("expected an object");
  int format = 0;
  r.integer(m, "", "format", 0, 1 << 30, format);
  if (r.ok() && format != kManifestFormat)
    return r.fail("format " + std::to_string(format) + ": this runtime reads " +
                  "format " + std::to_string(kManifestFormat));
  std::string abi;
  r.string(m, "", "abi", abi);
  if (r.ok() && abi != "memref-descriptor")
    return r.fail("abi: expected memref-descriptor");
  r.string(m, "", "kernel", out.kernel);
  if (r.ok() && !isPlainFileName(out.kernel))
    return r.fail("kernel: expected a symbol name");
  r.string(m, "", "chip", out.chip);
  if (r.ok() && (out.capability = chipCapability(out.chip)) < 0)
    return r.fail("chip: expected sm_<compute capability>, as sm_80 or "
                  "sm_90a");
  for (auto [key, name] : {std::pair{"ptx", &out.ptx}, {"cubin", &out.cubin}}) {
    r.string(m, "", key, *name);
    if (r.ok() && !isPlainFileName(*name))
      return r.fail(std::string(key) +
                    ": expected a file name inside the artifact folder");
  }
  return r.ok() && readParams(m, r, out) && readLaunchGeometry(m, r, out) &&
         readAttention(m, r, out);
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

bool attn::runtime::readManifest(const std::string &dir, Manifest &manifest,
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
  if (!parseManifest(text, manifest, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}
