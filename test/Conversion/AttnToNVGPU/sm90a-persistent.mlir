// A persistent sm_90a kernel: each role loops over the grid's tiles (32-bit
// indices) from its block id in steps of the grid size, carrying each
// channel's fills so far (mod two rounds). The K and V rings are kept in
// whole rounds: the producer completes the last tile's round with empty
// fills (after the next tile's query, which has two slots here and
// rotates through them, a fill a tile), so the tile's K/V fills start at
// slot 0. The consumer waits for and releases the fills it did not use
// (the pads, and disabled prologue fills) before its epilogue. The ABI
// says how many CTAs an SM holds.
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=1" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a -split-input-file | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=0" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a -split-input-file | FileCheck %s --check-prefix=TILE

// CHECK-LABEL: gpu.func @attention
//  CHECK-SAME: persistent = 1>
//  CHECK-SAME: nvvm.minctasm = 1
// The producer: the query, the last tile's pads, the K/V tiles.
//       CHECK: nvvm.setmaxregister decrease 24
//       CHECK: %[[BLOCK:.*]] = gpu.block_id x
//  CHECK-NEXT: %[[FIRST:.*]] = arith.index_castui %[[BLOCK]] : index to i32
//  CHECK-NEXT: %[[GRIDX:.*]] = gpu.grid_dim x
//  CHECK-NEXT: %[[GRID:.*]] = arith.index_castui %[[GRIDX]] : index to i32
//       CHECK: scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step %[[GRID]] iter_args(%{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32) -> (i32, i32, i32) : i32
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//  CHECK-NEXT:     arith.remui
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   nvgpu.tma.async.load
//       CHECK:   scf.for %{{.*}} step %c128
//       CHECK:     nvgpu.tma.async.load
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i32, i32, i32
// After the last tile, its pads.
//       CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// The consumers: the K/V loop, then the unused fills, then the epilogue.
//       CHECK: nvvm.setmaxregister increase 240
//       CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32) -> (i32, i32, i32) : i32
//       CHECK:   nvvm.wgmma.mma_async
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   vector.store
//       CHECK:   nvgpu.tma.async.store
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i32, i32, i32
// The last tile's O store done reading shared memory before the CTA ends.
//       CHECK: nvvm.cp.async.bulk.wait_group 0 {read}

// One CTA a tile when asked: no loop over tiles, no persistent launch.
// TILE-LABEL: gpu.func @attention
//   TILE-NOT: persistent =
//   TILE-NOT: -> (i32, i32, i32)
func.func @attention(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                     %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x128xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}

// -----

// Causal tiles differ in length: a CTA takes the next tile when it is done
// with one. The producer draws it from the launch's counter (a zeroed
// workspace word) and stores it in shared memory, in the word of the
// query's slot, before the query's fill; the consumers wait for that fill
// and read it. The query has two slots that its fills rotate through, so
// the producer loads the next tile's query before it pads the last tile's
// K/V rounds (which waits for the consumers to be done with its last K/V
// tiles). Past the last tile the producer stores a tile past the end and
// completes the query's next fill with no bytes, which ends the consumers'
// loop.
// CHECK-LABEL: gpu.func @causal
//  CHECK-SAME: %[[COUNTER:[a-z0-9]+]]: memref<?xi32, strided<[1], offset: ?>>
//  CHECK-SAME: name = "tile_counter", type = tensor<?xi32>, extents = [<tensor = 0, dim = 0, divisor = 1099511627776>], zeroed = true
//       CHECK: nvvm.setmaxregister decrease 24
// The tile words come after Q's two slots, K and V (192 KiB) and O's
// staging tile.
//       CHECK: %[[WORD:.*]] = memref.view %{{.*}}[%c229376][] : memref<?xi8, 3> to memref<4xi32, 3>
//       CHECK: scf.while ({{.*}}) : (i32, i32, i32) -> (i32, i32, i32, i32) {
//       CHECK:   %[[DRAWN:.*]] = memref.atomic_rmw addi %{{.*}}, %[[COUNTER]][%c0]
//       CHECK:   scf.condition(%{{.*}}) %[[DRAWN]]
//       CHECK: } do {
//  CHECK-NEXT: ^bb0(%[[T:.*]]: i32, %[[Q:.*]]: i32, %{{.*}}: i32, %{{.*}}: i32):
//       CHECK:   %[[QSTART:.*]] = arith.index_castui %[[Q]] : i32 to index
//  CHECK-NEXT:   %[[QAT:.*]] = arith.addi %[[QSTART]], %c0
//  CHECK-NEXT:   arith.remui %[[QAT]], %c2 : index
//       CHECK:   memref.store %[[T]], %{{.*}}[%{{.*}}] : memref<4xi32, 3>
//  CHECK-NEXT:   nvgpu.mbarrier.arrive.expect_tx
//       CHECK:   nvgpu.tma.async.load
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   scf.for %{{.*}} step %c128
//       CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//       CHECK: memref.store %{{.*}}, %[[WORD]][%{{.*}}] : memref<4xi32, 3>
//       CHECK: nvgpu.mbarrier.arrive %
//       CHECK: nvvm.setmaxregister increase 240
//       CHECK: scf.while ({{.*}}) : (i32, i32, i32) -> (i32, i32, i32, i32) {
//       CHECK:   %[[AT:.*]] = arith.remui %{{.*}}, %c2 : index
//       CHECK:   nvgpu.mbarrier.try_wait.parity
//  CHECK-NEXT:   %[[READ:.*]] = memref.load %{{.*}}[%[[AT]]] : memref<4xi32, 3>
//       CHECK:   scf.condition(%{{.*}}) %[[READ]]
//       CHECK: } do {
//       CHECK:   nvvm.wgmma.mma_async
func.func @causal(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                  %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}
