//===- KernelBuilder.cpp - building blocks of every kernel emitter --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "KernelABI.h"
#include "KernelPlan.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cstring>

using namespace mlir;
using namespace mlir::attn;

Value KernelBuilder::index(int64_t v) {
  Value &c = indexConstants[v];
  constants.setInsertionPointToStart(&kernel.getBody().front());
  if (!c)
    c = arith::ConstantIndexOp::create(constants, loc, v);
  return c;
}

Value KernelBuilder::f32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  Value &c = floatConstants[bits];
  constants.setInsertionPointToStart(&kernel.getBody().front());
  if (!c)
    c = arith::ConstantOp::create(constants, loc, constants.getF32FloatAttr(v));
  return c;
}

/// K and V bytes a causal launch keeps its CTAs on at once, in L2 (50 MB on
/// an H100, 40 MB on an A100).
constexpr int64_t kL2SectionBytes = 32 << 20;

void KernelBuilder::mapGridTile(const KernelPlan &plan,
                                IndexMaterializer &values, Value tile,
                                ArrayRef<Value> extents, Value seqKv) {
  Value x, pair;
  if (plan.heavyTilesFirst) {
    int64_t rowBytes = (plan.headDim + plan.valueHeadDim) *
                       plan.elementType.getIntOrFloatBitWidth() / 8;
    Value fit = toI32(arith::DivUIOp::create(
        b, loc, index(kL2SectionBytes),
        arith::MaxUIOp::create(b, loc, mul(seqKv, index(rowBytes)), index(1))));
    Value pairs = mul(extents[1], extents[2]);
    Value perSection = arith::MinUIOp::create(
        b, loc, arith::MaxUIOp::create(b, loc, fit, i32(1)), pairs);
    Value sectionTiles = mul(perSection, extents[0]);
    Value section = arith::DivUIOp::create(b, loc, tile, sectionTiles);
    Value firstPair = mul(section, perSection);
    Value inSection = arith::MinUIOp::create(
        b, loc, perSection, arith::SubIOp::create(b, loc, pairs, firstPair));
    Value at = arith::SubIOp::create(b, loc, tile, mul(section, sectionTiles));
    // One op a statement: the emitted order does not hang on the order the
    // compiler evaluates arguments in.
    Value fromLast = arith::DivUIOp::create(b, loc, at, inSection);
    Value last = arith::SubIOp::create(b, loc, extents[0], i32(1));
    x = arith::SubIOp::create(b, loc, last, fromLast);
    pair = add(firstPair, arith::RemUIOp::create(b, loc, at, inSection));
  } else {
    x = arith::RemUIOp::create(b, loc, tile, extents[0]);
    pair = arith::DivUIOp::create(b, loc, tile, extents[0]);
  }
  SmallVector<Value> ivs = scf::ForallOp(plan.grid).getInductionVars();
  values.map(ivs[0], toIndex(x));
  values.map(ivs[1], toIndex(arith::RemUIOp::create(b, loc, pair, extents[1])));
  values.map(ivs[2], toIndex(arith::DivUIOp::create(b, loc, pair, extents[1])));
}

void mlir::attn::mapBlocksHeaviestTileFirst(const KernelPlan &plan,
                                            const KernelArguments &args,
                                            IndexMaterializer &values) {
  KernelBuilder kb(args.kernel);
  kb.b.setInsertionPoint(kb.kernel.getBody().front().getTerminator());
  // The block's position in the launch, x fastest.
  SmallVector<Value, 3> extents;
  Value tile;
  for (gpu::Dimension dim :
       {gpu::Dimension::z, gpu::Dimension::y, gpu::Dimension::x}) {
    Value extent = kb.toI32(gpu::GridDimOp::create(kb.b, kb.loc, dim));
    Value id = kb.toI32(gpu::BlockIdOp::create(kb.b, kb.loc, dim));
    extents.insert(extents.begin(), extent);
    tile = tile ? kb.add(kb.mul(tile, extent), id) : id;
  }
  kb.mapGridTile(plan, values, tile, extents,
                 memref::DimOp::create(kb.b, kb.loc, args.memref("key"), 2));
}

Value KernelBuilder::exp2(Value v) {
  return LLVM::CallIntrinsicOp::create(
             b, loc, b.getF32Type(),
             b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f"), ValueRange{v})
      .getResult(0);
}

Value KernelBuilder::sharedBytes() {
  Attribute space = getSharedMemorySpace(b.getContext());
  auto bytes =
      MemRefType::get({0}, b.getI8Type(), MemRefLayoutAttrInterface{}, space);
  Value base = memref::GetGlobalOp::create(b, loc, bytes, kSharedMemorySymbol);
  return memref::CastOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface{}, space),
      base);
}

Value KernelBuilder::packPair(Value lo, Value hi, Type type) {
  Value pair = vector::FromElementsOp::create(
      b, loc, VectorType::get({2}, b.getF32Type()), ValueRange{lo, hi});
  Value narrow =
      arith::TruncFOp::create(b, loc, VectorType::get({2}, type), pair);
  Value word = vector::BitCastOp::create(
      b, loc, VectorType::get({1}, b.getI32Type()), narrow);
  return vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0});
}
