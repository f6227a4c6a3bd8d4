//===- TargetInfo.h - facts about the chips attn targets --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The one place where per-chip facts live. Passes that must know the chip
// (only the schedule selection, so far) ask here; everything after them reads
// the decisions recorded in the IR.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_TARGETINFO_H
#define ATTN_TARGET_TARGETINFO_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::attn {

/// The tensor-core instruction family a chip's schedule is built on.
enum class MmaFamily { MmaSync, Wgmma, Tcgen05 };

struct TargetInfo {
  /// The chip name as `nvvm.target` and ptxas spell it, e.g. "sm_90a".
  StringRef chip;
  /// Compute capability times ten, e.g. 90.
  int64_t computeCapability;
  MmaFamily mma;
  /// The most dynamic shared memory one block may use, in bytes.
  int64_t maxSharedMemoryPerBlock;
  /// K extent of one tensor-core instruction for 16-bit inputs; head dims
  /// must be a multiple of it.
  int64_t mmaK;
};

/// The facts for `chip`, or null when attn does not target it.
const TargetInfo *lookupTarget(StringRef chip);

/// Every supported chip, in order of age.
ArrayRef<TargetInfo> getSupportedTargets();

} // namespace mlir::attn

#endif // ATTN_TARGET_TARGETINFO_H
