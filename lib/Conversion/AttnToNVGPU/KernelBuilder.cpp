//===- KernelBuilder.cpp - building blocks of every kernel emitter --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
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
