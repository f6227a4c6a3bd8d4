// The sm_80 kernel for head dims that are not whole 64-element rows: Q and
// K rows of 72 (loaded as 12 chunks of 8, the last three zero-filled, in
// shared rows of 128 so the eight-chunk swizzle stays in the row), V and O
// rows of 40 (8 chunks, 5 with data, shared rows of 64).
// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --implicit-check-not=gpu.grid_dim

// CHECK-LABEL: gpu.func @padded
//  CHECK-SAME: attn.dynamic_shared_memory = 81920 : i64
// The rings (128 x 64 tiles at head dim 72): Q [1 x 128 x 128], K
// [2 x 64 x 128], V [2 x 64 x 64]; O staged in [128 x 64].
//   CHECK-DAG: memref.view {{.*}} to memref<1x128x128xbf16, 3>
//   CHECK-DAG: memref.view {{.*}} to memref<2x64x128xbf16, 3>
//   CHECK-DAG: memref.view {{.*}} to memref<2x64x64xbf16, 3>
//   CHECK-DAG: memref.view {{.*}} to memref<128x64xbf16, 3>
// Chunks past the head dim copy zero bytes (Q, K: columns from 72; V and
// the output stores: from 40).
//       CHECK: arith.cmpi ult, %{{.*}}, %c72 : index
//       CHECK: nvgpu.device_async_copy
//       CHECK: arith.cmpi ult, %{{.*}}, %c40 : index
func.func @padded(%q: tensor<?x4x?x72xbf16>, %k: tensor<?x2x?x72xbf16>,
                  %v: tensor<?x2x?x40xbf16>) -> tensor<?x4x?x40xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x72xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x72xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x40xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x4x?x72xbf16>, tensor<?x2x?x72xbf16>, tensor<?x2x?x40xbf16>)
         outs(%init : tensor<?x4x?x40xbf16>) -> tensor<?x4x?x40xbf16>
  return %o : tensor<?x4x?x40xbf16>
}
