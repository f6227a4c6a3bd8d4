//===- TargetInfo.cpp - facts about the chips attn targets ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Target/TargetInfo.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::attn;

// Shared memory per block from the CUDA C Programming Guide's table of
// compute capabilities (opt-in maximum): 163 KB on sm_80, 227 KB on sm_90
// and sm_100.
static const TargetInfo kTargets[] = {
    {"sm_80", 80, MmaFamily::MmaSync, 163 * 1024, 16},
    {"sm_90a", 90, MmaFamily::Wgmma, 227 * 1024, 16},
    {"sm_100a", 100, MmaFamily::Tcgen05, 227 * 1024, 16},
};

ArrayRef<TargetInfo> mlir::attn::getSupportedTargets() { return kTargets; }

const TargetInfo *mlir::attn::lookupTarget(StringRef chip) {
  const TargetInfo *found = llvm::find_if(
      kTargets, [&](const TargetInfo &info) { return info.chip == chip; });
  return found == std::end(kTargets) ? nullptr : found;
}
