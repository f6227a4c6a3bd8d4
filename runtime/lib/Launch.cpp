//===- Launch.cpp - check a launch against a manifest ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Launch.h"

using namespace attn::runtime;

/// One tensor against its parameter: rank, static sizes, ranges, a
/// contiguous innermost dimension and alignment.
static bool checkTensor(const TensorParam &param, const TensorView &t,
                        std::string &error) {
  const std::string &name = param.name;
  if (t.sizes.size() != param.shape.size() ||
      t.strides.size() != param.shape.size()) {
    error = name + ": expected rank " + std::to_string(param.shape.size());
    return false;
  }
  for (size_t d = 0; d < param.shape.size(); ++d) {
    if (t.sizes[d] < 0 || t.sizes[d] > kMaxExtent || t.strides[d] < 0 ||
        t.strides[d] > kMaxExtent) {
      error = name + ": dimension " + std::to_string(d) + " has size " +
              std::to_string(t.sizes[d]) + " and stride " +
              std::to_string(t.strides[d]) + "; each must be from 0 to " +
              std::to_string(kMaxExtent);
      return false;
    }
    if (param.shape[d] >= 0 && param.shape[d] != t.sizes[d]) {
      error = name + ": dimension " + std::to_string(d) + " is " +
              std::to_string(t.sizes[d]) + ", the kernel was compiled for " +
              std::to_string(param.shape[d]);
      return false;
    }
  }
  if (t.strides.back() != 1 && t.sizes.back() > 1) {
    error = name + ": the innermost dimension must be contiguous";
    return false;
  }
  // Rows of 16-bit tiles move in 16-byte pieces (cp.async, vector stores);
  // a misaligned one would fault and poison the context. A dimension of
  // size 1 is never stepped along, so its stride does not matter.
  int64_t bytes = param.elementBytes();
  int64_t align = bytes == 2 ? 16 : bytes;
  bool aligned = t.data % align == 0;
  for (size_t d = 0; d + 1 < t.strides.size(); ++d)
    aligned &= t.sizes[d] <= 1 || (t.strides[d] * bytes) % align == 0;
  if (!aligned) {
    error = name +
            ": the data pointer and every stride but the innermost "
            "must be multiples of " +
            std::to_string(align) + " bytes";
    return false;
  }
  return true;
}

/// The attention ABI's relations between dynamic sizes, which the manifest's
/// per-parameter shapes cannot state: Q [B, Hq, Sq, D], K [B, Hkv, Skv, D],
/// V [B, Hkv, Skv, Dv], O [B, Hq, Sq, Dv], LSE [B, Hq, Sq]. A launch that
/// breaks one would read or write out of bounds. The manifest (4 or 5
/// parameters of ranks 4 and 3) and checkTensor guarantee the counts and
/// ranks indexed here.
static bool checkAttentionShapes(const std::vector<TensorView> &args,
                                 std::string &error) {
  auto dim = [&](size_t param, size_t d) { return args[param].sizes[d]; };
  struct Same {
    size_t a, da, b, db;
    const char *what;
  } same[] = {{0, 0, 1, 0, "batch of query and key"},
              {0, 0, 2, 0, "batch of query and value"},
              {0, 0, 3, 0, "batch of query and output"},
              {1, 1, 2, 1, "head count of key and value"},
              {1, 2, 2, 2, "sequence length of key and value"},
              {0, 1, 3, 1, "head count of query and output"},
              {0, 2, 3, 2, "sequence length of query and output"},
              {0, 3, 1, 3, "head dim of query and key"},
              {2, 3, 3, 3, "head dim of value and output"}};
  for (const Same &s : same) {
    if (dim(s.a, s.da) != dim(s.b, s.db)) {
      error = std::string("the ") + s.what +
              " differ: " + std::to_string(dim(s.a, s.da)) + " and " +
              std::to_string(dim(s.b, s.db));
      return false;
    }
  }
  if (dim(1, 1) <= 0 || dim(0, 1) % dim(1, 1) != 0) {
    error = "the query head count " + std::to_string(dim(0, 1)) +
            " is not a multiple of the key/value head count " +
            std::to_string(dim(1, 1));
    return false;
  }
  if (args.size() == 5) {
    for (size_t d = 0; d < 3; ++d) {
      if (dim(4, d) != dim(0, d)) {
        error = "the log-sum-exp must be [batch, heads, query length] of "
                "the query";
        return false;
      }
    }
  }
  return true;
}

bool attn::runtime::planLaunch(const Manifest &manifest,
                               const std::vector<TensorView> &args,
                               LaunchPlan &plan, std::string &error) {
  plan = LaunchPlan();
  if (args.size() != manifest.params.size()) {
    error = "kernel takes " + std::to_string(manifest.params.size()) +
            " tensors, got " + std::to_string(args.size());
    return false;
  }
  for (size_t i = 0; i < args.size(); ++i)
    if (!checkTensor(manifest.params[i], args[i], error))
      return false;
  if (!checkAttentionShapes(args, error))
    return false;

  // The CUDA limits on grid extents: 2^31 - 1 along x, 65535 along y, z.
  static const int64_t gridLimit[3] = {(int64_t(1) << 31) - 1, 65535, 65535};
  for (int d = 0; d < 3; ++d) {
    const GridAxis &axis = manifest.grid[d];
    int64_t extent = args[axis.param].sizes[axis.dim];
    int64_t blocks = (extent + axis.divisor - 1) / axis.divisor;
    if (blocks > gridLimit[d]) {
      error = "the launch needs " + std::to_string(blocks) +
              " blocks along grid axis " + std::to_string(d) +
              ", more than CUDA allows (" + std::to_string(gridLimit[d]) + ")";
      return false;
    }
    plan.grid[d] = static_cast<unsigned>(blocks);
    plan.block[d] = manifest.block[d];
  }
  plan.sharedBytes = manifest.dynamicSharedMemory;

  // Memref descriptors: allocated, aligned, offset, sizes, strides.
  for (const TensorView &t : args) {
    plan.pointers.push_back(t.data);
    plan.pointers.push_back(t.data);
    plan.words.push_back(0);
    plan.words.insert(plan.words.end(), t.sizes.begin(), t.sizes.end());
    plan.words.insert(plan.words.end(), t.strides.begin(), t.strides.end());
  }
  size_t w = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    plan.arguments.push_back(&plan.pointers[2 * i]);
    plan.arguments.push_back(&plan.pointers[2 * i + 1]);
    for (size_t k = 0, n = 1 + 2 * args[i].sizes.size(); k < n; ++k)
      plan.arguments.push_back(&plan.words[w++]);
  }
  return true;
}
