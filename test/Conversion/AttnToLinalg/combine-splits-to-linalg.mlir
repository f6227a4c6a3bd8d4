// RUN: attn-opt %s -split-input-file -convert-attn-to-linalg | FileCheck %s

// The merge of split-KV partials: the largest partial LSE (a reduction over
// the chunk dimension, the last loop), the sum of exponentials against it
// with empty chunks weighing 0, lse = max + log(sum) (max read as 0 where
// it is -inf), the weighted sum of the partial outputs in f32, and the
// rounding to O's type; the merged LSE is copied into its destination.
//   CHECK-DAG: #[[$PARTIAL:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d0, d1, d2)>
//   CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
//   CHECK-DAG: #[[$POUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d0, d1, d2, d3)>
// CHECK-LABEL: func.func @combine
//  CHECK-SAME: %[[PO:.*]]: tensor<?x2x8x?x64xf32>, %[[PL:.*]]: tensor<?x2x8x?xf32>, %[[O:.*]]: tensor<2x8x?x64xbf16>, %[[L:.*]]: tensor<2x8x?xf32>
//       CHECK: %[[NEG:.*]] = linalg.fill ins(%cst{{.*}}) outs(%{{.*}} : tensor<2x8x?xf32>)
//       CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$PARTIAL]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PL]] {{.*}}) outs(%[[NEG]]
//       CHECK:   arith.maximumf
//       CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[PL]], %[[MAX]] {{.*}}
//       CHECK:   %[[D:.*]] = arith.subf
//       CHECK:   %[[E:.*]] = math.exp %[[D]]
//       CHECK:   %[[EMPTY:.*]] = arith.cmpf oeq
//       CHECK:   %[[W:.*]] = arith.select %[[EMPTY]], %{{.*}}, %[[E]]
//       CHECK:   arith.addf %{{.*}}, %[[W]]
//       CHECK: %[[LSE:.*]] = linalg.generic {{.*}} ins(%[[MAX]], %[[SUM]] {{.*}}
//       CHECK:   arith.select
//       CHECK:   math.log
//       CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$POUT]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PO]], %[[PL]], %[[LSE]] {{.*}}
//       CHECK:   math.exp
//       CHECK:   arith.select
//       CHECK:   arith.mulf
//       CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[ACC]] {{.*}} outs(%[[O]] : tensor<2x8x?x64xbf16>)
//       CHECK:   arith.truncf
//       CHECK: %[[LOUT:.*]] = linalg.generic {{.*}} ins(%[[LSE]] {{.*}} outs(%[[L]] : tensor<2x8x?xf32>)
//       CHECK: return %[[OUT]], %[[LOUT]]
func.func @combine(%po: tensor<?x2x8x?x64xf32>, %pl: tensor<?x2x8x?xf32>,
                   %o: tensor<2x8x?x64xbf16>, %l: tensor<2x8x?xf32>)
    -> (tensor<2x8x?x64xbf16>, tensor<2x8x?xf32>) {
  %0:2 = attn.combine_splits ins(%po, %pl : tensor<?x2x8x?x64xf32>, tensor<?x2x8x?xf32>)
                             outs(%o, %l : tensor<2x8x?x64xbf16>, tensor<2x8x?xf32>)
                             -> tensor<2x8x?x64xbf16>, tensor<2x8x?xf32>
  return %0#0, %0#1 : tensor<2x8x?x64xbf16>, tensor<2x8x?xf32>
}

// -----

// On buffers: the same generics on allocated temporaries, written into O.
// CHECK-LABEL: func.func @combine_buffers
//   CHECK-NOT: attn.combine_splits
//       CHECK: memref.alloc() : memref<1x2x1xf32>
//       CHECK: memref.alloc() : memref<1x2x1x64xf32>
//       CHECK: linalg.generic {{.*}} outs(%arg2 : memref<1x2x1x64xf32>)
func.func @combine_buffers(%po: memref<4x1x2x1x64xf32>, %pl: memref<4x1x2x1xf32>, %o: memref<1x2x1x64xf32>) {
  attn.combine_splits ins(%po, %pl : memref<4x1x2x1x64xf32>, memref<4x1x2x1xf32>) outs(%o : memref<1x2x1x64xf32>)
  return
}
