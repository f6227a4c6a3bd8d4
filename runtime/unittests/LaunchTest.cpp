//===- LaunchTest.cpp - the manifest reader and launch checks on the CPU --===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Runs parseManifest and planLaunch on edited copies of four manifests (an
// sm_80 attention kernel of memref parameters, an sm_90a kernel with a
// tensor map, scalars and a cluster, and two of format 3: a split-KV decode
// kernel and a split-KV kernel on a paged K/V cache) and on launches that
// break each rule, printing one line per case: "<case>: ok <details>" or
// "<case>: error: <message>". The lit test test/Runtime/launch-checks.test
// checks every line, so the checks run in CI without a GPU.
//
//   attn-launch-unittest FILE  plans a launch of manifest FILE on tensors of
//                              its static shapes (dynamic sizes 1) and
//                              prints every parameter.
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Launch.h"
#include "attn-runtime/Manifest.h"

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace attn::runtime;

namespace {

/// What attn-compile writes for a causal GQA kernel: Q [B, 8, S, 64],
/// K and V [B, 2, S, 64], O like Q, and an LSE [B, 8, S].
const char *const kAttention = R"({
  "attention": {"lse": true, "mask": "causal", "scale": 0.125},
  "block": [256, 1, 1],
  "capability": 80,
  "chip": "sm_80",
  "cluster": [1, 1, 1],
  "cubin": "attention.cubin",
  "dynamic_shared_memory": 49152,
  "format": 2,
  "grid": [{"dim": 2, "divisor": 128, "tensor": 0},
           {"dim": 1, "divisor": 1, "tensor": 0},
           {"dim": 0, "divisor": 1, "tensor": 0}],
  "kernel": "attention",
  "params": [
    {"kind": "memref", "tensor": 0},
    {"kind": "memref", "tensor": 1},
    {"kind": "memref", "tensor": 2},
    {"kind": "memref", "tensor": 3},
    {"kind": "memref", "tensor": 4}
  ],
  "ptx": "attention.ptx",
  "tensors": [
    {"element": "bf16", "name": "query", "shape": [-1, 8, -1, 64]},
    {"element": "bf16", "name": "key", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "name": "value", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "name": "output", "shape": [-1, 8, -1, 64]},
    {"element": "f32", "name": "lse", "shape": [-1, 8, -1]}
  ]
})";

/// An sm_90a kernel that reads `input` [B, S, 64] through a tensor map and
/// writes `output` [B, S] through a memref, with S as an i32 and B as an
/// i64, in clusters of two blocks along x.
const char *const kTensorMap = R"({
  "block": [128, 1, 1],
  "capability": 90,
  "chip": "sm_90a",
  "cluster": [2, 1, 1],
  "cubin": "rows.cubin",
  "dynamic_shared_memory": 16384,
  "format": 2,
  "grid": [{"dim": 1, "divisor": 64, "tensor": 1},
           {"dim": 0, "divisor": 1, "tensor": 1},
           {"dim": 2, "divisor": 64, "tensor": 0}],
  "kernel": "rows",
  "params": [
    {"box": [1, 64, 64], "element": "bf16", "kind": "tensor_map", "oob_fill": "zero", "swizzle": 128, "tensor": 0},
    {"kind": "memref", "tensor": 1},
    {"dim": 1, "kind": "scalar", "tensor": 1, "type": "i32"},
    {"dim": 0, "kind": "scalar", "tensor": 1, "type": "i64"}
  ],
  "ptx": "rows.ptx",
  "tensors": [
    {"element": "bf16", "name": "input", "shape": [-1, -1, 64]},
    {"element": "f32", "name": "output", "shape": [-1, -1]}
  ]
})";

