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

/// "tensors[2]." for `index` 2 of array `array`; strip the dot to name the
/// element itself.
std::string member(const char *array, size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "].";
}

std::string withoutDot(const std::string &where) {
  return where.substr(0, where.size() - 1);
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
        fail((where.empty() ? "" : withoutDot(where) + ": ") + "missing \"" +
             key + "\"");
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

bool parseElement(const std::string &name, Element &out,
                  std::initializer_list<Element> allowed = {
                      Element::BF16, Element::F16, Element::F32}) {
  for (Element e : allowed) {
    if (name == elementName(e)) {
      out = e;
      return true;
    }
  }
  return false;
}

/// A string member that must be one of `choices`, stored as its index in
/// `out`.
template <typename T>
bool choice(Reader &r, const JsonValue &object, const std::string &where,
            const char *key, std::initializer_list<const char *> choices,
            T &out) {
  std::string value;
  r.string(object, where, key, value);
  if (!r.ok())
    return false;
  std::string expected;
  size_t i = 0;
  for (const char *c : choices) {
    if (value == c) {
      out = static_cast<T>(i);
      return true;
    }
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ");
    expected += c;
    ++i;
  }
  return r.fail(where + key + ": expected " + expected);
}

bool readTensors(const JsonValue &m, Reader &r, int format, Manifest &out) {
  const JsonValue *tensors = r.get(m, "", "tensors", Kind::Array);
  if (!tensors)
    return false;
  if (tensors->array.empty() || tensors->array.size() > kMaxTensors)
    return r.fail("tensors: expected 1 to " + std::to_string(kMaxTensors) +
                  " tensors");
  for (size_t i = 0; i < tensors->array.size(); ++i) {
    const JsonValue &t = tensors->array[i];
    std::string where = member("tensors", i);
    if (t.kind != Kind::Object)
      return r.fail(withoutDot(where) + ": expected an object");
    TensorDecl tensor;
    r.string(t, where, "name", tensor.name);
    if (!r.ok())
      return false;
    if (tensor.name.empty())
      return r.fail(where + "name: expected a name");
    int other = out.findTensor(tensor.name);
    if (other >= 0)
      return r.fail(where + "name: \"" + tensor.name +
                    "\" is also the name of " +
                    withoutDot(member("tensors", other)));
    // Format 3 adds i32 tensors (a paged cache's block table and lengths).
    std::string element;
    r.string(t, where, "element", element);
    if (r.ok() && format >= 3 &&
        !parseElement(
            element, tensor.element,
            {Element::BF16, Element::F16, Element::F32, Element::I32}))
      return r.fail(where + "element: expected bf16, f16, f32 or i32");
    if (r.ok() && format < 3 && !parseElement(element, tensor.element))
      return r.fail(where + "element: expected bf16, f16 or f32");
    const JsonValue *shape = r.get(t, where, "shape", Kind::Array);
    if (!shape)
      return false;
    if (shape->array.empty() || shape->array.size() > kMaxRank)
      return r.fail(where + "shape: expected 1 to " + std::to_string(kMaxRank) +
                    " sizes");
    for (const JsonValue &extent : shape->array) {
      if (!isInteger(extent, -1, kMaxExtent))
        return r.fail(where + "shape: expected sizes from 0 to " +
                      std::to_string(kMaxExtent) + " (-1 when dynamic)");
      tensor.shape.push_back(static_cast<int64_t>(extent.number));
    }
    out.tensors.push_back(std::move(tensor));
  }
  return true;
}

/// Member "tensor" of `object`: the index of a declared tensor.
void tensorIndex(Reader &r, const JsonValue &object, const std::string &where,
                 const Manifest &out, unsigned &index) {
  r.integer(object, where, "tensor", 0,
            static_cast<int64_t>(out.tensors.size()) - 1, index);
}

/// Member "dim" of `object`: a dimension of tensor `tensor`.
void dimIndex(Reader &r, const JsonValue &object, const std::string &where,
              const Manifest &out, unsigned tensor, unsigned &dim) {
  r.integer(object, where, "dim", 0,
            static_cast<int64_t>(out.tensors[tensor].shape.size()) - 1, dim);
}

/// An extent object at `where`: "tensor", "dim", "divisor" and, when
/// `products` (format 3), an optional "times" extent of the same form.
bool readExtent(const JsonValue &e, const std::string &where, Reader &r,
                const Manifest &out, bool products, GridAxis &axis,
                bool nested = false) {
  if (e.kind != Kind::Object)
    return r.fail(withoutDot(where) + ": expected an object");
  tensorIndex(r, e, where, out, axis.tensor);
  if (!r.ok())
    return false;
  dimIndex(r, e, where, out, axis.tensor, axis.dim);
  r.integer(e, where, "divisor", 1, kMaxExtent, axis.divisor);
  const JsonValue *times = e.get("times");
  if (!times || !r.ok())
    return r.ok();
  if (nested)
    return r.fail(where + "times: a factor has no factor of its own");
  if (!products)
    return r.fail(where + "times: needs format 3");
  GridAxis factor;
  if (!readExtent(*times, where + "times.", r, out, products, factor,
                  /*nested=*/true))
    return false;
  axis.times = factor;
  return true;
}

/// The optional "workspace" member (format 3): buffers the runtime
/// allocates, each with a name (unique among tensors and buffers), an
/// element type (f32 or i32) and one extent per dimension.
bool readWorkspace(const JsonValue &m, Reader &r, int format, Manifest &out) {
  const JsonValue *workspace =
      r.get(m, "", "workspace", Kind::Array, /*optional=*/true);
  if (!workspace)
    return r.ok();
  if (format < 3)
    return r.fail("workspace: needs format 3");
  if (workspace->array.size() > kMaxTensors)
    return r.fail("workspace: expected at most " + std::to_string(kMaxTensors) +
                  " buffers");
  for (size_t i = 0; i < workspace->array.size(); ++i) {
    const JsonValue &w = workspace->array[i];
    std::string where = member("workspace", i);
    if (w.kind != Kind::Object)
      return r.fail(withoutDot(where) + ": expected an object");
    WorkspaceDecl buffer;
    r.string(w, where, "name", buffer.name);
    if (!r.ok())
      return false;
    bool taken = buffer.name.empty() || out.findTensor(buffer.name) >= 0;
    for (const WorkspaceDecl &other : out.workspace)
      taken |= other.name == buffer.name;
    if (taken)
      return r.fail(where + "name: expected a name no tensor or buffer has");
    std::string element;
    r.string(w, where, "element", element);
    if (r.ok() &&
        !parseElement(element, buffer.element, {Element::F32, Element::I32}))
      return r.fail(where + "element: expected f32 or i32");
    const JsonValue *extents = r.get(w, where, "extents", Kind::Array);
    if (!extents)
      return false;
    if (extents->array.empty() || extents->array.size() > kMaxRank)
      return r.fail(where + "extents: expected 1 to " +
                    std::to_string(kMaxRank) + " extents");
    for (size_t d = 0; d < extents->array.size(); ++d) {
      GridAxis extent;
      if (!readExtent(extents->array[d], where + member("extents", d), r, out,
                      /*products=*/true, extent))
        return false;
      buffer.extents.push_back(extent);
    }
    if (const JsonValue *zero =
            r.get(w, where, "zero", Kind::Bool, /*optional=*/true))
      buffer.zero = zero->boolean;
    if (!r.ok())
      return false;
    out.workspace.push_back(std::move(buffer));
  }
  return true;
}

bool readTensorMap(const JsonValue &p, const std::string &where, Reader &r,
                   Manifest &out, TensorMapParam &map) {
  tensorIndex(r, p, where, out, map.tensor);
  if (!r.ok())
    return false;
  const TensorDecl &tensor = out.tensors[map.tensor];
  std::string tensorWhere = withoutDot(member("tensors", map.tensor));
  std::string element;
  r.string(p, where, "element", element);
  if (!r.ok())
    return false;
  if (!parseElement(element, map.element))
    return r.fail(where + "element: expected bf16, f16 or f32");
  if (map.element != tensor.element)
    return r.fail(where + "element: " + element + ", but " + tensorWhere +
                  " is " + elementName(tensor.element));
  const JsonValue *swizzle = r.get(p, where, "swizzle", Kind::Number);
  if (!swizzle)
    return false;
  if (!isInteger(*swizzle, 0, 128) ||
      (swizzle->number != 0 && swizzle->number != 32 && swizzle->number != 64 &&
       swizzle->number != 128))
    return r.fail(where + "swizzle: expected 0, 32, 64 or 128");
  map.swizzle = static_cast<unsigned>(swizzle->number);
  if (!choice(r, p, where, "oob_fill", {"zero", "nan"}, map.oobFill))
    return false;
  // The box rules cuTensorMapEncodeTiled has that depend on the manifest
  // alone; planLaunch checks them again with the rest.
  const JsonValue *box = r.get(p, where, "box", Kind::Array);
  if (!box)
    return false;
  if (box->array.size() != tensor.shape.size())
    return r.fail(where + "box: expected " +
                  std::to_string(tensor.shape.size()) +
                  " extents, the rank of " + tensorWhere);
  for (const JsonValue &extent : box->array) {
    if (!isInteger(extent, 1, 256))
      return r.fail(where + "box: expected extents from 1 to 256");
    map.box.push_back(static_cast<uint32_t>(extent.number));
  }
  unsigned row = map.box.back() * tensor.elementBytes();
  if (row % 16 != 0)
    return r.fail(where + "box: the innermost extent spans " +
                  std::to_string(row) + " bytes, not a multiple of 16");
  if (map.swizzle && row > map.swizzle)
    return r.fail(where + "box: the innermost extent spans " +
                  std::to_string(row) + " bytes, more than the " +
                  std::to_string(map.swizzle) + "-byte swizzle");
  return true;
}

bool readParams(const JsonValue &m, Reader &r, Manifest &out) {
  const JsonValue *params = r.get(m, "", "params", Kind::Array);
  if (!params)
    return false;
  if (params->array.size() > kMaxParams)
    return r.fail("params: expected at most " + std::to_string(kMaxParams) +
                  " parameters");
  for (size_t i = 0; i < params->array.size(); ++i) {
    const JsonValue &p = params->array[i];
    std::string where = member("params", i);
    if (p.kind != Kind::Object)
      return r.fail(withoutDot(where) + ": expected an object");
    int kind = 0;
    if (!choice(r, p, where, "kind", {"memref", "tensor_map", "scalar"}, kind))
      return false;
    if (kind == 0) {
      // Of a tensor, or (format 3) of a workspace buffer.
      MemrefParam memref;
      if (p.get("workspace") && p.get("tensor"))
        return r.fail(where + "workspace: a memref is of a tensor or of a "
                              "workspace buffer, not both");
      if (p.get("workspace")) {
        memref.workspace = true;
        if (out.workspace.empty())
          return r.fail(where + "workspace: the manifest declares no "
                                "workspace buffers");
        r.integer(p, where, "workspace", 0,
                  static_cast<int64_t>(out.workspace.size()) - 1,
                  memref.tensor);
      } else {
        tensorIndex(r, p, where, out, memref.tensor);
      }
      out.params.push_back(memref);
    } else if (kind == 1) {
      // TMA came with sm_90: code for an older chip cannot use it.
      if (out.capability < 90)
        return r.fail(where +
                      "kind: a tensor_map needs capability 90 or "
                      "newer, the manifest says " +
                      std::to_string(out.capability));
      TensorMapParam map;
      if (!readTensorMap(p, where, r, out, map))
        return false;
      out.params.push_back(std::move(map));
    } else {
      ScalarParam scalar;
      choice(r, p, where, "type", {"i32", "i64"}, scalar.type);
      tensorIndex(r, p, where, out, scalar.tensor);
      if (r.ok())
        dimIndex(r, p, where, out, scalar.tensor, scalar.dim);
      out.params.push_back(scalar);
    }
    if (!r.ok())
      return false;
  }
  return true;
}

/// "block" or "cluster": three positive extents, each at most `maxExtent`
/// and their product at most `maxProduct`.
bool readExtents(const JsonValue &m, Reader &r, const char *key,
                 unsigned maxExtent, unsigned maxProduct, const char *what,
                 unsigned (&out)[3]) {
  const JsonValue *extents = r.get(m, "", key, Kind::Array);
  if (!extents)
    return false;
  if (extents->array.size() != 3)
    return r.fail(std::string(key) + ": expected 3 extents");
  for (size_t d = 0; d < 3; ++d) {
    if (!isInteger(extents->array[d], 1, maxExtent))
      return r.fail(std::string(key) + ": expected extents from 1 to " +
                    std::to_string(maxExtent));
    out[d] = static_cast<unsigned>(extents->array[d].number);
  }
  if (static_cast<int64_t>(out[0]) * out[1] * out[2] > maxProduct)
    return r.fail(std::string(key) + ": more than " +
                  std::to_string(maxProduct) + " " + what);
  return true;
}

bool readLaunchGeometry(const JsonValue &m, Reader &r, int format,
                        Manifest &out) {
  if (!readExtents(m, r, "block", 1024, 1024, "threads", out.block) ||
      !readExtents(m, r, "cluster", 8, 8, "blocks", out.cluster))
    return false;
  if (out.cluster[0] * out.cluster[1] * out.cluster[2] > 1 &&
      out.capability < 90)
    return r.fail("cluster: clusters need capability 90 or newer, the "
                  "manifest says " +
                  std::to_string(out.capability));

  const JsonValue *grid = r.get(m, "", "grid", Kind::Array);
  if (!grid)
    return false;
  if (grid->array.size() != 3)
    return r.fail("grid: expected 3 axes");
  for (size_t d = 0; d < 3; ++d) {
    if (!readExtent(grid->array[d], member("grid", d), r, out, format >= 3,
                    out.grid[d]))
      return false;
  }
  r.integer(m, "", "dynamic_shared_memory", 0, 1 << 30,
            out.dynamicSharedMemory);
  if (r.ok() && r.get(m, "", "persistent", Kind::Number, /*optional=*/true)) {
    if (format < 4)
      return r.fail("persistent: needs format 4");
    r.integer(m, "", "persistent", 1, 64, out.persistent);
    if (r.ok() && out.cluster[0] * out.cluster[1] * out.cluster[2] > 1)
      return r.fail("persistent: a persistent kernel has no cluster");
  }
  return r.ok();
}

/// The optional "attention" member: the semantics attn-run checks against,
/// and the tensors the launch's shape relations name.
bool readAttention(const JsonValue &m, Reader &r, int format, Manifest &out) {
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
  if (const JsonValue *paged =
          r.get(*a, where, "paged", Kind::Bool, /*optional=*/true))
    s.paged = paged->boolean;
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
  bool hasLse = out.findTensor("lse") >= 0;
  if (s.lse != hasLse)
    return r.fail("attention.lse: " + std::string(s.lse ? "true" : "false") +
                  (hasLse ? ", but a tensor is named lse"
                          : ", but no tensor is named lse"));
  if (s.paged && format < 3)
    return r.fail("attention.paged: a paged cache needs format 3");
  // Q, K, V and O are [B, H, S, D] (a paged K and V [P, page, H, D]); the
  // LSE is [B, H, S]; a paged cache's block table [B, max_pages] and lengths
  // [B] are i32.
  struct Role {
    const char *name;
    size_t rank;
    bool required;
  } roles[] = {{"query", 4, true},
               {"key", 4, true},
               {"value", 4, true},
               {"output", 4, true},
               {"lse", 3, false},
               {"block_table", 2, s.paged},
               {"cache_lengths", 1, s.paged}};
  for (const Role &role : roles) {
    int t = out.findTensor(role.name);
    bool pagedOnly = role.rank < 3;
    if (t < 0 && role.required)
      return r.fail(std::string("attention: no tensor is named ") + role.name +
                    (pagedOnly ? " (a paged cache needs one)" : ""));
    if (t >= 0 && pagedOnly && !s.paged)
      return r.fail(withoutDot(member("tensors", t)) + ": a tensor named " +
                    role.name + " needs attention.paged");
    if (t >= 0 && out.tensors[t].shape.size() != role.rank)
      return r.fail(withoutDot(member("tensors", t)) +
                    ".shape: expected rank " + std::to_string(role.rank) +
                    " for the attention's " + role.name);
    if (t >= 0 && pagedOnly && out.tensors[t].element != Element::I32)
      return r.fail(withoutDot(member("tensors", t)) +
                    ".element: expected i32 for the attention's " + role.name);
    if (t >= 0 && !pagedOnly && out.tensors[t].element == Element::I32)
      return r.fail(withoutDot(member("tensors", t)) +
                    ".element: expected bf16, f16 or f32 for the attention's " +
                    role.name);
  }
  out.attention = std::move(s);
  return true;
}

} // namespace

