//===- FragmentLayout.h - which thread holds which tile element -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The target-neutral vocabulary of register layouts. A thread group (a warp
// for mma.sync, a warpgroup for wgmma, a warp's TMEM lanes for tcgen05)
// holds a tile in registers; a layout says, for each thread and register,
// which (row, column) of the tile it is. Each MMA family describes its
// layouts with it once (Target/<chip>/), and the kernel math that is the
// same on every chip (masks, the online softmax, row sums, the LSE) is
// written once against it.
//
// Positions split into a thread-dependent part, a LaneMap, and a constant
// per register, so that a layout can be evaluated on the host (unit tests)
// and emitted as index arithmetic (kernels) alike.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_FRAGMENTLAYOUT_H
#define ATTN_TARGET_FRAGMENTLAYOUT_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::attn {

/// Threads of a warp, on every chip attn targets.
constexpr int64_t kWarpSize = 32;
/// Threads of a warpgroup: the four consecutive warps that issue one wgmma
/// together (sm_90a) or together reach every tensor-memory lane (sm_100a).
constexpr int64_t kWarpgroupSize = 4 * kWarpSize;

/// A function of a thread's index within its group of `threads`: the sum of
/// ((thread / div) % mod) * mul over its terms.
struct LaneMap {
  struct Term {
    int64_t div, mod, mul;
  };
  SmallVector<Term, 2> terms;

  int64_t eval(int64_t thread) const;
  /// Emits the map of `thread` (an index in [0, threads)); a `% mod` that
  /// cannot change the value in that range is left out.
  Value emit(OpBuilder &b, Location loc, Value thread, int64_t threads) const;
};

/// A (row, column) position inside a tile.
struct Coord {
  int64_t row, col;
  bool operator==(const Coord &o) const { return row == o.row && col == o.col; }
  Coord operator+(const Coord &o) const { return {row + o.row, col + o.col}; }
};

/// The thread-dependent part of a position.
struct LaneCoord {
  LaneMap row, col;
  Coord at(int64_t thread) const { return {row.eval(thread), col.eval(thread)}; }
};

/// A tile of f32 accumulators spread over a thread group: register `i` of
/// thread `t` holds element `thread.at(t) + registers[i]`. Rows never
/// straddle warps, so a row reduction is in-thread, then one xor shuffle per
/// entry of `rowReductionXorMasks` inside the warp.
struct AccumulatorLayout {
  /// Threads sharing the tile: 32 (a warp) or 128 (a warpgroup).
  int64_t threads = 0;
  LaneCoord thread;
  SmallVector<Coord> registers;
  SmallVector<int64_t, 2> rowReductionXorMasks;

  /// The distinct row offsets of the registers, in the order registers first
  /// reach them: a thread's rows, which its row statistics are indexed by.
  SmallVector<int64_t> rowOffsets() const;
  /// The index in rowOffsets() of register `reg`'s row.
  int64_t rowOf(int64_t reg) const;
  /// Registers of the thread's row `row` (an index in rowOffsets()), in
  /// register order.
  SmallVector<int64_t> registersOfRow(int64_t row) const;
  /// The element of thread `t`'s register `reg`.
  Coord at(int64_t t, int64_t reg) const {
    return thread.at(t) + registers[reg];
  }
};

} // namespace mlir::attn

#endif // ATTN_TARGET_FRAGMENTLAYOUT_H
