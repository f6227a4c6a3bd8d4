// RUN: attn-opt %s -split-input-file -attn-tile | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async | FileCheck %s --check-prefix=ASYNC

// A paged K/V cache: the grid covers the block table's capacity
// (max_pages * page_size keys, in chunks of 32), each grid body reads its
// batch's cache length, holds it to [0, capacity], aligns the mask and the
// K/V range to it, and reads K and V tiles through the block table up to
// it. The query is read as usual.
// CHECK-LABEL: func.func @paged
//  CHECK-SAME: %[[Q:[^:]*]]: tensor<?x8x1x64xbf16>, %[[K:[^:]*]]: tensor<?x16x2x64xbf16>, %[[V:[^:]*]]: tensor<?x16x2x64xbf16>, %[[T:[^:]*]]: tensor<?x?xi32>, %[[N:[^:]*]]: tensor<?xi32>
//   CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
//   CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
//       CHECK: %[[MAXP:.*]] = tensor.dim %[[T]], %c1
//       CHECK: %[[CAP:.*]] = arith.muli %[[MAXP]], %[[C16]]
//       CHECK: %[[CHUNKS:.*]] = arith.ceildivui %[[CAP]], %[[C32]]
//       CHECK: %[[SPLITS:.*]] = arith.maxui %[[CHUNKS]], %c1
//       CHECK: scf.forall (%{{.*}}, %[[HKV:.*]], %[[B:.*]], %{{.*}}) in (1, 2, %{{.*}}, %[[SPLITS]])
//       CHECK:   %[[RAW:.*]] = tensor.extract %[[N]][%[[B]]] : tensor<?xi32>
//       CHECK:   %[[LEN:.*]] = arith.index_cast %[[RAW]] : i32 to index
//       CHECK:   %[[POS:.*]] = arith.maxsi %[[LEN]], %c0
//       CHECK:   %[[SKV:.*]] = arith.minsi %[[POS]], %[[CAP]]
//       CHECK:   attn.load_tile %[[Q]][%[[B]], %{{.*}}, %{{.*}}] heads(4) : tensor<?x8x1x64xbf16>
//       CHECK:   scf.for %[[COL:[^ ]*]] =
//       CHECK:     attn.load_tile %[[K]][%[[B]], %[[HKV]], %[[COL]]] pages(%[[T]], %[[SKV]] : tensor<?x?xi32>) : tensor<?x16x2x64xbf16> -> tensor<16x64xbf16>
//       CHECK:     attn.mask_scores %{{.*}} seq(%c1, %[[SKV]]) causal
//       CHECK:   scf.for %[[COL2:[^ ]*]] =
//       CHECK:     attn.load_tile %[[V]][%[[B]], %[[HKV]], %[[COL2]]] pages(%[[T]], %[[SKV]] : tensor<?x?xi32>)
//       CHECK: attn.combine_splits

// The pipeline copies K and V through the block table too.
// ASYNC-LABEL: func.func @paged
//       ASYNC: attn.copy_tile_async %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] pages(%{{.*}}, %{{.*}} : tensor<?x?xi32>) into %{{.*}}[%{{.*}}] if
//       ASYNC: attn.copy_tile_async %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] pages(%{{.*}}, %{{.*}} : tensor<?x?xi32>) into %{{.*}}[%{{.*}}] if
func.func @paged(%q: tensor<?x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>,
                 %t: tensor<?x?xi32>, %n: tensor<?xi32>, %o: tensor<?x8x1x64xbf16>) -> tensor<?x8x1x64xbf16> {
  %0 = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>)
         paged(%t, %n : tensor<?x?xi32>, tensor<?xi32>)
         outs(%o : tensor<?x8x1x64xbf16>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1, kv_chunk = 32, pack_gqa = true>}
         -> tensor<?x8x1x64xbf16>
  return %0 : tensor<?x8x1x64xbf16>
}
