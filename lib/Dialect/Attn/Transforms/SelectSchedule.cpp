//===- SelectSchedule.cpp - choose a schedule per attention -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The only pass that reads the chip: it turns TargetInfo and an op's shapes
// into an #attn.schedule on the op. The sizes follow FlashAttention's choices
// per generation (FA2 on mma.sync, FA3 on wgmma, FA4 on tcgen05) and shrink
// the K/V tile until Q plus the K/V stages fit in shared memory.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Target/TargetInfo.h"

#include "llvm/ADT/StringExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSELECTSCHEDULEPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Shared memory a schedule needs: the Q tile plus `stages` K and V tiles.
int64_t sharedMemoryBytes(int64_t tileM, int64_t tileN, int64_t stages,
                          int64_t headDim, int64_t valueHeadDim,
                          int64_t elementBytes) {
  return elementBytes *
         (tileM * headDim + stages * tileN * (headDim + valueHeadDim));
}

FailureOr<ScheduleAttr> chooseSchedule(AttentionOp op,
                                       const TargetInfo &target) {
  auto queryType = cast<ShapedType>(op.getQuery().getType());
  Type elementType = queryType.getElementType();
  if (!elementType.isBF16() && !elementType.isF16())
    return op.emitOpError()
           << "has no tensor-core schedule for " << elementType << " on "
           << target.chip << ": expected bf16 or f16";
  int64_t headDim = queryType.getDimSize(3);
  int64_t valueHeadDim =
      cast<ShapedType>(op.getValue().getType()).getDimSize(3);
  for (int64_t dim : {headDim, valueHeadDim})
    if (dim % target.mmaK != 0)
      return op.emitOpError()
             << "head dim " << dim << " is not supported on " << target.chip
             << ": it must be a multiple of " << target.mmaK;

  int64_t largest = std::max(headDim, valueHeadDim);
  int64_t tileM = 128, tileN = 64, stages = 2, warps = 4;
  switch (target.mma) {
  case MmaFamily::MmaSync:
    // FA2: warps split the query rows, one m16 MMA row block each, so that a
    // warp's S and O fragments fit the register file (ptxas -v: two row
    // blocks per warp spill at head dim 128). At head dim 256 the O
    // accumulator alone takes 128 registers a thread; 32-key tiles halve S
    // and P (1.46x faster on an H100 than 64-key tiles, which spill more).
    tileN = largest <= 128 ? 64 : 32;
    tileM = largest <= 128 ? 128 : 64;
    warps = tileM / 16;
    break;
  case MmaFamily::Wgmma: // FA3: a producer and two consumer warpgroups.
    tileN = largest <= 128 ? 128 : 64;
    warps = 12;
    break;
  case MmaFamily::Tcgen05: // FA4: load, MMA, softmax, correction, epilogue.
    tileN = largest <= 128 ? 128 : 64;
    warps = 16;
    break;
  }

  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  auto bytes = [&] {
    return sharedMemoryBytes(tileM, tileN, stages, headDim, valueHeadDim,
                             elementBytes);
  };
  while (bytes() > target.maxSharedMemoryPerBlock && tileN > 16)
    tileN /= 2;
  if (bytes() > target.maxSharedMemoryPerBlock)
    return op.emitOpError()
           << "has no schedule that fits in the "
           << target.maxSharedMemoryPerBlock << " bytes of shared memory of "
           << target.chip << ": the smallest needs " << bytes();
  return ScheduleAttr::get(op.getContext(), tileM, tileN, stages, warps);
}

struct AttnSelectSchedulePass
    : attn::impl::AttnSelectSchedulePassBase<AttnSelectSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    const TargetInfo *target = lookupTarget(chip);
    if (!target) {
      SmallVector<StringRef> known;
      for (const TargetInfo &info : getSupportedTargets())
        known.push_back(info.chip);
      emitError(getOperation()->getLoc())
          << "unknown chip '" << chip << "': expected one of "
          << llvm::join(known, ", ");
      return signalPassFailure();
    }
    WalkResult result = getOperation()->walk([&](AttentionOp op) {
      if (op.getScheduleAttr())
        return WalkResult::advance();
      FailureOr<ScheduleAttr> schedule = chooseSchedule(op, *target);
      if (failed(schedule))
        return WalkResult::interrupt();
      op.setScheduleAttr(*schedule);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
