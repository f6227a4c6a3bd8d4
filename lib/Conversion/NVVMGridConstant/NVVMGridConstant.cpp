//===- NVVMGridConstant.cpp - by-value tensor map kernel parameters -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// -attn-nvvm-grid-constant: the kernel parameters listed in
// attn.grid_constant_params become `.param .align 64 .b8 name[128]`
// __grid_constant__ tensor maps. It runs on the llvm.func kernels that
// convert-gpu-to-nvvm leaves, because a gpu.func can carry neither
// nvvm.grid_constant (it fails verification) nor llvm.byval (dropped by the
// conversion) in MLIR 22.1.
//
//===----------------------------------------------------------------------===//

#include "attn/Conversion/NVVMGridConstant/NVVMGridConstant.h"
#include "attn/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/ADT/SmallSet.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNNVVMGRIDCONSTANTPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

/// Turns the parameters that `func` lists into grid-constant tensor maps and
/// drops the list; nothing happens to a function without one.
static LogicalResult convertFunction(LLVM::LLVMFuncOp func) {
  Attribute attr = func->getAttr(kGridConstantParamsAttrName);
  if (!attr)
    return success();
  auto positions = dyn_cast<DenseI32ArrayAttr>(attr);
  if (!positions)
    return func.emitError() << "expects '" << kGridConstantParamsAttrName
                            << "' to be an array<i32> of parameter positions";
  // The NVVM verifier takes nvvm.grid_constant on kernel parameters only.
  if (!func->hasAttr(NVVM::NVVMDialect::getKernelFuncAttrName()))
    return func.emitError()
           << "'" << kGridConstantParamsAttrName
           << "' on a function that is not a kernel: grid constants are "
              "kernel parameters";

  MLIRContext *ctx = func.getContext();
  auto pointer = LLVM::LLVMPointerType::get(ctx);
  // The CUtensorMap's 128 bytes, as the driver copies them into the
  // parameter space.
  auto bytes =
      LLVM::LLVMArrayType::get(IntegerType::get(ctx, 64), kTensorMapBytes / 8);
  unsigned numParams = func.getNumArguments();
  llvm::SmallSet<int32_t, 4> seen;
  for (int32_t position : positions.asArrayRef()) {
    if (position < 0 || static_cast<unsigned>(position) >= numParams)
      return func.emitError() << "grid-constant parameter " << position
                              << " is out of range: the kernel has "
                              << numParams << " parameters";
    if (!seen.insert(position).second)
      return func.emitError()
             << "grid-constant parameter " << position << " is listed twice";
    Type type = func.getArgument(position).getType();
    if (type != pointer)
      return func.emitError()
             << "grid-constant parameter " << position << " has type " << type
             << ", expected '!llvm.ptr' (a tensor map passed by value is "
                "read through a pointer to the parameter)";
  }

  Builder b(ctx);
  for (int32_t position : positions.asArrayRef()) {
    func.setArgAttr(position, LLVM::LLVMDialect::getByValAttrName(),
                    TypeAttr::get(bytes));
    func.setArgAttr(position, NVVM::NVVMDialect::getGridConstantAttrName(),
                    b.getUnitAttr());
    func.setArgAttr(position, LLVM::LLVMDialect::getAlignAttrName(),
                    b.getI64IntegerAttr(kTensorMapAlignment));
  }
  func->removeAttr(kGridConstantParamsAttrName);
  return success();
}

namespace {
struct AttnNVVMGridConstantPass
    : attn::impl::AttnNVVMGridConstantPassBase<AttnNVVMGridConstantPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failedAny = false;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto func = dyn_cast<LLVM::LLVMFuncOp>(op)) {
        failedAny |= failed(convertFunction(func));
        return WalkResult::skip();
      }
      // A list still on a gpu.func would silently stay a pointer.
      if (isa<gpu::GPUFuncOp>(op)) {
        if (op->hasAttr(kGridConstantParamsAttrName)) {
          op->emitError() << "'" << kGridConstantParamsAttrName
                          << "' is read from the llvm.func kernel; run "
                             "convert-gpu-to-nvvm first";
          failedAny = true;
        }
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
