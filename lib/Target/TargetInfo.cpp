//===- TargetInfo.cpp - facts about the chips attn targets ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/TargetInfo.h"

#include "attn/Target/SM100/TmemLayout.h"
#include "attn/Target/SM80/MmaSyncLayout.h"
#include "attn/Target/SM90/WgmmaLayout.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::attn;

int64_t mlir::attn::pipelineSharedMemoryBytes(const KernelShape &s) {
  int64_t row = sm80::sharedRowElements(s.headDim),
          valueRow = sm80::sharedRowElements(s.valueHeadDim);
  return s.elementBytes * (s.queryStages * s.tileM * row +
                           s.stages * s.tileN * (row + valueRow));
}

int64_t mlir::attn::stagedPipelineSharedMemoryBytes(const KernelShape &s) {
  int64_t staging = s.elementBytes * s.tileM * s.valueHeadDim;
  int64_t tileWords = 16, barrierStep = 1024;
  return pipelineSharedMemoryBytes(s) + staging + tileWords + barrierStep;
}

/// Both kernels write O in the inputs' element type.
static std::string outputTypeProblem(const KernelShape &s) {
  if (s.outputElementType == s.elementType)
    return "";
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "needs the output in the inputs' element type (" << s.elementType
     << "), found " << s.outputElementType;
  return message;
}

/// The FlashAttention-2 kernel on mma.sync: warps split the query rows into
/// m16 blocks; tiles move in 16-byte chunks, rows padded with zeros to a
/// multiple of 32 elements, whole passes of the CTA's threads at a time.
static std::string sm80KernelShapeProblem(const KernelShape &s) {
  using namespace sm80;
  std::string problem = outputTypeProblem(s);
  if (!problem.empty())
    return problem;
  for (int64_t dim : {s.headDim, s.valueHeadDim})
    if (dim % kChunkElements != 0 || dim < kChunkElements || dim > 256)
      return (llvm::Twine("needs head dims that are multiples of ") +
              llvm::Twine(kChunkElements) + " from 8 to 256, found " +
              llvm::Twine(dim))
          .str();
  if (s.warps < 1 || s.tileM % (kMmaM * s.warps) != 0)
    return (llvm::Twine("needs tile_m to be a multiple of 16 x warps (") +
            llvm::Twine(kMmaM * s.warps) + ")")
        .str();
  if (s.tileN % kMmaK != 0)
    return "needs tile_n to be a multiple of 16";
  int64_t threads = s.warps * kWarpSize;
  for (int64_t dim : {s.headDim, s.valueHeadDim}) {
    int64_t chunks = rowChunks(dim);
    for (int64_t rows : {s.tileM, s.tileN})
      if (rows * chunks % threads != 0)
        return (llvm::Twine("needs tiles whose 16-byte chunks split evenly "
                            "over the ") +
                llvm::Twine(threads) + " threads (" + llvm::Twine(rows) +
                " rows of " + llvm::Twine(chunks) + " chunks)")
            .str();
  }
  return "";
}

/// What the kernels whose tiles arrive by TMA (sm_90a, sm_100a) ask of
/// their operands: O in the inputs' type, and head dims of whole 64-column
/// boxes of the 128-byte swizzle, up to 256.
static std::string tmaOperandProblem(const KernelShape &s) {
  using sm90::kSwizzleColumns;
  std::string problem = outputTypeProblem(s);
  if (!problem.empty())
    return problem;
  for (int64_t dim : {s.headDim, s.valueHeadDim})
    if (dim % kSwizzleColumns != 0 || dim < kSwizzleColumns || dim > 256)
      return (llvm::Twine("needs head dims that are multiples of ") +
              llvm::Twine(kSwizzleColumns) + " from " +
              llvm::Twine(kSwizzleColumns) + " to 256, found " +
              llvm::Twine(dim))
          .str();
  return "";
}

/// The FlashAttention-3 kernel on wgmma: a producer warpgroup and two or
/// three consumer warpgroups of 64 query rows each; tiles arrive by TMA in
/// boxes of 64 columns (128 bytes, the 128-byte swizzle's span), S and O live
/// in wgmma accumulators.
static std::string sm90KernelShapeProblem(const KernelShape &s) {
  using namespace sm90;
  std::string problem = tmaOperandProblem(s);
  if (!problem.empty())
    return problem;
  int64_t consumers = s.tileM / kWgmmaM;
  if (s.tileM % kWgmmaM != 0 || consumers < kMinConsumers ||
      consumers > kMaxConsumers)
    return (llvm::Twine("needs tile_m = 64 x 2 or 64 x 3 (64 query rows per "
                        "consumer warpgroup), found ") +
            llvm::Twine(s.tileM))
        .str();
  int64_t warps = 4 * (1 + consumers);
  if (s.warps != warps)
    return (llvm::Twine("needs ") + llvm::Twine(warps) +
            " warps at tile_m " + llvm::Twine(s.tileM) +
            " (a producer warpgroup and one consumer warpgroup per 64 rows), "
            "found " +
            llvm::Twine(s.warps))
        .str();
  if (s.tileN % kWgmmaK != 0 || s.tileN < kWgmmaK || s.tileN > 256)
    return (llvm::Twine("needs tile_n to be a multiple of 16 from 16 to 256, "
                        "found ") +
            llvm::Twine(s.tileN))
        .str();
  int64_t registers = consumerAccumulatorRegisters(s.tileN, s.valueHeadDim);
  int64_t budget = consumerRegisters(consumers) - kConsumerHeadroom;
  if (registers > budget)
    return (llvm::Twine("needs at most ") + llvm::Twine(budget) +
            " accumulator registers a consumer thread (S, P and O) with " +
            llvm::Twine(consumers) + " consumer warpgroups, found " +
            llvm::Twine(registers) + " at tile_n " + llvm::Twine(s.tileN) +
            ", value head dim " + llvm::Twine(s.valueHeadDim))
        .str();
  return "";
}

