//===- TargetInfo.h - facts about the chips attn targets --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The one place where per-chip facts live: the chip's names, its compute
// capability and PTX version, its tensor-core family and shared memory, and
// the limits of the kernel attn builds for it. The schedule chooser, the
// kernel conversion, the pipelines and the driver ask here; everything after
// the chooser reads the decisions recorded in the IR.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_TARGETINFO_H
#define ATTN_TARGET_TARGETINFO_H

#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::attn {

/// The tensor-core instruction family a chip's kernel is built on.
enum class MmaFamily { MmaSync, Wgmma, Tcgen05 };

/// What a kernel is asked to serve: head dims, element size and schedule,
/// and the element types of Q, K and V and of the output O.
struct KernelShape {
  int64_t headDim, valueHeadDim, elementBytes;
  int64_t tileM, tileN, stages, warps;
  Type elementType, outputElementType;
  /// Query tiles in flight (persistent warp-specialised kernels).
  int64_t queryStages = 1;
};

struct TargetInfo {
  /// The chip name as `nvvm.target` and ptxas spell it, e.g. "sm_90a".
  StringRef chip;
  /// Compute capability times ten, e.g. 90; the manifest carries it.
  int64_t computeCapability;
  /// The `nvvm-attach-target` features: the PTX ISA version the kernels
  /// need (one below the chip's minimum aborts inside the NVPTX backend).
  StringRef ptxFeatures;
  MmaFamily mma;
  /// The most dynamic shared memory one block may use, in bytes.
  int64_t maxSharedMemoryPerBlock;
  /// K extent of one tensor-core instruction for 16-bit inputs; head dims
  /// must be a multiple of it.
  int64_t mmaK;
  /// Why the chip's kernel cannot serve `shape` (empty when it can); null
  /// while the chip has no kernel. The chooser and the kernel ask the same
  /// function, so what one accepts the other builds.
  std::string (*kernelShapeProblem)(const KernelShape &shape);
  /// The chip whose mma.sync kernel this one builds for the steps only that
  /// kernel takes (packed GQA, split-KV, a paged cache: decode steps,
  /// memory-bound, where wider tensor-core tiles gain nothing); empty where
  /// the chip's own kernel is the mma.sync one or there is none.
  StringRef decodeKernelChip = "";
  /// Whether attn builds kernels for the chip yet.
  bool hasKernel() const { return kernelShapeProblem != nullptr; }
  /// The target whose kernel serves packed GQA, split-KV and paged caches on
  /// this chip (itself on sm_80, sm_80 on sm_90a), or null where none does.
  const TargetInfo *decodeKernelTarget() const;
  /// Whether the chip runs the kernel built on `family`: its own, or its
  /// decode kernel.
  bool runsKernelOf(MmaFamily family) const;
};

/// The facts for `chip`, or null when attn does not target it.
const TargetInfo *lookupTarget(StringRef chip);

/// Every chip attn knows, in order of age.
ArrayRef<TargetInfo> getSupportedTargets();

/// The chips attn builds kernels for, in order of age.
SmallVector<StringRef> chipsWithKernels();

/// The chips attn knows and how far it takes each: "sm_80, sm_90a
/// (kernels); sm_100a (schedules and tiling, no kernel yet)", from the
/// targets' own facts (help texts and errors say this one line).
std::string describeTargets();

/// The one message for a chip attn does not know: "unknown chip 'x'
/// (supported: <describeTargets()>)".
std::string unknownChipMessage(StringRef chip);

/// Shared memory of a K/V pipeline: `queryStages` Q tiles and `stages` K
/// and V tiles, in rows of whole 64-element swizzle groups
/// (sm80::sharedRowElements, as sm_80 stores them; the TMA kernels' head
/// dims are multiples of 64).
int64_t pipelineSharedMemoryBytes(const KernelShape &shape);

/// Shared memory of a TMA kernel that stages O for its store, as
/// SharedLayout (WarpSpecializedKernel.h) lays it out: the pipeline's
/// tiles, O's staging tile, the drawn tile's words and the barriers'
/// 1024-byte step.
int64_t stagedPipelineSharedMemoryBytes(const KernelShape &shape);

} // namespace mlir::attn

#endif // ATTN_TARGET_TARGETINFO_H
