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

#include "KernelABI.h"
#include "KernelBuilder.h"
#include "KernelPlan.h"
#include "SM100/SM100.h"
#include "SM80/SM80.h"
#include "SM90/SM90.h"

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
#include "llvm/ADT/StringExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTONVGPUPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

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

namespace {
/// A schedule kind's kernel: the tensor cores it runs on, the parameters it
/// takes and its body.
struct KernelEmitter {
  KernelKind kind;
  MmaFamily family;
  /// Whether causal launches run their heaviest query tiles first
  /// (measured on an H100 against the launch order, S = 1-8k: sm_80 +1-14%,
  /// most at D = 192 and 256; sm_90a's one-tile CTAs at D = 192 and 256
  /// +4-9% from S = 2048, -2-3% at 1024; persistent CTAs, drawing tiles,
  /// +1-4% on an H200).
  bool heavyTilesFirst;
  KernelAbiAttr (*buildAbi)(const KernelPlan &);
  FailureOr<int64_t> (*emit)(const KernelPlan &, const KernelArguments &,
                             IndexMaterializer &);
};
} // namespace

static const KernelEmitter kEmitters[] = {
    {KernelKind::fa2, MmaFamily::MmaSync, true, sm80::buildKernelAbi,
     sm80::emitFlashAttention2},
    {KernelKind::fa3, MmaFamily::Wgmma, true, sm90::buildKernelAbi,
     sm90::emitFlashAttention3},
    {KernelKind::fa4, MmaFamily::Tcgen05, false, sm100::buildKernelAbi,
     sm100::emitFlashAttention4},
};

static LogicalResult convertFunction(func::FuncOp func,
                                     const TargetInfo &target,
                                     int64_t waitTimeoutMs) {
  // The chip first: a target without a kernel says so, whatever form the
  // grid is in (sm_90a's is warp-specialised).
  if (!target.hasKernel()) {
    SmallVector<scf::ForallOp> grids = getScheduledGrids(func);
    Operation *at = grids.empty() ? func.getOperation() : grids.front();
    return at->emitError() << "convert-attn-to-nvgpu: " << target.chip
                           << " kernels are not supported yet (supported: "
                           << llvm::join(chipsWithKernels(), ", ") << ")";
  }
  FailureOr<KernelPlan> plan = readKernelPlan(func);
  if (failed(plan))
    return failure();
  // Then the schedule's kernel, which the chip must run (sm_90a runs its
  // own and, for decode steps, sm_80's).
  KernelKind kind = plan->schedule.getKind();
  const KernelEmitter *emitter = llvm::find_if(
      kEmitters, [&](const KernelEmitter &e) { return e.kind == kind; });
  if (emitter == std::end(kEmitters) || !target.runsKernelOf(emitter->family))
    return plan->grid.emitError()
           << "convert-attn-to-nvgpu: " << target.chip << " has no "
           << stringifyKernelKind(kind) << " kernel (schedule kind)";
  plan->waitTimeoutMs = waitTimeoutMs;
  // Decode steps keep their order. Split-KV launches must: x counts (query
  // tile, chunk) pairs there. Where a head has one query tile (a static Sq
  // of at most its rows) the order moves nothing, and the mapping's
  // registers cost (H100, a packed step, B = 8, Sq = 16, Skv = 8192: 0.153
  // against 0.143 ms); packed and paged launches are decode steps too.
  int64_t seqQ = cast<ShapedType>(func.getArgumentTypes()[0]).getDimSize(2);
  bool oneTileAHead =
      !ShapedType::isDynamic(seqQ) && seqQ <= plan->queryRowsPerTile();
  plan->heavyTilesFirst = emitter->heavyTilesFirst &&
                          plan->mask == MaskKind::causal &&
                          plan->kvChunk == 0 && !oneTileAHead &&
                          plan->packedHeads == 1 && !plan->paged;

  gpu::GPUModuleOp kernels =
      getOrCreateKernelModule(func->getParentOfType<ModuleOp>());
  OpBuilder b = OpBuilder::atBlockEnd(kernels.getBody());
  KernelAbiAttr abi = emitter->buildAbi(*plan);
  gpu::GPUFuncOp kernel =
      createKernel(b, func.getLoc(), func.getSymName(), abi);
  int32_t threads = static_cast<int32_t>(plan->schedule.getWarps() * 32);
  kernel.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({threads, 1, 1}));
  b.setInsertionPointToEnd(&kernel.getBody().front());
  gpu::ReturnOp::create(b, func.getLoc());

  KernelArguments args(kernel, abi);
  // Sizes of the function's arguments are read from their memrefs.
  IndexMaterializer values(*plan, [&](unsigned argument) {
    return args.memref(abi.getTensors()[argument].getName().getValue());
  });
  // Persistent CTAs map their grid to each tile they take.
  if (plan->heavyTilesFirst && !plan->schedule.getPersistent())
    mapBlocksHeaviestTileFirst(*plan, args, values);
  FailureOr<int64_t> sharedBytes = emitter->emit(*plan, args, values);
  if (failed(sharedBytes)) {
    kernel.erase();
    return failure();
  }
  kernel->setAttr(kDynamicSharedMemoryAttrName,
                  b.getI64IntegerAttr(*sharedBytes));
  // A function outlined from a caller (-attn-outline-attention) stays
  // declared for the caller's call; the kernel is its implementation.
  if (SymbolTable::symbolKnownUseEmpty(func, func->getParentOp())) {
    func.erase();
  } else {
    func.eraseBody();
    func.setPrivate();
  }
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
      module.emitError() << "convert-attn-to-nvgpu: "
                         << unknownChipMessage(chip);
      return signalPassFailure();
    }
    if (waitTimeoutMs < 0) {
      module.emitError() << "convert-attn-to-nvgpu: wait-timeout-ms must be "
                            "0 (unbounded) or a positive number of "
                            "milliseconds, got "
                         << static_cast<int64_t>(waitTimeoutMs);
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
      if (failed(convertFunction(func, *target, waitTimeoutMs)))
        return signalPassFailure();
  }
};
} // namespace
