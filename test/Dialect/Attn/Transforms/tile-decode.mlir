// RUN: attn-opt %s -split-input-file -attn-tile | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-tile="kv-chunk=0" | FileCheck %s --check-prefix=NO-SPLIT

// Split-KV with packed GQA, as a decode schedule asks: the grid runs over
// (query tile, key/value head, batch, chunk), at least one chunk (an empty
// cache is one empty chunk); a query tile holds 4 rows of
// each of the group's 4 heads; each chunk clips the visible range and
// stores its f32 output and LSE in the partial results, which
// attn.combine_splits merges into the op's destinations.
// CHECK-LABEL: func.func @decode
//  CHECK-SAME: %[[Q:.*]]: tensor<?x8x?x64xbf16>, %[[K:.*]]: tensor<?x2x?x64xbf16>, %[[V:.*]]: tensor<?x2x?x64xbf16>, %[[O:.*]]: tensor<?x8x?x64xbf16>
//   CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
//   CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
//   CHECK-DAG: %[[SQ:.*]] = tensor.dim %[[Q]], %c2
//   CHECK-DAG: %[[SKV:.*]] = tensor.dim %[[K]], %c2
//   CHECK-DAG: %[[QTILES:.*]] = arith.ceildivui %[[SQ]], %[[C4]]
//   CHECK-DAG: %[[CHUNKS:.*]] = arith.ceildivui %[[SKV]], %[[C32]]
//   CHECK-DAG: %[[SPLITS:.*]] = arith.maxui %[[CHUNKS]], %c1
//       CHECK: %[[PL:.*]] = tensor.empty(%[[SPLITS]], %{{.*}}, %[[SQ]]) : tensor<?x?x8x?xf32>
//       CHECK: %[[PO:.*]] = tensor.empty(%[[SPLITS]], %{{.*}}, %[[SQ]]) : tensor<?x?x8x?x64xf32>
//       CHECK: %[[GRID:.*]]:2 = scf.forall (%[[QT:.*]], %[[HKV:.*]], %[[B:.*]], %[[S:.*]]) in (%[[QTILES]], 2, %{{.*}}, %[[SPLITS]]) shared_outs(%[[POUT:.*]] = %[[PO]], %[[LOUT:.*]] = %[[PL]])
//       CHECK:   %[[ROW:.*]] = arith.muli %[[QT]], %[[C4]]
//       CHECK:   %[[H0:.*]] = arith.muli %[[HKV]], %[[C4]]
//       CHECK:   %[[QTILE:.*]] = attn.load_tile %[[Q]][%[[B]], %[[H0]], %[[ROW]]] heads(4) : tensor<?x8x?x64xbf16> -> tensor<16x64xbf16>
//       CHECK:   %[[VISIBLE:.*]] = arith.minsi %{{.*}}, %[[SKV]]
//       CHECK:   %[[START:.*]] = arith.muli %[[S]], %[[C32]]
//       CHECK:   %[[LO:.*]] = arith.maxsi %[[START]], %c0
//       CHECK:   %[[END:.*]] = arith.addi %[[START]], %[[C32]]
//       CHECK:   %[[HI:.*]] = arith.minsi %[[VISIBLE]], %[[END]]
//       CHECK:   scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c16
//       CHECK:     attn.load_tile %[[K]][%[[B]], %[[HKV]], %{{.*}}] : tensor<?x2x?x64xbf16> -> tensor<16x64xbf16>
//       CHECK:     attn.mask_scores %{{.*}} at(%[[ROW]], %{{.*}}) seq(%[[SQ]], %[[SKV]]) causal scale(1.250000e-01) heads(4)
//       CHECK:   scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c16
//       CHECK:     attn.load_tile %[[V]][%[[B]], %[[HKV]], %{{.*}}]
//       CHECK:   %[[ROWS:.*]] = arith.minsi %{{.*}}, %[[C4]]
//       CHECK:   %[[OT:.*]] = attn.normalize %{{.*}} -> tensor<16x64xf32>
//       CHECK:   %[[OE:.*]] = tensor.expand_shape %[[OT]] {{\[}}[0, 1], [2]] output_shape [4, 4, 64]
//       CHECK:   %[[OS:.*]] = tensor.extract_slice %[[OE]][0, 0, 0] [4, %[[ROWS]], 64]
//       CHECK:   %[[LT:.*]] = attn.lse
//       CHECK:   %[[LE:.*]] = tensor.expand_shape %[[LT]] {{\[}}[0, 1]] output_shape [4, 4]
//       CHECK:   %[[LS:.*]] = tensor.extract_slice %[[LE]][0, 0] [4, %[[ROWS]]]
//       CHECK:   scf.forall.in_parallel
//       CHECK:     tensor.parallel_insert_slice %[[OS]] into %[[POUT]][%[[S]], %[[B]], %[[H0]], %[[ROW]], 0] [1, 1, 4, %[[ROWS]], 64]
//       CHECK:     tensor.parallel_insert_slice %[[LS]] into %[[LOUT]][%[[S]], %[[B]], %[[H0]], %[[ROW]]] [1, 1, 4, %[[ROWS]]]
//       CHECK: %[[R:.*]] = attn.combine_splits ins(%[[GRID]]#0, %[[GRID]]#1 : tensor<?x?x8x?x64xf32>, tensor<?x?x8x?xf32>) outs(%[[O]] : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
//       CHECK: return %[[R]]

