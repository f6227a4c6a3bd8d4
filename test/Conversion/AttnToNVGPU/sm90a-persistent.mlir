// A persistent sm_90a kernel: each role loops over the grid's tiles (32-bit
// indices) from its block id in steps of the grid size, carrying one phase
// bit per channel;
// after each tile the producer completes the K and V rings' last round with
// empty fills and the consumer waits for and releases the fills it did not
// use, before its epilogue. The ABI says how many CTAs an SM holds.
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=1" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a -split-input-file | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=0" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a -split-input-file | FileCheck %s --check-prefix=TILE

// CHECK-LABEL: gpu.func @attention
//  CHECK-SAME: persistent = 1>
//  CHECK-SAME: nvvm.minctasm = 1
// The producer.
//       CHECK: nvvm.setmaxregister decrease 24
//       CHECK: %[[BLOCK:.*]] = gpu.block_id x
//  CHECK-NEXT: %[[FIRST:.*]] = arith.index_castui %[[BLOCK]] : index to i32
//  CHECK-NEXT: %[[GRIDX:.*]] = gpu.grid_dim x
//  CHECK-NEXT: %[[GRID:.*]] = arith.index_castui %[[GRIDX]] : index to i32
//       CHECK: scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step %[[GRID]] iter_args(%{{.*}} = %false, %{{.*}} = %false, %{{.*}} = %false) -> (i1, i1, i1) : i32
//       CHECK:   nvgpu.tma.async.load
//       CHECK:   scf.for
//       CHECK:     nvgpu.tma.async.load
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//  CHECK-NEXT:     arith.remui
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1
// The consumers: the K/V loop, then the unused fills, then the epilogue.
//       CHECK: nvvm.setmaxregister increase 240
//       CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %false, %{{.*}} = %false, %{{.*}} = %false) -> (i1, i1, i1) : i32
//       CHECK:   nvvm.wgmma.mma_async
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   vector.store
//       CHECK:   nvgpu.tma.async.store
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1
// The last tile's O store done reading shared memory before the CTA ends.
//       CHECK: nvvm.cp.async.bulk.wait_group 0 {read}

// One CTA a tile when asked: no loop over tiles, no persistent launch.
// TILE-LABEL: gpu.func @attention
//   TILE-NOT: persistent =
//   TILE-NOT: -> (i1, i1, i1)
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
// workspace word) and stores it in shared memory before the query's fill;
// the consumers wait for that fill and read it. Past the last tile the
// producer stores a tile past the end and completes the query's fill with
// no bytes, which ends the consumers' loop.
// CHECK-LABEL: gpu.func @causal
//  CHECK-SAME: %[[COUNTER:[a-z0-9]+]]: memref<?xi32, strided<[1], offset: ?>>
//  CHECK-SAME: name = "tile_counter", type = tensor<?xi32>, extents = [<tensor = 0, dim = 0, divisor = 1099511627776>], zeroed = true
//       CHECK: nvvm.setmaxregister decrease 24
// The tile word comes after Q, K and V (160 KiB) and O's staging tile.
//       CHECK: %[[WORD:.*]] = memref.view %{{.*}}[%c196608][] : memref<?xi8, 3> to memref<1xi32, 3>
//       CHECK: scf.while ({{.*}}) : (i1, i1, i1) -> (i32, i1, i1, i1) {
//       CHECK:   %[[DRAWN:.*]] = memref.atomic_rmw addi %{{.*}}, %[[COUNTER]][%c0]
//       CHECK:   scf.condition(%{{.*}}) %[[DRAWN]]
//       CHECK: } do {
//  CHECK-NEXT: ^bb0(%[[T:.*]]: i32, %{{.*}}: i1, %{{.*}}: i1, %{{.*}}: i1):
//       CHECK:   memref.store %[[T]], %{{.*}}[%c0] : memref<1xi32, 3>
//  CHECK-NEXT:   nvgpu.mbarrier.arrive.expect_tx
//       CHECK:   nvgpu.tma.async.load
//       CHECK: memref.store %{{.*}}, %[[WORD]][%c0] : memref<1xi32, 3>
//       CHECK: nvgpu.mbarrier.arrive %
//       CHECK: nvvm.setmaxregister increase 240
//       CHECK: scf.while ({{.*}}) : (i1, i1, i1) -> (i32, i1, i1, i1) {
//       CHECK:   nvgpu.mbarrier.try_wait.parity
//  CHECK-NEXT:   %[[READ:.*]] = memref.load %{{.*}}[%c0] : memref<1xi32, 3>
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
