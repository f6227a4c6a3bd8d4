//===- Common.cpp - helpers shared by the linalg lowerings ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::attn;

Value mlir::attn::toF32(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

Value mlir::attn::fromF32(OpBuilder &b, Location loc, Value value, Type type) {
  if (type.isF32())
    return value;
  return arith::TruncFOp::create(b, loc, type, value);
}

Value mlir::attn::f32Constant(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value mlir::attn::readElement(OpBuilder &b, Location loc, Value source,
                              ValueRange at) {
  if (isa<RankedTensorType>(source.getType()))
    return tensor::ExtractOp::create(b, loc, source, at);
  return memref::LoadOp::create(b, loc, source, at);
}

/// An index-sized dimension of a tensor or a buffer.
static Value dimOf(OpBuilder &b, Location loc, Value source, int64_t d) {
  if (isa<RankedTensorType>(source.getType()))
    return tensor::DimOp::create(b, loc, source, d);
  return memref::DimOp::create(b, loc, source, d);
}

/// `scf.if` yielding `then()` when `condition` holds and `zero` otherwise.
static Value readIf(OpBuilder &b, Location loc, Value condition, Type type,
                    function_ref<Value(OpBuilder &, Location)> then) {
  auto branch = scf::IfOp::create(
      b, loc, condition,
      [&](OpBuilder &tb, Location tl) {
        scf::YieldOp::create(tb, tl, then(tb, tl));
      },
      [&](OpBuilder &eb, Location el) {
        scf::YieldOp::create(
            eb, el,
            arith::ConstantOp::create(eb, el, eb.getZeroAttr(type))
                .getResult());
      });
  return branch.getResult(0);
}

Value mlir::attn::readPagedElement(OpBuilder &b, Location loc, Value cache,
                                   Value table, Value batch, Value key,
                                   Value length, Value head, Value col) {
  Type element = cast<ShapedType>(cache.getType()).getElementType();
  Value inSequence =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, key, length);
  return readIf(b, loc, inSequence, element, [&](OpBuilder &nb, Location nl) {
    Value pageSize = dimOf(nb, nl, cache, 1);
    Value slot = arith::DivUIOp::create(nb, nl, key, pageSize);
    Value id = readElement(nb, nl, table, ValueRange{batch, slot});
    Value page = arith::IndexCastOp::create(nb, nl, nb.getIndexType(), id);
    Value zero = arith::ConstantIndexOp::create(nb, nl, 0);
    Value pages = dimOf(nb, nl, cache, 0);
    Value afterFirst =
        arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, page, zero);
    Value beforeLast =
        arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, page, pages);
    Value inCache = arith::AndIOp::create(nb, nl, afterFirst, beforeLast);
    return readIf(nb, nl, inCache, element, [&](OpBuilder &ib, Location il) {
      Value row = arith::RemUIOp::create(ib, il, key, pageSize);
      return readElement(ib, il, cache, ValueRange{page, row, head, col});
    });
  });
}
