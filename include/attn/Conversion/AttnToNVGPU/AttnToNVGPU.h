//===- AttnToNVGPU.h - what convert-attn-to-nvgpu leaves --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The names under which -convert-attn-to-nvgpu records a kernel's launch
// facts, read back by the compile driver for the manifest.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTONVGPU_ATTNTONVGPU_H
#define ATTN_CONVERSION_ATTNTONVGPU_ATTNTONVGPU_H

#include "llvm/ADT/StringRef.h"

namespace mlir::attn {
/// The gpu.module that holds every kernel.
constexpr llvm::StringLiteral kKernelModuleName = "attn_kernels";
/// Bytes of dynamic shared memory a kernel needs (i64 on the gpu.func).
constexpr llvm::StringLiteral kDynamicSharedMemoryAttrName =
    "attn.dynamic_shared_memory";
} // namespace mlir::attn

#endif // ATTN_CONVERSION_ATTNTONVGPU_ATTNTONVGPU_H
