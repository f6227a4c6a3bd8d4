// -attn-nvvm-grid-constant on the llvm.func kernels convert-gpu-to-nvvm
// leaves: the listed !llvm.ptr parameters become by-value tensor maps, the
// list goes away, and nothing else changes.
// RUN: attn-opt %s -split-input-file -attn-nvvm-grid-constant | FileCheck %s

// The tensor map first, then a memref's descriptor: only parameter 0 changes.
// CHECK-LABEL: llvm.func @first
// CHECK-SAME: (%{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<16 x i64>, nvvm.grid_constant}, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-SAME: attributes {gpu.kernel, nvvm.kernel}
// CHECK-NOT: attn.grid_constant_params
gpu.module @kernels {
  llvm.func @first(%map: !llvm.ptr, %a: !llvm.ptr, %b: !llvm.ptr, %off: i64,
                   %size: i64, %stride: i64)
      attributes {attn.grid_constant_params = array<i32: 0>, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

// Two maps after a memref (positions count lowered parameters); an existing
// alignment below the map's 64 bytes is raised, other attributes stay, and
// the body is untouched.
// CHECK-LABEL: llvm.func @after_memref
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<16 x i64>, llvm.noundef, nvvm.grid_constant}, %{{.*}}: !llvm.ptr {llvm.align = 64 : i64, llvm.byval = !llvm.array<16 x i64>, nvvm.grid_constant})
// CHECK-SAME: attributes {gpu.kernel, nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>}
// CHECK-NEXT: llvm.load %{{.*}} : !llvm.ptr -> i64
gpu.module @kernels {
  llvm.func @after_memref(%a: !llvm.ptr, %b: !llvm.ptr, %off: i64,
                          %m0: !llvm.ptr {llvm.align = 16 : i64, llvm.noundef},
                          %m1: !llvm.ptr)
      attributes {attn.grid_constant_params = array<i32: 4, 3>, gpu.kernel,
                  nvvm.kernel, nvvm.maxntid = array<i32: 128, 1, 1>} {
    %x = llvm.load %m0 : !llvm.ptr -> i64
    llvm.return
  }
}

// -----

// No list: kernels and other functions stay as they are, pointers included.
// CHECK-LABEL: llvm.func @plain
// CHECK-SAME: (%{{.*}}: !llvm.ptr {llvm.align = 64 : i64}, %{{.*}}: i64)
// CHECK-SAME: attributes {gpu.kernel, nvvm.kernel}
// CHECK-LABEL: llvm.func @helper
// CHECK-SAME: (%{{.*}}: !llvm.ptr) {
// CHECK-NOT: llvm.byval
// CHECK-NOT: nvvm.grid_constant
gpu.module @kernels {
  llvm.func @plain(%p: !llvm.ptr {llvm.align = 64 : i64}, %n: i64)
      attributes {gpu.kernel, nvvm.kernel} {
    llvm.return
  }
  llvm.func @helper(%p: !llvm.ptr) {
    llvm.return
  }
}
