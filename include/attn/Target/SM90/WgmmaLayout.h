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

#include <algorithm>

namespace mlir::attn::sm90 {

/// The instruction shape: D[64xN] += A[64x16] * B[16xN], N a multiple of 8
/// from 8 to 256.
constexpr int64_t kWgmmaM = 64;
constexpr int64_t kWgmmaK = 16;

/// Columns of a 16-bit tile in one 128-byte swizzle span: TMA boxes and
/// shared-memory tiles are built from blocks this wide.
constexpr int64_t kSwizzleColumns = 64;

/// The FlashAttention-3 kernel's shape: a producer warpgroup and two or
/// three consumer warpgroups of kWgmmaM query rows each (tile_m = 64 x
/// consumers, warps = 4 x (1 + consumers)).
constexpr int64_t kMinConsumers = 2, kMaxConsumers = 3;

/// setmaxnreg budgets: the producer keeps the least a warpgroup may, the
/// consumers share what is left of the 64K-register file, in multiples of
/// 8, at most 240 (setmaxnreg's 256 less what ptxas reserves).
constexpr int64_t kProducerRegisters = 24;
inline int64_t consumerRegisters(int64_t consumers) {
  int64_t share = (64 * 1024 / kWarpgroupSize - kProducerRegisters) / consumers;
  return std::min<int64_t>(240, share / 8 * 8);
}

/// Registers a consumer thread holds across a K/V step: S (tile_n / 2), P
/// packed to 16-bit pairs (tile_n / 4) and O (Dv / 2). They must leave
/// kConsumerHeadroom of the consumer's budget for addresses, row statistics
/// and temporaries (ptxas -v: no spills at that margin).
inline int64_t consumerAccumulatorRegisters(int64_t tileN,
                                            int64_t valueHeadDim) {
  return tileN / 2 + tileN / 4 + valueHeadDim / 2;
}
constexpr int64_t kConsumerHeadroom = 32;

/// The registers a thread starts with when `ctas` CTAs of `threads` threads
/// share an SM (ptxas, `.minnctapersm`): an even share of the register
/// file in multiples of 8. setmaxnreg moves registers between warpgroups
/// only within the CTA's allocation: roles asking for more in all would
/// wait in setmaxnreg.inc forever.
inline int64_t entryRegisters(int64_t ctas, int64_t threads) {
  return std::min<int64_t>(256, 64 * 1024 / (ctas * threads) / 8 * 8);
}

/// The accumulator D of m64nNk16 with f32 accumulate: N / 2 registers a
/// thread, register i of thread t at row 16 (t / 32) + (t % 32) / 4
/// (+ 8 when i % 4 >= 2) and column 8 (i / 4) + 2 (t % 4) + i % 2.
AccumulatorLayout accumulatorLayout(int64_t n);

/// The registers of an accumulator that make A register `reg` (0..3) of
/// k16 step `kStep` of a wgmma with A from registers (the RS form, P V with
/// P from S's accumulators): the 16-bit pair packs accumulator registers
/// `first` and `first + 1`.
struct AccumulatorPair {
  int64_t first;
};
AccumulatorPair operandAFromAccumulators(int64_t kStep, int64_t reg);

/// How TMA lays a tile out in shared memory and wgmma reads it back: 16-byte
/// chunks XOR-permuted inside rows of `bytes` bytes (the swizzle span) by
/// the row index within an 8-row, `8 x bytes` atom.
enum class Swizzle { None = 0, Bytes32 = 32, Bytes64 = 64, Bytes128 = 128 };

/// The shared-memory byte offset at which TMA stores the element at byte
/// offset `offset` of the unswizzled, row-major tile (offsets relative to
/// an atom-aligned base: 1024 bytes for 128-byte swizzle).
int64_t swizzleByteOffset(int64_t offset, Swizzle swizzle);

/// A wgmma matrix descriptor (PTX ISA, "Matrix Descriptor Format"): start
/// address, leading and stride dimension byte offsets (each >> 4 in 14
/// bits), base offset 0 and the swizzle mode in bits 62-63. `address` is a
/// shared-memory address; the kernel adds its own at run time to the
/// constant part made with address 0.
uint64_t encodeMatrixDescriptor(uint32_t address, int64_t leadingBytes,
                                int64_t strideBytes, Swizzle swizzle);

} // namespace mlir::attn::sm90

#endif // ATTN_TARGET_SM90_WGMMALAYOUT_H
