//===- MmaSyncLayout.h - mma.sync m16n8k16 fragment layouts -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Which lane of a warp holds which element of an mma.sync m16n8k16 operand or
// accumulator (16-bit inputs, f32 accumulate), and where each lane points
// ldmatrix. This is the one description of the sm_80 register layout: the
// kernel emitter builds its addresses, row reductions, P reuse and output
// stores from it, and a unit test checks it against the PTX ISA's tables.
//
// Positions are in the vocabulary of Target/FragmentLayout.h.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_SM80_MMASYNCLAYOUT_H
#define ATTN_TARGET_SM80_MMASYNCLAYOUT_H

#include "attn/Target/FragmentLayout.h"

#include <cstdint>

namespace mlir::attn::sm80 {

/// The instruction shape: D[16x8] += A[16x16] * B[16x8].
constexpr int64_t kMmaM = 16;
constexpr int64_t kMmaN = 8;
constexpr int64_t kMmaK = 16;

/// The lanes that share an accumulator row are those whose ids differ only in
/// these bits; a row reduction is one xor shuffle per entry.
ArrayRef<int64_t> rowReductionXorMasks();

/// Accumulator C/D (16x8 f32), element e in [0, 4): lane part plus the
/// element's constant offset.
const LaneCoord &accumulatorLane();
Coord accumulatorOffset(int64_t element);

/// A warp's accumulators for an [mTiles x 16, nTiles x 8] tile of m16n8
/// blocks, registers laid out [mTiles][nTiles][4].
AccumulatorLayout warpAccumulatorLayout(int64_t mTiles, int64_t nTiles);

/// Operand A (16x16, row-major), 16-bit element e in [0, 8) (register e / 2,
/// half e % 2).
const LaneCoord &operandALane();
Coord operandAOffset(int64_t element);

/// Operand B (16x8, k x n, "col" layout), 16-bit element e in [0, 4).
const LaneCoord &operandBLane();
Coord operandBOffset(int64_t element);

/// The A register `reg` of a k16 step built from accumulators: it packs
/// elements {2 * (reg % 2), 2 * (reg % 2) + 1} of the n8 accumulator tile
/// `reg / 2` (the P-operand reuse of FlashAttention-2).
struct AccumulatorSlice {
  int64_t tile, firstElement;
};
AccumulatorSlice operandAFromAccumulators(int64_t reg);

/// ldmatrix.x4 lane addresses into a row-major shared tile (row, column in
/// elements), each giving the registers of one mma.sync operand group:
///   - A tile 16x16: registers a0..a3;
///   - B for S = Q K^T, K stored [key][d] (16 keys x k16): registers 0-1
///     are n-tile 0 (keys 0-7), 2-3 n-tile 1 (keys 8-15);
///   - B for O = P V with .trans, V stored [key][d] (k16 keys x 16 columns):
///     registers 0-1 are n-tile 0 (columns 0-7), 2-3 n-tile 1.
const LaneCoord &ldmatrixA();
const LaneCoord &ldmatrixKeyB();
const LaneCoord &ldmatrixValueB();

/// Shared-memory tiles are stored with 16-byte chunks XOR-swizzled by the row
/// so that ldmatrix and cp.async touch all banks: chunk c of row r lives at
/// chunk c ^ (r % 8). Rows must hold at least 8 chunks (64 16-bit elements).
constexpr int64_t kChunkElements = 8;
int64_t swizzleColumn(int64_t row, int64_t col);
Value emitSwizzleColumn(OpBuilder &b, Location loc, Value row, Value col);
/// emitSwizzleColumn(row, laneCol + offset) for a lane column below 16 (an
/// ldmatrix lane's, whose chunk 0 or 1 shares no bit with an even chunk) and
/// an offset that is a multiple of 16 (an MMA step's): the offset's whole
/// 8-chunk groups are added after the swizzle and its chunks inside the
/// group XOR-ed into the lane's swizzled column (swizzleColumn's). Every
/// offset then reuses one swizzled value a lane instead of a register per
/// offset.
int64_t swizzleColumnAt(int64_t row, int64_t laneCol, int64_t offset);
Value emitSwizzleColumnAt(OpBuilder &b, Location loc, Value row, Value laneCol,
                          int64_t offset);

/// The 16-byte chunks a tile row of `elements` moves as: rounded up to 32
/// elements (the tail zero-filled), so that the chunks of a tile of 16-row
/// multiples are whole passes of a CTA's threads.
int64_t rowChunks(int64_t elements);
/// The elements a shared row of such a tile holds: its chunks rounded up to
/// whole eight-chunk swizzle groups (a multiple of 64).
int64_t sharedRowElements(int64_t elements);

} // namespace mlir::attn::sm80

#endif // ATTN_TARGET_SM80_MMASYNCLAYOUT_H