/// What attn-compile writes for a split-KV decode kernel (format 3): Q
/// [B, 8, 1, 64] packed by group, K and V [B, 2, S, 64], O like Q; query
/// tiles times 512-key chunks along x; the chunks' outputs and LSEs and a
/// counter per merge in the workspace.
const char *const kSplit = R"({
  "attention": {"lse": false, "mask": "causal", "scale": 0.125},
  "block": [128, 1, 1],
  "capability": 80,
  "chip": "sm_80",
  "cluster": [1, 1, 1],
  "cubin": "decode.cubin",
  "dynamic_shared_memory": 49152,
  "format": 3,
  "grid": [{"dim": 2, "divisor": 16, "tensor": 0,
            "times": {"dim": 2, "divisor": 512, "tensor": 1}},
           {"dim": 1, "divisor": 1, "tensor": 1},
           {"dim": 0, "divisor": 1, "tensor": 0}],
  "kernel": "decode",
  "params": [
    {"kind": "memref", "tensor": 0},
    {"kind": "memref", "tensor": 1},
    {"kind": "memref", "tensor": 2},
    {"kind": "memref", "tensor": 3},
    {"kind": "memref", "workspace": 0},
    {"kind": "memref", "workspace": 1},
    {"kind": "memref", "workspace": 2}
  ],
  "ptx": "decode.ptx",
  "tensors": [
    {"element": "bf16", "name": "query", "shape": [-1, 8, 1, 64]},
    {"element": "bf16", "name": "key", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "name": "value", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "name": "output", "shape": [-1, 8, 1, 64]}
  ],
  "workspace": [
    {"element": "f32", "name": "partial_output",
     "extents": [{"dim": 2, "divisor": 512, "tensor": 1},
                 {"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 0},
                 {"dim": 2, "divisor": 1, "tensor": 0},
                 {"dim": 3, "divisor": 1, "tensor": 2}]},
    {"element": "f32", "name": "partial_lse",
     "extents": [{"dim": 2, "divisor": 512, "tensor": 1},
                 {"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 0},
                 {"dim": 2, "divisor": 1, "tensor": 0}]},
    {"element": "i32", "name": "split_counters", "zero": true,
     "extents": [{"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 1},
                 {"dim": 2, "divisor": 16, "tensor": 0}]}
  ]
})";

/// What attn-compile writes for a split-KV kernel on a paged K/V cache
/// (format 3, as tools/attn-manifest-fuzz/seeds/paged-split-d128.json):
/// Q [B, 8, Sq, 64], K and V [pages, 16, 2, 64] (pages of 16 keys), the i32
/// block table [B, max_pages] and cache lengths [B], O like Q, an LSE
/// [B, 8, Sq]; query tiles times chunks of 4 pages (of the block table's
/// capacity) along x; the chunks' outputs and LSEs and a counter per merge
/// in the workspace.
const char *const kPaged = R"({
  "attention": {"lse": true, "mask": "causal", "paged": true, "scale": 0.125},
  "block": [256, 1, 1],
  "capability": 80,
  "chip": "sm_80",
  "cluster": [1, 1, 1],
  "cubin": "paged.cubin",
  "dynamic_shared_memory": 49152,
  "format": 3,
  "grid": [{"dim": 2, "divisor": 128, "tensor": 0,
            "times": {"dim": 1, "divisor": 4, "tensor": 3}},
           {"dim": 1, "divisor": 1, "tensor": 0},
           {"dim": 0, "divisor": 1, "tensor": 0}],
  "kernel": "paged",
  "params": [
    {"kind": "memref", "tensor": 0},
    {"kind": "memref", "tensor": 1},
    {"kind": "memref", "tensor": 2},
    {"kind": "memref", "tensor": 3},
    {"kind": "memref", "tensor": 4},
    {"kind": "memref", "tensor": 5},
    {"kind": "memref", "tensor": 6},
    {"kind": "memref", "workspace": 0},
    {"kind": "memref", "workspace": 1},
    {"kind": "memref", "workspace": 2}
  ],
  "ptx": "paged.ptx",
  "tensors": [
    {"element": "bf16", "name": "query", "shape": [-1, 8, -1, 64]},
    {"element": "bf16", "name": "key", "shape": [-1, 16, 2, 64]},
    {"element": "bf16", "name": "value", "shape": [-1, 16, 2, 64]},
    {"element": "i32", "name": "block_table", "shape": [-1, -1]},
    {"element": "i32", "name": "cache_lengths", "shape": [-1]},
    {"element": "bf16", "name": "output", "shape": [-1, 8, -1, 64]},
    {"element": "f32", "name": "lse", "shape": [-1, 8, -1]}
  ],
  "workspace": [
    {"element": "f32", "name": "partial_output",
     "extents": [{"dim": 1, "divisor": 4, "tensor": 3},
                 {"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 0},
                 {"dim": 2, "divisor": 1, "tensor": 0},
                 {"dim": 3, "divisor": 1, "tensor": 2}]},
    {"element": "f32", "name": "partial_lse",
     "extents": [{"dim": 1, "divisor": 4, "tensor": 3},
                 {"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 0},
                 {"dim": 2, "divisor": 1, "tensor": 0}]},
    {"element": "i32", "name": "split_counters", "zero": true,
     "extents": [{"dim": 0, "divisor": 1, "tensor": 0},
                 {"dim": 1, "divisor": 1, "tensor": 0},
                 {"dim": 2, "divisor": 128, "tensor": 0}]}
  ]
})";

/// `text` with the first `from` replaced by `to`.
std::string edit(std::string text, const std::string &from,
                 const std::string &to) {
  size_t at = text.find(from);
  if (at == std::string::npos) {
    std::printf("bad test: \"%s\" not in the manifest\n", from.c_str());
    return "";
  }
  return text.replace(at, from.size(), to);
}

void manifestCase(const char *name, const std::string &text) {
  Manifest manifest;
  std::string error;
  if (parseManifest(text, manifest, error))
    std::printf("%s: ok %s for %s (capability %d), %zu tensors, %zu "
                "params\n",
                name, manifest.kernel.c_str(), manifest.chip.c_str(),
                manifest.capability, manifest.tensors.size(),
                manifest.params.size());
  else
    std::printf("%s: error: %s\n", name, error.c_str());
}

Manifest parsed(const std::string &text) {
  Manifest manifest;
  std::string error;
  if (!parseManifest(text, manifest, error))
    std::printf("bad test: %s\n", error.c_str());
  return manifest;
}

/// A contiguous view of `sizes` at `data`.
TensorView contiguous(uint64_t data, std::vector<int64_t> sizes) {
  TensorView t;
  t.data = data;
  t.sizes = std::move(sizes);
  t.strides.assign(t.sizes.size(), 1);
  for (size_t d = t.sizes.size() - 1; d-- > 0;)
    t.strides[d] = t.strides[d + 1] * t.sizes[d + 1];
  return t;
}

/// Contiguous [B, H, S, D] views of Q, K, V, O and the LSE.
std::vector<TensorView> attentionViews(int64_t b, int64_t hq, int64_t hkv,
                                       int64_t sq, int64_t skv) {
  uint64_t base = uint64_t(1) << 32, step = uint64_t(1) << 30;
  return {contiguous(base, {b, hq, sq, 64}),
          contiguous(base + step, {b, hkv, skv, 64}),
          contiguous(base + 2 * step, {b, hkv, skv, 64}),
          contiguous(base + 3 * step, {b, hq, sq, 64}),
          contiguous(base + 4 * step, {b, hq, sq})};
}

/// input [4, 1000, 64] bf16 and output [4, 1000] f32.
std::vector<TensorView> tensorMapViews() {
  uint64_t base = uint64_t(1) << 32;
  return {contiguous(base, {4, 1000, 64}),
          contiguous(base + (uint64_t(1) << 30), {4, 1000})};
}

std::string list(const uint64_t *values, unsigned n) {
  std::string s;
  for (unsigned i = 0; i < n; ++i)
    s += (i ? ", " : "") + std::to_string(values[i]);
  return "[" + s + "]";
}

/// Every parameter of `plan`, read back through `plan.arguments`.
void printParams(const Manifest &manifest, const LaunchPlan &plan) {
  size_t a = 0, map = 0;
  auto word = [&]() {
    return *static_cast<const int64_t *>(plan.arguments[a++]);
  };
  for (const Param &param : manifest.params) {
    if (const auto *memref = std::get_if<MemrefParam>(&param)) {
      const std::string &name = memref->workspace
                                    ? manifest.workspace[memref->tensor].name
                                    : manifest.tensors[memref->tensor].name;
      size_t rank = memref->workspace
                        ? manifest.workspace[memref->tensor].extents.size()
                        : manifest.tensors[memref->tensor].shape.size();
      uint64_t allocated = *static_cast<const uint64_t *>(plan.arguments[a++]);
      uint64_t aligned = *static_cast<const uint64_t *>(plan.arguments[a++]);
      std::string text =
          "  memref " + name + ": pointers " + std::to_string(allocated) + " " +
          std::to_string(aligned) + ", offset " + std::to_string(word());
      for (const char *what : {", sizes", ", strides"}) {
        text += what;
        for (size_t d = 0; d < rank; ++d)
          text += " " + std::to_string(word());
      }
      std::printf("%s\n", text.c_str());
    } else if (const auto *scalar = std::get_if<ScalarParam>(&param)) {
      bool i32 = scalar->type == ScalarType::I32;
      int64_t value =
          i32 ? *static_cast<const int32_t *>(plan.arguments[a++]) : word();
      std::printf("  scalar %s %s dimension %u: %lld\n", i32 ? "i32" : "i64",
                  manifest.tensors[scalar->tensor].name.c_str(), scalar->dim,
                  static_cast<long long>(value));
    } else {
      const TensorMapRequest &r = plan.tensorMaps[map];
      bool here = plan.arguments[a++] == plan.tensorMapStorage[map++].bytes;
      bool aligned =
          reinterpret_cast<uintptr_t>(plan.arguments[a - 1]) % 64 == 0;
      std::printf(
          "  tensor map %s: %s rank %u, address %llu, sizes %s, "
          "strides %s bytes, box %s, element strides %s, swizzle "
          "%u, fill %s%s\n",
          r.tensor.c_str(), elementName(r.element), r.rank,
          static_cast<unsigned long long>(r.address),
          list(r.globalDim, r.rank).c_str(),
          list(r.globalStrides, r.rank - 1).c_str(),
          list(std::vector<uint64_t>(r.box, r.box + r.rank).data(), r.rank)
              .c_str(),
          list(
              std::vector<uint64_t>(r.elementStrides, r.elementStrides + r.rank)
                  .data(),
              r.rank)
              .c_str(),
          r.swizzle, r.oobFill == OobFill::NaN ? "nan" : "zero",
          here && aligned ? ", in the plan's aligned storage"
                          : ", NOT IN THE PLAN'S STORAGE");
    }
  }
}

void launchCase(const char *name, const Manifest &manifest,
                std::vector<TensorView> views, bool details = false,
                unsigned multiprocessors = 0) {
  LaunchPlan plan;
  std::string error;
  if (!planLaunch(manifest, views, plan, error, multiprocessors)) {
    std::printf("%s: error: %s\n", name, error.c_str());
    return;
  }
  std::printf("%s: ok grid %u x %u x %u, block %u, cluster %u x %u x %u, "
              "%zu arguments%s",
              name, plan.grid[0], plan.grid[1], plan.grid[2], plan.block[0],
              plan.cluster[0], plan.cluster[1], plan.cluster[2],
              plan.arguments.size(), plan.isEmpty() ? ", empty" : "");
  if (plan.workspaceBytes) {
    std::printf(", workspace %llu bytes at pointers %zu",
                static_cast<unsigned long long>(plan.workspaceBytes),
                plan.workspacePointers.size());
    for (auto [offset, bytes] : plan.workspaceZeroed)
      std::printf(", zero %llu+%llu", static_cast<unsigned long long>(offset),
                  static_cast<unsigned long long>(bytes));
  }
  std::printf("\n");
  if (details)
    printParams(manifest, plan);
}

using Views = std::vector<TensorView>;
using Change = std::function<void(Views &)>;

void attentionCase(const char *name, const Manifest &manifest,
                   const Change &change) {
  Views views = attentionViews(2, 8, 2, 300, 1000);
  change(views);
  launchCase(name, manifest, views);
}

void tensorMapCase(const char *name, const Manifest &manifest,
                   const Change &change, bool details = false) {
  Views views = tensorMapViews();
  change(views);
  launchCase(name, manifest, views, details);
}

void requestCase(const char *name,
                 const std::function<void(TensorMapRequest &)> &change) {
  TensorMapRequest r;
  r.tensor = "input";
  r.rank = 2;
  r.address = 1 << 20;
  r.globalDim[0] = r.globalDim[1] = 64;
  r.globalStrides[0] = 128;
  r.box[0] = r.box[1] = 64;
  r.elementStrides[0] = r.elementStrides[1] = 1;
  r.swizzle = 128;
  change(r);
  std::string error;
  if (checkTensorMapRequest(r, error))
    std::printf("%s: ok\n", name);
  else
    std::printf("%s: error: %s\n", name, error.c_str());
}

/// `attn-launch-unittest FILE`.
int planFile(const char *path) {
  std::string text, error;
  Manifest manifest;
  if (!readFileBytes(path, text) || !parseManifest(text, manifest, error)) {
    std::printf("%s: error: %s\n", path,
                error.empty() ? "unreadable" : error.c_str());
    return 1;
  }
  Views views;
  uint64_t data = uint64_t(1) << 32;
  for (const TensorDecl &t : manifest.tensors) {
    std::vector<int64_t> sizes;
    for (int64_t size : t.shape)
      sizes.push_back(size < 0 ? 1 : size);
    views.push_back(contiguous(data, sizes));
    data += uint64_t(1) << 30;
  }
  std::printf("%s for %s (capability %d), %zu tensors\n",
              manifest.kernel.c_str(), manifest.chip.c_str(),
              manifest.capability, manifest.tensors.size());
  launchCase("plan", manifest, views, /*details=*/true);
  return 0;
}

void manifestCases() {
  const std::string m = kAttention, t = kTensorMap;
  manifestCase("manifest", m);
  manifestCase("tensor-map-manifest", t);
  // Strict JSON.
  manifestCase("not-json", "{\"format\": 2,");
  manifestCase("nan", edit(m, "0.125", "nan"));
  manifestCase("hex", edit(m, "49152", "0xc000"));
  manifestCase("plus", edit(m, "49152", "+49152"));
  manifestCase("deep", std::string(40, '[') + std::string(40, ']'));
  manifestCase("duplicate",
               edit(m, "\"format\": 2", "\"format\": 2, \"format\": 2"));
  manifestCase("escape", edit(m, "\"attention\",", "\"attent\\ion\","));
  manifestCase("unicode", edit(m, "\"attention\",", "\"\\u0061ttention\","));
  manifestCase("control", edit(m, "\"attention\",", "\"atten\ttion\","));
  manifestCase("not-object", "[]");
  // Top-level members.
  manifestCase("format-1", edit(m, "\"format\": 2", "\"format\": 1"));
  manifestCase("format-3", edit(m, "\"format\": 2", "\"format\": 3"));
  manifestCase("format-4", edit(m, "\"format\": 2", "\"format\": 4"));
  manifestCase("format-missing", edit(m, "\"format\": 2,", ""));
  // A persistent kernel: format 4, 1 to 64 CTAs an SM, no cluster.
  manifestCase("persistent",
               edit(m, "\"format\": 2,", "\"format\": 4, \"persistent\": 2,"));
  manifestCase("persistent-format-3",
               edit(m, "\"format\": 2,", "\"format\": 3, \"persistent\": 1,"));
  manifestCase("persistent-zero",
               edit(m, "\"format\": 2,", "\"format\": 4, \"persistent\": 0,"));
  manifestCase(
      "persistent-cluster",
      edit(edit(edit(m, "\"format\": 2,", "\"format\": 4, \"persistent\": 1,"),
                "\"capability\": 80", "\"capability\": 90"),
           "\"cluster\": [1, 1, 1]", "\"cluster\": [2, 1, 1]"));
  manifestCase("kernel-path", edit(m, "\"attention\",\n", "\"a/b\",\n"));
  manifestCase("chip-empty", edit(m, "\"sm_80\"", "\"\""));
  manifestCase("chip-number", edit(m, "\"sm_80\"", "80"));
  manifestCase("capability-missing", edit(m, "\"capability\": 80,", ""));
  manifestCase("capability-fraction",
               edit(m, "\"capability\": 80", "\"capability\": 8.6"));
  manifestCase("capability-range",
               edit(m, "\"capability\": 80", "\"capability\": 1000"));
  manifestCase("chip-90a", edit(edit(m, "sm_80", "sm_90a"),
                                "\"capability\": 80", "\"capability\": 90"));
  manifestCase("ptx-path", edit(m, "attention.ptx", "../attention.ptx"));
  manifestCase("cubin-empty", edit(m, "attention.cubin", ""));
  manifestCase("abi-ignored",
               edit(m, "\"format\": 2", "\"abi\": \"x\", \"format\": 2"));
  // Tensors.
  manifestCase("tensors-missing", edit(m, "\"tensors\"", "\"tensor\""));
  manifestCase("tensors-empty",
               m.substr(0, m.find("\"tensors\"")) + "\"tensors\": []}");
  std::string many;
  for (int i = 0; i < 17; ++i)
    many += std::string(i ? ", " : "") +
            "{\"element\": \"f32\", \"name\": \"t" + std::to_string(i) +
            "\", \"shape\": [1]}";
  manifestCase("tensors-many", m.substr(0, m.find("\"tensors\"")) +
                                   "\"tensors\": [" + many + "]}");
  manifestCase("tensor-object",
               edit(m,
                    "{\"element\": \"f32\", \"name\": \"lse\", \"shape\": "
                    "[-1, 8, -1]}",
                    "7"));
  manifestCase("name-empty", edit(m, "\"name\": \"value\"", "\"name\": \"\""));
  manifestCase("name-duplicate",
               edit(m, "\"name\": \"value\"", "\"name\": \"key\""));
  manifestCase("element", edit(m, "\"element\": \"f32\"",
                               "\"element\": "
                               "\"f64\""));
  manifestCase("shape-rank-0", edit(m, "[-1, 8, -1]", "[]"));
  manifestCase("shape-rank-6", edit(m, "[-1, 8, -1]", "[1, 1, 1, 1, 1, 1]"));
  manifestCase("shape-huge", edit(m, "[-1, 8, -1, 64]", "[-1, 8, -1, 1e300]"));
  manifestCase("shape-negative", edit(m, "[-1, 8, -1, 64]", "[-2, 8, -1, 64]"));
  // Parameters.
  manifestCase("params-missing", edit(m, "\"params\"", "\"param\""));
  manifestCase("params-none", edit(edit(m,
                                        "\"attention\": {\"lse\": true, "
                                        "\"mask\": \"causal\", \"scale\": "
                                        "0.125},",
                                        ""),
                                   m.substr(m.find("[\n    {\"kind\""),
                                            m.find("],\n  \"ptx\"") -
                                                m.find("[\n    {\"kind\"") + 1),
                                   "[]"));
  std::string params;
  for (int i = 0; i < 65; ++i)
    params +=
        std::string(i ? ", " : "") + "{\"kind\": \"memref\", \"tensor\": 0}";
  manifestCase("params-many",
               edit(m, "{\"kind\": \"memref\", \"tensor\": 0},", params + ","));
  manifestCase("param-object",
               edit(m, "{\"kind\": \"memref\", \"tensor\": 0}", "7"));
  manifestCase("param-kind", edit(m, "\"kind\": \"memref\"",
                                  "\"kind\": "
                                  "\"ptr\""));
  manifestCase("memref-tensor", edit(m, "\"tensor\": 4}", "\"tensor\": 5}"));
  manifestCase("memref-no-tensor", edit(m, ", \"tensor\": 4}", "}"));
  manifestCase("scalar", edit(m, "{\"kind\": \"memref\", \"tensor\": 4}",
                              "{\"dim\": 2, \"kind\": \"scalar\", \"tensor\": "
                              "0, \"type\": \"i64\"}"));
  manifestCase("scalar-type", edit(t, "\"type\": \"i32\"",
                                   "\"type\": "
                                   "\"u32\""));
  manifestCase("scalar-tensor",
               edit(t, "\"tensor\": 1, \"type\"", "\"tensor\": 2, \"type\""));
  manifestCase("scalar-dim", edit(t, "{\"dim\": 1, \"kind\": \"scalar\"",
                                  "{\"dim\": 2, \"kind\": \"scalar\""));
  manifestCase("scalar-no-dim", edit(t, "{\"dim\": 1, \"kind\": \"scalar\"",
                                     "{\"kind\": "
                                     "\"scalar\""));
  manifestCase("map-capability",
               edit(edit(edit(t, "sm_90a", "sm_80"), "\"capability\": 90",
                         "\"capability\": 80"),
                    "[2, 1, 1]", "[1, 1, 1]"));
  manifestCase("map-tensor", edit(t, "\"swizzle\": 128, \"tensor\": 0",
                                  "\"swizzle\": 128, \"tensor\": 2"));
  manifestCase("map-element", edit(t, "\"element\": \"bf16\", \"kind\"",
                                   "\"element\": \"f16\", \"kind\""));
  manifestCase("map-element-name", edit(t, "\"element\": \"bf16\", \"kind\"",
                                        "\"element\": \"bfloat16\", "
                                        "\"kind\""));
  manifestCase("map-box-missing", edit(t, "\"box\": [1, 64, 64], ", ""));
  manifestCase("map-box-rank", edit(t, "[1, 64, 64]", "[64, 64]"));
  manifestCase("map-box-zero", edit(t, "[1, 64, 64]", "[0, 64, 64]"));
  manifestCase("map-box-large", edit(t, "[1, 64, 64]", "[1, 257, 64]"));
  manifestCase("map-box-row", edit(t, "[1, 64, 64]", "[1, 64, 4]"));
  manifestCase("map-box-swizzle", edit(t, "[1, 64, 64]", "[1, 64, 128]"));
  manifestCase("map-box-no-swizzle",
               edit(edit(t, "[1, 64, 64]", "[1, 64, 128]"), "\"swizzle\": 128",
                    "\"swizzle\": 0"));
  manifestCase("map-swizzle", edit(t, "\"swizzle\": 128", "\"swizzle\": 16"));
  manifestCase("map-swizzle-type",
               edit(t, "\"swizzle\": 128", "\"swizzle\": \"128B\""));
  manifestCase("map-oob-fill",
               edit(t, "\"oob_fill\": \"zero\"", "\"oob_fill\": \"one\""));
  manifestCase("map-oob-nan",
               edit(t, "\"oob_fill\": \"zero\"", "\"oob_fill\": \"nan\""));
  // Launch geometry.
  manifestCase("block-fraction", edit(m, "[256, 1, 1]", "[256.5, 1, 1]"));
  manifestCase("block-huge", edit(m, "[256, 1, 1]", "[1e400, 1, 1]"));
  manifestCase("block-product", edit(m, "[256, 1, 1]", "[256, 4, 2]"));
  manifestCase("block-overflow", edit(m, "[256, 1, 1]", "[-1e999, 1, 1]"));
  manifestCase("cluster-missing", edit(m, "\"cluster\"", "\"clusters\""));
  manifestCase("cluster-two", edit(t, "[2, 1, 1]", "[2, 1]"));
  manifestCase("cluster-zero", edit(t, "[2, 1, 1]", "[0, 1, 1]"));
  manifestCase("cluster-nine", edit(t, "[2, 1, 1]", "[9, 1, 1]"));
  manifestCase("cluster-product", edit(t, "[2, 1, 1]", "[4, 2, 2]"));
  manifestCase("cluster-capability",
               edit(m, "\"cluster\": [1, 1, 1]", "\"cluster\": [2, 1, 1]"));
  manifestCase("grid-object",
               edit(m, "{\"dim\": 2, \"divisor\": 128, \"tensor\": 0}", "7"));
  manifestCase("grid-axes", edit(m,
                                 "{\"dim\": 2, \"divisor\": 128, "
                                 "\"tensor\": 0},",
                                 ""));
  manifestCase("grid-tensor", edit(m, "\"divisor\": 128, \"tensor\": 0}",
                                   "\"divisor\": 128, \"tensor\": 5}"));
  manifestCase("grid-dim", edit(m, "{\"dim\": 2, \"divisor\": 128",
                                "{\"dim\": 4, \"divisor\": 128"));
  manifestCase("grid-lse-dim", edit(m,
                                    "\"dim\": 1, \"divisor\": 1, "
                                    "\"tensor\": 0}",
                                    "\"dim\": 3, \"divisor\": 1, \"tensor\": "
                                    "4}"));
  manifestCase("divisor", edit(m, "\"divisor\": 128", "\"divisor\": 0"));
  manifestCase("shared-memory", edit(m, "49152", "-1"));
  // Attention.
  manifestCase("mask", edit(m, "\"causal\"", "\"diagonal\""));
  manifestCase("scale", edit(m, "0.125", "1e999"));
  manifestCase("scale-underflow", edit(m, "0.125", "1e-999"));
  manifestCase("window-missing", edit(m, "\"causal\"", "\"sliding_window\""));
  manifestCase("window-unasked",
               edit(m, "\"scale\"", "\"window\": [4, 0], \"scale\""));
  manifestCase("window-negative",
               edit(edit(m, "\"causal\"", "\"sliding_window\""), "\"scale\"",
                    "\"window\": [-4, 0], \"scale\""));
  manifestCase("lse-false", edit(m, "\"lse\": true", "\"lse\": false"));
  manifestCase("lse-unnamed",
               edit(m, "\"name\": \"lse\"", "\"name\": \"logsumexp\""));
  manifestCase("attention-key", edit(m, "\"name\": \"key\"",
                                     "\"name\": "
                                     "\"keys\""));
  manifestCase("attention-rank", edit(m, "[-1, 8, -1, 64]", "[-1, 8, -1]"));
  manifestCase("attention-lse-rank", edit(m, "[-1, 8, -1]}",
                                          "[-1, 8, -1, "
                                          "1]}"));
  manifestCase("no-attention", edit(m,
                                    "\"attention\": {\"lse\": true, "
                                    "\"mask\": \"causal\", \"scale\": "
                                    "0.125},",
                                    ""));
}

void attentionCases() {
  const Manifest manifest = parsed(kAttention);
  attentionCase("launch", manifest, [](Views &) {});
  launchCase("launch-details", manifest, attentionViews(1, 8, 2, 1, 1), true);
  attentionCase("count", manifest, [](Views &v) { v.pop_back(); });
  attentionCase("rank", manifest, [](Views &v) {
    v[1].sizes.pop_back();
    v[1].strides.pop_back();
  });
  attentionCase("static-head", manifest, [](Views &v) { v[1].sizes[1] = 4; });
  attentionCase("negative-size", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[2] = -300;
  });
  attentionCase("negative-stride", manifest,
                [](Views &v) { v[2].strides[2] = -64; });
  attentionCase("inner-stride", manifest,
                [](Views &v) { v[0].strides[3] = 2; });
  attentionCase("pointer", manifest, [](Views &v) { v[3].data += 2; });
  attentionCase("row-stride", manifest, [](Views &v) { v[0].strides[2] = 68; });
  attentionCase("size-one-stride", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[0] = 1;
    v[0].strides[0] = 3;
  });
  attentionCase("batch", manifest, [](Views &v) { v[2].sizes[0] = 3; });
  attentionCase("kv-length", manifest, [](Views &v) { v[2].sizes[2] = 999; });
  attentionCase("lse-shape", manifest, [](Views &v) { v[4].sizes[2] = 299; });
  attentionCase("grid-limit", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[0] = 70000;
  });
  attentionCase("empty", manifest, [](Views &v) {
    for (size_t i : {0, 3, 4})
      v[i].sizes[2] = 0;
  });
  // Persistent: the grid's 128 tiles (8 query tiles x 8 heads x 2) along
  // x, at most 2 CTAs an SM of the device.
  const Manifest persistent = parsed(
      edit(kAttention, "\"format\": 2,", "\"format\": 4, \"persistent\": 2,"));
  launchCase("persistent-40-sms", persistent,
             attentionViews(2, 8, 2, 1000, 1000), false, 40);
  launchCase("persistent-100-sms", persistent,
             attentionViews(2, 8, 2, 1000, 1000), false, 100);
  launchCase("persistent-unknown-sms", persistent,
             attentionViews(2, 8, 2, 1000, 1000));
  launchCase("persistent-empty", persistent, attentionViews(2, 8, 2, 0, 1000),
             false, 40);
  // 2^31 tiles (a row a tile): more than the kernel's 32-bit tile count.
  launchCase("persistent-too-many",
             parsed(edit(edit(kAttention, "\"format\": 2,",
                              "\"format\": 4, \"persistent\": 2,"),
                         "\"divisor\": 128", "\"divisor\": 1")),
             attentionViews(2048, 8, 2, 131072, 1), false, 40);

  // The relations find tensors by name, wherever the manifest puts them:
  // here value first, and the views follow the manifest's order.
  std::string reordered = edit(
      edit(kAttention,
           "{\"element\": \"bf16\", \"name\": \"value\", \"shape\": [-1, 2, "
           "-1, 64]},\n",
           ""),
      "\"tensors\": [\n",
      "\"tensors\": [\n    {\"element\": \"bf16\", \"name\": \"value\", "
      "\"shape\": [-1, 2, -1, 64]},\n");
  const Manifest byName = parsed(reordered);
  auto reorder = [](Views v) { return Views{v[2], v[0], v[1], v[3], v[4]}; };
  launchCase("by-name", byName, reorder(attentionViews(2, 8, 2, 300, 1000)));
  Views shorter = reorder(attentionViews(2, 8, 2, 300, 1000));
  shorter[0].sizes[2] = 999;
  launchCase("by-name-kv-length", byName, shorter);

  // Relations between sizes the manifest leaves dynamic.
  std::string dynamic = kAttention;
  for (const char *from : {"[-1, 8, -1, 64]", "[-1, 2, -1, 64]"})
    while (dynamic.find(from) != std::string::npos)
      dynamic = edit(dynamic, from, "[-1, -1, -1, -1]");
  const Manifest sizes = parsed(edit(dynamic, "[-1, 8, -1]", "[-1, -1, -1]"));
  attentionCase("dynamic", sizes, [](Views &) {});
  attentionCase("heads-ratio", sizes,
                [](Views &v) { v[1].sizes[1] = v[2].sizes[1] = 3; });
  attentionCase("kv-heads-zero", sizes,
                [](Views &v) { v[1].sizes[1] = v[2].sizes[1] = 0; });
  attentionCase("output-heads", sizes, [](Views &v) { v[3].sizes[1] = 4; });
  attentionCase("head-dim", sizes, [](Views &v) { v[1].sizes[3] = 32; });
  attentionCase("value-head-dim", sizes, [](Views &v) { v[3].sizes[3] = 32; });
  attentionCase("query-length", sizes, [](Views &v) { v[3].sizes[2] = 301; });

  // Without the attention member, no relation is checked.
  const Manifest plain = parsed(edit(kAttention,
                                     "\"attention\": {\"lse\": true, "
                                     "\"mask\": \"causal\", \"scale\": "
                                     "0.125},",
                                     ""));
  attentionCase("no-attention-kv-length", plain,
                [](Views &v) { v[2].sizes[2] = 999; });
}

