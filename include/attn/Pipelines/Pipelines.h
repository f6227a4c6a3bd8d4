//===- Pipelines.h - named attn pass pipelines ------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINES_H
#define ATTN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;

namespace attn {
/// Lowers a module holding attn ops on tensors, and the functions around
/// them, to the LLVM dialect for the host CPU: attn to the linalg reference,
/// One-Shot Bufferize, loops, then LLVM. `mlir-runner` executes the result.
void buildAttnLowerToCpuPipeline(OpPassManager &pm);

/// Options of `attn-lower-to-nvvm-pipeline`.
struct AttnLowerToNVVMPipelineOptions
    : public PassPipelineOptions<AttnLowerToNVVMPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("Target chip: sm_80, sm_90a or sm_100a"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit holding libdevice (default: $CUDA_HOME, "
                     "then /usr/local/cuda)"),
      llvm::cl::init("")};
  PassOptions::Option<float> rescaleThreshold{
      *this, "rescale-threshold",
      llvm::cl::desc("FlashAttention-4's conditional rescaling: move a row's "
                     "max only when it grows by more than this (log2 units); "
                     "0 rescales on every increase; negative (the default) "
                     "leaves it to the kernel (sm_90a's: 8 from head dim 128; "
                     "sm_80's, also on sm_90a for decode steps: 8 for "
                     "causal head dims up to 32, 64 in packed decode tiles)"),
      llvm::cl::init(-1.0f)};
  PassOptions::Option<int64_t> stages{
      *this, "stages",
      llvm::cl::desc("K/V tiles in flight (1: one K slot and one V slot, "
                     "each copied under the other's products); 0, the "
                     "default, leaves it to the chip"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> queryStages{
      *this, "query-stages",
      llvm::cl::desc("Persistent warp-specialised kernels: query tiles in "
                     "flight (2: the next tile's query loads under this "
                     "one's steps); 0, the default, leaves it to the chip"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> packGqa{
      *this, "pack-gqa",
      llvm::cl::desc("Pack the query heads of a group into one tile "
                     "(decoding); chosen without asking when Sq is static "
                     "and at most 16"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> kvChunk{
      *this, "kv-chunk",
      llvm::cl::desc("Split-KV (decoding; the sm_80 kernel, on sm_80 and "
                     "sm_90a): keys per chunk, each "
                     "chunk its own CTA, merged by the last; 0 (the "
                     "default) splits nothing"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> exp2Emulation{
      *this, "exp2-emulation",
      llvm::cl::desc("FlashAttention-4's exp2 on the FMA units: one score "
                     "exponential in this many by a polynomial (0, the "
                     "default: none)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> exp2Degree{
      *this, "exp2-degree",
      llvm::cl::desc("Degree of that polynomial, 2 to 5 (default 3)"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> pingPong{
      *this, "ping-pong",
      llvm::cl::desc("Warp-specialised kernels: the consumer warpgroups take "
                     "turns issuing their matrix products (default on)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> overlap{
      *this, "overlap",
      llvm::cl::desc("Warp-specialised kernels: each consumer issues Q K^T "
                     "of the next K/V tile before the softmax of this one "
                     "(default on)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> persistent{
      *this, "persistent",
      llvm::cl::desc("Warp-specialised kernels: as many CTAs as fit on the "
                     "GPU, each looping over query tiles; 1 on, 0 off, "
                     "negative (the default) the chip's choice"),
      llvm::cl::init(-1)};
  PassOptions::Option<int64_t> waitTimeoutMs{
      *this, "wait-timeout-ms",
      llvm::cl::desc("Debug mode of the sm_90a kernel: every mbarrier wait "
                     "traps with a message after this many milliseconds "
                     "(0, the default: unbounded)"),
      llvm::cl::init(0)};
};

/// The steps of the way from attention IR to a kernel, in order.
enum class AttnLoweringStep { Fuse, Tile, Online, Pipeline, Kernel };

/// L0/L1 to L5: fuses naive graphs, selects the chip's schedule and tiles,
/// fuses the online softmax, pipelines the tile loads and converts the grid
/// to a gpu.module kernel; stops after `last`.
void buildAttnToKernelPipeline(
    OpPassManager &pm, const AttnLowerToNVVMPipelineOptions &options,
    AttnLoweringStep last = AttnLoweringStep::Kernel);

/// L5 to PTX: NVGPU/NVVM/GPU to LLVM inside the gpu.module, then
/// gpu-module-to-binary, which leaves the PTX text in a gpu.binary.
void buildKernelToPtxPipeline(OpPassManager &pm,
                              const AttnLowerToNVVMPipelineOptions &options);

/// Both halves: attention IR to PTX for one chip.
void buildAttnLowerToNVVMPipeline(
    OpPassManager &pm, const AttnLowerToNVVMPipelineOptions &options);

/// The CUDA toolkit root: `cudaPath` when given, else $CUDA_HOME, else
/// /usr/local/cuda.
std::string resolveCudaPath(StringRef cudaPath);

/// libdevice in the toolkit that `resolveCudaPath(cudaPath)` names. The
/// kernels call it (exp2, fma), so the NVVM pipeline links it by name: a
/// missing file fails the compile instead of leaving PTX with unresolved
/// `__nv_*` functions, which gpu-module-to-binary does when it only knows
/// the toolkit.
std::string getLibdevicePath(StringRef cudaPath);

/// The PTX ISA version to ask for on `chip`, as an nvvm.target feature
/// string, or an empty string for chips attn does not know.
std::string getPtxFeatures(StringRef chip);

/// Registers `attn-lower-to-cpu-pipeline` and `attn-lower-to-nvvm-pipeline`.
void registerAttnPipelines();
} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
