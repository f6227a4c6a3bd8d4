//===- MmaSyncLayout.cpp - mma.sync m16n8k16 fragment layouts -------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM80/MmaSyncLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm80;

// groupID = lane / 4 picks the row, threadID_in_group = lane % 4 the column
// pair (PTX ISA, "Matrix Fragments for mma.m16n8k16").
static const LaneMap kGroup{{{4, 8, 1}}};
static const LaneMap kPairInGroup{{{1, 4, 2}}};

ArrayRef<int64_t> mlir::attn::sm80::rowReductionXorMasks() {
  static const int64_t masks[] = {1, 2};
  return masks;
}

const LaneCoord &mlir::attn::sm80::accumulatorLane() {
  static const LaneCoord c{kGroup, kPairInGroup};
  return c;
}

Coord mlir::attn::sm80::accumulatorOffset(int64_t element) {
  return {8 * (element / 2), element % 2};
}

AccumulatorLayout mlir::attn::sm80::warpAccumulatorLayout(int64_t mTiles,
                                                          int64_t nTiles) {
  AccumulatorLayout layout;
  layout.threads = kWarpSize;
  layout.thread = accumulatorLane();
  layout.rowReductionXorMasks.assign(rowReductionXorMasks().begin(),
                                     rowReductionXorMasks().end());
  for (int64_t mt = 0; mt < mTiles; ++mt)
    for (int64_t nt = 0; nt < nTiles; ++nt)
      for (int64_t e = 0; e < 4; ++e)
        layout.registers.push_back(Coord{mt * kMmaM, nt * kMmaN} +
                                   accumulatorOffset(e));
  return layout;
}

const LaneCoord &mlir::attn::sm80::operandALane() { return accumulatorLane(); }

Coord mlir::attn::sm80::operandAOffset(int64_t element) {
  int64_t reg = element / 2;
  return {8 * (reg % 2), 8 * (reg / 2) + element % 2};
}

const LaneCoord &mlir::attn::sm80::operandBLane() {
  static const LaneCoord c{kPairInGroup, kGroup};
  return c;
}

Coord mlir::attn::sm80::operandBOffset(int64_t element) {
  return {8 * (element / 2) + element % 2, 0};
}

AccumulatorSlice mlir::attn::sm80::operandAFromAccumulators(int64_t reg) {
  return {reg / 2, 2 * (reg % 2)};
}

// ldmatrix.x4: lanes 8j..8j+7 address the eight rows of matrix j.
const LaneCoord &mlir::attn::sm80::ldmatrixA() {
  static const LaneCoord c{LaneMap{{{1, 16, 1}}}, LaneMap{{{16, 2, 8}}}};
  return c;
}

const LaneCoord &mlir::attn::sm80::ldmatrixKeyB() {
  static const LaneCoord c{LaneMap{{{16, 2, 8}, {1, 8, 1}}},
                           LaneMap{{{8, 2, 8}}}};
  return c;
}

const LaneCoord &mlir::attn::sm80::ldmatrixValueB() { return ldmatrixA(); }

int64_t mlir::attn::sm80::rowChunks(int64_t elements) {
  return llvm::alignTo(elements, 4 * kChunkElements) / kChunkElements;
}

int64_t mlir::attn::sm80::sharedRowElements(int64_t elements) {
  return llvm::alignTo(rowChunks(elements), 8) * kChunkElements;
}

int64_t mlir::attn::sm80::swizzleColumn(int64_t row, int64_t col) {
  int64_t chunk = col / kChunkElements;
  return ((chunk ^ (row % 8)) * kChunkElements) + col % kChunkElements;
}

Value mlir::attn::sm80::emitSwizzleColumn(OpBuilder &b, Location loc, Value row,
                                          Value col) {
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value chunk = arith::DivUIOp::create(b, loc, col, constant(kChunkElements));
  Value phase = arith::RemUIOp::create(b, loc, row, constant(8));
  Value swizzled = arith::XOrIOp::create(b, loc, chunk, phase);
  Value within = arith::RemUIOp::create(b, loc, col, constant(kChunkElements));
  return arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, swizzled, constant(kChunkElements)),
      within);
}

/// Elements of the 8 chunks a swizzle permutes.
static constexpr int64_t kSwizzleGroup = 8 * kChunkElements;

// The lane's swizzled column, the offset's chunks inside the group XOR-ed
// into its chunk bits (the lane's chunk, 0 or 1, and an even chunk share no
// bit, so adding them is XOR-ing them, before the swizzle or after), and
// the offset's whole groups added.
int64_t mlir::attn::sm80::swizzleColumnAt(int64_t row, int64_t laneCol,
                                          int64_t offset) {
  return (swizzleColumn(row, laneCol) ^ (offset % kSwizzleGroup)) + offset -
         offset % kSwizzleGroup;
}

Value mlir::attn::sm80::emitSwizzleColumnAt(OpBuilder &b, Location loc,
                                            Value row, Value laneCol,
                                            int64_t offset) {
  assert(offset % (2 * kChunkElements) == 0 && "offset splits a chunk pair");
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value column = arith::XOrIOp::create(b, loc,
                                       emitSwizzleColumn(b, loc, row, laneCol),
                                       constant(offset % kSwizzleGroup));
  return arith::AddIOp::create(b, loc, column,
                               constant(offset - offset % kSwizzleGroup));
}
