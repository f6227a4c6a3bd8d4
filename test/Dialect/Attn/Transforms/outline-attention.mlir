// RUN: attn-opt %s -split-input-file -attn-outline-attention | FileCheck %s

// An attention between a producer of Q and a consumer of O moves into a
// function of its own, which builds its destination from Q's sizes; the
// caller calls it, and its destination and the sizes only that read are
// gone.
// CHECK-LABEL: func.func @layer
//  CHECK-SAME: (%[[X:.*]]: tensor<?x8x?x64xbf16>, %[[K:.*]]: tensor<?x2x?x64xbf16>, %[[V:.*]]: tensor<?x2x?x64xbf16>)
//       CHECK: %[[Q:.*]] = arith.addf %[[X]], %[[X]]
//   CHECK-NOT: tensor.empty
//       CHECK: %[[O:.*]] = call @layer_attention(%[[Q]], %[[K]], %[[V]]) : (tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16>
//       CHECK: %[[R:.*]] = arith.mulf %[[O]], %[[O]]
//       CHECK: return %[[R]]
//       CHECK: func.func private @layer_attention(%[[A0:.*]]: tensor<?x8x?x64xbf16>, %[[A1:.*]]: tensor<?x2x?x64xbf16>, %[[A2:.*]]: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16>
//   CHECK-DAG: %[[B:.*]] = tensor.dim %[[A0]], %c0
//   CHECK-DAG: %[[S:.*]] = tensor.dim %[[A0]], %c2
//       CHECK: %[[INIT:.*]] = tensor.empty(%[[B]], %[[S]]) : tensor<?x8x?x64xbf16>
//       CHECK: %[[OUT:.*]] = attn.attention causal ins(%[[A0]], %[[A1]], %[[A2]] : {{.*}}) outs(%[[INIT]] : tensor<?x8x?x64xbf16>)
//       CHECK: return %[[OUT]]
func.func @layer(%x: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                 %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %q = arith.addf %x, %x : tensor<?x8x?x64xbf16>
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  %r = arith.mulf %o, %o : tensor<?x8x?x64xbf16>
  return %r : tensor<?x8x?x64xbf16>
}

// -----

// What -attn-fuse-attention makes of a 3-D graph: reshapes around the op.
// The outlined function takes the 4-D tensors and returns O and the LSE;
// V's head dim (static here) sizes O.
// CHECK-LABEL: func.func @reshaped_with_lse
//       CHECK: %[[R:.*]]:2 = call @reshaped_with_lse_attention(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<8x1x?x64xf16>, tensor<8x1x?x64xf16>, tensor<8x1x?x32xf16>) -> (tensor<8x1x?x32xf16>, tensor<8x1x?xf32>)
//       CHECK: tensor.collapse_shape %[[R]]#0
//       CHECK: func.func private @reshaped_with_lse_attention
//       CHECK: tensor.empty(%{{.*}}) : tensor<8x1x?x32xf16>
//       CHECK: tensor.empty(%{{.*}}) : tensor<8x1x?xf32>
//       CHECK: attn.attention
//       CHECK: return %{{.*}}, %{{.*}} : tensor<8x1x?x32xf16>, tensor<8x1x?xf32>
func.func @reshaped_with_lse(%q: tensor<8x?x64xf16>, %k: tensor<8x?x64xf16>, %v: tensor<8x?x32xf16>,
                             %n: index) -> (tensor<8x?x32xf16>, tensor<8x1x?xf32>) {
  %q4 = tensor.expand_shape %q [[0, 1], [2], [3]] output_shape [8, 1, %n, 64] : tensor<8x?x64xf16> into tensor<8x1x?x64xf16>
  %k4 = tensor.expand_shape %k [[0, 1], [2], [3]] output_shape [8, 1, %n, 64] : tensor<8x?x64xf16> into tensor<8x1x?x64xf16>
  %v4 = tensor.expand_shape %v [[0, 1], [2], [3]] output_shape [8, 1, %n, 32] : tensor<8x?x32xf16> into tensor<8x1x?x32xf16>
  %init = tensor.empty(%n) : tensor<8x1x?x32xf16>
  %linit = tensor.empty(%n) : tensor<8x1x?xf32>
  %o, %lse = attn.attention ins(%q4, %k4, %v4 : tensor<8x1x?x64xf16>, tensor<8x1x?x64xf16>, tensor<8x1x?x32xf16>)
               outs(%init, %linit : tensor<8x1x?x32xf16>, tensor<8x1x?xf32>) -> tensor<8x1x?x32xf16>, tensor<8x1x?xf32>
  %o3 = tensor.collapse_shape %o [[0, 1], [2], [3]] : tensor<8x1x?x32xf16> into tensor<8x?x32xf16>
  return %o3, %lse : tensor<8x?x32xf16>, tensor<8x1x?xf32>
}

