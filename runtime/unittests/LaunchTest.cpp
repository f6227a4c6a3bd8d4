//===- LaunchTest.cpp - the manifest reader and launch checks on the CPU --===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Runs parseManifest and planLaunch on edited copies of a manifest and on
// launches that break each rule, printing one line per case:
// "<case>: ok <details>" or "<case>: error: <message>". The lit test
// test/Runtime/launch-checks.test checks every line, so the checks run in CI
// without a GPU.
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
const char *const kManifest = R"({
  "abi": "memref-descriptor",
  "attention": {"lse": true, "mask": "causal", "scale": 0.125},
  "block": [256, 1, 1],
  "chip": "sm_80",
  "cubin": "attention.cubin",
  "dynamic_shared_memory": 49152,
  "format": 1,
  "grid": [{"dim": 2, "divisor": 128, "param": 0},
           {"dim": 1, "divisor": 1, "param": 0},
           {"dim": 0, "divisor": 1, "param": 0}],
  "kernel": "attention",
  "params": [
    {"element": "bf16", "kind": "memref", "name": "query", "shape": [-1, 8, -1, 64]},
    {"element": "bf16", "kind": "memref", "name": "key", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "kind": "memref", "name": "value", "shape": [-1, 2, -1, 64]},
    {"element": "bf16", "kind": "memref", "name": "output", "shape": [-1, 8, -1, 64]},
    {"element": "f32", "kind": "memref", "name": "lse", "shape": [-1, 8, -1]}
  ],
  "ptx": "attention.ptx"
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
    std::printf("%s: ok %s for %s (capability %d), %zu tensors\n", name,
                manifest.kernel.c_str(), manifest.chip.c_str(),
                manifest.capability, manifest.params.size());
  else
    std::printf("%s: error: %s\n", name, error.c_str());
}

/// Contiguous [B, H, S, D] views of Q, K, V, O and the LSE.
std::vector<TensorView> attentionViews(int64_t b, int64_t hq, int64_t hkv,
                                       int64_t sq, int64_t skv) {
  uint64_t base = uint64_t(1) << 32;
  auto view = [&](int64_t h, int64_t s, std::vector<int64_t> inner) {
    TensorView t;
    t.data = base;
    base += uint64_t(1) << 30;
    t.sizes = {b, h, s};
    t.sizes.insert(t.sizes.end(), inner.begin(), inner.end());
    t.strides.assign(t.sizes.size(), 1);
    for (size_t d = t.sizes.size() - 1; d-- > 0;)
      t.strides[d] = t.strides[d + 1] * t.sizes[d + 1];
    return t;
  };
  return {view(hq, sq, {64}), view(hkv, skv, {64}), view(hkv, skv, {64}),
          view(hq, sq, {64}), view(hq, sq, {})};
}

void launchCase(const char *name, const Manifest &manifest,
                const std::function<void(std::vector<TensorView> &)> &change) {
  std::vector<TensorView> views = attentionViews(2, 8, 2, 300, 1000);
  change(views);
  LaunchPlan plan;
  std::string error;
  if (planLaunch(manifest, views, plan, error))
    std::printf("%s: ok grid %u x %u x %u, block %u, %zu arguments%s\n", name,
                plan.grid[0], plan.grid[1], plan.grid[2], plan.block[0],
                plan.arguments.size(), plan.isEmpty() ? ", empty" : "");
  else
    std::printf("%s: error: %s\n", name, error.c_str());
}

} // namespace

