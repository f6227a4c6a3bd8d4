// The sm_80 kernel's ldmatrix columns for the MMA steps of Q K^T. Above head
// dim 128 a lane's swizzled column is computed once and each 16-column step
// XORs its columns inside the 64-element group into it (offset 16: 16; the
// step at column 64 adds a whole group after the swizzle); up to head dim
// 128 each step swizzles its own column (lane column + offset).
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 -canonicalize -cse | FileCheck %s

// CHECK-LABEL: gpu.func @d128
//       CHECK: scf.for
//   CHECK-NOT: arith.xori %{{.*}}, %c{{[0-9]+}} : index
//       CHECK: nvgpu.ldmatrix {{.*}} : memref<1x128x128xbf16, 3>
//   CHECK-NOT: arith.xori %{{.*}}, %c{{[0-9]+}} : index
//       CHECK: gpu.return
func.func @d128(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x8x?x128xbf16>,
                %v: tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x128xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}

// -----

// CHECK-LABEL: gpu.func @d256
//       CHECK: scf.for
//       CHECK: %[[LANE:.*]] = arith.xori %{{.*}}, %{{.*}} : index
//       CHECK: %[[SCALED0:.*]] = arith.muli %[[LANE]], %c8 : index
//  CHECK-NEXT: %[[COL0:.*]] = arith.addi %[[SCALED0]], %{{.*}} : index
//  CHECK-NEXT: nvgpu.ldmatrix %{{.*}}[%{{.*}}, %{{.*}}, %[[COL0]]] {{.*}} : memref<1x128x256xbf16, 3>
//       CHECK: %[[COL:.*]] = arith.xori %[[COL0]], %c16 : index
//  CHECK-NEXT: nvgpu.ldmatrix %{{.*}}[%{{.*}}, %{{.*}}, %[[COL]]] {{.*}} : memref<1x128x256xbf16, 3>
//       CHECK: %[[NEXT:.*]] = arith.addi %[[COL0]], %c64 : index
//  CHECK-NEXT: nvgpu.ldmatrix %{{.*}}[%{{.*}}, %{{.*}}, %[[NEXT]]] {{.*}} : memref<1x128x256xbf16, 3>
func.func @d256(%q: tensor<?x8x?x256xbf16>, %k: tensor<?x8x?x256xbf16>,
                %v: tensor<?x8x?x256xbf16>) -> tensor<?x8x?x256xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x256xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x256xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x256xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x256xbf16>, tensor<?x8x?x256xbf16>, tensor<?x8x?x256xbf16>)
         outs(%init : tensor<?x8x?x256xbf16>) -> tensor<?x8x?x256xbf16>
  return %o : tensor<?x8x?x256xbf16>
}
