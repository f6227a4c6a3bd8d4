//===- FragmentLayout.cpp - which thread holds which tile element ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/FragmentLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::attn;

int64_t LaneMap::eval(int64_t thread) const {
  int64_t value = 0;
  for (const Term &t : terms)
    value += ((thread / t.div) % t.mod) * t.mul;
  return value;
}

Value LaneMap::emit(OpBuilder &b, Location loc, Value thread,
                    int64_t threads) const {
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value sum;
  for (const Term &t : terms) {
    Value v = thread;
    if (t.div != 1)
      v = arith::DivUIOp::create(b, loc, v, constant(t.div));
    if (t.mod < threads / t.div)
      v = arith::RemUIOp::create(b, loc, v, constant(t.mod));
    if (t.mul != 1)
      v = arith::MulIOp::create(b, loc, v, constant(t.mul));
    sum = sum ? arith::AddIOp::create(b, loc, sum, v).getResult() : v;
  }
  return sum ? sum : constant(0);
}

SmallVector<int64_t> AccumulatorLayout::rowOffsets() const {
  SmallVector<int64_t> rows;
  for (const Coord &c : registers)
    if (!llvm::is_contained(rows, c.row))
      rows.push_back(c.row);
  return rows;
}

int64_t AccumulatorLayout::rowOf(int64_t reg) const {
  SmallVector<int64_t> rows = rowOffsets();
  return llvm::find(rows, registers[reg].row) - rows.begin();
}

SmallVector<int64_t> AccumulatorLayout::registersOfRow(int64_t row) const {
  int64_t offset = rowOffsets()[row];
  SmallVector<int64_t> regs;
  for (auto [i, c] : llvm::enumerate(registers))
    if (c.row == offset)
      regs.push_back(i);
  return regs;
}
