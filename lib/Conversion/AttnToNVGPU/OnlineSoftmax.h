//===- OnlineSoftmax.h - the kernel math every target shares ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The part of an attention kernel that is the same on every chip once S and
// O are in registers: softcap and masks on the scores, the online softmax
// step (row max, rescale, exp2, row sums), and the epilogue's row sums and
// log-sum-exp. It is written against an AccumulatorLayout
// (Target/FragmentLayout.h), so mma.sync fragments of a warp, wgmma
// accumulators of a warpgroup and rows loaded from tensor memory all reuse
// it; each chip supplies its layouts and the thread part of their positions.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_ONLINESOFTMAX_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_ONLINESOFTMAX_H

#include "KernelBuilder.h"
#include "KernelPlan.h"

#include "attn/Target/FragmentLayout.h"

namespace mlir::attn {

/// Where a thread group's registers sit in the attention: a register at
/// layout position (r, c) of the K/V tile at kv0 holds query row
/// queryRow + groupRow + threadRow + r and key kv0 + threadCol + c.
struct ScoreFrame {
  /// The first query row of the CTA's tile, and of the thread group in it.
  Value queryRow, groupRow;
  /// The layout's thread part, emitted once at the kernel's entry.
  Value threadRow, threadCol;
  Value seqQ, seqKv;
};

/// The query row of the thread's row offset 0 (the layout's registers add
/// their own offsets).
Value threadQueryRow(KernelBuilder &kb, const ScoreFrame &frame);

/// Whether query row `row` exists and its output is written: compared
/// unsigned, so that the rows before 0 of a causal tile that ends at Sq
/// fail too.
Value queryRowExists(KernelBuilder &kb, const ScoreFrame &frame, Value row);

/// Applies the softcap and the mask to the scores `s` (laid out by
/// `layout`) of the K/V tile at `kv0`. Only tiles that reach past the keys
/// or cross the mask's edge for the thread group's rows pay for the
/// element-wise mask; the test is uniform across the group (a warp or a
/// warpgroup).
void applySoftcapAndMask(KernelBuilder &kb, const KernelPlan &plan,
                         const AccumulatorLayout &layout,
                         const ScoreFrame &frame, Value kv0,
                         SmallVectorImpl<Value> &s);

/// Reduces `v` over the threads that share its row (max or sum).
Value reduceAcrossRow(KernelBuilder &kb, const AccumulatorLayout &layout,
                      Value v, bool isMax);

// The online softmax's ops one by one, on a thread's registers: scores `s`
// laid out by `scores`, and per thread row (the layout's rows) the maxima
// (base-2 domain, scale folded in) and this thread's part of the row sums.

/// attn.row_max: the running max `m` moved by the tile's scores (only past
/// `threshold`, if given).
SmallVector<Value> emitRowMax(KernelBuilder &kb, const KernelPlan &plan,
                              const AccumulatorLayout &scores,
                              ArrayRef<Value> s, ArrayRef<Value> m,
                              std::optional<float> threshold);

/// attn.row_exp of the old maxima against the new: the factors that rescale
/// what was accumulated against `old`.
SmallVector<Value> emitRescaleFactors(KernelBuilder &kb, ArrayRef<Value> old,
                                      ArrayRef<Value> max);

/// attn.row_exp of the scores: `s` becomes P = exp2(s * scale - max).
void emitScoreExponentials(KernelBuilder &kb, const KernelPlan &plan,
                           const AccumulatorLayout &scores,
                           SmallVectorImpl<Value> &s, ArrayRef<Value> max);

/// attn.row_scale of a tile laid out by `layout`, one factor per row.
void emitRowScale(KernelBuilder &kb, const AccumulatorLayout &layout,
                  SmallVectorImpl<Value> &values, ArrayRef<Value> factor);

/// attn.row_scale by the factors of a lazy row max (most are exactly 1):
/// each warp rescales only when one of its rows moved, a warp-uniform
/// branch on a vote.
void emitRowScaleWhereMoved(KernelBuilder &kb, const AccumulatorLayout &layout,
                            SmallVectorImpl<Value> &values,
                            ArrayRef<Value> factor);

/// attn.row_scale of per-row values (a thread's row sums), one factor each.
void emitRowScale(KernelBuilder &kb, SmallVectorImpl<Value> &rows,
                  ArrayRef<Value> factor);

/// attn.row_sum: this thread's part of P's rows added to `l`.
void emitRowSum(KernelBuilder &kb, const AccumulatorLayout &scores,
                ArrayRef<Value> p, SmallVectorImpl<Value> &l);

/// One K/V step of the online softmax on masked scores `s` (becoming P),
/// the output accumulators `acc`, and per thread row the running max `m`
/// (base-2 domain, scale folded in) and this thread's part of the row sum
/// `l`. Rows that have seen no key keep m = -inf and give P = 0, never NaN.
void emitOnlineSoftmaxStep(KernelBuilder &kb, const KernelPlan &plan,
                           const AccumulatorLayout &scores,
                           SmallVectorImpl<Value> &s,
                           const AccumulatorLayout &output,
                           SmallVectorImpl<Value> &acc,
                           SmallVectorImpl<Value> &m,
                           SmallVectorImpl<Value> &l);

/// The epilogue's row sums: each thread row's partial sums reduced across
/// the row (`l`) and the factor that normalises O (1 / l, 0 where l = 0).
void finishRowSums(KernelBuilder &kb, const AccumulatorLayout &layout,
                   ArrayRef<Value> partial, SmallVectorImpl<Value> &l,
                   SmallVectorImpl<Value> &inverse);

/// Stores lse[at..., row] = m ln 2 + ln l (-inf where l = 0) for the
/// thread's rows below seqQ (`at`: batch and head, and a split-KV chunk
/// first for a partial LSE); one thread per row writes.
void storeLse(KernelBuilder &kb, const AccumulatorLayout &layout,
              const ScoreFrame &frame, ArrayRef<Value> m, ArrayRef<Value> l,
              Value lse, ValueRange at);

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_ONLINESOFTMAX_H
