// RUN: attn-opt %s -one-shot-bufferize="bufferize-function-boundaries" -split-input-file | FileCheck %s

// One-Shot Bufferize turns the tensor form into the buffer form: the
// destination becomes the output buffer, written in place, and the op keeps
// its mask, scale and softcap.
// CHECK-LABEL: func @in_place
//  CHECK-SAME: (%[[Q:.*]]: memref<1x4x?x64xbf16, {{.*}}>, %[[K:.*]]: memref<1x1x?x64xbf16, {{.*}}>, %[[V:.*]]: memref<1x1x?x64xbf16, {{.*}}>, %[[O:.*]]: memref<1x4x?x64xbf16, {{.*}}>, %[[L:.*]]: memref<1x4x?xf32, {{.*}}>)
//   CHECK-NOT: memref.alloc
//   CHECK-NOT: memref.copy
//       CHECK: attn.attention causal scale(1.250000e-01) softcap(5.000000e+01) ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) outs(%[[O]], %[[L]] : {{.*}}){{$}}
//       CHECK: return %[[O]], %[[L]]
func.func @in_place(%q: tensor<1x4x?x64xbf16>, %k: tensor<1x1x?x64xbf16>,
                    %v: tensor<1x1x?x64xbf16>, %o: tensor<1x4x?x64xbf16>,
                    %lse: tensor<1x4x?xf32>)
    -> (tensor<1x4x?x64xbf16>, tensor<1x4x?xf32>) {
  %0:2 = attn.attention causal scale(0.125) softcap(50.0)
           ins(%q, %k, %v : tensor<1x4x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
           outs(%o, %lse : tensor<1x4x?x64xbf16>, tensor<1x4x?xf32>)
           -> tensor<1x4x?x64xbf16>, tensor<1x4x?xf32>
  return %0#0, %0#1 : tensor<1x4x?x64xbf16>, tensor<1x4x?xf32>
}

// -----

// The destination is only written, so a tensor.empty destination becomes a
// fresh allocation with no copy into it.
// CHECK-LABEL: func @fresh_destination
//       CHECK: %[[ALLOC:.*]] = memref.alloc() {{.*}} : memref<1x4x16x64xf32>
//   CHECK-NOT: memref.copy
//       CHECK: attn.attention ins({{.*}}) outs(%[[ALLOC]] : memref<1x4x16x64xf32>)
func.func @fresh_destination(%q: tensor<1x4x16x64xf32>, %k: tensor<1x4x16x64xf32>,
                             %v: tensor<1x4x16x64xf32>) -> tensor<1x4x16x64xf32> {
  %init = tensor.empty() : tensor<1x4x16x64xf32>
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x16x64xf32>, tensor<1x4x16x64xf32>, tensor<1x4x16x64xf32>)
                      outs(%init : tensor<1x4x16x64xf32>) -> tensor<1x4x16x64xf32>
  return %0 : tensor<1x4x16x64xf32>
}
