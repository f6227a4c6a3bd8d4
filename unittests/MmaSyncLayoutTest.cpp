//===- MmaSyncLayoutTest.cpp - check the sm_80 layouts against PTX --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Checks include/attn/Target/SM80/MmaSyncLayout.h, lane by lane, against the
// PTX ISA's fragment tables for mma.m16n8k16 (16-bit inputs, f32 accumulate)
// and its description of ldmatrix. The tables are written out here from the
// ISA text, independently of the layout code. Prints one line per check and
// exits non-zero on the first mismatch.
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM80/MmaSyncLayout.h"

#include <cstdio>
#include <cstdlib>
#include <set>

using namespace mlir::attn;
using namespace mlir::attn::sm80;

namespace {

// PTX ISA tables. groupID = lane >> 2, threadID_in_group = lane % 4.
Coord isaA(int64_t lane, int64_t i) {
  int64_t g = lane >> 2, t = lane % 4;
  int64_t row = (i < 2 || (i >= 4 && i < 6)) ? g : g + 8;
  int64_t col = t * 2 + (i & 1) + (i >= 4 ? 8 : 0);
  return {row, col};
}
Coord isaB(int64_t lane, int64_t i) {
  int64_t g = lane >> 2, t = lane % 4;
  return {t * 2 + (i & 1) + (i >= 2 ? 8 : 0), g};
}
Coord isaC(int64_t lane, int64_t i) {
  int64_t g = lane >> 2, t = lane % 4;
  return {i < 2 ? g : g + 8, t * 2 + (i & 1)};
}

// ldmatrix: matrix j's row i is at the address given by lane 8j + i; lane
// `lane` receives in register j elements 2 (lane % 4) and +1 of row lane / 4
// (with .trans: rows 2 (lane % 4) and +1 of column lane / 4).
Coord ldmatrixElement(const LaneCoord &addr, int64_t lane, int64_t reg,
                      int64_t half, bool trans) {
  int64_t r = lane / 4, c = 2 * (lane % 4) + half;
  if (trans)
    std::swap(r, c);
  Coord rowStart = addr.at(8 * reg + r);
  return {rowStart.row, rowStart.col + c};
}

int failures = 0;
int checks = 0;

void expect(bool ok, const char *what, int64_t lane, int64_t e) {
  ++checks;
  if (!ok && failures++ < 10)
    std::printf("MISMATCH %s lane %lld element %lld\n", what, (long long)lane,
                (long long)e);
}

Coord add(Coord a, Coord b) { return {a.row + b.row, a.col + b.col}; }

} // namespace

