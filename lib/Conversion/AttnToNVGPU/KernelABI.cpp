//===- KernelABI.cpp - a kernel's parameters, stated once -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelABI.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"

using namespace mlir;
using namespace mlir::attn;

/// The kernel attribute listing the parameters to pass by value as
/// __grid_constant__ tensor maps (read by -attn-nvvm-grid-constant).
static constexpr StringLiteral kGridConstantParams =
    "attn.grid_constant_params";

SmallVector<KernelTensorAttr>
mlir::attn::getAttentionTensors(const KernelPlan &plan) {
  func::FuncOp func = plan.func;
  MLIRContext *ctx = func.getContext();
  // Q, K and V (with a paged cache, the block table and lengths too) are
  // the first arguments; destinations after them are not the kernel's: it
  // writes O (and the LSE) through its results' tensors.
  SmallVector<StringRef> names = {"query", "key", "value"};
  if (plan.paged)
    names.append({"block_table", "cache_lengths"});
  names.append({"output", "lse"});
  SmallVector<Type> types(func.getArgumentTypes().take_front(plan.numInputs()));
  llvm::append_range(types, func.getResultTypes());
  SmallVector<KernelTensorAttr> tensors;
  for (auto [name, type] : llvm::zip(names, types))
    tensors.push_back(KernelTensorAttr::get(ctx, StringAttr::get(ctx, name),
                                            cast<ShapedType>(type)));
  return tensors;
}

SmallVector<GridAxisAttr> mlir::attn::getAttentionGrid(const KernelPlan &plan) {
  MLIRContext *ctx = plan.schedule.getContext();
  // Query tiles along x (no 65535 limit; with split-KV times the K/V
  // chunks), heads along y (the key's when a tile packs a group's query
  // heads), batch along z.
  bool packed = plan.packedHeads > 1;
  SmallVector<int64_t> chunks;
  if (plan.kvChunk > 0)
    chunks = getChunkExtent(plan);
  return {
      GridAxisAttr::get(ctx, 0, 2, plan.queryRowsPerTile(), chunks),
      GridAxisAttr::get(ctx, packed ? 1 : 0, packed ? plan.kvHeadDim() : 1, 1),
      GridAxisAttr::get(ctx, 0, 0, 1)};
}

SmallVector<int64_t> mlir::attn::getChunkExtent(const KernelPlan &plan) {
  // Keys of K (tensor 1, dimension 2), or a paged cache's capacity: the
  // block table's (tensor 3) pages, chunk / page of them a chunk.
  if (plan.paged)
    return {3, 1, plan.kvChunk / plan.pageSize};
  return {1, 2, plan.kvChunk};
}

/// Split-KV's workspace: each chunk's output [N, B, Hq, Sq, Dv] and LSE
/// [N, B, Hq, Sq] in f32, and one arrival counter per merge (per query
/// tile, grid head and batch), zero at each launch.
static void appendSplitWorkspace(const KernelPlan &plan,
                                 SmallVectorImpl<KernelTensorAttr> &tensors) {
  MLIRContext *ctx = plan.schedule.getContext();
  auto extent = [&](int64_t tensor, int64_t dim, int64_t divisor) {
    return GridAxisAttr::get(ctx, tensor, dim, divisor);
  };
  // Tensors 0, 1, 2: query, key, value.
  SmallVector<int64_t> chunk = getChunkExtent(plan);
  GridAxisAttr chunks = extent(chunk[0], chunk[1], chunk[2]),
               batch = extent(0, 0, 1), heads = extent(0, 1, 1),
               rows = extent(0, 2, 1);
  int64_t dyn = ShapedType::kDynamic;
  auto add = [&](StringRef name, ArrayRef<GridAxisAttr> extents,
                 ArrayRef<int64_t> shape, Type element, bool zeroed = false) {
    tensors.push_back(KernelTensorAttr::get(
        ctx, StringAttr::get(ctx, name), RankedTensorType::get(shape, element),
        extents, zeroed));
  };
  Type f32 = Float32Type::get(ctx);
  add("partial_output", {chunks, batch, heads, rows, extent(2, 3, 1)},
      {dyn, dyn, dyn, dyn, plan.valueHeadDim}, f32);
  add("partial_lse", {chunks, batch, heads, rows}, {dyn, dyn, dyn, dyn}, f32);
  SmallVector<GridAxisAttr> grid = getAttentionGrid(plan);
  // The partial results are written before they are read; only the
  // counters must start at zero.
  add("split_counters", {batch, grid[1], extent(0, 2, plan.queryRowsPerTile())},
      {dyn, dyn, dyn}, IntegerType::get(ctx, 32), /*zeroed=*/true);
}

