// A persistent sm_90a kernel: each role loops over the grid's tiles from its
// block id in steps of the grid size, carrying one phase bit per channel;
// after each tile the producer completes the K and V rings' last round with
// empty fills and the consumer waits for and releases the fills it did not
// use, before its epilogue. The ABI says how many CTAs an SM holds.
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=true" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=TILE

// CHECK-LABEL: gpu.func @attention
//  CHECK-SAME: persistent = 1>
//  CHECK-SAME: nvvm.minctasm = 1
// The producer.
//       CHECK: nvvm.setmaxregister decrease 24
//       CHECK: %[[FIRST:.*]] = gpu.block_id x
//       CHECK: %[[GRID:.*]] = gpu.grid_dim x
//       CHECK: scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step %[[GRID]] iter_args(%{{.*}} = %false, %{{.*}} = %false, %{{.*}} = %false) -> (i1, i1, i1)
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
//       CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %false, %{{.*}} = %false, %{{.*}} = %false) -> (i1, i1, i1)
//       CHECK:   nvvm.wgmma.mma_async
//       CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
//       CHECK:     nvgpu.mbarrier.try_wait.parity
//       CHECK:     nvgpu.mbarrier.arrive
//       CHECK:   vector.store
//       CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}} : i1, i1, i1

// One CTA a tile by default: no loop over tiles, no persistent launch.
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
