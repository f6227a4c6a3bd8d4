//===- AttnToNVGPU.cpp - online attention grids to GPU kernels ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The target-independent half of -convert-attn-to-nvgpu: reads each
// function's grid into a KernelPlan, creates the kernel's signature in the
// module's gpu.module, and hands the body to the chip's emitter.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "attn/Conversion/AttnToNVGPU/AttnToNVGPU.h"
#include "attn/Conversion/Passes.h"
#include "attn/Target/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTONVGPUPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

/// A strided memref of `tensor`'s shape: any outer strides, unit innermost.
static MemRefType kernelArgumentType(Type tensor) {
  auto type = cast<RankedTensorType>(tensor);
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  strides.back() = 1;
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout);
}

static gpu::GPUModuleOp getOrCreateKernelModule(ModuleOp module) {
  if (auto existing = module.lookupSymbol<gpu::GPUModuleOp>(kKernelModuleName))
    return existing;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto kernels =
      gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModuleName);
  b.setInsertionPointToStart(kernels.getBody());
  Attribute space = getSharedMemorySpace(b.getContext());
  auto type =
      MemRefType::get({0}, b.getI8Type(), MemRefLayoutAttrInterface{}, space);
  memref::GlobalOp::create(b, module.getLoc(), kSharedMemorySymbol,
                           b.getStringAttr("public"), type, Attribute(),
                           /*constant=*/false, b.getI64IntegerAttr(1024));
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  b.getUnitAttr());
  return kernels;
}

static LogicalResult convertFunction(func::FuncOp func,
                                     const TargetInfo &target) {
  FailureOr<KernelPlan> plan = readKernelPlan(func);
  if (failed(plan))
    return failure();
  if (target.mma != MmaFamily::MmaSync)
    return plan->grid.emitError()
           << "convert-attn-to-nvgpu: " << target.chip
           << " kernels are not supported yet (supported: sm_80)";

  // Q, K, V, then O and the optional LSE.
  SmallVector<Type> arguments;
  for (Type t : func.getArgumentTypes())
    arguments.push_back(kernelArgumentType(t));
  for (Type t : func.getResultTypes())
    arguments.push_back(kernelArgumentType(t));

  gpu::GPUModuleOp kernels =
      getOrCreateKernelModule(func->getParentOfType<ModuleOp>());
  OpBuilder b = OpBuilder::atBlockEnd(kernels.getBody());
  auto kernel =
      gpu::GPUFuncOp::create(b, func.getLoc(), func.getSymName(),
                             b.getFunctionType(arguments, TypeRange{}));
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  int32_t threads = static_cast<int32_t>(plan->schedule.getWarps() * 32);
  kernel.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({threads, 1, 1}));
  b.setInsertionPointToEnd(&kernel.getBody().front());
  gpu::ReturnOp::create(b, func.getLoc());

  IndexMaterializer values(*plan, kernel);
  FailureOr<int64_t> sharedBytes =
      sm80::emitFlashAttention2(*plan, kernel, values);
  if (failed(sharedBytes)) {
    kernel.erase();
    return failure();
  }
  kernel->setAttr(kDynamicSharedMemoryAttrName,
                  b.getI64IntegerAttr(*sharedBytes));
  kernel->setAttr(kQueryTileAttrName, b.getI64IntegerAttr(plan->tileM));
  func.erase();
  return success();
}

namespace {
struct ConvertAttnToNVGPUPass
    : attn::impl::ConvertAttnToNVGPUPassBase<ConvertAttnToNVGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const TargetInfo *target = lookupTarget(chip);
    if (!target) {
      module.emitError() << "convert-attn-to-nvgpu: unknown chip '" << chip
                         << "'";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> functions;
    module.walk([&](func::FuncOp func) {
      if (func.isExternal())
        return;
      // Functions with attn ops or a tiled grid; readKernelPlan reports
      // those that are not in the online form.
      WalkResult found = func.walk([&](Operation *op) {
        return isa<AttnDialect>(op->getDialect()) ||
                       op->hasAttr(kGridScheduleAttrName)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      });
      if (found.wasInterrupted())
        functions.push_back(func);
    });
    for (func::FuncOp func : functions)
      if (failed(convertFunction(func, *target)))
        return signalPassFailure();
  }
};
} // namespace