int main() {
  for (int64_t lane = 0; lane < kWarpSize; ++lane) {
    for (int64_t e = 0; e < 8; ++e)
      expect(add(operandALane().at(lane), operandAOffset(e)) == isaA(lane, e),
             "operand A", lane, e);
    for (int64_t e = 0; e < 4; ++e) {
      expect(add(operandBLane().at(lane), operandBOffset(e)) == isaB(lane, e),
             "operand B", lane, e);
      expect(add(accumulatorLane().at(lane), accumulatorOffset(e)) ==
                 isaC(lane, e),
             "accumulator", lane, e);
    }

    for (int64_t reg = 0; reg < 4; ++reg) {
      for (int64_t h = 0; h < 2; ++h) {
        // A tile from ldmatrix.x4.
        expect(ldmatrixElement(ldmatrixA(), lane, reg, h, false) ==
                   isaA(lane, 2 * reg + h),
               "ldmatrix A", lane, 2 * reg + h);
        // B of S = Q K^T from K stored [key][d]: B(k, n) = K[n][k].
        Coord b = isaB(lane, 2 * (reg % 2) + h);
        Coord k = ldmatrixElement(ldmatrixKeyB(), lane, reg, h, false);
        expect(k == Coord{b.col + 8 * (reg / 2), b.row}, "ldmatrix K as B",
               lane, 2 * reg + h);
        // B of O = P V from V stored [key][d] with .trans: B(k, n) = V[k][n].
        Coord v = ldmatrixElement(ldmatrixValueB(), lane, reg, h, true);
        expect(v == Coord{b.row, b.col + 8 * (reg / 2)}, "ldmatrix V as B",
               lane, 2 * reg + h);
        // P reuse: A register `reg` of a k16 step is accumulator elements of
        // the n8 tile covering its columns.
        AccumulatorSlice s = operandAFromAccumulators(reg);
        Coord fromAcc = add(add(accumulatorLane().at(lane),
                                accumulatorOffset(s.firstElement + h)),
                            Coord{0, kMmaN * s.tile});
        expect(fromAcc == isaA(lane, 2 * reg + h), "P reuse", lane,
               2 * reg + h);
      }
    }

    // Lanes that share an accumulator row differ only in the xor masks.
    for (int64_t other = 0; other < kWarpSize; ++other) {
      bool sameRow =
          accumulatorLane().at(other).row == accumulatorLane().at(lane).row;
      int64_t diff = lane ^ other, reachable = 0;
      for (int64_t m : rowReductionXorMasks())
        reachable |= m;
      expect(sameRow == ((diff & ~reachable) == 0), "row reduction", lane,
             other);
    }
  }

  // The warp accumulator layout of a tiled block is the m16n8 accumulator
  // repeated, and its rows are the thread's (block, half) pairs in order.
  AccumulatorLayout tiled = warpAccumulatorLayout(2, 3);
  for (int64_t lane = 0; lane < kWarpSize; ++lane)
    for (int64_t mt = 0; mt < 2; ++mt)
      for (int64_t nt = 0; nt < 3; ++nt)
        for (int64_t e = 0; e < 4; ++e)
          expect(tiled.at(lane, (mt * 3 + nt) * 4 + e) ==
                     add(isaC(lane, e), Coord{mt * kMmaM, nt * kMmaN}),
                 "tiled accumulator", lane, e);
  for (int64_t reg = 0; reg < 24; ++reg)
    expect(tiled.rowOf(reg) == (reg / 12) * 2 + (reg % 4) / 2,
           "tiled accumulator rows", reg, 0);

  // The swizzle permutes chunks within a row and spreads any 8 consecutive
  // rows of one chunk over 8 distinct chunks (8 bank groups).
  for (int64_t width : {64, 128, 256}) {
    for (int64_t row = 0; row < 16; ++row) {
      std::set<int64_t> cols;
      for (int64_t col = 0; col < width; ++col)
        cols.insert(swizzleColumn(row, col));
      expect((int64_t)cols.size() == width && *cols.rbegin() == width - 1,
             "swizzle permutes a row", row, width);
    }
    for (int64_t chunk = 0; chunk < width / kChunkElements; ++chunk) {
      std::set<int64_t> banks;
      for (int64_t row = 0; row < 8; ++row)
        banks.insert(
            (swizzleColumn(row, chunk * kChunkElements) / kChunkElements) % 8);
      expect(banks.size() == 8, "swizzle spreads banks", chunk, width);
    }
  }

  // An ldmatrix lane's column plus an MMA step's offset (a multiple of 16)
  // swizzles as the lane's swizzled chunk XOR the step's: every ldmatrix
  // lane's column is below 16 (swizzleColumnAt's precondition), and the
  // identity holds for each (checks numbered row * 16 + step).
  for (const LaneCoord *lanes :
       {&ldmatrixA(), &ldmatrixKeyB(), &ldmatrixValueB()})
    for (int64_t lane = 0; lane < 32; ++lane)
      expect(lanes->col.eval(lane) < 16, "ldmatrix lane column below 16", lane,
             0);
  for (int64_t row = 0; row < 16; ++row)
    for (int64_t laneCol : {0, 8})
      for (int64_t offset = 0; offset < 256; offset += 16)
        expect(swizzleColumnAt(row, laneCol, offset) ==
                   swizzleColumn(row, laneCol + offset),
               "swizzle of a lane column and a step", row * 16 + offset / 16,
               laneCol);

  std::printf("mma.sync m16n8k16 layouts: %d checks, %d failed\n", checks,
              failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
