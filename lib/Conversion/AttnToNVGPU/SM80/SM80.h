//===- SM80.h - the Ampere kernel emitter -----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_SM80_SM80_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_SM80_SM80_H

#include "../KernelABI.h"
#include "../KernelPlan.h"

namespace mlir::attn::sm80 {

/// The sm_80 kernel's parameters: every tensor as a memref descriptor.
KernelAbiAttr buildKernelAbi(const KernelPlan &plan);

/// Fills the body of `kernel` (its parameters laid out by `abi`) with the
/// FlashAttention-2 kernel of `plan` for mma.sync. Returns the dynamic
/// shared memory it needs, in bytes.
FailureOr<int64_t> emitFlashAttention2(const KernelPlan &plan,
                                       const KernelArguments &args,
                                       IndexMaterializer &values);

} // namespace mlir::attn::sm80

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_SM80_SM80_H
