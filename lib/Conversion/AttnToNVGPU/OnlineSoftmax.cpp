//===- OnlineSoftmax.cpp - the kernel math every target shares ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "OnlineSoftmax.h"

#include "attn/Target/Exp2Polynomial.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;

static constexpr float kNegInf = -std::numeric_limits<float>::infinity();

/// The multiplier of raw scores in the exponent: the scale, or 1 when the
/// softcap has already applied it inside tanh.
static float exponentScale(const KernelPlan &plan) {
  return plan.softcap ? 1.0f : plan.scale;
}

Value mlir::attn::threadQueryRow(KernelBuilder &kb, const ScoreFrame &frame) {
  return kb.add(kb.add(frame.queryRow, frame.groupRow), frame.threadRow);
}

Value mlir::attn::queryRowExists(KernelBuilder &kb, const ScoreFrame &frame,
                                 Value row) {
  return kb.cmp(arith::CmpIPredicate::ult, row, frame.seqQ);
}

/// For each of the thread's rows (layout.rowOffsets()), the columns
/// [lo, hi) of the K/V tile at `kv0` it sees, relative to the thread's
/// first column and clamped to [0, tile_n], as i32 (lo null when every
/// column from the first is seen). Computed once per row in 32 bits, so
/// that each register costs one or two compares against its constant column
/// instead of 64-bit index arithmetic: exact while sequences and the
/// distances between a row and its keys stay below 2^30 (a tensor of 2^30
/// rows of 16-bit values would not fit in any GPU's memory).
static SmallVector<std::pair<Value, Value>>
visibleColumns(KernelBuilder &kb, const KernelPlan &plan,
               const AccumulatorLayout &layout, const ScoreFrame &frame,
               Value kv0, Value offset) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  auto narrow = [&](Value v) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), v).getResult();
  };
  auto sub = [&](Value x, Value y) {
    return arith::SubIOp::create(b, loc, x, y).getResult();
  };
  auto clampToTile = [&](Value v) {
    v = arith::MaxSIOp::create(b, loc, v, kb.i32(0));
    return arith::MinSIOp::create(b, loc, v, kb.i32(plan.tileN)).getResult();
  };
  // Window extents beyond any sequence are clamped, so that the sums below
  // stay in 32 bits; the clamped extent still covers every key.
  constexpr int64_t kUnbounded = int64_t(1) << 30;
  // Each bound is a loop-invariant 32-bit value minus the tile's column.
  Value column = narrow(kv0);
  Value keysLeft =
      sub(narrow(arith::SubIOp::create(b, loc, frame.seqKv, frame.threadCol)),
          column);
  Value diagonal0 = sub(
      narrow(arith::SubIOp::create(
          b, loc, kb.add(threadQueryRow(kb, frame), offset), frame.threadCol)),
      column);
  SmallVector<std::pair<Value, Value>> bounds;
  for (int64_t rowOffset : layout.rowOffsets()) {
    // The key on the row's diagonal, relative to the thread's first column.
    Value diagonal = kb.add(diagonal0, kb.i32(rowOffset));
    Value hi = keysLeft, lo;
    if (plan.mask == MaskKind::causal) {
      hi = arith::MinSIOp::create(b, loc, hi, kb.add(diagonal, kb.i32(1)));
    } else if (plan.mask == MaskKind::sliding_window) {
      auto [left, right] = *plan.window;
      Value end = kb.add(diagonal, kb.i32(std::min(right, kUnbounded) + 1));
      hi = arith::MinSIOp::create(b, loc, hi, end);
      lo = clampToTile(sub(diagonal, kb.i32(std::min(left, kUnbounded))));
    }
    bounds.push_back({lo, clampToTile(hi)});
  }
  return bounds;
}

