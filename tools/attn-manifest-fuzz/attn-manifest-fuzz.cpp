//===- attn-manifest-fuzz.cpp - libFuzzer over manifests and launches -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Feeds arbitrary bytes to what the runtime does before it touches CUDA:
// parse and check a launch manifest, then check a launch of it and lay out
// its arguments. An input is manifest text, optionally followed by a NUL
// byte and bytes that choose the launch's tensors (each size the manifest's
// own or any value, each stride contiguous or any value, the pointer
// aligned or not); without them the launch is the manifest's own shapes
// with every dynamic size 1. Errors are expected; a crash, a sanitizer
// report or a planned launch that breaks what planLaunch promises is a bug.
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Launch.h"
#include "attn-runtime/Manifest.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace attn::runtime;

/// The launch the bytes after the manifest choose.
static std::vector<TensorView> chooseLaunch(const Manifest &manifest,
                                            FuzzedDataProvider &bytes) {
  std::vector<TensorView> views;
  size_t count = manifest.params.size();
  if (bytes.remaining_bytes() && bytes.ConsumeBool())
    count = bytes.ConsumeIntegralInRange<size_t>(0, 6);
  for (size_t i = 0; i < count; ++i) {
    const TensorParam *param =
        i < manifest.params.size() ? &manifest.params[i] : nullptr;
    size_t rank = param ? param->shape.size() : 4;
    TensorView view;
    view.data = uint64_t(1) << 20;
    if (bytes.remaining_bytes())
      view.data += bytes.ConsumeIntegralInRange<uint64_t>(0, 64);
    view.sizes.resize(rank);
    view.strides.resize(rank);
    for (size_t d = rank; d-- > 0;) {
      int64_t fixed = param && param->shape[d] >= 0 ? param->shape[d] : 1;
      view.sizes[d] = fixed;
      if (bytes.remaining_bytes() && bytes.ConsumeBool())
        view.sizes[d] = bytes.ConsumeIntegral<int64_t>();
      // Contiguous; wrapping (not undefined) when the sizes are absurd.
      view.strides[d] = d + 1 == rank
                            ? 1
                            : static_cast<int64_t>(
                                  static_cast<uint64_t>(view.strides[d + 1]) *
                                  static_cast<uint64_t>(view.sizes[d + 1]));
      if (bytes.remaining_bytes() && bytes.ConsumeBool())
        view.strides[d] = bytes.ConsumeIntegral<int64_t>();
    }
    views.push_back(std::move(view));
  }
  return views;
}

/// What a planned launch must satisfy; aborts (a fuzzer finding) if not.
static void checkPlan(const Manifest &manifest,
                      const std::vector<TensorView> &views,
                      const LaunchPlan &plan) {
  size_t fields = 0;
  for (const TensorView &view : views)
    fields += 3 + 2 * view.sizes.size();
  bool ok = plan.arguments.size() == fields;
  for (int d = 0; d < 3; ++d) {
    const GridAxis &axis = manifest.grid[d];
    int64_t extent = views[axis.param].sizes[axis.dim];
    // The grid covers the extent, with less than one block to spare.
    ok &= extent >= 0 && int64_t(plan.grid[d]) * axis.divisor >= extent &&
          (plan.grid[d] == 0 ||
           int64_t(plan.grid[d] - 1) * axis.divisor < extent);
    ok &= plan.block[d] == manifest.block[d];
  }
  for (size_t i = 0; i < views.size(); ++i) {
    int64_t align = manifest.params[i].elementBytes() == 2 ? 16 : 4;
    ok &= views[i].data % align == 0;
  }
  if (!ok)
    std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = reinterpret_cast<const char *>(data);
  const void *nul = std::memchr(data, 0, size);
  size_t textSize = nul ? static_cast<const uint8_t *>(nul) - data : size;
  Manifest manifest;
  std::string error;
  if (!parseManifest(std::string(text, textSize), manifest, error)) {
    if (error.empty())
      std::abort(); // every failure says why
    return 0;
  }
  size_t rest = nul ? size - textSize - 1 : 0;
  FuzzedDataProvider bytes(data + size - rest, rest);
  std::vector<TensorView> views = chooseLaunch(manifest, bytes);
  LaunchPlan plan;
  if (planLaunch(manifest, views, plan, error))
    checkPlan(manifest, views, plan);
  else if (error.empty())
    std::abort();
  return 0;
}
