//===- Pipelines.cpp - named attn pass pipelines ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Pipelines.h"
#include "attn/Conversion/Passes.h"

#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;

namespace {

/// Rewrites every op that implements linalg's AggregatedOpInterface
/// (linalg.softmax) into the linalg ops it stands for, which the loop
/// lowering then handles; left alone, such an op would pass through the CPU
/// pipeline unlowered. MLIR 22.1 offers the decomposition only as a
/// transform op, so the CPU pipeline runs it through this pass.
struct DecomposeAggregatedOpsPass
    : PassWrapper<DecomposeAggregatedOpsPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DecomposeAggregatedOpsPass)

  StringRef getArgument() const final {
    return "attn-decompose-aggregated-linalg-ops";
  }
  StringRef getDescription() const final {
    return "Decompose linalg.softmax and other aggregated linalg ops";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, linalg::LinalgDialect,
                    math::MathDialect, tensor::TensorDialect>();
  }

  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> ops;
    getOperation()->walk(
        [&](linalg::AggregatedOpInterface op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results)) {
        op->emitError() << "attn-lower-to-cpu-pipeline: cannot decompose "
                        << op->getName() << " into loops";
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
  }
};

} // namespace

void mlir::attn::buildAttnLowerToCpuPipeline(OpPassManager &pm) {
  pm.addPass(createConvertAttnToLinalgPass());
  pm.addPass(std::make_unique<DecomposeAggregatedOpsPass>());
  // Element-wise arith and math ops on tensors (work around the attention)
  // become linalg.generic, which bufferizes; left alone they would not.
  pm.addPass(createConvertElementwiseToLinalgPass());

  // Tensors to buffers; function arguments get plain identity-layout memrefs
  // so that callers such as mlir-runner's main can pass their buffers.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // The K/V loops of tiled IR yield freshly computed tiles.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);

  // Loops (the grid of a tiled kernel runs sequentially), then LLVM. Math
  // ops without an LLVM intrinsic (tanh) go to libm.
  pm.addPass(createForallToForLoopPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::attn::buildAttnToKernelPipeline(
    OpPassManager &pm, const AttnLowerToNVVMPipelineOptions &options,
    AttnLoweringStep last) {
  pm.addPass(createAttnFuseAttentionPass());
  pm.addPass(createAttnOutlineAttentionPass());
  if (last == AttnLoweringStep::Fuse)
    return;
  pm.addPass(createAttnSelectSchedulePass(
      {options.chip, options.rescaleThreshold, options.pingPong,
       options.overlap, options.persistent, options.stages, options.queryStages,
       options.packGqa, options.kvChunk}));
  pm.addPass(createAttnTilePass());
  if (last == AttnLoweringStep::Tile)
    return;
  AttnFuseOnlineSoftmaxPassOptions online;
  online.exp2Emulation = options.exp2Emulation;
  online.exp2Degree = options.exp2Degree;
  pm.addPass(createAttnFuseOnlineSoftmaxPass(online));
  if (last == AttnLoweringStep::Online)
    return;
  pm.addPass(createAttnPipelineAsyncPass());
  pm.addPass(createAttnWarpSpecializePass());
  pm.addPass(createAttnOverlapConsumerPass());
  pm.addPass(createAttnOrderWarpgroupsPass());
  if (last == AttnLoweringStep::Pipeline)
    return;
  pm.addPass(
      createConvertAttnToNVGPUPass({options.chip, options.waitTimeoutMs}));
}

std::string mlir::attn::getPtxFeatures(StringRef chip) {
  const TargetInfo *target = lookupTarget(chip);
  return target ? target->ptxFeatures.str() : std::string();
}

std::string mlir::attn::resolveCudaPath(StringRef cudaPath) {
  if (!cudaPath.empty())
    return cudaPath.str();
  if (const char *home = std::getenv("CUDA_HOME"); home && *home)
    return home;
  return "/usr/local/cuda";
}

std::string mlir::attn::getLibdevicePath(StringRef cudaPath) {
  SmallString<256> path(resolveCudaPath(cudaPath));
  llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
  return std::string(path);
}

void mlir::attn::buildKernelToPtxPipeline(
    OpPassManager &pm, const AttnLowerToNVVMPipelineOptions &options) {
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());

  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = getPtxFeatures(options.chip);
  target.optLevel = 3;
  target.linkLibs.push_back(getLibdevicePath(options.cudaPath));
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());

  // Inside the kernels: n-D vectors to 1-D first (convert-gpu-to-nvvm does
  // not), then everything to LLVM and NVVM.
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(arith::createArithExpandOpsPass());
  kernels.addPass(createConvertVectorToLLVMPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createAttnNVVMGridConstantPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void mlir::attn::buildAttnLowerToNVVMPipeline(
    OpPassManager &pm, const AttnLowerToNVVMPipelineOptions &options) {
  buildAttnToKernelPipeline(pm, options);
  buildKernelToPtxPipeline(pm, options);
}

void mlir::attn::registerAttnPipelines() {
  PassPipelineRegistration<>(
      "attn-lower-to-cpu-pipeline",
      "Lower attn IR on tensors (semantic, tiled or online) and the functions "
      "around it to LLVM for the host CPU, through linalg",
      buildAttnLowerToCpuPipeline);
  PassPipelineRegistration<AttnLowerToNVVMPipelineOptions>(
      "attn-lower-to-nvvm-pipeline",
      "Compile attention IR (L0 graph, attn.attention or any later level up "
      "to the online grid) for one chip, down to PTX in a gpu.binary",
      buildAttnLowerToNVVMPipeline);
}