void mlir::attn::applySoftcapAndMask(KernelBuilder &kb, const KernelPlan &plan,
                                     const AccumulatorLayout &layout,
                                     const ScoreFrame &frame, Value kv0,
                                     SmallVectorImpl<Value> &s) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  if (plan.softcap) {
    // c * tanh(scale * s); the exponent then takes the scores as they are.
    for (Value &v : s) {
      Value inner = arith::MulFOp::create(b, loc, v, kb.f32(plan.scale));
      v = arith::MulFOp::create(b, loc, math::TanhOp::create(b, loc, inner),
                                kb.f32(*plan.softcap));
    }
  }

  Value tileEnd = kb.add(kv0, kb.index(plan.tileN));
  Value needsMask = kb.cmp(arith::CmpIPredicate::sgt, tileEnd, frame.seqKv);
  Value offset = arith::SubIOp::create(b, loc, frame.seqKv, frame.seqQ);
  if (plan.mask == MaskKind::causal) {
    // The last key of the tile is hidden from the thread group's first
    // query row (later rows see more): a test uniform across the group.
    Value diagonal = kb.add(kb.add(frame.queryRow, frame.groupRow), offset);
    Value crosses =
        kb.cmp(arith::CmpIPredicate::sgt,
               arith::SubIOp::create(b, loc, tileEnd, kb.index(1)), diagonal);
    needsMask = arith::OrIOp::create(b, loc, needsMask, crosses);
  } else if (plan.mask == MaskKind::sliding_window) {
    needsMask = arith::ConstantIntOp::create(b, loc, 1, 1);
  }

  SmallVector<Type> types(s.size(), b.getF32Type());
  auto ifOp = scf::IfOp::create(b, loc, types, needsMask,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    SmallVector<std::pair<Value, Value>> bounds =
        visibleColumns(kb, plan, layout, frame, kv0, offset);
    Value negInf = kb.f32(kNegInf);
    SmallVector<Value> masked;
    for (auto [i, pos] : llvm::enumerate(layout.registers)) {
      auto [lo, hi] = bounds[layout.rowOf(i)];
      Value col = kb.i32(pos.col);
      Value visible = kb.cmp(arith::CmpIPredicate::slt, col, hi);
      if (lo)
        visible = arith::AndIOp::create(
            b, loc, visible, kb.cmp(arith::CmpIPredicate::sge, col, lo));
      masked.push_back(kb.select(visible, s[i], negInf));
    }
    scf::YieldOp::create(b, loc, masked);
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, ValueRange(s));
  }
  for (auto [i, v] : llvm::enumerate(ifOp.getResults()))
    s[i] = v;
}

Value mlir::attn::reduceAcrossRow(KernelBuilder &kb,
                                  const AccumulatorLayout &layout, Value v,
                                  bool isMax) {
  // Rows never straddle warps, so the shuffles stay inside one.
  for (int64_t mask : layout.rowReductionXorMasks) {
    Value other = gpu::ShuffleOp::create(kb.b, kb.loc, v, mask, attn::kWarpSize,
                                         gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    v = isMax ? LLVM::MaxNumOp::create(kb.b, kb.loc, v, other).getResult()
              : arith::AddFOp::create(kb.b, kb.loc, v, other).getResult();
  }
  return v;
}

SmallVector<Value> mlir::attn::emitRowMax(KernelBuilder &kb,
                                          const KernelPlan &plan,
                                          const AccumulatorLayout &scores,
                                          ArrayRef<Value> s, ArrayRef<Value> m,
                                          std::optional<float> threshold) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  SmallVector<Value> next;
  for (auto [row, old] : llvm::enumerate(m)) {
    // maxnum (max.f32, one FMNMX) rather than maximum, whose NaN
    // propagation costs a compare and a select an element: scores are
    // finite or -inf.
    Value mx = kb.f32(kNegInf);
    for (int64_t reg : scores.registersOfRow(row))
      mx = LLVM::MaxNumOp::create(b, loc, mx, s[reg]);
    mx = arith::MulFOp::create(b, loc, reduceAcrossRow(kb, scores, mx, true),
                               kb.f32(exponentScale(plan)));
    Value grown = LLVM::MaxNumOp::create(b, loc, old, mx);
    if (threshold) {
      // FlashAttention-4's lazy rescale: move the reference only when the
      // max grew by more than the threshold.
      Value grows = arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::OGT, mx,
          arith::AddFOp::create(b, loc, old, kb.f32(*threshold)));
      grown = kb.select(grows, grown, old);
    }
    next.push_back(grown);
  }
  return next;
}