void tensorMapCases() {
  const Manifest manifest = parsed(kTensorMap);
  tensorMapCase(
      "tma-launch", manifest, [](Views &) {}, /*details=*/true);
  tensorMapCase("tma-pointer", manifest, [](Views &v) { v[0].data += 8; });
  // The 16-byte rule of 16-bit memrefs is not an f32 memref's.
  tensorMapCase("tma-pointer-memref-f32", manifest,
                [](Views &v) { v[1].data += 4; });
  tensorMapCase("tma-stride", manifest, [](Views &v) {
    v[0].strides[1] = 68;
    v[0].strides[0] = 68 * 1000;
  });
  tensorMapCase("tma-stride-large", manifest, [](Views &v) {
    v[0].sizes[0] = 2;
    v[0].strides[0] = int64_t(1) << 39;
  });
  tensorMapCase("tma-size-zero", manifest, [](Views &v) { v[0].sizes[0] = 0; });
  tensorMapCase("tma-size-large", manifest, [](Views &v) {
    v[0] = contiguous(v[0].data, {1, (int64_t(1) << 32) + 1, 64});
  });
  tensorMapCase(
      "tma-size-one-stride", manifest,
      [](Views &v) {
        v[0].sizes[0] = 1;
        v[0].strides[0] = 3;
      },
      /*details=*/true);
  tensorMapCase("tma-inner-stride", manifest,
                [](Views &v) { v[0].strides[2] = 2; });
  tensorMapCase("tma-static", manifest, [](Views &v) {
    v[0] = contiguous(v[0].data, {4, 1000, 32});
  });
  tensorMapCase("tma-cluster", manifest, [](Views &v) {
    v[1] = contiguous(v[1].data, {4, 65 * 64});
  });
  tensorMapCase("tma-i32", manifest, [](Views &v) {
    v[1] = contiguous(v[1].data, {4, 3000000000});
  });
  tensorMapCase("tma-empty", manifest, [](Views &v) {
    v[0].sizes[0] = 0;
    v[1].sizes[0] = 0;
  });

  // Rules the manifest reader checks already, planned from manifests built
  // in code.
  auto with = [&](const std::function<void(TensorMapParam &)> &change) {
    Manifest m = manifest;
    change(std::get<TensorMapParam>(m.params[0]));
    return m;
  };
  tensorMapCase("plan-box-row", with([](TensorMapParam &p) { p.box[2] = 4; }),
                [](Views &) {});
  tensorMapCase("plan-box-swizzle",
                with([](TensorMapParam &p) { p.box[2] = 128; }),
                [](Views &) {});
  tensorMapCase("plan-box-extent",
                with([](TensorMapParam &p) { p.box[0] = 300; }),
                [](Views &) {});
  tensorMapCase("plan-box-zero", with([](TensorMapParam &p) { p.box[1] = 0; }),
                [](Views &) {});
  tensorMapCase("plan-swizzle", with([](TensorMapParam &p) { p.swizzle = 16; }),
                [](Views &) {});
  tensorMapCase("plan-swizzle-32", with([](TensorMapParam &p) {
                  p.swizzle = 32;
                  p.box[2] = 16;
                }),
                [](Views &) {});

  requestCase("request", [](TensorMapRequest &) {});
  requestCase("request-rank-0", [](TensorMapRequest &r) { r.rank = 0; });
  requestCase("request-rank-6", [](TensorMapRequest &r) { r.rank = 6; });
  requestCase("request-element-stride",
              [](TensorMapRequest &r) { r.elementStrides[1] = 2; });
  requestCase("request-stride-zero",
              [](TensorMapRequest &r) { r.globalStrides[0] = 0; });
}

} // namespace

