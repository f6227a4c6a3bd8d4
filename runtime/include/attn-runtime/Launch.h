//===- Launch.h - check a launch against a manifest -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Everything about a launch that needs no GPU: the tensors checked against
// the manifest and against each other, the grid, and the kernel arguments
// laid out as memref descriptors. A launch that passes these checks stays
// inside the tensors it was given; one that would not is an error message
// before anything reaches the driver (a fault there poisons the context).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_LAUNCH_H
#define ATTN_RUNTIME_LAUNCH_H

#include "attn-runtime/Manifest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attn::runtime {

/// A strided view of device memory; sizes and strides in elements.
struct TensorView {
  uint64_t data = 0;
  std::vector<int64_t> sizes, strides;
};

/// The grid, block and arguments of one launch. Not copyable: `arguments`
/// points into the plan's own vectors (a move keeps them valid).
struct LaunchPlan {
  LaunchPlan() = default;
  LaunchPlan(const LaunchPlan &) = delete;
  LaunchPlan &operator=(const LaunchPlan &) = delete;
  LaunchPlan(LaunchPlan &&) = default;
  LaunchPlan &operator=(LaunchPlan &&) = default;

  unsigned grid[3] = {0, 0, 0};
  unsigned block[3] = {1, 1, 1};
  unsigned sharedBytes = 0;
  /// Per tensor: the allocated and aligned pointers (one device address).
  std::vector<uint64_t> pointers;
  /// Per tensor: offset, sizes, strides.
  std::vector<int64_t> words;
  /// The descriptors' fields in the kernel's parameter order, pointing into
  /// `pointers` and `words` (what cuLaunchKernel's kernelParams takes).
  std::vector<void *> arguments;

  /// A grid axis of zero blocks: there is nothing to compute.
  bool isEmpty() const { return !grid[0] || !grid[1] || !grid[2]; }
};

/// Checks `args` (Q, K, V, O and, when the kernel has it, LSE, in the
/// manifest's order) and fills `plan`; on failure sets `error`.
bool planLaunch(const Manifest &manifest, const std::vector<TensorView> &args,
                LaunchPlan &plan, std::string &error);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_LAUNCH_H
