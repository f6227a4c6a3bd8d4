// Why the mark is a function attribute: MLIR 22.1's convert-gpu-to-nvvm
// keeps a gpu.func's function attributes on the llvm.func, but of the
// argument attributes only a fixed list of llvm.* ones (llvm.align
// survives; llvm.byval and a discardable attn.* argument attribute do not).
// Written on the gpu.func, the list reaches -attn-nvvm-grid-constant.
// RUN: attn-opt %s -pass-pipeline='builtin.module(gpu.module(convert-gpu-to-nvvm))' | FileCheck %s --check-prefix=LOWERED
// RUN: attn-opt %s -pass-pipeline='builtin.module(gpu.module(convert-gpu-to-nvvm,attn-nvvm-grid-constant))' | FileCheck %s

// LOWERED: llvm.func @tensor_map_first(%{{.*}}: !llvm.ptr {llvm.align = 64 : i64}, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// LOWERED-SAME: attn.grid_constant_params = array<i32: 0>

// The map first, then the 7 parameters of a rank-2 memref.
// CHECK: llvm.func @tensor_map_first(%{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<16 x i64>, nvvm.grid_constant}, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-NOT: attn.grid_constant_params
// CHECK-SAME: gpu.kernel
// CHECK-SAME: nvvm.kernel
gpu.module @kernels {
  gpu.func @tensor_map_first(
      %map: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<16 x i64>,
                       attn.grid_constant},
      %out: memref<64x64xbf16>) kernel
      attributes {attn.grid_constant_params = array<i32: 0>} {
    gpu.return
  }
}
