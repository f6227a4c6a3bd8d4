//===- Compiler.h - attention IR to PTX, cubin and manifest -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The compile driver as a library call: runs attn-lower-to-nvvm-pipeline on a
// module, assembles the PTX with ptxas and describes the launch in a JSON
// manifest. attn-compile is a thin wrapper; embedders call compileModule.
// Errors are reported as MLIR diagnostics on the module's context.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_COMPILER_COMPILER_H
#define ATTN_COMPILER_COMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir::attn {

/// How far to compile.
enum class CompileLevel {
  Fused,   // L1: naive graphs fused into attn.attention
  Tiled,   // L2: the grid over (query tile, head, batch) and its K/V loops
  Online,  // L3: the online softmax
  Pipelined, // L4: the K/V pipeline of rings, copies and waits
  Kernel,  // L5: the gpu.module kernel in gpu/nvgpu/nvvm
  Ptx,     // PTX text
  Artifact // PTX, cubin and manifest
};

struct CompileOptions {
  std::string chip = "sm_80";
  /// FlashAttention-4's conditional rescaling threshold (log2 units); 0 is
  /// off; negative leaves it to the chip (sm_90a: 8 from head dim 128; sm_80: 8
  /// for causal head dims up to 32, 64 in packed decode tiles).
  float rescaleThreshold = -1.0f;
  /// Warp-specialised kernels: consumer warpgroups take turns at the tensor
  /// cores (ping-pong), and each issues the next Q K^T before its softmax.
  bool pingPong = true, overlap = true;
  /// Warp-specialised kernels: as many CTAs as fit on the GPU, each looping
  /// over query tiles; 1 on, 0 off, negative the chip's choice (sm_90a: on
  /// without a mask or causal at head dims up to 128).
  int64_t persistent = -1;
  /// FlashAttention-4's polynomial exp2: one score exponential in
  /// `exp2Emulation` (0: none) by a polynomial of degree `exp2Degree`.
  int64_t exp2Emulation = 0, exp2Degree = 3;
  /// K/V tiles in flight; 0 leaves it to the chip.
  int64_t stages = 0;
  /// Persistent warp-specialised kernels: query tiles in flight; 0 leaves
  /// it to the chip.
  int64_t queryStages = 0;
  /// Pack the query heads of a group into one tile (decoding); chosen
  /// without asking when Sq is static and at most 16.
  bool packGqa = false;
  /// Split-KV (decoding): keys per chunk, each chunk its own CTA; 0 splits
  /// nothing.
  int64_t kvChunk = 0;
  /// Debug mode of the sm_90a kernel: barrier waits trap after this many
  /// milliseconds; 0 is unbounded.
  int64_t waitTimeoutMs = 0;
  /// CUDA toolkit root (libdevice, ptxas); empty: $CUDA_HOME, then
  /// /usr/local/cuda.
  std::string cudaPath;
  /// ptxas to run; empty: <cudaPath>/bin/ptxas, then PATH.
  std::string ptxasPath;
};

struct Artifact {
  std::string kernelName;
  std::string ptx;
  std::string cubin;
  /// The launch manifest (JSON text).
  std::string manifest;
  /// What `ptxas -v` said about the kernel.
  std::string ptxasInfo;
  /// The rest of the input when the attention was part of a larger
  /// function: that function, calling the kernel's declaration (MLIR text);
  /// empty otherwise.
  std::string host;
};

/// Transforms `module` in place up to `level` (Fused .. Kernel).
LogicalResult lowerModule(ModuleOp module, const CompileOptions &options,
                          CompileLevel level);

/// Compiles the single attention function of `module` (consumed) to an
/// artifact. With `level == Ptx` the cubin and ptxas steps are skipped.
FailureOr<Artifact> compileModule(ModuleOp module,
                                  const CompileOptions &options,
                                  CompileLevel level = CompileLevel::Artifact);

/// Writes `<dir>/<kernel>.ptx`, `.cubin` and `.json`, each through a
/// temporary name renamed into place, so that a failed write leaves no file
/// that looks complete. Reports failures as errors at `loc`.
LogicalResult writeArtifact(const Artifact &artifact, StringRef dir,
                            Location loc);

} // namespace mlir::attn

#endif // ATTN_COMPILER_COMPILER_H
