// RUN: attn-opt %s | FileCheck %s
// RUN: attn-opt %s --mlir-print-op-generic | attn-opt | FileCheck %s

// Every tile-level op round-trips through its custom and generic forms.
// CHECK-LABEL: func.func @online_step
//       CHECK: attn.load_tile %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<?x?x?x64xbf16> -> tensor<32x64xbf16>
//       CHECK: attn.qk_matmul %{{.*}}, %{{.*}} : tensor<64x64xbf16>, tensor<32x64xbf16> -> tensor<64x32xf32>
//       CHECK: attn.mask_scores %{{.*}} at(%{{.*}}, %{{.*}}) seq(%{{.*}}, %{{.*}}) sliding_window(left = 3, right = 0) scale(1.250000e-01) softcap(2.000000e+00) : tensor<64x32xf32>
//       CHECK: attn.row_max %{{.*}}, %{{.*}} threshold(8.000000e+00) : tensor<64x32xf32>, tensor<64xf32>
//       CHECK: attn.row_exp %{{.*}}, %{{.*}} base2 : tensor<64x32xf32>, tensor<64xf32>
//       CHECK: attn.row_exp %{{.*}}, %{{.*}} : tensor<64xf32>, tensor<64xf32>
//       CHECK: attn.row_exp %{{.*}}, %{{.*}} base2 poly_exp2(every 2, degree 3) : tensor<64x32xf32>, tensor<64xf32>
//       CHECK: attn.row_sum %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<64xf32>
//       CHECK: attn.row_scale %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64xf32>
//       CHECK: attn.pv_matmul %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x64xbf16>, tensor<64x64xf32>
//       CHECK: attn.normalize %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64xf32> -> tensor<64x64xbf16>
//       CHECK: attn.lse %{{.*}}, %{{.*}} base2 : tensor<64xf32>
//       CHECK: attn.mask_scores %{{.*}} causal scale(1.000000e+00) : tensor<64x32xf32>
func.func @online_step(%key: tensor<?x?x?x64xbf16>, %q: tensor<64x64xbf16>, %b: index, %h: index,
                       %c: index, %sq: index, %skv: index, %m0: tensor<64xf32>, %l0: tensor<64xf32>,
                       %acc: tensor<64x64xf32>) -> (tensor<64x64xbf16>, tensor<64xf32>, tensor<64x32xf32>) {
  %k = attn.load_tile %key[%b, %h, %c] : tensor<?x?x?x64xbf16> -> tensor<32x64xbf16>
  %s = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<32x64xbf16> -> tensor<64x32xf32>
  %s1 = attn.mask_scores %s at(%c, %c) seq(%sq, %skv) sliding_window(left = 3, right = 0) scale(0.125) softcap(2.0) : tensor<64x32xf32>
  %m1 = attn.row_max %s1, %m0 threshold(8.0) : tensor<64x32xf32>, tensor<64xf32>
  %p = attn.row_exp %s1, %m1 base2 : tensor<64x32xf32>, tensor<64xf32>
  %alpha = attn.row_exp %m0, %m1 : tensor<64xf32>, tensor<64xf32>
  %poly = attn.row_exp %s1, %m1 base2 poly_exp2(every 2, degree 3) : tensor<64x32xf32>, tensor<64xf32>
  %l1 = attn.row_sum %p, %l0 : tensor<64x32xf32>, tensor<64xf32>
  %a1 = attn.row_scale %acc, %alpha : tensor<64x64xf32>, tensor<64xf32>
  %v = attn.load_tile %key[%b, %h, %c] : tensor<?x?x?x64xbf16> -> tensor<32x64xbf16>
  %a2 = attn.pv_matmul %p, %v, %a1 : tensor<64x32xf32>, tensor<32x64xbf16>, tensor<64x64xf32>
  %o = attn.normalize %a2, %l1 : tensor<64x64xf32>, tensor<64xf32> -> tensor<64x64xbf16>
  %lse = attn.lse %m1, %l1 base2 : tensor<64xf32>
  %s2 = attn.mask_scores %s at(%c, %c) seq(%sq, %skv) causal scale(1.0) : tensor<64x32xf32>
  return %o, %lse, %s2 : tensor<64x64xbf16>, tensor<64xf32>, tensor<64x32xf32>
}


// Packed GQA: a query tile of 4 heads' rows and its mask.
// CHECK-LABEL: func.func @packed
//       CHECK: attn.load_tile %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] heads(4) : tensor<?x8x?x64xbf16> -> tensor<64x64xbf16>
//       CHECK: attn.mask_scores %{{.*}} at(%{{.*}}, %{{.*}}) seq(%{{.*}}, %{{.*}}) causal scale(1.250000e-01) heads(4) : tensor<64x32xf32>
func.func @packed(%query: tensor<?x8x?x64xbf16>, %s: tensor<64x32xf32>, %b: index, %h: index,
                  %r: index, %sq: index, %skv: index) -> (tensor<64x64xbf16>, tensor<64x32xf32>) {
  %q = attn.load_tile %query[%b, %h, %r] heads(4) : tensor<?x8x?x64xbf16> -> tensor<64x64xbf16>
  %m = attn.mask_scores %s at(%r, %r) seq(%sq, %skv) causal scale(0.125) heads(4) : tensor<64x32xf32>
  return %q, %m : tensor<64x64xbf16>, tensor<64x32xf32>
}

// A K tile read through a block table.
// CHECK-LABEL: func.func @paged_load
//       CHECK: attn.load_tile %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] pages(%{{.*}}, %{{.*}} : tensor<?x?xi32>) : tensor<?x16x8x128xbf16> -> tensor<64x128xbf16>
func.func @paged_load(%cache: tensor<?x16x8x128xbf16>, %table: tensor<?x?xi32>, %b: index, %h: index, %c: index, %len: index) -> tensor<64x128xbf16> {
  %k = attn.load_tile %cache[%b, %h, %c] pages(%table, %len : tensor<?x?xi32>) : tensor<?x16x8x128xbf16> -> tensor<64x128xbf16>
  return %k : tensor<64x128xbf16>
}
