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
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1

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

// Causal tiles differ in length: whole waves of one tile a CTA (a CTA past
// the last tile skips, keeping its phase bits), over sections of heads
// whose K and V fit in L2, every other wave reversed.
// CHECK-LABEL: gpu.func @causal
//       CHECK: nvvm.setmaxregister decrease 24
//       CHECK: %[[WAVES:.*]] = arith.ceildivui %{{.*}}, %[[STEP:.*]] : i32
//       CHECK: %[[BOUND:.*]] = arith.muli %[[WAVES]], %[[STEP]] : i32
//       CHECK: arith.divui %c33554432, %{{.*}} : index
//       CHECK: scf.for %{{.*}} = %{{.*}} to %[[BOUND]] step %[[STEP]] iter_args({{.*}}) -> (i1, i1, i1) : i32
//       CHECK:   arith.select
//       CHECK:   arith.minui
//       CHECK:   %[[LIVE:.*]]:3 = scf.if %{{.*}} -> (i1, i1, i1) {
//       CHECK:     nvgpu.tma.async.load
//       CHECK:   } else {
//  CHECK-NEXT:     scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1
//       CHECK:   scf.yield %[[LIVE]]#0, %[[LIVE]]#1, %[[LIVE]]#2 : i1, i1, i1
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
