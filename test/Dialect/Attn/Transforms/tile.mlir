// RUN: attn-opt %s -split-input-file -attn-tile="tile-m=64 tile-n=32" | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-tile="tile-m=64 tile-n=32" -attn-lower-to-cpu-pipeline -o /dev/null

// Causal GQA with the LSE: a grid over (query tile, head, batch), K/V head
// h / G, a max loop then a sum/PV loop over the keys up to the last visible
// one, and stores of the rows that exist.
// CHECK-LABEL: func.func @causal_gqa_lse
//  CHECK-SAME: (%[[Q:.*]]: tensor<?x8x?x64xbf16>, %[[K:.*]]: tensor<?x2x?x64xbf16>, %[[V:.*]]: tensor<?x2x?x64xbf16>
//   CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
//   CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
//   CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
//   CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
//   CHECK-DAG: %[[B:.*]] = tensor.dim %[[Q]], %c0
//   CHECK-DAG: %[[SQ:.*]] = tensor.dim %[[Q]], %c2
//   CHECK-DAG: %[[SKV:.*]] = tensor.dim %[[K]], %c2
//       CHECK: %[[NQ:.*]] = arith.ceildivui %[[SQ]], %[[C64]]
//       CHECK: %[[R:.*]]:2 = scf.forall (%[[QT:.*]], %[[H:.*]], %[[BI:.*]]) in (%[[NQ]], 8, %[[B]])
//  CHECK-SAME:     shared_outs(%[[OUT:.*]] = %{{.*}}, %[[LSE:.*]] = %{{.*}})
//       CHECK:   %[[ROW:.*]] = arith.muli %[[QT]], %[[C64]]
//       CHECK:   %[[HKV:.*]] = arith.divui %[[H]], %[[C4]]
//       CHECK:   %[[QTILE:.*]] = attn.load_tile %[[Q]][%[[BI]], %[[H]], %[[ROW]]] : tensor<?x8x?x64xbf16> -> tensor<64x64xbf16>
// The last visible key of the tile is min(row + 64, Sq) - 1 + (Skv - Sq).
//       CHECK:   %[[OFF:.*]] = arith.subi %[[SKV]], %[[SQ]]
//       CHECK:   %[[END:.*]] = arith.addi %[[ROW]], %[[C64]]
//       CHECK:   %[[LAST:.*]] = arith.minsi %[[END]], %[[SQ]]
//       CHECK:   %[[HI0:.*]] = arith.addi %[[LAST]], %[[OFF]]
//       CHECK:   %[[HI1:.*]] = arith.maxsi %[[HI0]], %c0
//       CHECK:   %[[HI:.*]] = arith.minsi %[[HI1]], %[[SKV]]
//       CHECK:   %[[M:.*]] = scf.for %[[COL:.*]] = %c0 to %[[HI]] step %[[C32]] iter_args(%[[M0:.*]] = %cst) -> (tensor<64xf32>)
//       CHECK:     %[[KT:.*]] = attn.load_tile %[[K]][%[[BI]], %[[HKV]], %[[COL]]] : tensor<?x2x?x64xbf16> -> tensor<32x64xbf16>
//       CHECK:     %[[S:.*]] = attn.qk_matmul %[[QTILE]], %[[KT]] : tensor<64x64xbf16>, tensor<32x64xbf16> -> tensor<64x32xf32>
//       CHECK:     %[[SM:.*]] = attn.mask_scores %[[S]] at(%[[ROW]], %[[COL]]) seq(%[[SQ]], %[[SKV]]) causal scale(1.250000e-01) : tensor<64x32xf32>
//       CHECK:     %[[M1:.*]] = attn.row_max %[[SM]], %[[M0]]
//       CHECK:     scf.yield %[[M1]]
//       CHECK:   %[[ACC:.*]]:2 = scf.for %[[COL2:.*]] = %c0 to %[[HI]] step %[[C32]] iter_args(%[[A0:.*]] = %{{.*}}, %[[L0:.*]] = %{{.*}}) -> (tensor<64x64xf32>, tensor<64xf32>)
//       CHECK:     attn.qk_matmul
//       CHECK:     %[[SM2:.*]] = attn.mask_scores
//       CHECK:     %[[P:.*]] = attn.row_exp %[[SM2]], %[[M]] : tensor<64x32xf32>, tensor<64xf32>
//       CHECK:     %[[L1:.*]] = attn.row_sum %[[P]], %[[L0]]
//       CHECK:     %[[VT:.*]] = attn.load_tile %[[V]][%[[BI]], %[[HKV]], %[[COL2]]] : tensor<?x2x?x64xbf16> -> tensor<32x64xbf16>
//       CHECK:     %[[A1:.*]] = attn.pv_matmul %[[P]], %[[VT]], %[[A0]]
//       CHECK:     scf.yield %[[A1]], %[[L1]]
//       CHECK:   %[[LEFT:.*]] = arith.subi %[[SQ]], %[[ROW]]
//       CHECK:   %[[ROWS:.*]] = arith.minsi %[[LEFT]], %[[C64]]
//       CHECK:   %[[O:.*]] = attn.normalize %[[ACC]]#0, %[[ACC]]#1 : tensor<64x64xf32>, tensor<64xf32> -> tensor<64x64xbf16>
//       CHECK:   %[[OS:.*]] = tensor.extract_slice %[[O]][0, 0] [%[[ROWS]], 64] [1, 1]
//       CHECK:   %[[LS:.*]] = attn.lse %[[M]], %[[ACC]]#1 : tensor<64xf32>
//       CHECK:   scf.forall.in_parallel
//       CHECK:     tensor.parallel_insert_slice %[[OS]] into %[[OUT]][%[[BI]], %[[H]], %[[ROW]], 0] [1, 1, %[[ROWS]], 64]
//       CHECK:     tensor.parallel_insert_slice %{{.*}} into %[[LSE]][%[[BI]], %[[H]], %[[ROW]]] [1, 1, %[[ROWS]]]
//       CHECK: } {attn.schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 1, warps = 1>}
//       CHECK: return %[[R]]#0, %[[R]]#1
func.func @causal_gqa_lse(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>, %v: tensor<?x2x?x64xbf16>,
                          %o: tensor<?x8x?x64xbf16>, %l: tensor<?x8x?xf32>)
    -> (tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) {
  %r:2 = attn.attention causal ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>)
           outs(%o, %l : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) -> tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
  return %r#0, %r#1 : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
}