// The sm_100a kernel: the sm_90a kernel's TMA tiles and roles, with one
// consumer warpgroup per 128-row tcgen05.mma tile whose S and O live in
// tensor memory and whose S comes to registers for the softmax.
static std::string sm100KernelShapeProblem(const KernelShape &s) {
  using namespace sm100;
  std::string problem = tmaOperandProblem(s);
  if (!problem.empty())
    return problem;
  int64_t consumers = s.tileM / kMmaM;
  if (s.tileM % kMmaM != 0 || consumers < 1 || consumers > 2)
    return (llvm::Twine("needs tile_m = 128 or 256 (128 query rows per "
                        "consumer warpgroup), found ") +
            llvm::Twine(s.tileM))
        .str();
  if (s.warps != 4 * (1 + consumers))
    return (llvm::Twine("needs ") + llvm::Twine(4 * (1 + consumers)) +
            " warps at tile_m " + llvm::Twine(s.tileM) +
            " (a producer warpgroup and one consumer warpgroup per 128 rows), "
            "found " +
            llvm::Twine(s.warps))
        .str();
  // P, two elements a 32-bit column, is stored kLoadColumns columns at a
  // time.
  int64_t keys = 2 * kLoadColumns;
  if (s.tileN % keys != 0 || s.tileN < keys || s.tileN > 256)
    return (llvm::Twine("needs tile_n to be a multiple of ") +
            llvm::Twine(keys) + " from " + llvm::Twine(keys) +
            " to 256, found " + llvm::Twine(s.tileN))
        .str();
  int64_t columns = attentionColumns(s.tileN, s.valueHeadDim, consumers);
  if (columns > kTmemColumns)
    return (llvm::Twine("needs S and O of its ") + llvm::Twine(consumers) +
            " consumer warpgroups in the " + llvm::Twine(kTmemColumns) +
            " columns of tensor memory, found " + llvm::Twine(columns) +
            " (tile_n " + llvm::Twine(s.tileN) + ", value head dim " +
            llvm::Twine(s.valueHeadDim) + ")")
        .str();
  int64_t budget = sm90::consumerRegisters(consumers) - sm90::kConsumerHeadroom;
  if (s.tileN > budget)
    return (llvm::Twine("needs at most ") + llvm::Twine(budget) +
            " registers of S a consumer thread with " + llvm::Twine(consumers) +
            " consumer warpgroups, found tile_n " + llvm::Twine(s.tileN))
        .str();
  return "";
}

// Shared memory per block from the CUDA C Programming Guide's table of
// compute capabilities (opt-in maximum): 163 KB on sm_80, 227 KB on sm_90
// and sm_100. PTX ISA versions: 8.0 covers sm_80 and sm_90a; sm_100a needs
// 8.6.
static const TargetInfo kTargets[] = {
    {"sm_80", 80, "+ptx80", MmaFamily::MmaSync, 163 * 1024, 16,
     sm80KernelShapeProblem},
    {"sm_90a", 90, "+ptx80", MmaFamily::Wgmma, 227 * 1024, 16,
     sm90KernelShapeProblem, "sm_80"},
    {"sm_100a", 100, "+ptx86", MmaFamily::Tcgen05, 227 * 1024, 16,
     sm100KernelShapeProblem},
};

ArrayRef<TargetInfo> mlir::attn::getSupportedTargets() { return kTargets; }

const TargetInfo *TargetInfo::decodeKernelTarget() const {
  if (mma == MmaFamily::MmaSync && hasKernel())
    return this;
  return decodeKernelChip.empty() ? nullptr : lookupTarget(decodeKernelChip);
}

bool TargetInfo::runsKernelOf(MmaFamily family) const {
  if (!hasKernel())
    return false;
  const TargetInfo *decode = decodeKernelTarget();
  return mma == family || (decode && decode->mma == family);
}

const TargetInfo *mlir::attn::lookupTarget(StringRef chip) {
  const TargetInfo *found = llvm::find_if(
      kTargets, [&](const TargetInfo &info) { return info.chip == chip; });
  return found == std::end(kTargets) ? nullptr : found;
}

SmallVector<StringRef> mlir::attn::chipsWithKernels() {
  SmallVector<StringRef> chips;
  for (const TargetInfo &info : kTargets)
    if (info.hasKernel())
      chips.push_back(info.chip);
  return chips;
}

std::string mlir::attn::describeTargets() {
  SmallVector<StringRef> scheduled;
  for (const TargetInfo &info : kTargets)
    if (!info.hasKernel())
      scheduled.push_back(info.chip);
  std::string text = llvm::join(chipsWithKernels(), ", ") + " (kernels)";
  if (!scheduled.empty())
    text += "; " + llvm::join(scheduled, ", ") +
            " (schedules and tiling, no kernel yet)";
  return text;
}

std::string mlir::attn::unknownChipMessage(StringRef chip) {
  return ("unknown chip '" + chip + "' (supported: " + describeTargets() + ")")
      .str();
}
