//===- SM90.h - the Hopper kernel emitter -----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_SM90_SM90_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_SM90_SM90_H

#include "../KernelABI.h"
#include "../KernelPlan.h"

namespace mlir::attn::sm90 {

/// The sm_90a kernel's parameters: a TMA tensor map of each of Q, K and V
/// (128-byte swizzle, boxes of one head's tile rows by 64 columns), then
/// every tensor as a memref descriptor (the kernel reads sizes from them and
/// writes O and the LSE through them).
KernelAbiAttr buildKernelAbi(const KernelPlan &plan);

/// Fills the body of `kernel` with the FlashAttention-3 kernel of `plan`
/// (the warp-specialised form) for wgmma, TMA and mbarriers. Returns the
/// dynamic shared memory it needs, in bytes.
FailureOr<int64_t> emitFlashAttention3(const KernelPlan &plan,
                                       const KernelArguments &args,
                                       IndexMaterializer &values);

} // namespace mlir::attn::sm90

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_SM90_SM90_H
