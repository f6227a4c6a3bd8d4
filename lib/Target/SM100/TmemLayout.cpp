//===- TmemLayout.cpp - tensor memory and tcgen05 layouts -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM100/TmemLayout.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm100;

uint32_t mlir::attn::sm100::tmemAddress(uint32_t base, int64_t lane,
                                        int64_t column) {
  return base + (static_cast<uint32_t>(lane) << kTmemLaneShift) +
         static_cast<uint32_t>(column);
}

int64_t mlir::attn::sm100::warpLaneBase(int64_t warp) {
  return kWarpSize * (warp % 4);
}

int64_t mlir::attn::sm100::allocationColumns(int64_t columns) {
  if (columns > kTmemColumns)
    return 0;
  return std::max<int64_t>(kMinAllocationColumns,
                           llvm::PowerOf2Ceil(std::max<int64_t>(columns, 1)));
}

int64_t mlir::attn::sm100::attentionColumns(int64_t tileN, int64_t valueHeadDim,
                                            int64_t queryTiles) {
  return queryTiles * (tileN + valueHeadDim);
}

// PTX ISA, tcgen05 "Matrix fragments for .32x32b": thread i of a warp
// accesses lane (warp's base + i) and its registers hold consecutive 32-bit
// columns; the warpgroup's four warps cover lanes 0-127.
AccumulatorLayout mlir::attn::sm100::accumulatorLayout(int64_t n) {
  AccumulatorLayout layout;
  layout.threads = kWarpgroupSize;
  layout.thread = LaneCoord{LaneMap{{{1, kWarpgroupSize, 1}}}, LaneMap{}};
  for (int64_t i = 0; i < n; ++i)
    layout.registers.push_back({0, i});
  return layout;
}

// Fields (PTX ISA, "Instruction descriptor" of tcgen05.mma, kind::f16):
// bits 4-5 the D format (1: f32), 7-9 A's and 10-12 B's (0: f16, 1: bf16),
// 15 and 16 A and B transposed, 17-22 N / 8, 24-28 M / 16; sparsity,
// saturation, negation and the shift stay 0.
uint32_t mlir::attn::sm100::encodeInstructionDescriptor(InputFormat a,
                                                        InputFormat b,
                                                        int64_t m, int64_t n,
                                                        bool transposeA,
                                                        bool transposeB) {
  uint32_t f32Accumulator = 1;
  return f32Accumulator << 4 | static_cast<uint32_t>(a) << 7 |
         static_cast<uint32_t>(b) << 10 | uint32_t(transposeA) << 15 |
         uint32_t(transposeB) << 16 | static_cast<uint32_t>(n / 8) << 17 |
         static_cast<uint32_t>(m / 16) << 24;
}