// -----

// Two attentions in one function get a function each; a taken name gets a
// number.
// CHECK-LABEL: func.func @two
//       CHECK: %[[A:.*]] = call @two_attention_0(
//       CHECK: call @two_attention_1(%[[A]],
//       CHECK: func.func private @two_attention_0(
//       CHECK: func.func private @two_attention_1(
//       CHECK: func.func private @two_attention(
func.func @two(%q: tensor<1x1x16x64xbf16>, %k: tensor<1x1x16x64xbf16>,
               %v: tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16> {
  %i0 = tensor.empty() : tensor<1x1x16x64xbf16>
  %a = attn.attention ins(%q, %k, %v : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>)
         outs(%i0 : tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>
  %i1 = tensor.empty() : tensor<1x1x16x64xbf16>
  %b = attn.attention causal ins(%a, %k, %v : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>)
         outs(%i1 : tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>
  return %b : tensor<1x1x16x64xbf16>
}
func.func private @two_attention(tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>

// -----

// Left alone: a function that is only the attention (it becomes the kernel
// under its own name), and a bufferized attention, which writes its
// destination in place.
// CHECK-LABEL: func.func @only_the_attention
//   CHECK-NOT: call
//       CHECK: attn.attention
// CHECK-LABEL: func.func @bufferized
//   CHECK-NOT: call
//       CHECK: attn.attention
//   CHECK-NOT: func.func private
func.func @only_the_attention(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x4x?x64xbf16>,
                              %v: tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}
func.func @bufferized(%q: memref<1x1x16x64xf32>, %k: memref<1x1x16x64xf32>,
                      %v: memref<1x1x16x64xf32>, %o: memref<1x1x16x64xf32>) {
  attn.attention ins(%q, %k, %v : memref<1x1x16x64xf32>, memref<1x1x16x64xf32>, memref<1x1x16x64xf32>)
    outs(%o : memref<1x1x16x64xf32>)
  return
}

// -----

// A paged attention takes its block table and lengths into the outlined
// function too.
// CHECK-LABEL: func.func @paged_layer
//  CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x8x1x64xbf16>, %[[K:[^:]*]]: tensor<?x16x2x64xbf16>, %[[V:[^:]*]]: tensor<?x16x2x64xbf16>, %[[T:[^:]*]]: tensor<?x?xi32>, %[[N:[^:]*]]: tensor<?xi32>)
//       CHECK: %[[O:.*]] = call @paged_layer_attention(%[[Q]], %[[K]], %[[V]], %[[T]], %[[N]])
//       CHECK: arith.negf %[[O]]
//       CHECK: func.func private @paged_layer_attention(%[[A0:[^:]*]]: tensor<?x8x1x64xbf16>, %[[A1:[^:]*]]: tensor<?x16x2x64xbf16>, %[[A2:[^:]*]]: tensor<?x16x2x64xbf16>, %[[A3:[^:]*]]: tensor<?x?xi32>, %[[A4:[^:]*]]: tensor<?xi32>)
//       CHECK: attn.attention causal ins(%[[A0]], %[[A1]], %[[A2]] : {{.*}}) paged(%[[A3]], %[[A4]] : tensor<?x?xi32>, tensor<?xi32>)
func.func @paged_layer(%q: tensor<?x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>,
                       %t: tensor<?x?xi32>, %n: tensor<?xi32>) -> tensor<?x8x1x64xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x1x64xbf16>
  %init = tensor.empty(%b) : tensor<?x8x1x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>)
         paged(%t, %n : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x8x1x64xbf16>) -> tensor<?x8x1x64xbf16>
  %r = arith.negf %o : tensor<?x8x1x64xbf16>
  return %r : tensor<?x8x1x64xbf16>
}