const char *attn::runtime::elementName(Element element) {
  switch (element) {
  case Element::BF16:
    return "bf16";
  case Element::F16:
    return "f16";
  case Element::F32:
    return "f32";
  case Element::I32:
    return "i32";
  }
  return "?";
}

int attn::runtime::elementBytes(Element element) {
  return element == Element::F32 || element == Element::I32 ? 4 : 2;
}

int Manifest::findTensor(const std::string &name) const {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == name)
      return static_cast<int>(i);
  return -1;
}

bool attn::runtime::parseManifest(const std::string &text, Manifest &out,
                                  std::string &error) {
  out = Manifest();
  error.clear();
  JsonValue m;
  if (!parseJson(text, m, error))
    return false;
  Reader r(error);
  if (m.kind != Kind::Object)
    return r.fail("expected an object");
  // The format first: an older artifact gets one clear message, not a
  // complaint about the first member that changed.
  int format = 0;
  r.integer(m, "", "format", 0, 1 << 30, format);
  if (r.ok() && (format < kOldestManifestFormat || format > kManifestFormat))
    return r.fail("format " + std::to_string(format) + ": this runtime reads " +
                  "formats " + std::to_string(kOldestManifestFormat) + " to " +
                  std::to_string(kManifestFormat) +
                  (format < kManifestFormat ? "; recompile the artifact" : ""));
  r.string(m, "", "kernel", out.kernel);
  if (r.ok() && !isPlainFileName(out.kernel))
    return r.fail("kernel: expected a symbol name");
  r.string(m, "", "chip", out.chip);
  if (r.ok() && out.chip.empty())
    return r.fail("chip: expected a chip name, as sm_80 or sm_90a");
  r.integer(m, "", "capability", 10, 999, out.capability);
  for (auto [key, name] : {std::pair{"ptx", &out.ptx}, {"cubin", &out.cubin}}) {
    r.string(m, "", key, *name);
    if (r.ok() && !isPlainFileName(*name))
      return r.fail(std::string(key) +
                    ": expected a file name inside the artifact folder");
  }
  return r.ok() && readTensors(m, r, format, out) &&
         readWorkspace(m, r, format, out) && readParams(m, r, out) &&
         readLaunchGeometry(m, r, format, out) &&
         readAttention(m, r, format, out);
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