/// The reference a row's exponents are taken against: its max, or 0 while
/// the row has seen no key (-inf), so that such rows give 0, never NaN.
static Value exponentReference(KernelBuilder &kb, Value max) {
  Value isEmpty = arith::CmpFOp::create(kb.b, kb.loc, arith::CmpFPredicate::OEQ,
                                        max, kb.f32(kNegInf));
  return kb.select(isEmpty, kb.f32(0.0f), max);
}

SmallVector<Value> mlir::attn::emitRescaleFactors(KernelBuilder &kb,
                                                  ArrayRef<Value> old,
                                                  ArrayRef<Value> max) {
  SmallVector<Value> alpha;
  for (auto [o, mx] : llvm::zip(old, max))
    alpha.push_back(kb.exp2(
        arith::SubFOp::create(kb.b, kb.loc, o, exponentReference(kb, mx))));
  return alpha;
}

void mlir::attn::emitScoreExponentials(KernelBuilder &kb,
                                       const KernelPlan &plan,
                                       const AccumulatorLayout &scores,
                                       SmallVectorImpl<Value> &s,
                                       ArrayRef<Value> max) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  for (auto [row, mx] : llvm::enumerate(max)) {
    Value negRef = arith::NegFOp::create(b, loc, exponentReference(kb, mx));
    for (auto [i, reg] : llvm::enumerate(scores.registersOfRow(row))) {
      Value x = math::FmaOp::create(b, loc, s[reg], kb.f32(exponentScale(plan)),
                                    negRef);
      // FlashAttention-4: one register in polyEvery of each row by the
      // polynomial on the FMA units, the rest on the special-function unit.
      bool poly = plan.polyEvery > 0 && i % plan.polyEvery == 0;
      s[reg] =
          poly ? buildPolynomialExp2(b, loc, x, plan.polyDegree) : kb.exp2(x);
    }
  }
}

void mlir::attn::emitRowScale(KernelBuilder &kb,
                              const AccumulatorLayout &layout,
                              SmallVectorImpl<Value> &values,
                              ArrayRef<Value> factor) {
  for (auto [row, f] : llvm::enumerate(factor))
    for (int64_t reg : layout.registersOfRow(row))
      values[reg] = arith::MulFOp::create(kb.b, kb.loc, values[reg], f);
}

void mlir::attn::emitRowScaleWhereMoved(KernelBuilder &kb,
                                        const AccumulatorLayout &layout,
                                        SmallVectorImpl<Value> &values,
                                        ArrayRef<Value> factor) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value moved = arith::ConstantIntOp::create(b, loc, 0, 1);
  for (Value f : factor)
    moved = arith::OrIOp::create(
        b, loc, moved,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, f,
                              kb.f32(1.0f)));
  Value anyMoved =
      NVVM::VoteSyncOp::create(b, loc, b.getI1Type(), kb.i32(-1), moved,
                               NVVM::VoteSyncKind::any);
  SmallVector<Type> types(values.size(), b.getF32Type());
  auto branch = scf::IfOp::create(b, loc, types, anyMoved,
                                  /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard inBranch(b);
    b.setInsertionPointToStart(branch.thenBlock());
    SmallVector<Value> scaled(values.begin(), values.end());
    emitRowScale(kb, layout, scaled, factor);
    scf::YieldOp::create(b, loc, scaled);
    b.setInsertionPointToStart(branch.elseBlock());
    scf::YieldOp::create(b, loc, ValueRange(values));
  }
  values.assign(branch.getResults().begin(), branch.getResults().end());
}

