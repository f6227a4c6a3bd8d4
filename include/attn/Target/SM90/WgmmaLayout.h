//===- WgmmaLayout.h - wgmma m64nNk16 fragment layouts ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Which thread of a warpgroup holds which element of a wgmma.mma_async
// m64nNk16 f32 accumulator: the one description of the sm_90a register
// layout, in the vocabulary of Target/FragmentLayout.h, checked against the
// PTX ISA's figure by a unit test.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_SM90_WGMMALAYOUT_H
#define ATTN_TARGET_SM90_WGMMALAYOUT_H

#include "attn/Target/FragmentLayout.h"

namespace mlir::attn::sm90 {

/// Threads of a warpgroup, which issue one wgmma together.
constexpr int64_t kWarpgroupSize = 128;
/// The instruction shape: D[64xN] += A[64x16] * B[16xN], N a multiple of 8
/// from 8 to 256.
constexpr int64_t kWgmmaM = 64;
constexpr int64_t kWgmmaK = 16;

/// The accumulator D of m64nNk16 with f32 accumulate: N / 2 registers a
/// thread, register i of thread t at row 16 (t / 32) + (t % 32) / 4
/// (+ 8 when i % 4 >= 2) and column 8 (i / 4) + 2 (t % 4) + i % 2.
AccumulatorLayout accumulatorLayout(int64_t n);

} // namespace mlir::attn::sm90

#endif // ATTN_TARGET_SM90_WGMMALAYOUT_H
