//===- Passes.td - attn conversion passes ------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_PASSES_TD
#define ATTN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnToLinalgPass : Pass<"convert-attn-to-linalg"> {
  let summary = "Lower attn.attention to the naive reference computation in linalg";
  let description = [{
    Replaces every `attn.attention` with the computation that defines it,
    written in `linalg.generic`, `linalg.fill` and `arith`/`math` ops: the full
    score matrix `S = Q K^T`, the scale, softcap and mask, a row max, `exp`, a
    row sum, `P V`, and the division by the row sum. Everything is computed in
    `f32`. A query row with no visible key gives zeros (and `-inf` for the
    log-sum-exp). Grouped-query attention is expressed by viewing the query
    heads as `[Hkv, Hq / Hkv]`, so key/value heads are indexed without
    division and dynamic head counts work.

    This is the executable definition of attention: it is meant for the CPU
    and for checking every optimized lowering, not for speed. It works on
    tensors and on memrefs alike. A paged K/V cache is first gathered into
    contiguous `[B, Hkv, max_pages * page_size, D]` keys and values through
    the block table (keys past a batch's length read as zero), and the mask
    of each batch is aligned to its own length and hides the keys past it.

    The tile-level ops of levels L2 to L4 are lowered too, one `linalg`
    computation each, so a tiled, online or pipelined grid runs on the CPU:
    the pipeline's copies become plain tile loads, futures their tiles, waits
    nothing, and rings disappear.

    Before:

    ```mlir
    %o = attn.attention causal
           ins(%q, %k, %v : tensor<1x4x64x32xf32>, tensor<1x1x64x32xf32>,
                            tensor<1x1x64x32xf32>)
           outs(%init : tensor<1x4x64x32xf32>) -> tensor<1x4x64x32xf32>
    ```

    After (abridged):

    ```mlir
    %q5 = tensor.expand_shape %q [[0], [1, 2], [3], [4]] ...
        : tensor<1x4x64x32xf32> into tensor<1x1x4x64x32xf32>
    %s = linalg.generic {... iterator_types = [parallel x 5, reduction]}
           ins(%q5, %k ...) outs(%zero : tensor<1x1x4x64x64xf32>)  // Q K^T
    %masked = linalg.generic ... // scale, softcap, -inf where masked
    %m = linalg.generic ...      // row max
    %p = linalg.generic ...      // exp(s - m)
    %l = linalg.generic ...      // row sum
    %pv = linalg.generic ...     // P V
    %o5 = linalg.generic ...     // pv / l, or 0 for rows that see no key
    %o = tensor.collapse_shape %o5 [[0], [1, 2], [3], [4]] ...
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertAttnToNVGPUPass : Pass<"convert-attn-to-nvgpu", "::mlir::ModuleOp"> {
  let summary = "Lower the scheduled attention grid to a GPU kernel in gpu/nvgpu/nvvm";
  let description = [{
    Turns each function that holds a scheduled attention grid (the
    `scf.forall` with an `#attn.schedule`, after `-attn-fuse-online-softmax`
    and `-attn-pipeline-async`) into a `gpu.func` kernel in the `gpu.module @attn_kernels`, and
    erases the function. The kernel takes Q, K, V, O and (when the function
    returns it) the LSE as strided memrefs, in that order; batch, head counts,
    sequence lengths and strides are read from them at run time. It runs one
    block per (query tile, head, batch): grid
    `(ceildiv(Sq, tile_m), heads, batch)`, `32 * warps` threads, and the
    dynamic shared memory recorded in `attn.dynamic_shared_memory`; the
    query tile (the grid's x divisor) is recorded in `attn.query_tile`.

    For `chip=sm_80` the kernel is FlashAttention-2 on `mma.sync` m16n8k16.
    The pipeline is lowered as the IR states it: each ring is a region of
    dynamic shared memory, each `attn.copy_tile_async` is `cp.async` (16
    bytes per thread, zero-filled past the sequence) in a commit group of
    its own, each `attn.wait_tile` is `cp.async.wait_group` with its
    `pending` count followed by a barrier, and a future is the index of its
    slot, carried by the kernel's loop. Then `ldmatrix` fragments (transposed for V), the online softmax in registers
    with quad shuffles and `exp2`, P reused from the S accumulators, and a
    coalesced store of O through shared memory. Register positions come from
    one description of the mma.sync layouts (Target/SM80/MmaSyncLayout.h).

    For `chip=sm_90a` the kernel has FlashAttention-3's structure and is
    lowered from the warp-specialised form (`-attn-warp-specialize`): a
    producer warpgroup (setmaxnreg down, one elected thread) lowers the
    producer role's channel ops to TMA loads into 128-byte-swizzled shared
    memory on full/empty mbarriers (acquire waits on "empty" with the
    inverse phase, commit expects the copies' bytes on "full"); the consumer
    warpgroups (setmaxnreg up, 64 query rows each) wait on "full", compute
    S = Q K^T with wgmma from shared memory and O += P V with P from
    registers, and release slots on "empty". Q, K and V are passed as tensor
    maps (by value) before the memrefs. `wait-timeout-ms` turns every
    barrier wait into a bounded loop that prints and traps.

    Functions must have the scheduled form with Q, K, V as arguments and the
    grid's results returned; anything else is reported with a located error.
    sm_100a builds the same producer and TMA channels with one consumer
    warpgroup per 128 query rows: tcgen05.mma with S and O in tensor memory
    (allocated by one warp, freed at the end), each product committed to the
    warpgroup's mbarrier and waited for, S loaded to registers for the
    softmax, P stored over S for O += P V, O rescaled and written from
    tensor memory. It takes no persistent, overlapped or ping-pong schedule
    yet.

    Before (abridged, L4):

    ```mlir
    func.func @attention(%q: tensor<?x8x?x64xbf16>, ...) -> tensor<?x8x?x64xbf16> {
      %o = scf.forall (%t, %h, %b) in (...) shared_outs(%out = %init) ... {
        %qr = attn.alloc_ring : !attn.ring<1, tensor<128x64xbf16>>
        ...
        %qt = attn.wait_tile %qf pending(2) : !attn.future<tensor<128x64xbf16>>
        %r:5 = scf.for %col = ... iter_args(%acc, %l, %m, %kf, %vf) { ... }
        ...
      } {attn.schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
      return %o
    }
    ```

    After (abridged):

    ```mlir
    module attributes {gpu.container_module} {
      gpu.module @attn_kernels {
        memref.global "public" @attn_dynamic_smem : memref<0xi8, 3>
        gpu.func @attention(%q: memref<?x8x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, ...)
            kernel attributes {attn.dynamic_shared_memory = 49152 : i64,
                               attn.query_tile = 128 : i64,
                               known_block_size = array<i32: 256, 1, 1>} {
          ... nvgpu.device_async_copy ... nvgpu.ldmatrix ... nvvm.mma.sync ...
        }
      }
    }
    ```
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "Target chip: sm_80, sm_90a or sm_100a">,
    Option<"waitTimeoutMs", "wait-timeout-ms", "int64_t", /*default=*/"0",
           "Debug mode of the sm_90a kernel: every mbarrier wait gives up "
           "after this many milliseconds, prints which barrier and traps "
           "(0, the default: waits are unbounded)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AttnNVVMGridConstantPass : Pass<"attn-nvvm-grid-constant"> {
  let summary = "Pass marked kernel parameters by value, as grid-constant tensor maps";
  let description = [{
    A TMA tensor map (`CUtensorMap`, 128 bytes) is best passed to a kernel by
    value, as a `__grid_constant__` parameter, the CUDA and CUTLASS
    convention: `.param .align 64 .b8 name[128]`, read in place through
    `cvta.param`. MLIR 22.1 cannot say that on a `gpu.func`:
    `nvvm.grid_constant` on its argument fails verification, and
    `convert-gpu-to-nvvm` drops `llvm.byval` (and every argument attribute
    outside a fixed list of `llvm.*` ones). It keeps function attributes, so
    the kernel lists the parameters in `attn.grid_constant_params`, and this
    pass, run on the `llvm.func` kernels after `convert-gpu-to-nvvm`, gives
    each listed `!llvm.ptr` parameter `llvm.byval = !llvm.array<16 x i64>`,
    `nvvm.grid_constant` and `llvm.align = 64`, then drops the list. Without
    `nvvm.grid_constant` the NVPTX backend copies a byval parameter to local
    memory, where TMA cannot read it.

    Positions count the lowered parameters (the PTX `_param_N` numbers): a
    memref argument lowers to 3 + 2 * rank parameters, so it shifts the
    positions of the arguments after it. Put tensor maps first and the
    position is the argument's index.

    The kernel takes the pointer as `!llvm.ptr` and casts it to the
    `!nvgpu.tensormap.descriptor` with `builtin.unrealized_conversion_cast`.
    The host passes a pointer to the 128-byte map itself in the launch's
    parameter array.

    Functions without the list are left alone. A listed parameter that is
    out of range, listed twice or not an `!llvm.ptr`, a list on a function
    that is not a kernel, and a list still on a `gpu.func` (this pass runs
    after `convert-gpu-to-nvvm`) are located errors.

    Before (`gpu.func @k(%map: !llvm.ptr, %out: memref<...>) kernel
    attributes {attn.grid_constant_params = array<i32: 0>}` after
    `convert-gpu-to-nvvm`):

    ```mlir
    llvm.func @k(%arg0: !llvm.ptr, %arg1: !llvm.ptr, ...)
        attributes {attn.grid_constant_params = array<i32: 0>, gpu.kernel,
                    nvvm.kernel}
    ```

    After:

    ```mlir
    llvm.func @k(%arg0: !llvm.ptr {llvm.align = 64 : i64,
                                   llvm.byval = !llvm.array<16 x i64>,
                                   nvvm.grid_constant},
                 %arg1: !llvm.ptr, ...)
        attributes {gpu.kernel, nvvm.kernel}
    ```
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::NVVM::NVVMDialect",
  ];
}

#endif // ATTN_CONVERSION_PASSES_TD
