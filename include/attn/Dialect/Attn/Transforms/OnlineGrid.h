//===- OnlineGrid.h - match the online attention grid -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The one matcher of the grid that -attn-fuse-online-softmax leaves (L3) and
// the passes after it rewrite (L4): a scheduled scf.forall over (query tile,
// head, batch) holding one K/V loop, in which one Q K^T, one mask, one row
// max and one P V make the kernel's step, and a normalisation after it.
// -attn-pipeline-async, the warp specialisation and the kernel conversion
// read the grid through it, so they agree on what the online form is.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_ONLINEGRID_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_ONLINEGRID_H

#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::attn {

struct OnlineGrid {
  scf::ForallOp grid;
  ScheduleAttr schedule;
  scf::ForOp kvLoop;
  QKMatmulOp scores;
  MaskScoresOp mask;
  RowMaxOp rowMax;
  PVMatmulOp output;
  NormalizeOp normalize;
  /// The warp-specialised form's roles, whose last (consumer) region holds
  /// the K/V loop and the epilogue; null before -attn-warp-specialize.
  WarpSpecializeOp roles;

  /// The block holding the K/V loop and the epilogue: the grid body, or the
  /// consumer role's region.
  Block &computeBlock() const;
};

/// The grids under `root` that carry an #attn.schedule, in program order.
SmallVector<scf::ForallOp> getScheduledGrids(Operation *root);

/// The copy that made `future`: its defining op, or, for a future `loop`
/// carries, the one that made its initial value; null when there is none.
CopyTileAsyncOp getCopyOfFuture(scf::ForOp loop, Value future);

/// The ring that copy writes; null when there is none.
AllocRingOp getRingOfFuture(scf::ForOp loop, Value future);

/// Matches `grid` against the online form. On a mismatch, reports a located
/// error that starts with `pass` (the flag of the pass asking) and fails.
FailureOr<OnlineGrid> matchOnlineGrid(scf::ForallOp grid, StringRef pass);

/// The warp roles of `grid` (-attn-warp-specialize's output), or an error
/// from `pass` at the grid when it has none.
FailureOr<WarpSpecializeOp> getWarpRoles(scf::ForallOp grid, StringRef pass);

} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_ONLINEGRID_H