/// Format 3: the workspace and grid products, read, checked and planned.
void splitCases() {
  const std::string m = kSplit;
  manifestCase("split-manifest", m);
  manifestCase("split-format-2", edit(m, "\"format\": 3", "\"format\": 2"));
  manifestCase("split-times-format-2",
               edit(kAttention, "\"divisor\": 128, \"tensor\": 0}",
                    "\"divisor\": 128, \"tensor\": 0, \"times\": {\"dim\": "
                    "2, \"divisor\": 64, \"tensor\": 1}}"));
  manifestCase("split-workspace-element",
               edit(m, "\"element\": \"i32\"", "\"element\": \"bf16\""));
  manifestCase("split-workspace-zero",
               edit(m, "\"zero\": true", "\"zero\": 1"));
  manifestCase("split-workspace-name",
               edit(m, "\"name\": \"partial_lse\"", "\"name\": \"key\""));
  manifestCase("split-workspace-extents",
               edit(m,
                    "\"extents\": [{\"dim\": 0, \"divisor\": 1, "
                    "\"tensor\": 0},",
                    "\"extents\": [{\"dim\": 0, \"divisor\": 1, "
                    "\"tensor\": 9},"));
  manifestCase("split-workspace-index",
               edit(m, "\"workspace\": 2}", "\"workspace\": 3}"));
  manifestCase(
      "split-workspace-and-tensor",
      edit(m, "\"workspace\": 2}", "\"workspace\": 2, \"tensor\": 0}"));
  manifestCase("split-times-nested",
               edit(m, "\"divisor\": 512, \"tensor\": 1}},",
                    "\"divisor\": 512, \"tensor\": 1, \"times\": {\"dim\": 0, "
                    "\"divisor\": 1, \"tensor\": 0}}},"));
  manifestCase("split-times-divisor",
               edit(m, "\"divisor\": 512, \"tensor\": 1}},",
                    "\"divisor\": 0, \"tensor\": 1}},"));
  Manifest manifest = parsed(m);
  // B = 3, Skv = 1000: 2 chunks of 512 keys, one query tile, 2 key/value
  // heads. Workspace: 2 x 3 x 8 x 1 x 64 f32 (12288 bytes), 2 x 3 x 8 x 1
  // f32 (192, rounded to 256), 3 x 2 x 1 i32 (24, rounded to 256).
  TensorView q = contiguous(uint64_t(1) << 32, {3, 8, 1, 64}),
             k = contiguous(uint64_t(2) << 32, {3, 2, 1000, 64}),
             v = contiguous(uint64_t(3) << 32, {3, 2, 1000, 64}),
             o = contiguous(uint64_t(4) << 32, {3, 8, 1, 64});
  launchCase("split-plan", manifest, {q, k, v, o}, /*details=*/true);
  // A grid product past 2^40 blocks is refused, not wrapped.
  auto longView = [](uint64_t data, int64_t heads) {
    TensorView t;
    t.data = data;
    t.sizes = {3, heads, int64_t(1) << 40, 64};
    t.strides = {0, 0, 64, 1}; // aliased rows: only the plan is made
    return t;
  };
  TensorView longKeys = longView(uint64_t(2) << 32, 2),
             longQueries = longView(uint64_t(1) << 32, 8);
  Manifest dynamicSq = parsed(edit(edit(m, "[-1, 8, 1, 64]", "[-1, 8, -1, 64]"),
                                   "[-1, 8, 1, 64]", "[-1, 8, -1, 64]"));
  launchCase("split-grid-overflow", dynamicSq,
             {longQueries, longKeys, longKeys, longQueries});
  // No keys: one empty chunk per tile, which writes O's zeros.
  TensorView empty = contiguous(uint64_t(2) << 32, {3, 2, 0, 64});
  launchCase("split-empty-cache", manifest, {q, empty, empty, o}, true);
}

