//===- WgmmaLayoutTest.cpp - check the sm_90a layouts against PTX ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Checks include/attn/Target/SM90/WgmmaLayout.h, thread by thread, against
// the PTX ISA's figure of the wgmma m64nNk16 f32 accumulator (written out
// here from the ISA text, independently of the layout code), and the
// target-neutral row queries of Target/FragmentLayout.h on it. Prints one
// line per mismatch and a summary; exits non-zero on any mismatch.
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
  std::printf("wgmma m64nNk16 layouts: %d checks, %d failed\n", checks,
              failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
