//===- KernelABI.h - a kernel's parameters, stated once ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// An attention kernel's ABI is an #attn.kernel_abi: the tensors its caller
// passes (Q, K, V, O and the optional LSE, named), its parameters in order
// (each a memref descriptor, a tensor map or a scalar made from one tensor),
// the grid and the cluster. A chip's emitter chooses the parameters; this
// file turns the ABI into the gpu.func's signature and finds a tensor's
// parameter for the emitter, and the compile driver serialises the same
// attribute into the manifest. Nothing else states the parameter order.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELABI_H
#define ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELABI_H

#include "KernelPlan.h"

namespace mlir::attn {

/// The tensors of the attention `plan` computes, in the caller's order:
/// the function's arguments (query, key, value), then its results (output,
/// optionally lse).
SmallVector<KernelTensorAttr> getAttentionTensors(const KernelPlan &plan);

/// The grid of one CTA per (query tile, query head, batch).
SmallVector<GridAxisAttr> getAttentionGrid(const KernelPlan &plan);

/// Split-KV's chunk count as (tensor, dimension, divisor) of the ABI's
/// tensors: ceildiv(that size, divisor). A paged cache's split needs chunks
/// of whole pages, which the emitter checks.
SmallVector<int64_t> getChunkExtent(const KernelPlan &plan);

/// The ABI of an attention kernel of `plan`: the parameters `leading` (a
/// chip's tensor maps, which go first), then every tensor as a memref
/// descriptor, with a chip's own `workspace` buffers after split-KV's; a
/// grid of one CTA per (query tile, head, batch), no cluster, launched as
/// at most `persistent` CTAs an SM looping over it when that is positive.
KernelAbiAttr buildAttentionAbi(const KernelPlan &plan,
                                ArrayRef<KernelParamAttr> leading = {},
                                int64_t persistent = 0,
                                ArrayRef<KernelTensorAttr> workspace = {});

/// The index of the tensor named `name` in `abi`, or -1.
int64_t findTensor(KernelAbiAttr abi, StringRef name);

/// Creates the kernel for `abi` at the end of `kernels`: its arguments in
/// parameter order, the ABI in `attn.abi`, tensor maps marked to be passed
/// by value.
gpu::GPUFuncOp createKernel(OpBuilder &b, Location loc, StringRef name,
                            KernelAbiAttr abi);

/// A kernel's parameters by tensor name and kind, for its emitter.
class KernelArguments {
public:
  KernelArguments(gpu::GPUFuncOp kernel, KernelAbiAttr abi)
      : kernel(kernel), abi(abi) {}

  /// The parameter of `kind` made from the tensor named `tensor`; null when
  /// there is none.
  Value get(StringRef tensor, KernelParamKind kind) const;
  Value memref(StringRef tensor) const {
    return get(tensor, KernelParamKind::memref);
  }

  gpu::GPUFuncOp kernel;
  KernelAbiAttr abi;
};

} // namespace mlir::attn

#endif // ATTN_LIB_CONVERSION_ATTNTONVGPU_KERNELABI_H
