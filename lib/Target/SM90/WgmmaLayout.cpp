//===- WgmmaLayout.cpp - wgmma m64nNk16 fragment layouts ------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/SM90/WgmmaLayout.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::sm90;

// Each warp of the warpgroup owns 16 rows; inside a warp the layout is that
// of an mma.sync accumulator (PTX ISA, "Register Fragments and Shared Memory
// Matrix Layouts" for wgmma, matrix D).
AccumulatorLayout mlir::attn::sm90::accumulatorLayout(int64_t n) {
  AccumulatorLayout layout;
  layout.threads = kWarpgroupSize;
  layout.thread =
      LaneCoord{LaneMap{{{32, 4, 16}, {4, 8, 1}}}, LaneMap{{{1, 4, 2}}}};
  layout.rowReductionXorMasks = {1, 2};
  for (int64_t i = 0; i < n / 2; ++i)
    layout.registers.push_back({8 * ((i % 4) / 2), 8 * (i / 4) + i % 2});
  return layout;
}

// A register k of the RS form holds, per warp, the mma.sync A fragment of its
// 16 rows: registers 0/1 rows r0/r0 + 8 of columns 0-7 of the k16 step,
// registers 2/3 the same for columns 8-15; the accumulator's registers
// 8 kStep .. 8 kStep + 7 hold exactly those columns in that order.
AccumulatorPair mlir::attn::sm90::operandAFromAccumulators(int64_t kStep,
                                                           int64_t reg) {
  return {8 * kStep + 2 * reg};
}

// CUTLASS calls these Swizzle<1|2|3, 4, 3>: bits 4.. of the byte offset (the
// 16-byte chunk) are XORed with bits 7.. (the 128-byte line within the
// atom), as many bits as the span has chunks beyond the first.
int64_t mlir::attn::sm90::swizzleByteOffset(int64_t offset, Swizzle swizzle) {
  int64_t span = static_cast<int64_t>(swizzle);
  if (span == 0)
    return offset;
  int64_t mask = span / 16 - 1;
  return offset ^ (((offset >> 7) & mask) << 4);
}

uint64_t mlir::attn::sm90::encodeMatrixDescriptor(uint32_t address,
                                                  int64_t leadingBytes,
                                                  int64_t strideBytes,
                                                  Swizzle swizzle) {
  auto field = [](uint64_t bytes) { return (bytes >> 4) & 0x3fff; };
  uint64_t mode = 0;
  switch (swizzle) {
  case Swizzle::None:
    mode = 0;
    break;
  case Swizzle::Bytes128:
    mode = 1;
    break;
  case Swizzle::Bytes64:
    mode = 2;
    break;
  case Swizzle::Bytes32:
    mode = 3;
    break;
  }
  return field(address) | field(leadingBytes) << 16 | field(strideBytes) << 32 |
         mode << 62;
}
