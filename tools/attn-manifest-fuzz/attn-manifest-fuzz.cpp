//===- attn-manifest-fuzz.cpp - libFuzzer over manifests and launches -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Feeds arbitrary bytes to what the runtime does before it touches CUDA:
// parse and check a launch manifest, then check a launch of it and lay out
// its parameters. An input is manifest text, optionally followed by a NUL
// byte and bytes that choose the launch's tensors (each size the manifest's
// own, near a limit or any value, each stride contiguous or any value, the
// pointer aligned or not); without them the launch is the manifest's own
// shapes with every dynamic size 1. Errors are expected; a crash, a
// sanitizer report or a planned launch that breaks what planLaunch promises
// is a bug: a grid that does not cover its extents or splits a cluster, an
// argument that is not its parameter (memref fields, sizes, an i32 that
// does not hold its size), a misaligned pointer, or a tensor-map request
// that breaks a rule of cuTensorMapEncodeTiled.
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Launch.h"
#include "attn-runtime/Manifest.h"

#include <algorithm>
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

using namespace attn::runtime;

/// The launch the bytes after the manifest choose.
static std::vector<TensorView> chooseLaunch(const Manifest &manifest,
                                            FuzzedDataProvider &bytes) {
  std::vector<TensorView> views;
  size_t count = manifest.tensors.size();
  if (bytes.remaining_bytes() && bytes.ConsumeBool())
    count = bytes.ConsumeIntegralInRange<size_t>(0, kMaxTensors + 1);
  for (size_t i = 0; i < count; ++i) {
    const TensorDecl *decl =
        i < manifest.tensors.size() ? &manifest.tensors[i] : nullptr;
    size_t rank = decl ? decl->shape.size() : 4;
    TensorView view;
    view.data = uint64_t(1) << 20;
    if (bytes.remaining_bytes())
      view.data += bytes.ConsumeIntegralInRange<uint64_t>(0, 64);
    view.sizes.resize(rank);
    view.strides.resize(rank);
    for (size_t d = rank; d-- > 0;) {
      int64_t fixed = decl && decl->shape[d] >= 0 ? decl->shape[d] : 1;
      view.sizes[d] = fixed;
      if (bytes.remaining_bytes() && bytes.ConsumeBool()) {
        // Often near the limits that matter: 0, 1, 2^31 (an i32), 2^32 (a
        // tensor map), 2^40 (any extent).
        static const int64_t near[] = {0, 1, int64_t(1) << 31, int64_t(1) << 32,
                                       int64_t(1) << 40};
        view.sizes[d] = bytes.ConsumeBool()
                            ? near[bytes.ConsumeIntegralInRange<size_t>(0, 4)] +
                                  bytes.ConsumeIntegralInRange<int64_t>(-1, 1)
                            : bytes.ConsumeIntegral<int64_t>();
      }
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

/// Whether `r` is what tensor map `map` of `view` must be, and meets every
/// rule of cuTensorMapEncodeTiled (written out again, not planLaunch's).
static bool isGoodRequest(const TensorMapRequest &r, const TensorMapParam &map,
                          const TensorDecl &decl, const TensorView &view) {
  size_t rank = view.sizes.size();
  uint64_t bytes = decl.elementBytes();
  bool ok = r.rank == rank && rank >= 1 && rank <= 5 &&
            r.address == view.data && r.address % 16 == 0 &&
            r.element == decl.element && r.swizzle == map.swizzle &&
            r.oobFill == map.oobFill &&
            (r.swizzle == 0 || r.swizzle == 32 || r.swizzle == 64 ||
             r.swizzle == 128);
  if (!ok)
    return false;
  for (size_t i = 0; i < rank; ++i) {
    size_t d = rank - 1 - i;
    ok &= r.globalDim[i] == static_cast<uint64_t>(view.sizes[d]);
    ok &= r.globalDim[i] >= 1 && r.globalDim[i] <= (uint64_t(1) << 32);
    ok &= r.box[i] == map.box[d] && r.box[i] >= 1 && r.box[i] <= 256;
    ok &= r.elementStrides[i] == 1;
    if (i == 0) {
      ok &= view.strides[d] == 1 || view.sizes[d] == 1;
      continue;
    }
    uint64_t stride = r.globalStrides[i - 1];
    ok &= stride % 16 == 0 && stride < (uint64_t(1) << 40);
    // The view's own stride, except along a dimension of size 1.
    ok &= view.sizes[d] == 1 ||
          stride == static_cast<uint64_t>(view.strides[d]) * bytes;
  }
  uint64_t row = r.box[0] * bytes;
  return ok && row % 16 == 0 && (r.swizzle == 0 || row <= r.swizzle);
}

/// ceildiv(size, divisor) of `e` on `views`.
static int64_t blocksOf(const Extent &e, const std::vector<TensorView> &views) {
  int64_t size = views[e.tensor].sizes[e.dim];
  return (size + e.divisor - 1) / e.divisor;
}

/// A grid axis's or workspace extent's second factor: at least 1.
static int64_t factorOf(const GridAxis &axis,
                        const std::vector<TensorView> &views) {
  return axis.times ? std::max<int64_t>(blocksOf(*axis.times, views), 1) : 1;
}

/// A workspace buffer's memref: a 256-byte aligned offset inside the
/// workspace, one size per extent (at least 1), contiguous strides.
static bool isGoodWorkspace(const WorkspaceDecl &buffer,
                            const std::vector<TensorView> &views,
                            const LaunchPlan &plan, size_t a) {
  uint64_t offset = *static_cast<const uint64_t *>(plan.arguments[a]);
  bool ok = offset % 256 == 0 && offset < plan.workspaceBytes &&
            *static_cast<const uint64_t *>(plan.arguments[a + 1]) == offset;
  size_t rank = buffer.extents.size();
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    const GridAxis &axis = buffer.extents[i];
    int64_t size =
        std::max<int64_t>(blocksOf(axis, views) * factorOf(axis, views), 1);
    ok &= *static_cast<const int64_t *>(plan.arguments[a + 3 + i]) == size &&
          *static_cast<const int64_t *>(plan.arguments[a + 3 + rank + i]) ==
              stride;
    stride *= size;
  }
  return ok;
}

/// What a planned launch must satisfy; aborts (a fuzzer finding) if not.
static void checkPlan(const Manifest &manifest,
                      const std::vector<TensorView> &views,
                      const LaunchPlan &plan) {
  bool ok = views.size() == manifest.tensors.size();
  // A persistent kernel (no device: one CTA a tile) launches every tile of
  // its grid along x: at most 2^30 of them, or none when an axis is empty.
  int64_t tiles = 1;
  bool emptyAxis = false;
  for (int d = 0; ok && manifest.persistent > 0 && d < 3; ++d)
    emptyAxis |= blocksOf(manifest.grid[d], views) == 0;
  for (int d = 0; ok && manifest.persistent > 0 && !emptyAxis && d < 3; ++d) {
    const GridAxis &axis = manifest.grid[d];
    int64_t blocks = blocksOf(axis, views), factor = factorOf(axis, views);
    ok &= factor <= (int64_t(1) << 30) / blocks &&
          blocks * factor <= (int64_t(1) << 30) / tiles;
    tiles *= ok ? blocks * factor : 1;
  }
  if (emptyAxis)
    tiles = 0;
  for (int d = 0; ok && d < 3; ++d) {
    const GridAxis &axis = manifest.grid[d];
    int64_t extent = views[axis.tensor].sizes[axis.dim];
    // The grid covers the extent, with less than one block to spare, times
    // the second factor, in whole clusters.
    int64_t blocks = manifest.persistent > 0
                         ? (d == 0 ? tiles : tiles > 0 ? 1 : 0)
                         : blocksOf(axis, views) * factorOf(axis, views);
    ok &= extent >= 0 && int64_t(plan.grid[d]) == blocks;
    ok &= plan.block[d] == manifest.block[d] &&
          plan.cluster[d] == manifest.cluster[d] &&
          plan.grid[d] % plan.cluster[d] == 0;
  }
  if (ok && plan.isEmpty()) {
    ok &= plan.arguments.empty() && plan.tensorMaps.empty();
  } else if (ok) {
    // One argument per kernel parameter, each what its kind says.
    size_t a = 0, maps = 0;
    for (const Param &param : manifest.params) {
      if (const auto *memref = std::get_if<MemrefParam>(&param)) {
        if (memref->workspace) {
          const WorkspaceDecl &buffer = manifest.workspace[memref->tensor];
          size_t fields = 3 + 2 * buffer.extents.size();
          ok &= a + fields <= plan.arguments.size() &&
                isGoodWorkspace(buffer, views, plan, a);
          a += fields;
          continue;
        }
        const TensorView &view = views[memref->tensor];
        const TensorDecl &decl = manifest.tensors[memref->tensor];
        int64_t align = decl.elementBytes() == 2 ? 16 : 4;
        ok &= view.data % align == 0;
        size_t fields = 3 + 2 * view.sizes.size();
        ok &= a + fields <= plan.arguments.size();
        if (!ok)
          break;
        ok &=
            *static_cast<const uint64_t *>(plan.arguments[a]) == view.data &&
            *static_cast<const uint64_t *>(plan.arguments[a + 1]) == view.data;
        for (size_t d = 0; d < view.sizes.size(); ++d)
          ok &= *static_cast<const int64_t *>(plan.arguments[a + 3 + d]) ==
                    view.sizes[d] &&
                *static_cast<const int64_t *>(
                    plan.arguments[a + 3 + view.sizes.size() + d]) ==
                    view.strides[d];
        a += fields;
      } else if (const auto *scalar = std::get_if<ScalarParam>(&param)) {
        ok &= a < plan.arguments.size();
        if (!ok)
          break;
        int64_t size = views[scalar->tensor].sizes[scalar->dim];
        ok &= scalar->type == ScalarType::I32
                  ? *static_cast<const int32_t *>(plan.arguments[a]) == size
                  : *static_cast<const int64_t *>(plan.arguments[a]) == size;
        ++a;
      } else {
        const auto &map = std::get<TensorMapParam>(param);
        ok &= a < plan.arguments.size() && maps < plan.tensorMaps.size() &&
              maps < plan.tensorMapStorage.size();
        if (!ok)
          break;
        ok &= plan.arguments[a] == plan.tensorMapStorage[maps].bytes &&
              reinterpret_cast<uintptr_t>(plan.arguments[a]) % 64 == 0 &&
              isGoodRequest(plan.tensorMaps[maps], map,
                            manifest.tensors[map.tensor], views[map.tensor]);
        ++a;
        ++maps;
      }
    }
    ok &= a == plan.arguments.size() && maps == plan.tensorMaps.size();
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
