//===- KernelBuilder.h - building blocks of kernel emitters -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A builder inside one gpu.func with what every chip's emitter uses: index
// and f32 constants hoisted to the kernel's entry and made once, the index
// arithmetic kernels are written in, and exp2 as the kernels compute it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELBUILDER_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"

#include <map>

namespace mlir::attn {

class IndexMaterializer;
class KernelArguments;
struct KernelPlan;

class KernelBuilder {
public:
  explicit KernelBuilder(gpu::GPUFuncOp kernel)
      : kernel(kernel), b(kernel.getContext()), loc(kernel.getLoc()),
        constants(kernel.getContext()) {}

  /// Constants live at the kernel's entry, one op per value.
  Value index(int64_t v);
  Value f32(float v);

  /// An i32 constant where the builder stands.
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }

  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  /// An index as i32, an i32 as index (unsigned).
  Value toI32(Value v) {
    return arith::IndexCastUIOp::create(b, loc, b.getI32Type(), v);
  }
  Value toIndex(Value v) {
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  }

  /// Maps the grid's induction variables of `plan` to the `tile`th tile of
  /// its launch (i32; `extents` the grid's query tiles, heads and batches,
  /// i32; `seqKv` the keys, an index). Query tiles fastest, as a one-tile
  /// grid launches them, so that the tiles of a head that run at once
  /// share its K and V in L2; with `plan.heavyTilesFirst` the heaviest
  /// first: (head, batch) pairs in sections whose K and V fit in L2
  /// together, one section after another, in a section the query tile
  /// slowest, from the last, so that the launch ends on its lightest tiles.
  void mapGridTile(const KernelPlan &plan, IndexMaterializer &values,
                   Value tile, ArrayRef<Value> extents, Value seqKv);

  /// 2^v on the special-function unit, results below 2^-126 flushed to
  /// zero (ex2.approx.ftz: one MUFU.EX2, where the non-ftz form costs three
  /// more instructions an element to scale denormals; a probability that
  /// small adds nothing to a row sum of at least 1).
  Value exp2(Value v);
  /// The kernel's dynamic shared memory as bytes (`memref<?xi8, 3>`), which
  /// tiles are carved from with memref.view.
  Value sharedBytes();
  /// Two f32 values rounded to a pair of 16-bit `type` in one i32 register:
  /// an MMA A operand made from accumulators.
  Value packPair(Value lo, Value hi, Type type);

  gpu::GPUFuncOp kernel;
  OpBuilder b;
  Location loc;

private:
  OpBuilder constants;
  // std::map: every int64_t is a valid key (DenseMap reserves two).
  std::map<int64_t, Value> indexConstants;
  DenseMap<uint32_t, Value> floatConstants;
};

/// Maps the grid's induction variables of a causal launch of one tile a CTA
/// to its blocks in KernelBuilder::mapGridTile's heaviest-first order. The GPU
/// starts blocks in their linear order, x fastest: reversing x alone leaves
/// every wave a mix of heavy and light tiles and the launch's tail a heavy one.
void mapBlocksHeaviestTileFirst(const KernelPlan &plan,
                                const KernelArguments &args,
                                IndexMaterializer &values);

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELBUILDER_H
