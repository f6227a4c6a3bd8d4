//===- NVVMGridConstant.h - by-value kernel parameter mark ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The mark that -attn-nvvm-grid-constant turns into a __grid_constant__
// CUtensorMap parameter.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_NVVMGRIDCONSTANT_NVVMGRIDCONSTANT_H
#define ATTN_CONVERSION_NVVMGRIDCONSTANT_NVVMGRIDCONSTANT_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::attn {
/// Kernel parameters passed by value as 128-byte tensor maps (array<i32>,
/// written on the gpu.func). Positions count the lowered parameters: a
/// memref lowers to 3 + 2 * rank of them, so it shifts the arguments after
/// it. A function attribute, because convert-gpu-to-nvvm keeps those and
/// drops argument attributes outside a fixed llvm.* list.
constexpr llvm::StringLiteral kGridConstantParamsAttrName =
    "attn.grid_constant_params";
/// Bytes of a CUtensorMap, and the alignment the driver requires.
constexpr int64_t kTensorMapBytes = 128;
constexpr int64_t kTensorMapAlignment = 64;
} // namespace mlir::attn

#endif // ATTN_CONVERSION_NVVMGRIDCONSTANT_NVVMGRIDCONSTANT_H