// -----

// A sliding window starts each K/V loop at the tile holding the first key
// in the window, max(row + Skv - Sq - left, 0) rounded down to 32, and ends
// it after the last, min(row + 64, Sq) + Skv - Sq + right, with left clamped
// to Skv and right to Sq (no overflow for extents near INT64_MAX); a softcap
// divides the scale and becomes the multiplier after tanh.
// CHECK-LABEL: func.func @window_softcap
//       CHECK: scf.forall
//       CHECK:   %[[OFF:.*]] = arith.subi
//       CHECK:   %[[END:.*]] = arith.minsi
//       CHECK:   %[[HI0:.*]] = arith.addi %[[END]], %[[OFF]]
//       CHECK:   %[[LEFT:.*]] = arith.minsi %{{.*}}c100
//       CHECK:   %[[RIGHT:.*]] = arith.minsi %{{.*}}c3
//       CHECK:   %[[POS:.*]] = arith.addi %{{.*}}, %[[OFF]]
//       CHECK:   %[[FIRST:.*]] = arith.subi %[[POS]], %[[LEFT]]
//       CHECK:   %[[FIRST0:.*]] = arith.maxsi %[[FIRST]], %c0
//       CHECK:   %[[TILES:.*]] = arith.divui %[[FIRST0]], %c32
//       CHECK:   %[[LO:.*]] = arith.muli %[[TILES]], %c32
//       CHECK:   %[[HI1:.*]] = arith.addi %[[HI0]], %[[RIGHT]]
//       CHECK:   %[[HI2:.*]] = arith.maxsi %[[HI1]], %c0
//       CHECK:   %[[HI:.*]] = arith.minsi %[[HI2]]
//       CHECK:   scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c32
//       CHECK:     attn.mask_scores %{{.*}} sliding_window(left = 100, right = 3) scale(2.500000e-02) softcap(5.000000e+00)
//       CHECK:   scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c32
func.func @window_softcap(%q: tensor<1x2x?x64xf32>, %k: tensor<1x2x?x64xf32>, %v: tensor<1x2x?x64xf32>,
                          %o: tensor<1x2x?x64xf32>) -> tensor<1x2x?x64xf32> {
  %r = attn.attention sliding_window(left = 100, right = 3) scale(0.125) softcap(5.0)
         ins(%q, %k, %v : tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x64xf32>)
         outs(%o : tensor<1x2x?x64xf32>) -> tensor<1x2x?x64xf32>
  return %r : tensor<1x2x?x64xf32>
}

// -----

// No mask: every query tile visits every K/V tile; the schedule on the op
// gives way to the pass options, and its stages and warps are kept.
// CHECK-LABEL: func.func @no_mask_schedule_overridden
//       CHECK: %[[SKV:.*]] = tensor.dim %arg1, %c2 : tensor<?x?x?x128xf16>
//       CHECK: scf.forall
//       CHECK:   scf.for %{{.*}} = %c0 to %[[SKV]] step %c32
//       CHECK:     attn.mask_scores %{{.*}} scale(0.0883883461) : tensor<64x32xf32>
//       CHECK: {attn.schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 3, warps = 8>}
func.func @no_mask_schedule_overridden(%q: tensor<?x?x?x128xf16>, %k: tensor<?x?x?x128xf16>,
                                       %v: tensor<?x?x?x128xf16>, %o: tensor<?x?x?x128xf16>)
    -> tensor<?x?x?x128xf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<?x?x?x128xf16>, tensor<?x?x?x128xf16>, tensor<?x?x?x128xf16>)
         outs(%o : tensor<?x?x?x128xf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 128, stages = 3, warps = 8>}
         -> tensor<?x?x?x128xf16>
  return %r : tensor<?x?x?x128xf16>
}
