//===- SM100.h - the Blackwell kernel emitter -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_SM100_SM100_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_SM100_SM100_H

#include "../KernelABI.h"
#include "../KernelPlan.h"

namespace mlir::attn::sm100 {

/// The sm_100a kernel's parameters: those of the sm_90a kernel (a TMA
/// tensor map of each of Q, K and V, then every tensor).
KernelAbiAttr buildKernelAbi(const KernelPlan &plan);

/// Fills the body of `kernel` with the sm_100a kernel of `plan` (the
/// warp-specialised form): TMA and mbarriers as on sm_90a, tcgen05.mma
/// with S and O in tensor memory. Returns the dynamic shared memory it
/// needs, in bytes.
FailureOr<int64_t> emitFlashAttention4(const KernelPlan &plan,
                                       const KernelArguments &args,
                                       IndexMaterializer &values);

} // namespace mlir::attn::sm100

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_SM100_SM100_H