void mlir::attn::emitRowScale(KernelBuilder &kb,
                              SmallVectorImpl<Value> &rows,
                              ArrayRef<Value> factor) {
  for (auto [v, f] : llvm::zip(rows, factor))
    v = arith::MulFOp::create(kb.b, kb.loc, v, f);
}

void mlir::attn::emitRowSum(KernelBuilder &kb, const AccumulatorLayout &scores,
                            ArrayRef<Value> p, SmallVectorImpl<Value> &l) {
  for (auto [row, sum] : llvm::enumerate(l))
    for (int64_t reg : scores.registersOfRow(row))
      sum = arith::AddFOp::create(kb.b, kb.loc, sum, p[reg]);
}

void mlir::attn::emitOnlineSoftmaxStep(
    KernelBuilder &kb, const KernelPlan &plan, const AccumulatorLayout &scores,
    SmallVectorImpl<Value> &s, const AccumulatorLayout &output,
    SmallVectorImpl<Value> &acc, SmallVectorImpl<Value> &m,
    SmallVectorImpl<Value> &l) {
  SmallVector<Value> next =
      emitRowMax(kb, plan, scores, s, m, plan.rescaleThreshold);
  SmallVector<Value> alpha = emitRescaleFactors(kb, m, next);
  emitScoreExponentials(kb, plan, scores, s, next);
  // Each row's sum is kept per thread: rescaled, then this thread's part of
  // the tile added.
  emitRowScale(kb, l, alpha);
  emitRowSum(kb, scores, s, l);
  if (plan.rescaleThreshold)
    emitRowScaleWhereMoved(kb, output, acc, alpha);
  else
    emitRowScale(kb, output, acc, alpha);
  m.assign(next);
}

void mlir::attn::finishRowSums(KernelBuilder &kb,
                               const AccumulatorLayout &layout,
                               ArrayRef<Value> partial,
                               SmallVectorImpl<Value> &l,
                               SmallVectorImpl<Value> &inverse) {
  for (Value part : partial) {
    Value sum = reduceAcrossRow(kb, layout, part, /*isMax=*/false);
    Value empty = arith::CmpFOp::create(kb.b, kb.loc, arith::CmpFPredicate::OEQ,
                                        sum, kb.f32(0.0f));
    l.push_back(sum);
    inverse.push_back(
        kb.select(empty, kb.f32(0.0f),
                  arith::DivFOp::create(kb.b, kb.loc, kb.f32(1.0f), sum)));
  }
}

void mlir::attn::storeLse(KernelBuilder &kb, const AccumulatorLayout &layout,
                          const ScoreFrame &frame, ArrayRef<Value> m,
                          ArrayRef<Value> l, Value lse, ValueRange at) {
  // lse = m ln 2 + ln l in natural-log units, -inf for rows with no key; the
  // thread holding a row's first column writes it.
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value threadRow = threadQueryRow(kb, frame);
  Value leader = kb.cmp(arith::CmpIPredicate::eq, frame.threadCol, kb.index(0));
  for (auto [i, offset] : llvm::enumerate(layout.rowOffsets())) {
    Value row = kb.add(threadRow, kb.index(offset));
    Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, l[i],
                                        kb.f32(0.0f));
    Value value = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, m[i], kb.f32(M_LN2)),
        math::LogOp::create(b, loc, l[i]));
    value = kb.select(empty, kb.f32(kNegInf), value);
    Value write =
        arith::AndIOp::create(b, loc, leader, queryRowExists(kb, frame, row));
    auto ifOp = scf::IfOp::create(b, loc, write, false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    SmallVector<Value> indices(at);
    indices.push_back(row);
    memref::StoreOp::create(b, loc, value, lse, indices);
  }
}