// The option turns the split off; packing stays, and the tile is stored
// into the op's own destination.
// NO-SPLIT-LABEL: func.func @decode
//   NO-SPLIT-NOT: attn.combine_splits
//       NO-SPLIT: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}}, 2, %{{.*}})
//       NO-SPLIT:   attn.normalize %{{.*}} -> tensor<16x64xbf16>
//       NO-SPLIT:   tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 4, %{{.*}}, 64]
//   NO-SPLIT-NOT: attn.combine_splits
func.func @decode(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                  %v: tensor<?x2x?x64xbf16>, %o: tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %r = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>)
         outs(%o : tensor<?x8x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1, kv_chunk = 32, pack_gqa = true>}
         -> tensor<?x8x?x64xbf16>
  return %r : tensor<?x8x?x64xbf16>
}

// -----

// Split-KV alone keeps one head per tile; the LSE destination is merged too.
// CHECK-LABEL: func.func @split_with_lse
//       CHECK: scf.forall (%{{.*}}, %[[H:.*]], %[[B:.*]], %[[S:.*]]) in (%{{.*}}, 4, 1, %{{.*}})
//       CHECK:   attn.load_tile %{{.*}}[%[[B]], %[[H]], %{{.*}}] : tensor<1x4x?x64xf32> -> tensor<16x64xf32>
//   CHECK-NOT:   heads(
//       CHECK:   tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%[[S]], %[[B]], %[[H]], %{{.*}}, 0] [1, 1, 1, %{{.*}}, 64]
//       CHECK: attn.combine_splits ins({{.*}}) outs(%{{.*}}, %{{.*}} : tensor<1x4x?x64xf32>, tensor<1x4x?xf32>)
func.func @split_with_lse(%q: tensor<1x4x?x64xf32>, %k: tensor<1x4x?x64xf32>, %v: tensor<1x4x?x64xf32>,
                          %o: tensor<1x4x?x64xf32>, %l: tensor<1x4x?xf32>) -> (tensor<1x4x?x64xf32>, tensor<1x4x?xf32>) {
  %r:2 = attn.attention
         ins(%q, %k, %v : tensor<1x4x?x64xf32>, tensor<1x4x?x64xf32>, tensor<1x4x?x64xf32>)
         outs(%o, %l : tensor<1x4x?x64xf32>, tensor<1x4x?xf32>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1, kv_chunk = 64>}
         -> tensor<1x4x?x64xf32>, tensor<1x4x?xf32>
  return %r#0, %r#1 : tensor<1x4x?x64xf32>, tensor<1x4x?xf32>
}
