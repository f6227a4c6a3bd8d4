//===- Pipelines.h - named attn pass pipelines ------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINES_H
#define ATTN_PIPELINES_PIPELINES_H

namespace mlir {
class OpPassManager;

namespace attn {
/// Lowers a module holding attn ops on tensors, and the functions around
/// them, to the LLVM dialect for the host CPU: attn to the linalg reference,
/// One-Shot Bufferize, loops, then LLVM. `mlir-runner` executes the result.
void buildAttnLowerToCpuPipeline(OpPassManager &pm);

/// Registers `attn-lower-to-cpu-pipeline`.
void registerAttnPipelines();
} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
