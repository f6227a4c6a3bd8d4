//===- Common.h - helpers shared by the linalg lowerings --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Private to the AttnToLinalg library: what the reference lowering of
// attn.attention and the lowering of the tile ops share: the emitter that
// builds linalg.generic ops and their temporaries, and the scalar pieces both
// must compute identically (the mask above all).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H
#define ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <utility>

namespace mlir::attn {

/// The body of a linalg.generic: maps the (inputs..., output) block
/// arguments to the value to yield.
using BodyBuilder = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Emits linalg on tensors or on memrefs: the same ops, with temporaries from
/// tensor.empty or memref.alloc. Like bufferization, it leaves freeing the
/// allocations to the buffer deallocation pipeline.
class LinalgEmitter {
public:
  LinalgEmitter(RewriterBase &rewriter, Location loc, bool onTensors)
      : b(rewriter), loc(loc), onTensors(onTensors) {}

  OpFoldResult dim(Value shaped, int64_t index) {
    int64_t size = cast<ShapedType>(shaped.getType()).getDimSize(index);
    if (!ShapedType::isDynamic(size))
      return b.getIndexAttr(size);
    if (onTensors)
      return tensor::DimOp::create(b, loc, shaped, index).getResult();
    return memref::DimOp::create(b, loc, shaped, index).getResult();
  }

  Value index(OpFoldResult value) {
    if (auto v = dyn_cast<Value>(value))
      return v;
    return arith::ConstantIndexOp::create(
        b, loc, cast<IntegerAttr>(cast<Attribute>(value)).getInt());
  }

  /// A new, uninitialised temporary of the given sizes.
  Value empty(ArrayRef<OpFoldResult> sizes, Type elementType) {
    if (onTensors)
      return tensor::EmptyOp::create(b, loc, sizes, elementType);
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamic;
    dispatchIndexOpFoldResults(sizes, dynamic, shape);
    return memref::AllocOp::create(b, loc, MemRefType::get(shape, elementType),
                                   dynamic);
  }

  /// A new f32 temporary of the given sizes, filled with `init`.
  Value filled(ArrayRef<OpFoldResult> sizes, float init) {
    Value dest = empty(sizes, b.getF32Type());
    Value value = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(init));
    auto fill = linalg::FillOp::create(b, loc, value, dest);
    return onTensors ? fill.getResult(0) : dest;
  }

  /// One linalg.generic writing `output`; the body maps the (inputs...,
  /// output) block arguments to the value to yield.
  Value generic(ValueRange inputs, Value output, ArrayRef<AffineMap> maps,
                ArrayRef<utils::IteratorType> iterators, BodyBuilder body) {
    SmallVector<Type, 1> results;
    if (onTensors)
      results.push_back(output.getType());
    auto op = linalg::GenericOp::create(
        b, loc, results, inputs, output, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(nested, nestedLoc,
                                  body(nested, nestedLoc, args));
        });
    return onTensors ? op.getResult(0) : output;
  }

  Value castTo(Value value, Type type) {
    if (value.getType() == type)
      return value;
    if (onTensors)
      return tensor::CastOp::create(b, loc, type, value);
    return memref::CastOp::create(b, loc, type, value);
  }

protected:
  RewriterBase &b;
  Location loc;
  bool onTensors;
};

/// Extends a bf16/f16 scalar to f32; an f32 value is returned as it is.
Value toF32(OpBuilder &b, Location loc, Value value);

/// Truncates an f32 scalar to `type`.
Value fromF32(OpBuilder &b, Location loc, Value value, Type type);

Value f32Constant(OpBuilder &b, Location loc, float value);

/// Element `at` of `source`, a tensor (tensor.extract) or a buffer
/// (memref.load).
Value readElement(OpBuilder &b, Location loc, Value source, ValueRange at);

/// Key `key` of batch `batch` of the paged cache `cache` ([P, page, H, D],
/// a tensor or a buffer) at head `head`, column `col`: row key % page of
/// page table[batch, key / page]. Zero when `key` is at or past `length` or
/// the page id is outside the cache; neither the table nor the cache is read
/// then.
Value readPagedElement(OpBuilder &b, Location loc, Value cache, Value table,
                       Value batch, Value key, Value length, Value head,
                       Value col);

/// The (left, right) extents of the sliding window of `op` (attn.attention
/// or attn.mask_scores), or nothing for other masks.
template <typename OpTy>
std::optional<std::pair<int64_t, int64_t>> getWindow(OpTy op) {
  if (op.getMask() != MaskKind::sliding_window)
    return std::nullopt;
  return op.getWindowExtents();
}

/// Adds the patterns that lower the tile-level ops (attn.load_tile,
/// attn.qk_matmul, ...) to linalg on tensors.
void populateTileOpsToLinalgPatterns(RewritePatternSet &patterns);

/// Adds the pattern that lowers attn.combine_splits, the merge of split-KV
/// partial results, to linalg.
void populateCombineSplitsToLinalgPatterns(RewritePatternSet &patterns);

/// Rewrites the pipeline of the scheduled level (L4) under `root` back into
/// tile loads, which is what it means on a machine without asynchronous
/// copies: each attn.copy_tile_async becomes an attn.load_tile, each future
/// (loop-carried ones too) its tile, each attn.wait_tile its operand, and
/// the rings disappear. Warp-specialised grids run their last (consumer)
/// role alone, its channel waits read as the loads they name.
void lowerPipelineToLoads(Operation *root);

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTOLINALG_COMMON_H
