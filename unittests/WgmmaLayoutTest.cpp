//===- WgmmaLayoutTest.cpp - check the sm_90a layouts against PTX ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Checks include/attn/Target/SM90/WgmmaLayout.h, thread by thread, against
// the PTX ISA's figures of the wgmma m64nNk16 f32 accumulator and of the A
// operand in registers (written out here from the ISA text, independently
// of the layout code), the target-neutral row queries of
// Target/FragmentLayout.h on it, the 128-byte swizzle as an H100's TMA
// wrote it and the matrix descriptor NVGPU builds. Prints one line per
// mismatch and a summary; exits non-zero on any mismatch.
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM90/WgmmaLayout.h"

#include <cstdio>
#include <cstdlib>
#include <set>

using namespace mlir::attn;
using namespace mlir::attn::sm90;

namespace {

// PTX ISA, wgmma D fragments: warp w of the warpgroup holds rows 16w..16w+15;
// inside it, value d[i] of lane l is at row l / 4 (+ 8 for i % 4 in {2, 3})
// and column (i / 4) * 8 + (l % 4) * 2 + i % 2.
Coord isaD(int64_t thread, int64_t i) {
  int64_t w = thread / 32, lane = thread % 32;
  int64_t row = 16 * w + lane / 4 + (i % 4 >= 2 ? 8 : 0);
  int64_t col = (i / 4) * 8 + (lane % 4) * 2 + i % 2;
  return {row, col};
}

int failures = 0;
int checks = 0;

void expect(bool ok, const char *what, int64_t n, int64_t thread, int64_t i) {
  ++checks;
  if (!ok && failures++ < 10)
    std::printf("MISMATCH %s n %lld thread %lld register %lld\n", what,
                (long long)n, (long long)thread, (long long)i);
}

} // namespace

int main() {
  for (int64_t n : {8, 64, 128, 256}) {
    AccumulatorLayout layout = accumulatorLayout(n);
    expect((int64_t)layout.registers.size() == n / 2, "register count", n, 0,
           0);
    std::set<std::pair<int64_t, int64_t>> covered;
    for (int64_t t = 0; t < kWarpgroupSize; ++t) {
      for (int64_t i = 0; i < n / 2; ++i) {
        Coord c = layout.at(t, i);
        expect(c == isaD(t, i), "accumulator", n, t, i);
        covered.insert({c.row, c.col});
      }
    }
    expect((int64_t)covered.size() == kWgmmaM * n, "covers the tile", n, 0, 0);

    // A thread owns two rows; registers of one row are those rowOf maps to
    // it, and lanes sharing a row differ only in the xor masks.
    expect(layout.rowOffsets().size() == 2, "two rows a thread", n, 0, 0);
    for (int64_t i = 0; i < n / 2; ++i)
      expect(layout.rowOf(i) == (i % 4 >= 2 ? 1 : 0), "rowOf", n, 0, i);
    int64_t reachable = 0;
    for (int64_t m : layout.rowReductionXorMasks)
      reachable |= m;
    for (int64_t t = 0; t < kWarpgroupSize; ++t)
      for (int64_t o = 0; o < kWarpgroupSize; ++o)
        expect((layout.thread.at(t).row == layout.thread.at(o).row) ==
                   (((t ^ o) & ~reachable) == 0),
               "row reduction", n, t, o);
  }
  // The RS form: A register r of k16 step kk, per the ISA's A fragment of
  // each warp (the mma.m16n8k16 A layout on its 16 rows), is made of the
  // two accumulator registers operandAFromAccumulators names.
  AccumulatorLayout acc = accumulatorLayout(64);
  for (int64_t t = 0; t < kWarpgroupSize; ++t) {
    int64_t w = t / 32, lane = t % 32;
    for (int64_t kk = 0; kk < 4; ++kk) {
      for (int64_t r = 0; r < 4; ++r) {
        for (int64_t h = 0; h < 2; ++h) {
          int64_t i = 2 * r + h;
          Coord isaA{16 * w + lane / 4 + 8 * ((i / 2) % 2),
                     16 * kk + (lane % 4) * 2 + i % 2 + 8 * (i / 4)};
          int64_t reg = operandAFromAccumulators(kk, r).first + h;
          expect(acc.at(t, reg) == isaA, "RS operand A", 64, t, i);
        }
      }
    }
  }

  // The 128-byte swizzle as TMA wrote it on an H100 (a 64 x 64 bf16 box):
  // shared element (r, c) holds global element (r, ((c / 8) ^ (r % 8)) * 8
  // + c % 8), i.e. global (r, c) lands at that same permuted column.
  for (int64_t r = 0; r < 64; ++r) {
    for (int64_t c = 0; c < 64; ++c) {
      int64_t stored = swizzleByteOffset((r * 64 + c) * 2, Swizzle::Bytes128);
      int64_t expected = (r * 64 + (((c / 8) ^ (r % 8)) * 8 + c % 8)) * 2;
      expect(stored == expected, "128-byte swizzle", 64, r, c);
    }
  }
  // Every mode permutes the bytes of its atom.
  for (Swizzle mode :
       {Swizzle::None, Swizzle::Bytes32, Swizzle::Bytes64, Swizzle::Bytes128}) {
    std::set<int64_t> seen;
    for (int64_t offset = 0; offset < 1024; ++offset)
      seen.insert(swizzleByteOffset(offset, mode));
    expect(seen.size() == 1024 && *seen.rbegin() == 1023,
           "swizzle permutes an atom", static_cast<int64_t>(mode), 0, 0);
  }

  // The descriptor NVGPU's warpgroup.generate.descriptor builds for a
  // 128-byte-swizzled bf16 tile (the constant in its PTX): leading byte
  // offset 8 KiB, stride byte offset 1024 (8 rows of 128 bytes).
  expect(encodeMatrixDescriptor(0, 8192, 1024, Swizzle::Bytes128) ==
             0x4000004002000000ull,
         "descriptor constant", 0, 0, 0);
  expect(encodeMatrixDescriptor(0x1230, 8192, 1024, Swizzle::Bytes128) ==
             (0x4000004002000000ull | 0x123),
         "descriptor address", 0, 0, 0);
  expect(encodeMatrixDescriptor(0, 0, 0, Swizzle::Bytes64) == (2ull << 62),
         "descriptor 64-byte swizzle", 0, 0, 0);

  std::printf("wgmma m64nNk16 layouts: %d checks, %d failed\n", checks,
              failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