namespace {

/// Contiguous views of a paged launch, in kPaged's order: Q [B, Hq, Sq, 64],
/// K and V [pages, page, Hkv, 64], the block table [B, max_pages], the
/// lengths [B], O like Q and the LSE [B, Hq, Sq].
Views pagedViews(int64_t b, int64_t hq, int64_t hkv, int64_t sq, int64_t pages,
                 int64_t page, int64_t maxPages) {
  uint64_t base = uint64_t(1) << 32, step = uint64_t(1) << 30;
  return {contiguous(base, {b, hq, sq, 64}),
          contiguous(base + step, {pages, page, hkv, 64}),
          contiguous(base + 2 * step, {pages, page, hkv, 64}),
          contiguous(base + 3 * step, {b, maxPages}),
          contiguous(base + 4 * step, {b}),
          contiguous(base + 5 * step, {b, hq, sq, 64}),
          contiguous(base + 6 * step, {b, hq, sq})};
}

/// A paged launch of B = 3 sequences of 5 queries, 8 query and 2 key/value
/// heads, a cache of 40 pages of 16 keys and a block table of 10 pages per
/// sequence, changed by `change`.
void pagedCase(const char *name, const Manifest &manifest, const Change &change,
               bool details = false) {
  Views views = pagedViews(3, 8, 2, 5, 40, 16, 10);
  change(views);
  launchCase(name, manifest, views, details);
}

/// Format 3: a paged K/V cache (attention.paged), its i32 block table and
/// lengths, read, checked and planned.
void pagedCases() {
  const std::string m = kPaged;
  manifestCase("paged-manifest", m);
  // attention.paged and i32 tensors are format 3's.
  manifestCase("paged-format-2", edit(m, "\"format\": 3", "\"format\": 2"));
  manifestCase("paged-flag-format-2", edit(kAttention, "\"lse\": true,",
                                           "\"lse\": true, \"paged\": "
                                           "true,"));
  manifestCase("paged-i32-format-2", edit(kTensorMap, "\"element\": \"f32\"",
                                          "\"element\": \"i32\""));
  manifestCase(
      "paged-i32-format-3",
      edit(edit(kTensorMap, "\"element\": \"f32\"", "\"element\": \"i32\""),
           "\"format\": 2", "\"format\": 3"));
  manifestCase("paged-element",
               edit(m, "\"element\": \"i32\", \"name\": \"block_table\"",
                    "\"element\": \"i64\", \"name\": \"block_table\""));
  manifestCase("paged-flag-type",
               edit(m, "\"paged\": true", "\"paged\": \"yes\""));
  // The block table and the lengths come exactly with attention.paged.
  manifestCase("paged-false", edit(m, "\"paged\": true", "\"paged\": false"));
  manifestCase("paged-flag-missing", edit(m, " \"paged\": true,", ""));
  manifestCase("paged-lengths-unasked",
               edit(kSplit, "\"name\": \"output\", \"shape\": [-1, 8, 1, 64]}",
                    "\"name\": \"output\", \"shape\": [-1, 8, 1, 64]},\n    "
                    "{\"element\": \"i32\", \"name\": \"cache_lengths\", "
                    "\"shape\": [-1]}"));
  manifestCase("paged-no-block-table",
               edit(m, "\"name\": \"block_table\"", "\"name\": \"pages\""));
  manifestCase("paged-no-cache-lengths",
               edit(m, "\"name\": \"cache_lengths\"", "\"name\": \"lengths\""));
  manifestCase("paged-table-rank",
               edit(m, "\"block_table\", \"shape\": [-1, -1]",
                    "\"block_table\", \"shape\": [-1, -1, 1]"));
  manifestCase("paged-lengths-rank",
               edit(m, "\"cache_lengths\", \"shape\": [-1]",
                    "\"cache_lengths\", \"shape\": [-1, 1]"));
  manifestCase("paged-table-element",
               edit(m, "\"element\": \"i32\", \"name\": \"block_table\"",
                    "\"element\": \"f32\", \"name\": \"block_table\""));
  manifestCase("paged-lengths-element",
               edit(m, "\"element\": \"i32\", \"name\": \"cache_lengths\"",
                    "\"element\": \"bf16\", \"name\": \"cache_lengths\""));
  manifestCase("paged-key-rank", edit(m, "[-1, 16, 2, 64]", "[-1, 16, 128]"));
  // i32 is for the block table and the lengths alone.
  manifestCase("paged-i32-query",
               edit(m, "\"element\": \"bf16\", \"name\": \"query\"",
                    "\"element\": \"i32\", \"name\": \"query\""));

  // B = 3, Sq = 5, 10 pages per sequence: one query tile times 3 chunks of
  // 4 pages. Workspace: 3 x 3 x 8 x 5 x 64 f32 (92160 bytes), 3 x 3 x 8 x 5
  // f32 (1440, rounded to 1536), 3 x 8 x 1 i32 (96, rounded to 256). The
  // cache's 40 pages are not the batch, its 16 keys a page not Sq.
  const Manifest manifest = parsed(m);
  pagedCase(
      "paged-plan", manifest, [](Views &) {}, /*details=*/true);
  pagedCase("paged-count", manifest, [](Views &v) { v.pop_back(); });
  pagedCase("paged-table-view-rank", manifest, [](Views &v) {
    v[3].sizes.pop_back();
    v[3].strides.pop_back();
  });
  pagedCase("paged-static-page-size", manifest, [](Views &v) {
    v[1] = contiguous(v[1].data, {40, 32, 2, 64});
  });
  pagedCase("paged-static-kv-heads", manifest, [](Views &v) {
    v[2] = contiguous(v[2].data, {40, 16, 4, 64});
  });
  // The block table and lengths are i32: 4-byte aligned is enough.
  pagedCase("paged-table-pointer-4", manifest, [](Views &v) {
    v[3].data += 4;
    v[4].data += 4;
  });
  pagedCase("paged-table-pointer-2", manifest,
            [](Views &v) { v[3].data += 2; });
  // A block table of no pages: one empty chunk per query tile.
  pagedCase("paged-empty-table", manifest, [](Views &v) {
    v[3] = contiguous(v[3].data, {3, 0});
  });

  // Relations between sizes the manifest leaves dynamic.
  std::string dynamic = m;
  for (const char *from : {"[-1, 8, -1, 64]", "[-1, 16, 2, 64]"})
    while (dynamic.find(from) != std::string::npos)
      dynamic = edit(dynamic, from, "[-1, -1, -1, -1]");
  const Manifest sizes = parsed(edit(dynamic, "[-1, 8, -1]", "[-1, -1, -1]"));
  pagedCase("paged-dynamic", sizes, [](Views &) {});
  pagedCase("paged-table-batch", sizes, [](Views &v) {
    v[3] = contiguous(v[3].data, {4, 10});
  });
  pagedCase("paged-lengths-batch", sizes,
            [](Views &v) { v[4] = contiguous(v[4].data, {2}); });
  pagedCase("paged-page-count", sizes, [](Views &v) { v[2].sizes[0] = 39; });
  pagedCase("paged-page-size", sizes, [](Views &v) {
    v[2] = contiguous(v[2].data, {40, 8, 2, 64});
  });
  pagedCase("paged-kv-heads", sizes, [](Views &v) {
    v[2] = contiguous(v[2].data, {40, 16, 4, 64});
  });
  pagedCase("paged-heads-ratio", sizes, [](Views &v) {
    for (int i : {1, 2})
      v[i] = contiguous(v[i].data, {40, 16, 3, 64});
  });
  pagedCase("paged-kv-heads-zero", sizes, [](Views &v) {
    for (int i : {1, 2})
      v[i] = contiguous(v[i].data, {40, 16, 0, 64});
  });
  // The ratio is of K's dimension 2, not of the page size (dimension 1):
  // pages of 3 keys under 8 query heads are fine.
  pagedCase("paged-odd-page-size", sizes, [](Views &v) {
    for (int i : {1, 2})
      v[i] = contiguous(v[i].data, {40, 3, 2, 64});
  });
  // Nor is K's dimension 0 a batch: a cache of one page serves 3 sequences.
  pagedCase("paged-one-page", sizes, [](Views &v) {
    for (int i : {1, 2})
      v[i] = contiguous(v[i].data, {1, 16, 2, 64});
  });
  pagedCase("paged-head-dim", sizes, [](Views &v) {
    v[1] = contiguous(v[1].data, {40, 16, 2, 32});
  });
  pagedCase("paged-value-head-dim", sizes, [](Views &v) {
    v[2] = contiguous(v[2].data, {40, 16, 2, 32});
  });
  pagedCase("paged-output-batch", sizes, [](Views &v) {
    v[5] = contiguous(v[5].data, {2, 8, 5, 64});
  });
  pagedCase("paged-lse-shape", sizes, [](Views &v) {
    v[6] = contiguous(v[6].data, {3, 8, 4});
  });
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2)
    return planFile(argv[1]);
  manifestCases();
  attentionCases();
  tensorMapCases();
  splitCases();
  pagedCases();
  return 0;
}
