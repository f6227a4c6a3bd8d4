// The smallest sm_90a TMA kernel with its tensor map passed by value as a
// __grid_constant__ parameter (-attn-nvvm-grid-constant in the NVVM
// pipeline): thread 0 loads one 64x64 bf16 box with 128B swizzle into
// dynamic shared memory on an mbarrier, every thread waits on it, then the
// 128 threads copy the raw shared tile to %out. Read unswizzled, the output
// shows the swizzle: out[r][c] == in[r][((c / 8) ^ (r % 8)) * 8 + c % 8].
//
// Launch: grid 1x1x1, 128 threads, 8192 bytes of dynamic shared memory.
// Parameters: 0 is the 128-byte CUtensorMap itself (bf16, dims {64, 64}
// innermost first, box {64, 64}, SWIZZLE_128B, OOB fill none), 1-7 the
// descriptor of %out (allocated and aligned pointer, offset, sizes, strides).
//
// REQUIRES: libdevice
// RUN: attn-opt %s -attn-lower-to-nvvm-pipeline="chip=sm_90a" -o %t.mlir
// RUN: %attn_python %S/../Inputs/gpu_binary_ptx.py %t.mlir > %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: FileCheck %s --check-prefix=IN-PLACE < %t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// The driver serialises the kernel's attn.abi into a format-2 manifest with
// the tensor map; scripts/gpu-suite.sh runs the artifact on a Hopper GPU
// with attn-tensor-map-check (the runtime encodes the map).
// RUN: %if ptxas %{ rm -rf %t.art && attn-compile %s --chip=sm_90a -o %t.art && FileCheck %s --check-prefix=MANIFEST < %t.art/tma_grid_constant.json %}
// MANIFEST: "capability": 90
// MANIFEST: "format": 2
// MANIFEST: "kind": "tensor_map",
// MANIFEST-NEXT: "oob_fill": "zero",
// MANIFEST-NEXT: "swizzle": 128,
// MANIFEST-NEXT: "tensor": 0

// CHECK: .target sm_90a
// CHECK: .extern .shared .align 1024 .b8 tma_dynamic_smem[];
// CHECK: .entry tma_grid_constant(
// CHECK-NEXT: .param .align 64 .b8 tma_grid_constant_param_0[128],
// CHECK-NEXT: .param .u64 .ptr .align 1 tma_grid_constant_param_1,
// CHECK: .maxntid 128, 1, 1
// The map is read in place: its parameter-space address, made generic, is
// the TMA's operand.
// CHECK: mov.b64 %[[MAP:rd[0-9]+]], tma_grid_constant_param_0;
// CHECK: cvta.param.u64 %[[GMAP:rd[0-9]+]], %[[MAP]];
// CHECK: mbarrier.init.shared.b64
// CHECK: mbarrier.arrive.expect_tx.shared.b64
// CHECK: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [{{.*}}], [%[[GMAP]], {
// CHECK: mbarrier.try_wait.parity.shared.b64
// CHECK: ld.shared.b16
// CHECK: st.global.b16

// Not loaded as a pointer value, not copied to local memory.
// IN-PLACE-NOT: [tma_grid_constant_param_0]
// IN-PLACE-NOT: .local

// Nothing copied to local memory (a byval map without grid_constant is).
// PTXAS: Compiling entry function 'tma_grid_constant' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

!tile = memref<64x64xbf16, 3>
!tmap = !nvgpu.tensormap.descriptor<tensor = !tile, swizzle = swizzle_128b,
                                    l2promo = none, oob = zero,
                                    interleave = none>
!bars = !nvgpu.mbarrier.group<memorySpace = 3, num_barriers = 1>
!out = memref<64x64xbf16, strided<[?, 1], offset: ?>>

module attributes {gpu.container_module} {
  gpu.module @tma_grid_constant_kernels {
    memref.global "public" @tma_dynamic_smem : memref<0xi8, 3>
        {alignment = 1024 : i64}

    gpu.func @tma_grid_constant(%map: !llvm.ptr, %out: !out) kernel
        attributes {attn.abi = #attn.kernel_abi<
                      tensors = [<name = "input", type = tensor<64x64xbf16>>,
                                 <name = "output", type = tensor<64x64xbf16>>],
                      params = [<kind = tensor_map, tensor = 0, box = [64, 64],
                                 swizzle = 128>,
                                <kind = memref, tensor = 1>],
                      grid = [<tensor = 0, dim = 0, divisor = 64>,
                              <tensor = 0, dim = 1, divisor = 64>,
                              <tensor = 1, dim = 0, divisor = 64>],
                      cluster = [1, 1, 1]>,
                    attn.dynamic_shared_memory = 8192 : i64,
                    attn.grid_constant_params = array<i32: 0>,
                    known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c64 = arith.constant 64 : index
      %c128 = arith.constant 128 : index
      %c4096 = arith.constant 4096 : index
      %tile_bytes = arith.constant 8192 : index
      %ticks = arith.constant 10000000 : index
      %phase0 = arith.constant false
      %tm = builtin.unrealized_conversion_cast %map : !llvm.ptr to !tmap

      %global = memref.get_global @tma_dynamic_smem : memref<0xi8, 3>
      %smem = memref.cast %global : memref<0xi8, 3> to memref<?xi8, 3>
      %tile = memref.view %smem[%c0][] : memref<?xi8, 3> to !tile

      %tid = gpu.thread_id x
      %first = arith.cmpi eq, %tid, %c0 : index
      %bar = nvgpu.mbarrier.create -> !bars
      nvgpu.mbarrier.init %bar[%c0], %c1, predicate = %first : !bars
      gpu.barrier
      scf.if %first {
        nvgpu.mbarrier.arrive.expect_tx %bar[%c0], %tile_bytes : !bars
        // Coordinates innermost first: column 0, row 0.
        nvgpu.tma.async.load %tm[%c0, %c0], %bar[%c0] to %tile
            : !tmap, !bars -> !tile
      }
      nvgpu.mbarrier.try_wait.parity %bar[%c0], %phase0, %ticks : !bars

      // Element i = r * 64 + c, 32 per thread, neighbouring threads on
      // neighbouring columns.
      scf.for %i = %tid to %c4096 step %c128 {
        %r = arith.divui %i, %c64 : index
        %c = arith.remui %i, %c64 : index
        %v = memref.load %tile[%r, %c] : !tile
        memref.store %v, %out[%r, %c] : !out
      }
      gpu.return
    }
  }
}