KernelAbiAttr mlir::attn::buildAttentionAbi(const KernelPlan &plan,
                                            ArrayRef<KernelParamAttr> leading,
                                            int64_t persistent,
                                            ArrayRef<KernelTensorAttr> workspace) {
  MLIRContext *ctx = plan.schedule.getContext();
  SmallVector<KernelTensorAttr> tensors = getAttentionTensors(plan);
  if (plan.kvChunk > 0)
    appendSplitWorkspace(plan, tensors);
  llvm::append_range(tensors, workspace);
  SmallVector<KernelParamAttr> params(leading);
  for (int64_t i = 0, e = tensors.size(); i < e; ++i)
    params.push_back(KernelParamAttr::get(ctx, KernelParamKind::memref, i, {},
                                          0, false, Type(), -1));
  return KernelAbiAttr::get(ctx, tensors, params, getAttentionGrid(plan),
                            {1, 1, 1}, persistent);
}

int64_t mlir::attn::findTensor(KernelAbiAttr abi, StringRef name) {
  for (auto [i, tensor] : llvm::enumerate(abi.getTensors()))
    if (tensor.getName().getValue() == name)
      return i;
  return -1;
}

/// A strided memref of `tensor`'s shape: any outer strides, unit innermost.
static MemRefType memrefArgumentType(ShapedType type) {
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  strides.back() = 1;
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout);
}

gpu::GPUFuncOp mlir::attn::createKernel(OpBuilder &b, Location loc,
                                        StringRef name, KernelAbiAttr abi) {
  SmallVector<Type> arguments;
  // Tensor maps by their position among the lowered parameters (a memref
  // descriptor is 3 + 2 x rank of them), which is what the by-value pass
  // sees after convert-gpu-to-nvvm.
  SmallVector<int32_t> byValue;
  int32_t lowered = 0;
  for (KernelParamAttr param : abi.getParams()) {
    ShapedType tensor = abi.getTensors()[param.getTensor()].getType();
    switch (param.getKind()) {
    case KernelParamKind::memref:
      arguments.push_back(memrefArgumentType(tensor));
      lowered += 3 + 2 * tensor.getRank();
      break;
    case KernelParamKind::tensor_map:
      byValue.push_back(lowered++);
      arguments.push_back(LLVM::LLVMPointerType::get(b.getContext()));
      break;
    case KernelParamKind::scalar:
      arguments.push_back(param.getType());
      ++lowered;
      break;
    }
  }
  auto kernel = gpu::GPUFuncOp::create(
      b, loc, name, b.getFunctionType(arguments, TypeRange{}));
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  kernel->setAttr(kKernelAbiAttrName, abi);
  if (!byValue.empty())
    kernel->setAttr(kGridConstantParams, b.getDenseI32ArrayAttr(byValue));
  return kernel;
}

Value KernelArguments::get(StringRef tensor, KernelParamKind kind) const {
  int64_t index = findTensor(abi, tensor);
  for (auto [i, param] : llvm::enumerate(abi.getParams()))
    if (param.getTensor() == index && param.getKind() == kind)
      return gpu::GPUFuncOp(kernel).getArgument(i);
  return {};
}
