//===- KernelPlan.h - what a GPU kernel is built from -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The scheduled grid (L4) of one function, read into the facts every
// target's kernel emitter needs, plus the mapping from values of the grid
// body to values of the kernel. Target independent: what one chip's kernel
// alone requires (a one-slot query ring, copies before P V) is checked by
// that chip's emitter, in its own folder.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELPLAN_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELPLAN_H

#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/OnlineGrid.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

#include <functional>
#include <optional>

namespace mlir::attn {

/// The dynamic shared memory of every kernel: an external, 1024-byte aligned
/// workgroup array that tiles are carved from with memref.view.
constexpr StringLiteral kSharedMemorySymbol = "attn_dynamic_smem";

/// The memory space of shared-memory memrefs: NVVM's numeric space 3 rather
/// than #gpu.address_space<workgroup>, which convert-vector-to-llvm cannot
/// map on its own (it runs before convert-gpu-to-nvvm, which can).
inline Attribute getSharedMemorySpace(MLIRContext *context) {
  return IntegerAttr::get(IntegerType::get(context, 64), 3);
}

struct KernelPlan {
  func::FuncOp func;
  scf::ForallOp grid;
  scf::ForOp kvLoop;
  ScheduleAttr schedule;
  QKMatmulOp scores;
  PVMatmulOp output;

  Type elementType;
  int64_t headDim = 0, valueHeadDim = 0, tileM = 0, tileN = 0;

  // Values of the grid body the kernel recomputes: the first query row and
  // query head of the tile and the K/V loop's bounds.
  Value queryRow, queryHead, kvLower, kvUpper;
  /// Packed GQA: the tile holds this many query heads (tile_m / packedHeads
  /// rows of each, from queryHead on); 1 when not packed.
  int64_t packedHeads = 1;
  /// Query rows of one head in a tile.
  int64_t queryRowsPerTile() const { return tileM / packedHeads; }
  /// Split-KV: keys per chunk (0: no split) and the grid's chunk count,
  /// ceildiv(Skv, kvChunk), a value of the function. Each CTA computes one
  /// chunk's partial result; the kernel merges them (attn.combine_splits).
  int64_t kvChunk = 0;
  OpFoldResult kvSplits;
  /// A paged K/V cache (`attn.attention ... paged(...)`): K and V are
  /// [P, page, Hkv, D] pages, read through the block table (the function's
  /// argument 3) up to each batch's length, the grid body's value `kvLength`
  /// (its cache length held to [0, capacity]). `pageSize` is static.
  bool paged = false;
  int64_t pageSize = 0;
  Value kvLength;
  /// The function arguments the kernel reads: Q, K, V, and with a paged
  /// cache the block table and the cache lengths.
  unsigned numInputs() const { return paged ? 5 : 3; }
  /// The dimension of K and V that counts key/value heads.
  unsigned kvHeadDim() const { return paged ? 2 : 1; }

  // The pipeline: its rings (query, keys, values), and its copies and waits
  // in program order, in the grid body before the K/V loop and in the loop.
  AllocRingOp queryRing, keyRing, valueRing;
  SmallVector<Operation *> entryAsync, loopAsync;

  // The warp-specialised form instead (after -attn-warp-specialize): its
  // roles and the channels of Q, K and V. Rings and async ops stay empty.
  WarpSpecializeOp roles;
  AllocChannelOp queryChannel, keyChannel, valueChannel;

  /// The loop's copies and waits that come before `op` and after `after`
  /// (the loop's start when null), in order.
  SmallVector<Operation *> loopAsyncBetween(Operation *after,
                                            Operation *op) const;

  MaskKind mask = MaskKind::none;
  std::optional<std::pair<int64_t, int64_t>> window;
  /// The scores' multiplier in the base-2 domain (log2(e) folded in); with a
  /// softcap, the multiplier inside tanh.
  float scale = 1.0f;
  /// The softcap's outer multiplier (log2(e) folded in), if any.
  std::optional<float> softcap;
  /// FlashAttention-4's lazy row maximum threshold, if any.
  std::optional<float> rescaleThreshold;
  /// FlashAttention-4's polynomial exp2: one score exponential in
  /// `polyEvery` (0: none) by a polynomial of degree `polyDegree`.
  int64_t polyEvery = 0, polyDegree = 0;
  bool hasLse = false;
  /// Debug mode: barrier waits trap after this many milliseconds (0:
  /// unbounded). Set by the pass, not read from the IR.
  int64_t waitTimeoutMs = 0;
  /// Query tiles run heaviest first (KernelBuilder::mapGridTile): with
  /// a causal mask the last tiles see the most keys, and starting them
  /// first, the lightest last, shortens the tail of the launch. Set by the
  /// chip's emitter entry; not for decode steps (split-KV, packed or paged
  /// launches, one query tile a head).
  bool heavyTilesFirst = false;
};

/// Whether `value`, an index of the grid body, is provably a multiple of
/// `n`: a constant, a product with one, sums, differences, minima and
/// maxima of such, or a loop's position that starts at one and steps by
/// one.
bool isMultipleOf(Value value, int64_t n);

/// Reads the scheduled grid of `func`: the single `scf.forall` carrying an
/// `#attn.schedule`, with the shape `attn-fuse-online-softmax` and then
/// `attn-pipeline-async` produce, or that `attn-warp-specialize` makes of
/// it. Reports a located error and fails when the
/// function has another shape.
FailureOr<KernelPlan> readKernelPlan(func::FuncOp func);

/// Recomputes index values of the grid body inside a kernel: the grid's
/// induction variables become block ids (x: query tile, y: head, or
/// key/value head when packed, z: batch),
/// `tensor.dim` of the attention's tensors becomes `memref.dim` of the
/// kernel's memref parameter for that tensor, and arith ops are cloned.
class IndexMaterializer {
public:
  /// `tensorValue(i)` is the kernel's memref for the function's argument i.
  IndexMaterializer(const KernelPlan &plan,
                    std::function<Value(unsigned)> tensorValue);

  /// The kernel-side value of `value` at the builder's insertion point, or
  /// failure (with an error at `value`'s definition) when it depends on
  /// anything else. A value is made once per region: one made inside a loop
  /// or a warp role's region is not reused outside it, where it would not
  /// dominate.
  FailureOr<Value> get(OpBuilder &b, Value value);
  /// The same for a value or a constant (an index constant).
  FailureOr<Value> get(OpBuilder &b, OpFoldResult value);

  /// Makes `kernelValue` the kernel-side value of `value` (the K/V loop's
  /// induction variable).
  void map(Value value, Value kernelValue) { fixed.map(value, kernelValue); }

private:
  /// A known kernel-side value of `value` usable at `b`'s insertion point.
  Value lookup(OpBuilder &b, Value value) const;

  const KernelPlan &plan;
  std::function<Value(unsigned)> tensorValue;
  IRMapping fixed;
  DenseMap<Value, SmallVector<Value, 1>> made;
};

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELPLAN_H
