//===- WgmmaLayout.cpp - wgmma m64nNk16 fragment layouts ------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM90/WgmmaLayout.h"

using namespace mlir;
using namespace mlir::attn;

// Each warp of the warpgroup owns 16 rows; inside a warp the layout is that
// of an mma.sync accumulator (PTX ISA, "Register Fragments and Shared Memory
// Matrix Layouts" for wgmma, matrix D).
AccumulatorLayout mlir::attn::sm90::accumulatorLayout(int64_t n) {
  AccumulatorLayout layout;
  layout.threads = kWarpgroupSize;
  layout.thread = LaneCoord{LaneMap{{{32, 4, 16}, {4, 8, 1}}},
                            LaneMap{{{1, 4, 2}}}};
  layout.rowReductionXorMasks = {1, 2};
  for (int64_t i = 0; i < n / 2; ++i)
    layout.registers.push_back({8 * ((i % 4) / 2), 8 * (i / 4) + i % 2});
  return layout;
}
