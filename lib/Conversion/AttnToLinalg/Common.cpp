//===- Common.cpp - helpers shared by the linalg lowerings ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

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

Value mlir::attn::isVisible(OpBuilder &b, Location loc, MaskKind mask,
                            std::optional<std::pair<int64_t, int64_t>> window,
                            Value i, Value j, Value offset) {
  // delta = j - (i + offset): how far right of the query's position the key is.
  Value delta = arith::SubIOp::create(b, loc, j,
                                      arith::AddIOp::create(b, loc, i, offset));
  auto cmp = [&](arith::CmpIPredicate pred, Value lhs, int64_t rhs) -> Value {
    return arith::CmpIOp::create(b, loc, pred, lhs,
                                 arith::ConstantIndexOp::create(b, loc, rhs));
  };
  switch (mask) {
  case MaskKind::none:
    return arith::ConstantIntOp::create(b, loc, /*value=*/1, /*width=*/1);
  case MaskKind::causal:
    return cmp(arith::CmpIPredicate::sle, delta, 0);
  case MaskKind::sliding_window: {
    auto [left, right] = *window;
    Value afterLeft = cmp(arith::CmpIPredicate::sge, delta, -left);
    Value beforeRight = cmp(arith::CmpIPredicate::sle, delta, right);
    return arith::AndIOp::create(b, loc, afterLeft, beforeRight);
  }
  }
  llvm_unreachable("unknown mask kind");
}