int main() {
  const std::string m = kManifest;
  manifestCase("manifest", m);
  manifestCase("not-json", "{\"format\": 1,");
  manifestCase("nan", edit(m, "0.125", "nan"));
  manifestCase("hex", edit(m, "49152", "0xc000"));
  manifestCase("plus", edit(m, "49152", "+49152"));
  manifestCase("deep", std::string(40, '[') + std::string(40, ']'));
  manifestCase("duplicate",
               edit(m, "\"format\": 1", "\"format\": 1, \"format\": 1"));
  manifestCase("escape", edit(m, "\"attention\",", "\"attent\\ion\","));
  manifestCase("unicode", edit(m, "\"attention\",", "\"\\u0061ttention\","));
  manifestCase("control", edit(m, "\"attention\",", "\"atten\ttion\","));
  manifestCase("format", edit(m, "\"format\": 1", "\"format\": 2"));
  manifestCase("abi", edit(m, "memref-descriptor", "bare-pointer"));
  manifestCase("chip", edit(m, "sm_80", "sm_8"));
  manifestCase("chip-90a", edit(m, "sm_80", "sm_90a"));
  manifestCase("ptx-path", edit(m, "attention.ptx", "../attention.ptx"));
  manifestCase("cubin-empty", edit(m, "attention.cubin", ""));
  manifestCase("kind", edit(m, "\"kind\": \"memref\"", "\"kind\": \"ptr\""));
  manifestCase("block-fraction", edit(m, "[256, 1, 1]", "[256.5, 1, 1]"));
  manifestCase("block-huge", edit(m, "[256, 1, 1]", "[1e400, 1, 1]"));
  manifestCase("block-product", edit(m, "[256, 1, 1]", "[256, 4, 2]"));
  manifestCase("shape-huge", edit(m, "[-1, 8, -1, 64]", "[-1, 8, -1, 1e300]"));
  manifestCase("shape-negative", edit(m, "[-1, 8, -1, 64]", "[-2, 8, -1, 64]"));
  manifestCase("lse-rank", edit(m, "[-1, 8, -1]}", "[-1, 8, -1, 1]}"));
  manifestCase("param-object",
               edit(m,
                    "{\"element\": \"bf16\", \"kind\": \"memref\", "
                    "\"name\": \"query\", \"shape\": [-1, 8, -1, 64]}",
                    "7"));
  manifestCase("grid-object",
               edit(m, "{\"dim\": 2, \"divisor\": 128, \"param\": 0}", "7"));
  manifestCase("grid-param", edit(m, "\"param\": 0}", "\"param\": 5}"));
  manifestCase("divisor", edit(m, "\"divisor\": 128", "\"divisor\": 0"));
  manifestCase("mask", edit(m, "\"causal\"", "\"diagonal\""));
  manifestCase("scale", edit(m, "0.125", "1e999"));
  manifestCase("scale-underflow", edit(m, "0.125", "1e-999"));
  manifestCase("block-overflow", edit(m, "[256, 1, 1]", "[-1e999, 1, 1]"));
  manifestCase("window-missing", edit(m, "\"causal\"", "\"sliding_window\""));
  manifestCase("window-unasked",
               edit(m, "\"scale\"", "\"window\": [4, 0], \"scale\""));
  manifestCase("window-negative",
               edit(edit(m, "\"causal\"", "\"sliding_window\""), "\"scale\"",
                    "\"window\": [-4, 0], \"scale\""));
  manifestCase("lse-count", edit(m, "\"lse\": true", "\"lse\": false"));

  Manifest manifest;
  std::string error;
  if (!parseManifest(m, manifest, error)) {
    std::printf("bad test: %s\n", error.c_str());
    return 1;
  }
  using Views = std::vector<TensorView>;
  launchCase("launch", manifest, [](Views &) {});
  launchCase("count", manifest, [](Views &v) { v.pop_back(); });
  launchCase("rank", manifest, [](Views &v) {
    v[1].sizes.pop_back();
    v[1].strides.pop_back();
  });
  launchCase("static-head", manifest, [](Views &v) { v[1].sizes[1] = 4; });
  launchCase("negative-size", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[2] = -300;
  });
  launchCase("negative-stride", manifest,
             [](Views &v) { v[2].strides[2] = -64; });
  launchCase("inner-stride", manifest, [](Views &v) { v[0].strides[3] = 2; });
  launchCase("pointer", manifest, [](Views &v) { v[3].data += 2; });
  launchCase("row-stride", manifest, [](Views &v) { v[0].strides[2] = 68; });
  launchCase("size-one-stride", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[0] = 1;
    v[0].strides[0] = 3;
  });
  launchCase("batch", manifest, [](Views &v) { v[2].sizes[0] = 3; });
  launchCase("kv-length", manifest, [](Views &v) { v[2].sizes[2] = 999; });
  launchCase("lse-shape", manifest, [](Views &v) { v[4].sizes[2] = 299; });
  launchCase("grid-limit", manifest, [](Views &v) {
    for (TensorView &t : v)
      t.sizes[0] = 70000;
  });
  launchCase("empty", manifest, [](Views &v) {
    for (size_t i : {0, 3, 4})
      v[i].sizes[2] = 0;
  });
  return 0;
}
