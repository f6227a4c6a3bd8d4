// RUN: attn-opt %s -split-input-file | attn-opt -split-input-file | FileCheck %s
// RUN: attn-opt %s -split-input-file -mlir-print-op-generic | attn-opt -split-input-file | FileCheck %s

// The default form: no mask, default scale, static shapes.
// CHECK-LABEL: func @plain
// CHECK: attn.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%{{.*}} : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
func.func @plain(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>,
                 %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>)
    -> tensor<1x4x128x64xbf16> {
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>)
                      outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return %0 : tensor<1x4x128x64xbf16>
}

// -----

// Causal GQA with dynamic batch and sequence lengths.
// CHECK-LABEL: func @causal_gqa
// CHECK: attn.attention causal ins({{.*}} : tensor<?x8x?x128xf16>, tensor<?x2x?x128xf16>, tensor<?x2x?x128xf16>) outs({{.*}} : tensor<?x8x?x128xf16>) -> tensor<?x8x?x128xf16>
func.func @causal_gqa(%q: tensor<?x8x?x128xf16>, %k: tensor<?x2x?x128xf16>,
                      %v: tensor<?x2x?x128xf16>, %o: tensor<?x8x?x128xf16>)
    -> tensor<?x8x?x128xf16> {
  %0 = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x128xf16>, tensor<?x2x?x128xf16>, tensor<?x2x?x128xf16>)
         outs(%o : tensor<?x8x?x128xf16>) -> tensor<?x8x?x128xf16>
  return %0 : tensor<?x8x?x128xf16>
}

// -----

// Sliding window, explicit scale and softcap, log-sum-exp, dynamic heads and
// a value head dim that differs from the query/key one.
// CHECK-LABEL: func @window_lse
// CHECK: %{{.*}}:2 = attn.attention sliding_window(left = 256, right = 0) scale(1.250000e-01) softcap(3.000000e+01) ins({{.*}}) outs(%{{.*}}, %{{.*}} : tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>) -> tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>
func.func @window_lse(%q: tensor<2x?x100x64xbf16>, %k: tensor<2x?x300x64xbf16>,
                      %v: tensor<2x?x300x128xbf16>, %o: tensor<2x?x100x128xbf16>,
                      %lse: tensor<2x?x100xf32>)
    -> (tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>) {
  %0:2 = attn.attention sliding_window(left = 256, right = 0) scale(0.125) softcap(30.0)
           ins(%q, %k, %v : tensor<2x?x100x64xbf16>, tensor<2x?x300x64xbf16>, tensor<2x?x300x128xbf16>)
           outs(%o, %lse : tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>)
           -> tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>
  return %0#0, %0#1 : tensor<2x?x100x128xbf16>, tensor<2x?x100xf32>
}

// -----

// The buffer form writes its destinations and returns nothing; f32 inputs
// with a bf16 output.
// CHECK-LABEL: func @buffers
// CHECK: attn.attention causal ins({{.*}} : memref<1x4x?x64xf32>, memref<1x1x?x64xf32>, memref<1x1x?x64xf32>) outs({{.*}} : memref<1x4x?x64xbf16>, memref<1x4x?xf32>)
// CHECK-NOT: ->
// CHECK: return
func.func @buffers(%q: memref<1x4x?x64xf32>, %k: memref<1x1x?x64xf32>,
                   %v: memref<1x1x?x64xf32>, %o: memref<1x4x?x64xbf16>,
                   %lse: memref<1x4x?xf32>) {
  attn.attention causal
    ins(%q, %k, %v : memref<1x4x?x64xf32>, memref<1x1x?x64xf32>, memref<1x1x?x64xf32>)
    outs(%o, %lse : memref<1x4x?x64xbf16>, memref<1x4x?xf32>)
  return
}

// -----

// The merge of split-KV partial results, with and without the LSE, on
// tensors and on buffers.
// CHECK-LABEL: func @combine_splits
// CHECK: attn.combine_splits ins(%{{.*}}, %{{.*}} : tensor<?x2x8x?x128xf32>, tensor<?x2x8x?xf32>) outs(%{{.*}}, %{{.*}} : tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>) -> tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>
// CHECK: attn.combine_splits ins(%{{.*}}, %{{.*}} : memref<4x2x8x1x128xf32>, memref<4x2x8x1xf32>) outs(%{{.*}} : memref<2x8x1x128xf16>)
func.func @combine_splits(%po: tensor<?x2x8x?x128xf32>, %pl: tensor<?x2x8x?xf32>,
                          %o: tensor<2x8x?x128xbf16>, %l: tensor<2x8x?xf32>,
                          %bpo: memref<4x2x8x1x128xf32>, %bpl: memref<4x2x8x1xf32>,
                          %bo: memref<2x8x1x128xf16>)
    -> (tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>) {
  %0:2 = attn.combine_splits ins(%po, %pl : tensor<?x2x8x?x128xf32>, tensor<?x2x8x?xf32>)
                             outs(%o, %l : tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>)
                             -> tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>
  attn.combine_splits ins(%bpo, %bpl : memref<4x2x8x1x128xf32>, memref<4x2x8x1xf32>)
                      outs(%bo : memref<2x8x1x128xf16>)
  return %0#0, %0#1 : tensor<2x8x?x128xbf16>, tensor<2x8x?xf32>
}

// -----

// A paged K/V cache: pages [P, page_size, Hkv, D], a block table and the
// lengths, on tensors and on buffers.
// CHECK-LABEL: func @paged
// CHECK: attn.attention causal ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x32x1x128xbf16>, tensor<?x64x8x128xbf16>, tensor<?x64x8x128xbf16>) paged(%{{.*}}, %{{.*}} : tensor<8x?xi32>, tensor<8xi32>) outs(%{{.*}} : tensor<8x32x1x128xbf16>) -> tensor<8x32x1x128xbf16>
func.func @paged(%q: tensor<8x32x1x128xbf16>, %k: tensor<?x64x8x128xbf16>, %v: tensor<?x64x8x128xbf16>, %t: tensor<8x?xi32>, %n: tensor<8xi32>, %o: tensor<8x32x1x128xbf16>) -> tensor<8x32x1x128xbf16> {
  %0 = attn.attention causal ins(%q, %k, %v : tensor<8x32x1x128xbf16>, tensor<?x64x8x128xbf16>, tensor<?x64x8x128xbf16>) paged(%t, %n : tensor<8x?xi32>, tensor<8xi32>) outs(%o : tensor<8x32x1x128xbf16>) -> tensor<8x32x1x128xbf16>
  return %0 : tensor<8x32x1x128xbf16>
}

// CHECK-LABEL: func @paged_buffers
// CHECK: attn.attention ins({{.*}}) paged(%{{.*}}, %{{.*}} : memref<?x?xi32>, memref<?xi32>) outs(%{{.*}} : memref<?x4x1x64xf16>)
func.func @paged_buffers(%q: memref<?x4x1x64xf16>, %k: memref<?x16x2x64xf16>, %v: memref<?x16x2x64xf16>, %t: memref<?x?xi32>, %n: memref<?xi32>, %o: memref<?x4x1x64xf16>) {
  attn.attention ins(%q, %k, %v : memref<?x4x1x64xf16>, memref<?x16x2x64xf16>, memref<?x16x2x64xf16>) paged(%t, %n : memref<?x?xi32>, memref<?xi32>) outs(%o : memref<?x4x1x64xf16>)
  return
}
