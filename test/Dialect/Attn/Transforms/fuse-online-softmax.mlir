// RUN: attn-opt %s -split-input-file -attn-tile="tile-m=64 tile-n=32" -attn-fuse-online-softmax | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-tile="tile-m=64 tile-n=32" -attn-fuse-online-softmax="rescale-threshold=8" | FileCheck %s --check-prefix=LAZY
// RUN: attn-opt %s -split-input-file -attn-tile="tile-m=64 tile-n=32" -attn-fuse-online-softmax="exp2-emulation=4 exp2-degree=5" | FileCheck %s --check-prefix=POLY

// The max loop is gone; the one K/V loop carries (acc, l, m), moves to base
// 2 (scale * log2(e) = 0.125 * 1.4427 = 0.18034), rescales l and acc by
// alpha = exp2(m_old - m_new), and the LSE after the loop reads the final m.
// CHECK-LABEL: func.func @causal_lse
//   CHECK-DAG: %[[NEG_INF:.*]] = arith.constant dense<0xFF800000> : tensor<64xf32>
//   CHECK-DAG: %[[ZERO_ACC:.*]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32>
//   CHECK-DAG: %[[ZERO_L:.*]] = arith.constant dense<0.000000e+00> : tensor<64xf32>
//       CHECK: %[[LOOP:.*]]:3 = scf.for %[[COL:.*]] = %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO_ACC]], %[[L:.*]] = %[[ZERO_L]], %[[M:.*]] = %[[NEG_INF]])
//  CHECK-SAME:     -> (tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>)
//       CHECK:   %[[S:.*]] = attn.qk_matmul
//       CHECK:   %[[SM:.*]] = attn.mask_scores %[[S]] {{.*}} causal scale(0.180336878) : tensor<64x32xf32>
//       CHECK:   %[[M1:.*]] = attn.row_max %[[SM]], %[[M]] : tensor<64x32xf32>, tensor<64xf32>
//       CHECK:   %[[ALPHA:.*]] = attn.row_exp %[[M]], %[[M1]] base2 : tensor<64xf32>, tensor<64xf32>
//       CHECK:   %[[P:.*]] = attn.row_exp %[[SM]], %[[M1]] base2 : tensor<64x32xf32>, tensor<64xf32>
//       CHECK:   %[[LS:.*]] = attn.row_scale %[[L]], %[[ALPHA]] : tensor<64xf32>, tensor<64xf32>
//       CHECK:   %[[L1:.*]] = attn.row_sum %[[P]], %[[LS]]
//       CHECK:   %[[VT:.*]] = attn.load_tile
//       CHECK:   %[[AS:.*]] = attn.row_scale %[[ACC]], %[[ALPHA]] : tensor<64x64xf32>, tensor<64xf32>
//       CHECK:   %[[A1:.*]] = attn.pv_matmul %[[P]], %[[VT]], %[[AS]]
//       CHECK:   scf.yield %[[A1]], %[[L1]], %[[M1]]
//   CHECK-NOT: scf.for
//       CHECK: attn.normalize %[[LOOP]]#0, %[[LOOP]]#1
//       CHECK: attn.lse %[[LOOP]]#2, %[[LOOP]]#1 base2 : tensor<64xf32>
// With a threshold, the running maximum is FlashAttention-4's lazy one.
// With exp2-emulation, the score exponentials (not the rescale factors)
// take one score in four by the polynomial.
//  POLY-LABEL: func.func @causal_lse
//       POLY:   attn.row_exp %{{.*}}, %{{.*}} base2 : tensor<64xf32>, tensor<64xf32>
//       POLY:   attn.row_exp %{{.*}}, %{{.*}} base2 poly_exp2(every 4, degree 5) : tensor<64x32xf32>, tensor<64xf32>
//  LAZY-LABEL: func.func @causal_lse
//       LAZY:   attn.row_max %{{.*}}, %{{.*}} threshold(8.000000e+00) : tensor<64x32xf32>, tensor<64xf32>
func.func @causal_lse(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>, %v: tensor<?x2x?x64xbf16>,
                      %o: tensor<?x8x?x64xbf16>, %l: tensor<?x8x?xf32>)
    -> (tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) {
  %r:2 = attn.attention causal ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>)
           outs(%o, %l : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) -> tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
  return %r#0, %r#1 : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
}

// -----

// With a softcap, log2(e) goes into the multiplier after tanh
// (5.0 * 1.4427 = 7.2135), not into the scale before it.
// CHECK-LABEL: func.func @softcap
//       CHECK: attn.mask_scores {{.*}} scale(2.500000e-02) softcap(7.21347522)
func.func @softcap(%q: tensor<1x2x?x64xf32>, %k: tensor<1x2x?x64xf32>, %v: tensor<1x2x?x64xf32>,
                   %o: tensor<1x2x?x64xf32>) -> tensor<1x2x?x64xf32> {
  %r = attn.attention scale(0.125) softcap(5.0)
         ins(%q, %k, %v : tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>)
         outs(%o : tensor<1x2x?x64xf32>) -> tensor<1x2x?x64xf32>
  return %r : tensor<1x2x?x64xf32>
}
