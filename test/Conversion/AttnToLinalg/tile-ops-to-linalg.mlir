// RUN: attn-opt %s -convert-attn-to-linalg | FileCheck %s

// Each tile-level op becomes the linalg it is defined by.
// CHECK-LABEL: func.func @tile_ops
// load_tile: the rows that exist, from the first at or after 0, copied
// into a zero tile after the `lead` rows before 0.
//       CHECK: %[[LEN:.*]] = tensor.dim %{{.*}}, %c2 : tensor<?x?x?x64xbf16>
//       CHECK: %[[START:.*]] = arith.maxsi %{{.*}}, %c0
//       CHECK: %[[LEAD0:.*]] = arith.minsi %{{.*}}, %c32
//       CHECK: %[[LEAD:.*]] = arith.maxsi %[[LEAD0]], %c0
//       CHECK: %[[SLICE:.*]] = tensor.extract_slice %{{.*}}[%{{.*}}, %{{.*}}, %[[START]], 0] [1, 1, %[[ROWS:.*]], 64] [1, 1, 1, 1] : tensor<?x?x?x64xbf16> to tensor<?x64xbf16>
//       CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : bf16) outs(%{{.*}} : tensor<32x64xbf16>)
//       CHECK: %[[KT:.*]] = tensor.insert_slice %[[SLICE]] into %[[ZERO]][%[[LEAD]], 0] [%[[ROWS]], 64] [1, 1]
// qk_matmul: a contraction over the head dim, in f32.
//       CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[KT]] : tensor<64x64xbf16>, tensor<32x64xbf16>)
//       CHECK:   arith.extf
//       CHECK:   arith.mulf
//       CHECK:   arith.addf
// mask_scores: scale, then -inf outside the sequences (unsigned: a query
// row before 0 is outside too) or above the diagonal.
//       CHECK: linalg.generic
//       CHECK:   arith.mulf %{{.*}}, %{{.*}} : f32
//       CHECK:   linalg.index 0
//       CHECK:   linalg.index 1
//       CHECK:   arith.cmpi ult
//       CHECK:   arith.cmpi ult
//       CHECK:   arith.cmpi sle
//       CHECK:   arith.select %{{.*}}, %{{.*}}, %cst{{.*}} : f32
// row_max with a threshold: the max, then keep the old one unless it grew by more than 8.
//       CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
//       CHECK:   arith.maximumf
//       CHECK: linalg.generic
//       CHECK:   arith.subf
//       CHECK:   arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// row_exp base2: exp2, and 0 for rows whose max is -inf.
//       CHECK: linalg.generic
//       CHECK:   arith.cmpf oeq
//       CHECK:   math.exp2
//       CHECK:   arith.select
// lse base2: m * ln(2) + log(l), -inf where l = 0.
//       CHECK: linalg.generic
//       CHECK:   arith.constant 0.693147182 : f32
//       CHECK:   math.log
//   CHECK-NOT: attn.
func.func @tile_ops(%key: tensor<?x?x?x64xbf16>, %q: tensor<64x64xbf16>, %b: index, %h: index, %c: index, %sq: index, %skv: index, %m0: tensor<64xf32>, %l0: tensor<64xf32>) -> (tensor<64x32xf32>, tensor<64xf32>, tensor<64x32xf32>, tensor<64xf32>) {
  %k = attn.load_tile %key[%b, %h, %c] : tensor<?x?x?x64xbf16> -> tensor<32x64xbf16>
  %s = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<32x64xbf16> -> tensor<64x32xf32>
  %s1 = attn.mask_scores %s at(%c, %c) seq(%sq, %skv) causal scale(0.125) : tensor<64x32xf32>
  %m1 = attn.row_max %s1, %m0 threshold(8.0) : tensor<64x32xf32>, tensor<64xf32>
  %p = attn.row_exp %s1, %m1 base2 : tensor<64x32xf32>, tensor<64xf32>
  %lse = attn.lse %m1, %l0 base2 : tensor<64xf32>
  return %s1, %m1, %p, %lse : tensor<64x32xf32>, tensor<64xf32>, tensor<64x32xf32>, tensor<64xf32>
}
