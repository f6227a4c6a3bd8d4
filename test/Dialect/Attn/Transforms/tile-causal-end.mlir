// RUN: attn-opt %s -split-input-file -attn-tile | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-tile -attn-lower-to-cpu-pipeline -o /dev/null

// With a warp-specialised schedule (TMA copies), causal tiles end at Sq, up
// to whole 64-row blocks: tile t starts at row t * 192 - pad, pad = (ceil(Sq
// / 192) * 192 - Sq) rounded down to a multiple of 64, so the tile of fewer
// rows is the first, which sees the fewest keys. Its rows before 0 load as
// zeros and are not stored: O's rows are taken from the first that exists.
// CHECK-LABEL: func.func @causal_tiles_end_at_sq
//   CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
//   CHECK-DAG: %[[C192:.*]] = arith.constant 192 : index
//       CHECK: %[[SQ:.*]] = tensor.dim %{{.*}}, %c2
//       CHECK: %[[NQ:.*]] = arith.ceildivui %[[SQ]], %[[C192]] : index
//       CHECK: scf.forall (%[[QT:.*]], %[[H:.*]], %[[BI:.*]]) in (%[[NQ]], 8, %{{.*}})
//       CHECK:   %[[ROW0:.*]] = arith.muli %[[QT]], %[[C192]]
//       CHECK:   %[[SPAN:.*]] = arith.muli %[[NQ]], %[[C192]]
//       CHECK:   %[[EXTRA:.*]] = arith.subi %[[SPAN]], %[[SQ]]
//       CHECK:   %[[BLOCKS:.*]] = arith.divui %[[EXTRA]], %[[C64]]
//       CHECK:   %[[PAD:.*]] = arith.muli %[[BLOCKS]], %[[C64]]
//       CHECK:   %[[ROW:.*]] = arith.subi %[[ROW0]], %[[PAD]]
//       CHECK:   %[[NEG:.*]] = arith.subi %c0, %[[ROW]]
//       CHECK:   %[[FIRST:.*]] = arith.maxsi %[[NEG]], %c0
//       CHECK:   attn.load_tile %{{.*}}[%[[BI]], %[[H]], %[[ROW]]] : tensor<?x8x?x64xbf16> -> tensor<192x64xbf16>
//       CHECK:   attn.mask_scores %{{.*}} at(%[[ROW]], %{{.*}}) seq(%[[SQ]], %{{.*}}) causal
//       CHECK:   %[[LEFT:.*]] = arith.subi %[[SQ]], %[[ROW]]
//       CHECK:   %[[END:.*]] = arith.minsi %[[LEFT]], %[[C192]]
//       CHECK:   %[[ROWS:.*]] = arith.subi %[[END]], %[[FIRST]]
//       CHECK:   %[[STORED:.*]] = arith.addi %[[ROW]], %[[FIRST]]
//       CHECK:   %[[OS:.*]] = tensor.extract_slice %{{.*}}[%[[FIRST]], 0] [%[[ROWS]], 64] [1, 1]
//       CHECK:   scf.forall.in_parallel
//       CHECK:     tensor.parallel_insert_slice %[[OS]] into %{{.*}}[%[[BI]], %[[H]], %[[STORED]], 0] [1, 1, %[[ROWS]], 64]
func.func @causal_tiles_end_at_sq(%q: tensor<?x8x?x64xbf16>, %o: tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %r = attn.attention causal ins(%q, %q, %q : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>)
         outs(%o : tensor<?x8x?x64xbf16>) {schedule = #attn.schedule<kind = fa3, tile_m = 192, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 12, registers = 160>], ping_pong = true, overlap = true>} -> tensor<?x8x?x64xbf16>
  return %r : tensor<?x8x?x64xbf16>
}

// -----

// FA2's tiles (cp.async copies, no bound below 0) and tiles without a mask
// start at row t * M.
// CHECK-LABEL: func.func @tiles_from_row_zero
//       CHECK: scf.forall (%[[QT:.*]], %{{.*}}, %{{.*}}) in
//       CHECK:   %[[ROW:.*]] = arith.muli %[[QT]], %c128
//   CHECK-NOT:   arith.divui
//       CHECK:   attn.load_tile %{{.*}}[%{{.*}}, %{{.*}}, %[[ROW]]]
//       CHECK: scf.forall (%[[QT2:.*]], %{{.*}}, %{{.*}}) in
//       CHECK:   %[[ROW2:.*]] = arith.muli %[[QT2]], %c192
//  CHECK-NEXT:   attn.load_tile %{{.*}}[%{{.*}}, %{{.*}}, %[[ROW2]]]
func.func @tiles_from_row_zero(%q: tensor<?x8x?x64xbf16>, %o: tensor<?x8x?x64xbf16>) -> (tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>) {
  %a = attn.attention causal ins(%q, %q, %q : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>)
         outs(%o : tensor<?x8x?x64xbf16>) {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x8x?x64xbf16>
  %b = attn.attention ins(%q, %q, %q : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>)
         outs(%o : tensor<?x8x?x64xbf16>) {schedule = #attn.schedule<kind = fa3, tile_m = 192, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 12, registers = 160>], ping_pong = true, overlap = true>} -> tensor<?x8x?x64xbf16>
  return %a, %b : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>
}
