// Where the sm_90a kernel stages O for its TMA store. At head dim 256, Q
// (64 KiB) and two K and V slots (64 KiB each) leave no room for a 64 KiB
// staging tile of its own: with one CTA a tile O goes into the query's
// slot (offset 0), free once the tile's products are done; a persistent
// kernel refills that slot for its next tile, so it writes O from
// registers (no O tensor map, rows past Sq skipped).
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=0" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=SLOT
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=1" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=REGS

// SLOT-LABEL: gpu.func @attention
//  SLOT-SAME: <kind = tensor_map, tensor = 3, box = [1, 1, 16, 64], swizzle = 128>
//  SLOT-SAME: attn.dynamic_shared_memory = 196608 : i64
//       SLOT: memref.view %{{.*}}[%c0][] : memref<?xi8, 3> to memref<32768xbf16, 3>
//       SLOT: nvvm.cp.async.bulk.wait_group 0 {read}
//       SLOT: vector.store %{{.*}} : memref<32768xbf16, 3>, vector<2xbf16>
// Four 64-column blocks, one TMA store each.
//  SLOT-COUNT-4: nvgpu.tma.async.store
//   SLOT-NEXT: nvvm.cp.async.bulk.commit.group

// REGS-LABEL: gpu.func @attention
//   REGS-NOT: tensor = 3, box
//       REGS: attn.dynamic_shared_memory = 196608 : i64
//   REGS-NOT: nvgpu.tma.async.store
//       REGS: vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] {alignment = 4 : i64} : memref<?x8x?x256xbf16, strided<[?, ?, ?, 1], offset: ?>>, vector<2xbf16>
//   REGS-NOT: nvgpu.tma.async.store
//   REGS-NOT: nvvm.cp.async.bulk
func.func @attention(%q: tensor<?x8x?x256xbf16>, %k: tensor<?x8x?x256xbf16>,
                     %v: tensor<?x8x?x256xbf16>) -> tensor<?x8x?x256xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x256xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x256xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x256xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x8x?x256xbf16>, tensor<?x8x?x256xbf16>,
                          tensor<?x8x?x256xbf16>)
         outs(%init : tensor<?x8x?x256xbf16>) -> tensor<?x8x?x256xbf16>
  return %o : tensor<?x8x?x256xbf16>
}
