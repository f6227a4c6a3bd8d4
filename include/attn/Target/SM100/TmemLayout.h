//===- TmemLayout.h - tensor memory and tcgen05 layouts ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The sm_100a facts the Blackwell kernel is built from, described once in
// the vocabulary of Target/FragmentLayout.h: tensor memory (TMEM) and its
// addresses and allocations, which thread of a warpgroup holds which element
// of a tcgen05.mma accumulator after a tcgen05.ld of shape 32x32b, and the
// instruction descriptor of tcgen05.mma kind::f16. A unit test checks them
// against the PTX ISA's statements and against the constants of a probe
// kernel ptxas assembled for sm_100a. Nothing here has run on a Blackwell
// GPU.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_SM100_TMEMLAYOUT_H
#define ATTN_TARGET_SM100_TMEMLAYOUT_H

#include "attn/Target/FragmentLayout.h"

#include <cstdint>

namespace mlir::attn::sm100 {

/// Tensor memory of a CTA: 128 lanes (rows) of 512 columns of 32 bits.
constexpr int64_t kTmemLanes = 128;
constexpr int64_t kTmemColumns = 512;
/// tcgen05.alloc takes a power of two of columns, at least 32.
constexpr int64_t kMinAllocationColumns = 32;

/// tcgen05.mma with cta_group::1 and M = 128: D row i is TMEM lane i, its
/// f32 column j a TMEM column; K steps of 16 for 16-bit inputs.
constexpr int64_t kMmaM = 128;
constexpr int64_t kMmaK = 16;

/// Columns of one tcgen05.ld or .st of shape 32x32b in the sm_100a kernel
/// (.x32: 32 registers a thread).
constexpr int64_t kLoadColumns = 32;

/// A TMEM address: the lane in bits 31-16, the column in bits 15-0, offset
/// from an allocation's base (what tcgen05.alloc wrote, lane 0).
constexpr int64_t kTmemLaneShift = 16;
uint32_t tmemAddress(uint32_t base, int64_t lane, int64_t column);

/// The lanes warp `warp` of the CTA may access with tcgen05.ld and .st: 32
/// from 32 (warp % 4).
int64_t warpLaneBase(int64_t warp);

/// The columns tcgen05.alloc is asked for to hold `columns`: the next power
/// of two from kMinAllocationColumns; 0 when more than kTmemColumns.
int64_t allocationColumns(int64_t columns);

/// FlashAttention-4's tensor memory: for each of `queryTiles` 128-row Q
/// tiles, S (tile_n f32 columns, P written over it in 16-bit pairs) and O
/// (valueHeadDim f32 columns).
int64_t attentionColumns(int64_t tileN, int64_t valueHeadDim,
                         int64_t queryTiles);

/// An M = 128 x N f32 accumulator as tcgen05.ld.32x32b.x<N> brings it to a
/// warpgroup's registers: thread t (warp t / 32, lane t % 32) reads TMEM
/// lane t, register i its column i. A thread holds one whole row, so row
/// reductions need no shuffles.
AccumulatorLayout accumulatorLayout(int64_t n);

/// The 16-bit input formats of tcgen05.mma kind::f16.
enum class InputFormat : uint32_t { f16 = 0, bf16 = 1 };

/// The 32-bit instruction descriptor of a dense tcgen05.mma kind::f16 with
/// f32 accumulators: the input formats, A and B transposed (MN-major in
/// shared memory) or not (K-major), and the M x N shape (M 64 or 128, N a
/// multiple of 8 (M 64) or 16 (M 128) up to 256).
uint32_t encodeInstructionDescriptor(InputFormat a, InputFormat b, int64_t m,
                                     int64_t n, bool transposeA,
                                     bool transposeB);

} // namespace mlir::attn::sm100

#endif // ATTN_TARGET_SM100_TMEMLAYOUT_H
