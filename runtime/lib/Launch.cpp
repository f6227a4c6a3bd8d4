//===- Launch.cpp - check a launch against a manifest ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Launch.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <variant>

using namespace attn::runtime;

namespace {

/// What a tensor is passed as, which decides the rules it must meet.
struct TensorUse {
  bool memref = false;
};

/// One tensor against its declaration: rank, static sizes, ranges, a
/// contiguous innermost dimension and, for a memref parameter, alignment.
bool checkTensor(const TensorDecl &decl, const TensorView &t, TensorUse use,
                 std::string &error) {
  const std::string &name = decl.name;
  if (t.sizes.size() != decl.shape.size() ||
      t.strides.size() != decl.shape.size()) {
    error = name + ": expected rank " + std::to_string(decl.shape.size());
    return false;
  }
  for (size_t d = 0; d < decl.shape.size(); ++d) {
    if (t.sizes[d] < 0 || t.sizes[d] > kMaxExtent || t.strides[d] < 0 ||
        t.strides[d] > kMaxExtent) {
      error = name + ": dimension " + std::to_string(d) + " has size " +
              std::to_string(t.sizes[d]) + " and stride " +
              std::to_string(t.strides[d]) + "; each must be from 0 to " +
              std::to_string(kMaxExtent);
      return false;
    }
    if (decl.shape[d] >= 0 && decl.shape[d] != t.sizes[d]) {
      error = name + ": dimension " + std::to_string(d) + " is " +
              std::to_string(t.sizes[d]) + ", the kernel was compiled for " +
              std::to_string(decl.shape[d]);
      return false;
    }
  }
  if (t.strides.back() != 1 && t.sizes.back() > 1) {
    error = name + ": the innermost dimension must be contiguous";
    return false;
  }
  if (!use.memref)
    return true;
  // Rows of 16-bit tiles move in 16-byte pieces (cp.async, vector stores);
  // a misaligned one would fault and poison the context. A dimension of
  // size 1 is never stepped along, so its stride does not matter.
  int64_t bytes = decl.elementBytes();
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

/// The attention's relations between dynamic sizes, which per-tensor shapes
/// cannot state: Q [B, Hq, Sq, D], K [B, Hkv, Skv, D], V [B, Hkv, Skv, Dv],
/// O [B, Hq, Sq, Dv], LSE [B, Hq, Sq]. A launch that breaks one would read
/// or write out of bounds. The manifest guarantees that the tensors named
/// here exist with these ranks, and checkTensor that the views have them.
bool checkAttentionShapes(const Manifest &manifest,
                          const std::vector<TensorView> &args,
                          std::string &error) {
  enum { Q, K, V, O, LSE, TABLE, LENGTHS };
  int index[7];
  for (auto [role, name] : {std::pair{Q, "query"},
                            {K, "key"},
                            {V, "value"},
                            {O, "output"},
                            {LSE, "lse"},
                            {TABLE, "block_table"},
                            {LENGTHS, "cache_lengths"}})
    index[role] = manifest.findTensor(name);
  auto dim = [&](int role, size_t d) { return args[index[role]].sizes[d]; };
  struct Same {
    int a;
    size_t da;
    int b;
    size_t db;
    const char *what;
  };
  // A paged cache: K [P, page, Hkv, D], V [P, page, Hkv, Dv], the block
  // table [B, max_pages] and the lengths [B].
  bool paged = manifest.attention->paged;
  size_t heads = paged ? 2 : 1;
  std::vector<Same> same = {{Q, 0, O, 0, "batch of query and output"},
                            {K, heads, V, heads, "head count of key and value"},
                            {Q, 1, O, 1, "head count of query and output"},
                            {Q, 2, O, 2, "sequence length of query and output"},
                            {Q, 3, K, 3, "head dim of query and key"},
                            {V, 3, O, 3, "head dim of value and output"}};
  if (paged)
    same.insert(same.end(),
                {{K, 0, V, 0, "page count of key and value"},
                 {K, 1, V, 1, "page size of key and value"},
                 {Q, 0, TABLE, 0, "batch of query and block_table"},
                 {Q, 0, LENGTHS, 0, "batch of query and cache_lengths"}});
  else
    same.insert(same.end(), {{Q, 0, K, 0, "batch of query and key"},
                             {Q, 0, V, 0, "batch of query and value"},
                             {K, 2, V, 2, "sequence length of key and value"}});
  for (const Same &s : same) {
    if (dim(s.a, s.da) != dim(s.b, s.db)) {
      error = std::string("the ") + s.what +
              " differ: " + std::to_string(dim(s.a, s.da)) + " and " +
              std::to_string(dim(s.b, s.db));
      return false;
    }
  }
  if (dim(K, heads) <= 0 || dim(Q, 1) % dim(K, heads) != 0) {
    error = "the query head count " + std::to_string(dim(Q, 1)) +
            " is not a multiple of the key/value head count " +
            std::to_string(dim(K, heads));
    return false;
  }
  if (index[LSE] >= 0) {
    for (size_t d = 0; d < 3; ++d) {
      if (dim(LSE, d) != dim(Q, d)) {
        error = "the log-sum-exp must be [batch, heads, query length] of "
                "the query";
        return false;
      }
    }
  }
  return true;
}

/// The request for tensor map `map` of tensor `t`. A dimension of size 1 is
/// never stepped along (TMA fills what lies past a size), so it gets the
/// stride a contiguous tensor would have, whatever the view says: callers
/// such as PyTorch leave those strides arbitrary.
TensorMapRequest tensorMapRequest(const TensorMapParam &map,
                                  const TensorDecl &decl, const TensorView &t) {
  TensorMapRequest r;
  r.tensor = decl.name;
  r.element = map.element;
  r.rank = static_cast<unsigned>(t.sizes.size());
  r.address = t.data;
  r.swizzle = map.swizzle;
  r.oobFill = map.oobFill;
  const uint64_t bytes = decl.elementBytes();
  for (unsigned i = 0; i < r.rank; ++i) {
    size_t d = r.rank - 1 - i;
    r.globalDim[i] = static_cast<uint64_t>(t.sizes[d]);
    r.box[i] = map.box[d];
    r.elementStrides[i] = 1;
    if (i == 0)
      continue;
    uint64_t stride = static_cast<uint64_t>(t.strides[d]) * bytes;
    if (t.sizes[d] == 1) {
      // Saturated: a product that large fails the stride rule anyway.
      uint64_t inner = i == 1 ? bytes : r.globalStrides[i - 2];
      uint64_t size = r.globalDim[i - 1], limit = uint64_t(kMaxExtent);
      stride =
          size && inner > limit / size ? limit : (inner * size + 15) / 16 * 16;
    }
    r.globalStrides[i - 1] = stride;
  }
  return r;
}

} // namespace

bool attn::runtime::checkTensorMapRequest(const TensorMapRequest &r,
                                          std::string &error) {
  const std::string &name = r.tensor;
  if (r.rank < 1 || r.rank > kMaxRank) {
    error = name + ": a tensor map has rank 1 to " + std::to_string(kMaxRank) +
            ", not " + std::to_string(r.rank);
    return false;
  }
  // Messages count dimensions outermost first, like the tensor's shape.
  auto dimension = [&](unsigned i) {
    return "dimension " + std::to_string(r.rank - 1 - i);
  };
  for (unsigned i = 0; i < r.rank; ++i) {
    if (r.globalDim[i] < 1 || r.globalDim[i] > (uint64_t(1) << 32)) {
      error = name + ": " + dimension(i) + " has size " +
              std::to_string(r.globalDim[i]) +
              "; a tensor map needs sizes from 1 to 4294967296";
      return false;
    }
  }
  if (r.address % 16 != 0) {
    error = name + ": a tensor map needs a 16-byte aligned data pointer";
    return false;
  }
  for (unsigned i = 1; i < r.rank; ++i) {
    uint64_t stride = r.globalStrides[i - 1];
    if (stride % 16 != 0 || stride >= uint64_t(kMaxExtent)) {
      error = name + ": " + dimension(i) + " steps " + std::to_string(stride) +
              " bytes; a tensor map needs strides that are multiples of 16 "
              "bytes below 2^40";
      return false;
    }
  }
  if (r.swizzle != 0 && r.swizzle != 32 && r.swizzle != 64 &&
      r.swizzle != 128) {
    error = name + ": the tensor map's swizzle is " +
            std::to_string(r.swizzle) + " bytes; expected 0, 32, 64 or 128";
    return false;
  }
  for (unsigned i = 0; i < r.rank; ++i) {
    if (r.box[i] < 1 || r.box[i] > 256) {
      error = name + ": the tensor map's box is " + std::to_string(r.box[i]) +
              " along " + dimension(i) + "; expected 1 to 256";
      return false;
    }
    if (r.elementStrides[i] != 1) {
      error = name + ": the tensor map's element strides must be 1";
      return false;
    }
  }
  uint64_t row = uint64_t(r.box[0]) * elementBytes(r.element);
  if (row % 16 != 0) {
    error = name + ": the tensor map's box row spans " + std::to_string(row) +
            " bytes, not a multiple of 16";
    return false;
  }
  if (r.swizzle && row > r.swizzle) {
    error = name + ": the tensor map's box row spans " + std::to_string(row) +
            " bytes, more than the " + std::to_string(r.swizzle) +
            "-byte swizzle";
    return false;
  }
  return true;
}

namespace {

/// ceildiv(size, divisor) of `e` at launch.
int64_t extentOf(const Extent &e, const std::vector<TensorView> &args) {
  int64_t size = args[e.tensor].sizes[e.dim];
  return (size + e.divisor - 1) / e.divisor;
}

/// A grid axis: its extent, times the second factor when there is one, which
/// counts at least 1 (split-KV: a cache of no keys is one empty chunk, whose
/// CTA writes the zeros). Each factor is at most kMaxExtent; a product past
/// kMaxExtent is reported as kMaxExtent + 1, above every limit it meets.
int64_t extentOf(const GridAxis &axis, const std::vector<TensorView> &args) {
  int64_t base = extentOf(static_cast<const Extent &>(axis), args);
  int64_t factor =
      axis.times ? std::max<int64_t>(extentOf(*axis.times, args), 1) : 1;
  if (base > 0 && factor > kMaxExtent / base)
    return kMaxExtent + 1;
  return base * factor;
}

/// Views of the workspace buffers, contiguous, at offsets from the
/// workspace's start (the runtime adds its address); false, with `error`,
/// when they would not fit the 2^40 bytes any extent may span.
bool planWorkspace(const Manifest &manifest,
                   const std::vector<TensorView> &args,
                   std::vector<TensorView> &views, uint64_t &bytes,
                   std::vector<std::pair<uint64_t, uint64_t>> &zeroed,
                   std::string &error) {
  bytes = 0;
  for (const WorkspaceDecl &buffer : manifest.workspace) {
    TensorView view;
    view.data = bytes;
    int64_t elements = 1;
    for (const GridAxis &axis : buffer.extents) {
      // At least 1: a buffer is indexed by what the grid's factors count.
      int64_t extent = std::max<int64_t>(extentOf(axis, args), 1);
      if (extent > kMaxExtent || (extent && elements > kMaxExtent / extent)) {
        error = "workspace buffer " + buffer.name + " would hold more than " +
                std::to_string(kMaxExtent) + " elements";
        return false;
      }
      elements *= extent;
      view.sizes.push_back(extent);
    }
    view.strides.assign(view.sizes.size(), 1);
    for (size_t d = view.sizes.size() - 1; d-- > 0;)
      view.strides[d] = view.strides[d + 1] * view.sizes[d + 1];
    uint64_t size =
        (elements * attn::runtime::elementBytes(buffer.element) + 255) / 256 *
        256;
    if (buffer.zero)
      zeroed.push_back({bytes, size});
    bytes += size;
    views.push_back(std::move(view));
  }
  return true;
}

} // namespace

bool attn::runtime::planLaunch(const Manifest &manifest,
                               const std::vector<TensorView> &args,
                               LaunchPlan &plan, std::string &error,
                               unsigned multiprocessors) {
  plan = LaunchPlan();
  if (args.size() != manifest.tensors.size()) {
    error = "kernel takes " + std::to_string(manifest.tensors.size()) +
            " tensors, got " + std::to_string(args.size());
    return false;
  }
  std::vector<TensorUse> uses(args.size());
  for (const Param &param : manifest.params)
    if (const auto *memref = std::get_if<MemrefParam>(&param))
      if (!memref->workspace)
        uses[memref->tensor].memref = true;
  for (size_t i = 0; i < args.size(); ++i)
    if (!checkTensor(manifest.tensors[i], args[i], uses[i], error))
      return false;
  if (manifest.attention && !checkAttentionShapes(manifest, args, error))
    return false;

  // The CUDA limits on grid extents: 2^31 - 1 along x, 65535 along y, z.
  static const int64_t gridLimit[3] = {(int64_t(1) << 31) - 1, 65535, 65535};
  int64_t extents[3];
  for (int d = 0; d < 3; ++d)
    extents[d] = extentOf(manifest.grid[d], args);
  if (manifest.persistent > 0) {
    // Every tile along x; the CTAs loop over them, counting tiles in 32
    // bits with room for the launch's CTAs on top.
    constexpr int64_t kMaxTiles = int64_t(1) << 30;
    int64_t tiles = 1;
    bool tooMany = false;
    for (int64_t extent : extents) {
      if (extent == 0) {
        tiles = 0;
        tooMany = false;
        break;
      }
      if (tiles > kMaxTiles / extent)
        tooMany = true;
      else
        tiles *= extent;
    }
    if (tooMany) {
      error = "the launch needs more than " + std::to_string(kMaxTiles) +
              " tiles, more than a persistent kernel counts";
      return false;
    }
    if (multiprocessors > 0)
      tiles = std::min<int64_t>(tiles,
                                int64_t(multiprocessors) * manifest.persistent);
    extents[0] = tiles;
    extents[1] = extents[2] = tiles ? 1 : 0;
  }
  for (int d = 0; d < 3; ++d) {
    int64_t blocks = extents[d];
    if (blocks > gridLimit[d]) {
      error = "the launch needs " + std::to_string(blocks) +
              " blocks along grid axis " + std::to_string(d) +
              ", more than CUDA allows (" + std::to_string(gridLimit[d]) + ")";
      return false;
    }
    if (blocks % manifest.cluster[d] != 0) {
      error = "the launch needs " + std::to_string(blocks) +
              " blocks along grid axis " + std::to_string(d) +
              ", not a multiple of the cluster's " +
              std::to_string(manifest.cluster[d]);
      return false;
    }
    plan.grid[d] = static_cast<unsigned>(blocks);
    plan.block[d] = manifest.block[d];
    plan.cluster[d] = manifest.cluster[d];
  }
  plan.sharedBytes = manifest.dynamicSharedMemory;
  if (plan.isEmpty())
    return true;
  std::vector<TensorView> workspace;
  if (!planWorkspace(manifest, args, workspace, plan.workspaceBytes,
                     plan.workspaceZeroed, error))
    return false;
  auto viewOf = [&](const MemrefParam &memref) -> const TensorView & {
    return memref.workspace ? workspace[memref.tensor] : args[memref.tensor];
  };

  // Reserve everything first: `arguments` points into these vectors.
  size_t pointers = 0, words = 0, words32 = 0, maps = 0;
  for (const Param &param : manifest.params) {
    if (const auto *memref = std::get_if<MemrefParam>(&param)) {
      pointers += 2;
      words += 1 + 2 * viewOf(*memref).sizes.size();
    } else if (const auto *scalar = std::get_if<ScalarParam>(&param)) {
      (scalar->type == ScalarType::I32 ? words32 : words) += 1;
    } else {
      ++maps;
    }
  }
  plan.pointers.reserve(pointers);
  plan.words.reserve(words);
  plan.words32.reserve(words32);
  plan.tensorMaps.reserve(maps);
  plan.tensorMapStorage.reserve(maps);

  for (size_t p = 0; p < manifest.params.size(); ++p) {
    const Param &param = manifest.params[p];
    if (const auto *memref = std::get_if<MemrefParam>(&param)) {
      // Allocated, aligned, offset, sizes, strides.
      const TensorView &t = viewOf(*memref);
      for (int k = 0; k < 2; ++k) {
        if (memref->workspace)
          plan.workspacePointers.push_back(plan.pointers.size());
        plan.pointers.push_back(t.data);
        plan.arguments.push_back(&plan.pointers.back());
      }
      plan.words.push_back(0);
      plan.arguments.push_back(&plan.words.back());
      for (const std::vector<int64_t> *v : {&t.sizes, &t.strides}) {
        for (int64_t word : *v) {
          plan.words.push_back(word);
          plan.arguments.push_back(&plan.words.back());
        }
      }
    } else if (const auto *scalar = std::get_if<ScalarParam>(&param)) {
      int64_t size = args[scalar->tensor].sizes[scalar->dim];
      if (scalar->type == ScalarType::I64) {
        plan.words.push_back(size);
        plan.arguments.push_back(&plan.words.back());
        continue;
      }
      if (size > INT32_MAX) {
        error = manifest.tensors[scalar->tensor].name + ": dimension " +
                std::to_string(scalar->dim) + " is " + std::to_string(size) +
                ", more than the i32 of params[" + std::to_string(p) +
                "] holds";
        return false;
      }
      plan.words32.push_back(static_cast<int32_t>(size));
      plan.arguments.push_back(&plan.words32.back());
    } else {
      const auto &map = std::get<TensorMapParam>(param);
      TensorMapRequest request =
          tensorMapRequest(map, manifest.tensors[map.tensor], args[map.tensor]);
      if (!checkTensorMapRequest(request, error))
        return false;
      plan.tensorMaps.push_back(std::move(request));
      plan.tensorMapStorage.emplace_back();
      plan.arguments.push_back(plan.tensorMapStorage.back().bytes);
    }
  }
  return true;
}
