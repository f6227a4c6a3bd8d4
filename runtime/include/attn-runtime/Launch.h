//===- Launch.h - check a launch against a manifest -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Everything about a launch that needs no GPU: the tensors checked against
// the manifest and against each other, the grid, and the kernel's
// parameters laid out in the manifest's order (memref descriptors, sizes,
// and what cuTensorMapEncodeTiled will be asked for each tensor map, with
// every rule it has checked here). A launch that passes these checks stays
// inside the tensors it was given; one that would not is an error message
// before anything reaches the driver (a fault there poisons the context).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_LAUNCH_H
#define ATTN_RUNTIME_LAUNCH_H

#include "attn-runtime/Manifest.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attn::runtime {

/// A strided view of device memory; sizes and strides in elements.
struct TensorView {
  uint64_t data = 0;
  std::vector<int64_t> sizes, strides;
};

/// The arguments of one cuTensorMapEncodeTiled call (tiled, no interleave),
/// in the driver's order: dimensions innermost first.
struct TensorMapRequest {
  std::string tensor; ///< the tensor's name, for messages
  Element element = Element::BF16;
  unsigned rank = 0;
  uint64_t address = 0;
  uint64_t globalDim[kMaxRank] = {};
  /// Bytes between steps of dimensions 1 .. rank-1 (innermost first).
  uint64_t globalStrides[kMaxRank - 1] = {};
  uint32_t box[kMaxRank] = {};
  uint32_t elementStrides[kMaxRank] = {};
  unsigned swizzle = 0; ///< bytes: 0, 32, 64 or 128
  OobFill oobFill = OobFill::Zero;
};

/// Checks `request` against cuTensorMapEncodeTiled's rules (rank 1 to 5,
/// sizes 1 to 2^32, a 16-byte aligned address, strides that are multiples
/// of 16 bytes below 2^40, box extents 1 to 256 whose innermost row is a
/// multiple of 16 bytes and, with a swizzle, at most its width, element
/// strides 1); on failure sets `error`, naming the tensor.
bool checkTensorMapRequest(const TensorMapRequest &request, std::string &error);

/// Room for one CUtensorMap: 128 bytes, aligned as cuda.h declares the type
/// (128; the driver needs 64), which a by-value (__grid_constant__)
/// parameter passes.
struct alignas(128) TensorMapStorage {
  unsigned char bytes[128] = {};
};

/// The grid, block, cluster and parameters of one launch. Not copyable:
/// `arguments` points into the plan's own vectors (a move keeps them valid).
struct LaunchPlan {
  LaunchPlan() = default;
  LaunchPlan(const LaunchPlan &) = delete;
  LaunchPlan &operator=(const LaunchPlan &) = delete;
  LaunchPlan(LaunchPlan &&) = default;
  LaunchPlan &operator=(LaunchPlan &&) = default;

  unsigned grid[3] = {0, 0, 0};
  unsigned block[3] = {1, 1, 1};
  unsigned cluster[3] = {1, 1, 1};
  unsigned sharedBytes = 0;
  /// Per memref parameter: the allocated and aligned pointers (one device
  /// address).
  std::vector<uint64_t> pointers;
  /// Per memref parameter: offset, sizes, strides; and i64 scalars.
  std::vector<int64_t> words;
  /// i32 scalars.
  std::vector<int32_t> words32;
  /// Per tensor_map parameter, in order: what to encode, and where the
  /// runtime encodes it (the argument points there).
  std::vector<TensorMapRequest> tensorMaps;
  std::vector<TensorMapStorage> tensorMapStorage;
  /// One pointer per kernel parameter, in order (what cuLaunchKernelEx's
  /// kernelParams takes); empty when the grid is.
  std::vector<void *> arguments;
  /// The workspace: bytes to allocate for the launch (each buffer starts at
  /// a multiple of 256 bytes), and the entries of `pointers` that hold a
  /// buffer's offset into it, to which the runtime adds its address.
  uint64_t workspaceBytes = 0;
  std::vector<size_t> workspacePointers;
  /// The (offset, bytes) ranges of the workspace to zero before the kernel
  /// runs, each a multiple of 256 bytes.
  std::vector<std::pair<uint64_t, uint64_t>> workspaceZeroed;

  /// A grid axis of zero blocks: there is nothing to compute.
  bool isEmpty() const { return !grid[0] || !grid[1] || !grid[2]; }
  bool hasCluster() const { return cluster[0] * cluster[1] * cluster[2] > 1; }
};

/// Checks `args` (one view per tensor, in the manifest's `tensors` order)
/// and fills `plan`, sizing the workspace buffers from them; on failure
/// sets `error`. An empty grid launches
/// nothing, so its parameters are not laid out (no arguments, no tensor
/// maps). A persistent kernel's launch is one axis of its grid's tiles, at
/// most `persistent` CTAs for each of the device's `multiprocessors` (0:
/// unknown, one CTA a tile).
bool planLaunch(const Manifest &manifest, const std::vector<TensorView> &args,
                LaunchPlan &plan, std::string &error,
                unsigned multiprocessors = 0);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_LAUNCH_H
