//===- TmemLayoutTest.cpp - check the sm_100a layouts ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Checks include/attn/Target/SM100/TmemLayout.h against the PTX ISA's
// statements (written out here, independently of the layout code): the
// tcgen05.ld 32x32b fragment thread by thread, the TMEM address and
// allocation rules; and the tcgen05.mma instruction descriptors against the
// constants of ../shared/lowering/sm100a_fa4_tmem.mlir, which ptxas
// assembled for sm_100a (S = Q K^T and O = P V at head dim 64). No Blackwell
// GPU ran any of it. Prints one line per mismatch and a summary; exits
// non-zero on any mismatch.
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM100/TmemLayout.h"

#include <cstdio>
#include <cstdlib>
#include <set>

using namespace mlir::attn;
using namespace mlir::attn::sm100;

namespace {

// PTX ISA, tcgen05 data movement, shape .32x32b with .num = xN: thread i of
// warp w reads lane 32 (w % 4) + i; its register r is the 32-bit column r of
// that lane (from the address's column on).
Coord isa32x32b(int64_t thread, int64_t reg) {
  int64_t w = thread / 32, lane = thread % 32;
  return {32 * (w % 4) + lane, reg};
}

int failures = 0;
int checks = 0;

void expect(bool ok, const char *what, int64_t a, int64_t b) {
  ++checks;
  if (!ok && failures++ < 10)
    std::printf("MISMATCH %s (%lld, %lld)\n", what, (long long)a, (long long)b);
}

} // namespace

int main() {
  for (int64_t n : {32, 64, 128, 256}) {
    AccumulatorLayout layout = accumulatorLayout(n);
    expect((int64_t)layout.registers.size() == n, "register count", n, 0);
    std::set<std::pair<int64_t, int64_t>> covered;
    for (int64_t t = 0; t < kWarpgroupSize; ++t) {
      for (int64_t r = 0; r < n; ++r) {
        Coord c = layout.at(t, r);
        expect(c == isa32x32b(t, r), "32x32b fragment", t, r);
        covered.insert({c.row, c.col});
      }
      // Each warp reads only the lanes it may access.
      expect(layout.at(t, 0).row / 32 == warpLaneBase(t / 32) / 32,
             "warp's lanes", t, 0);
    }
    expect((int64_t)covered.size() == kMmaM * n, "covers the tile", n, 0);
    // One row a thread: the row statistics need no shuffles.
    expect(layout.rowOffsets().size() == 1, "one row a thread", n, 0);
    expect(layout.rowReductionXorMasks.empty(), "no shuffles", n, 0);
  }

  // Addresses: lane in bits 31-16, column in 15-0.
  expect(tmemAddress(0, 0, 0) == 0, "address", 0, 0);
  expect(tmemAddress(0x40, 96, 8) == ((96u << 16) | 0x48), "address", 96, 8);
  expect(warpLaneBase(5) == 32, "lane base", 5, 0);

  // Allocations: powers of two from 32 to 512 columns.
  for (auto [asked, expected] : {std::pair<int64_t, int64_t>{1, 32},
                                 {32, 32},
                                 {33, 64},
                                 {200, 256},
                                 {384, 512},
                                 {512, 512},
                                 {513, 0}})
    expect(allocationColumns(asked) == expected, "allocation", asked, expected);
  // FlashAttention-4's budget: two Q tiles of S (128 keys) and O fill the
  // 512 columns at head dim 128 and leave room at 64; at head dim 256 even
  // 64-key S tiles do not fit twice.
  expect(allocationColumns(attentionColumns(128, 64, 2)) == 512, "FA4 d64", 64,
         0);
  expect(attentionColumns(128, 128, 2) == kTmemColumns, "FA4 d128", 128, 0);
  expect(allocationColumns(attentionColumns(64, 256, 2)) == 0, "FA4 d256", 256,
         0);

  // The probe's descriptors: S = Q K^T (bf16, M 128, N 64, both K-major)
  // and O = P V (V MN-major: B transposed).
  expect(encodeInstructionDescriptor(InputFormat::bf16, InputFormat::bf16, 128,
                                     64, false, false) == 0x08100490u,
         "descriptor of Q K^T", 128, 64);
  expect(encodeInstructionDescriptor(InputFormat::bf16, InputFormat::bf16, 128,
                                     64, false, true) == 0x08110490u,
         "descriptor of P V", 128, 64);
  // f16 inputs clear the format fields; N and M scale their fields.
  expect(encodeInstructionDescriptor(InputFormat::f16, InputFormat::f16, 128,
                                     256, false, false) ==
             ((1u << 4) | (32u << 17) | (8u << 24)),
         "descriptor f16 N 256", 128, 256);
  expect(encodeInstructionDescriptor(InputFormat::bf16, InputFormat::bf16, 64,
                                     128, true, false) ==
             ((1u << 4) | (1u << 7) | (1u << 10) | (1u << 15) | (16u << 17) |
              (4u << 24)),
         "descriptor M 64, A transposed", 64, 128);

  std::printf("tcgen05 and tensor-memory layouts: %d checks, %d failed\n",
              checks, failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
