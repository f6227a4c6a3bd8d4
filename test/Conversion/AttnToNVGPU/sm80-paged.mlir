// The sm_80 kernel on a paged K/V cache: the block table and the lengths
// are parameters after Q, K and V; the batch's cache length is read once
// (held to [0, max_pages * page]); a K/V tile of 64 keys at a multiple of
// 64 lies in one 64-key page, so the page is read once per tile (only where
// the tile's first key exists), checked against the cache's page count, and
// K's and V's copies of one position share it; the loop reads it a step
// ahead. With 16-key pages each row reads its own page.
// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 kv-chunk=1024" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --implicit-check-not=gpu.grid_dim

// CHECK-LABEL: gpu.func @paged
//  CHECK-SAME: %[[K:[^:]*]]: memref<?x64x8x128xbf16, strided<[?, ?, ?, 1], offset: ?>>, %[[V:[^:]*]]: memref<?x64x8x128xbf16, {{.*}}>, %[[T:[^:]*]]: memref<?x?xi32, strided<[?, 1], offset: ?>>, %[[N:[^:]*]]: memref<?xi32, strided<[1], offset: ?>>
// The split counts chunks of 16 pages of the block table.
//  CHECK-SAME: <name = "block_table", type = tensor<?x?xi32>>, <name = "cache_lengths", type = tensor<?xi32>>
//  CHECK-SAME: grid = [<tensor = 0, dim = 2, divisor = 16, times = [3, 1, 16]>, <tensor = 1, dim = 2, divisor = 1>
//       CHECK: %[[RAW:.*]] = memref.load %[[N]][%[[B:block_id_z]]]
//       CHECK: %[[LEN:.*]] = arith.index_cast %[[RAW]] : i32 to index
// The prologue's tile: one lookup, then eight rows per thread in it.
//       CHECK: %[[SLOT:.*]] = arith.divui %[[ROW:.*]], %c64
//       CHECK: %[[ID:.*]] = scf.if %[[EXISTS:.*]] -> (i32) {
//  CHECK-NEXT:   memref.load %[[T]][%[[B]], %[[SLOT]]]
//       CHECK: } else {
//       CHECK: %[[PAGE:.*]] = arith.index_cast %[[ID]] : i32 to index
//       CHECK: %[[PAGES:.*]] = memref.dim %[[K]], %c0
//       CHECK: %[[IN:.*]] = arith.cmpi ult, %[[PAGE]], %[[PAGES]]
//       CHECK: %[[OK:.*]] = arith.andi %[[EXISTS]], %[[IN]]
//       CHECK: %[[SAFE:.*]] = arith.select %[[OK]], %[[PAGE]], %c0
//       CHECK: %[[FIRST:.*]] = arith.remui %[[ROW]], %c64
//       CHECK: %[[LOCAL:.*]] = arith.addi %{{.*}}, %c0 : index
//       CHECK: %[[INPAGE:.*]] = arith.addi %[[FIRST]], %[[LOCAL]]
//       CHECK: nvgpu.device_async_copy %[[K]][%[[SAFE]], %[[INPAGE]], %block_id_y, %{{.*}}]
//   CHECK-NOT: memref.load %[[T]]
//       CHECK: nvgpu.device_async_copy %[[V]][%[[SAFE]],
// In the loop: one lookup a step, one step ahead: the page of the first
// in-loop tile is read before the loop, and each step reads the next one's
// before it waits for its own tile, carrying it in the loop.
//       CHECK: scf.for %[[IV:[^ ]*]] = {{.*}} iter_args({{.*}}, %[[PAGE:arg[0-9]+]] = %{{[0-9]+}}, %{{arg[0-9]+}} = %{{[0-9]+}}) -> (
//       CHECK:   %[[ROW:.*]] = arith.addi %[[IV]], %c64
//       CHECK:   %[[NEXT:.*]] = arith.addi %[[ROW]], %c64
//       CHECK:   arith.divui %[[NEXT]], %c64
//       CHECK:   memref.load %[[T]]
//       CHECK:   %[[NEXT_PAGE:.*]] = arith.select
//       CHECK:   nvgpu.device_async_wait
//   CHECK-NOT:   memref.load %[[T]]
//       CHECK:   nvgpu.device_async_copy %[[K]][%[[PAGE]],
//   CHECK-NOT:   memref.load %[[T]]
//       CHECK:   nvgpu.device_async_copy %[[V]][%[[PAGE]],
//       CHECK:   scf.yield {{.*}}, %[[NEXT_PAGE]], %{{.*}} :
func.func @paged(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x64x8x128xbf16>, %v: tensor<?x64x8x128xbf16>,
                 %table: tensor<?x?xi32>, %lengths: tensor<?xi32>) -> tensor<?x32x1x128xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x1x128xbf16>
  %init = tensor.empty(%b) : tensor<?x32x1x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x1x128xbf16>, tensor<?x64x8x128xbf16>, tensor<?x64x8x128xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %o : tensor<?x32x1x128xbf16>
}

// -----

// CHECK-LABEL: gpu.func @small_pages
// Pages of 16 keys: every copied row looks up its page (8 rows a thread
// per tile: 16 lookups for the prologue's K and V tiles).
// CHECK-COUNT-16: memref.load %{{.*}}[%block_id_z, %{{.*}}] : memref<?x?xi32
//          CHECK: scf.for
func.func @small_pages(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x16x8x128xbf16>, %v: tensor<?x16x8x128xbf16>,
                       %table: tensor<?x?xi32>, %lengths: tensor<?xi32>) -> tensor<?x32x1x128xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x1x128xbf16>
  %init = tensor.empty(%b) : tensor<?x32x1x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x1x128xbf16>, tensor<?x16x8x128xbf16>, tensor<?x16x8x128xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %o : tensor<?x32x1x128xbf16>
}
