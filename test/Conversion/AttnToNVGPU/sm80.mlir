// The sm_80 kernel that convert-attn-to-nvgpu builds from the scheduled grid.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --implicit-check-not=nvvm.vote.sync --implicit-check-not=gpu.block_id
// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax=exp2-emulation=2 -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --check-prefix=POLY
// RUN: attn-opt %s -attn-select-schedule="chip=sm_80 rescale-threshold=8" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --check-prefix=LAZY

// FlashAttention-4's exp2 on the FMA units for one score register in two
// of each row: x rounded by 1.5 * 2^23, 2^f by Horner's rule (degree 3),
// n shifted into the exponent bits, 0 below -125 (inputs clamped at 127);
// the other registers take
// ex2.approx.
// POLY: %[[X:.*]] = math.fma
// POLY-NEXT: %[[MAGIC:.*]] = arith.constant 0x4B400000 : f32
// POLY: %[[TINY:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : f32
// POLY: %[[CLAMPED:.*]] = arith.minnumf %[[X]], %{{.*}} : f32
// POLY-NEXT: %[[SHIFTED:.*]] = arith.addf %[[CLAMPED]], %[[MAGIC]] : f32
// POLY-NEXT: %[[N:.*]] = arith.subf %[[SHIFTED]], %[[MAGIC]] : f32
// POLY-NEXT: %[[F:.*]] = arith.subf %[[CLAMPED]], %[[N]] : f32
// POLY-COUNT-3: math.fma %{{.*}}, %[[F]], %{{.*}} : f32
// POLY: arith.shli
// POLY: arith.addi
// POLY: arith.select %[[TINY]]
// POLY: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"

// CHECK: module attributes {gpu.container_module}
// CHECK: gpu.module @attn_kernels
// CHECK: memref.global "public" @attn_dynamic_smem : memref<0xi8, 3> {alignment = 1024 : i64}
// CHECK: gpu.func @attention(%{{.*}}: memref<?x8x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x2x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x2x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x8x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>) kernel
// The kernel's ABI: every tensor a memref descriptor, one CTA per (query
// tile of 128 rows, head, batch).
// CHECK-SAME: attn.abi = #attn.kernel_abi<tensors = [<name = "query", type = tensor<?x8x?x64xbf16>>, <name = "key", type = tensor<?x2x?x64xbf16>>, <name = "value", type = tensor<?x2x?x64xbf16>>, <name = "output", type = tensor<?x8x?x64xbf16>>], params = [<kind = memref, tensor = 0>, <kind = memref, tensor = 1>, <kind = memref, tensor = 2>, <kind = memref, tensor = 3>], grid = [<tensor = 0, dim = 2, divisor = 128>, <tensor = 0, dim = 1, divisor = 1>, <tensor = 0, dim = 0, divisor = 1>], cluster = [1, 1, 1]>
// CHECK-SAME: attn.dynamic_shared_memory = 49152 : i64
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
// Causal: the GPU starts blocks x fastest, and the block at position n
// of the launch takes the n-th query tile heaviest first: (head, batch)
// pairs in sections whose K and V (256 bytes a key) fit 32 MB of L2, in a
// section the query tile slowest, from the last (x the query tile, y the
// head, z the batch of a one-tile-a-CTA grid; K/V head = h / 4). The
// block ids are read once, here (--implicit-check-not=gpu.block_id).
// CHECK: %[[NZ:.*]] = arith.index_castui %grid_dim_z : index to i32
// CHECK: gpu.block_id  z
// CHECK: %[[NY:.*]] = arith.index_castui %grid_dim_y : index to i32
// CHECK: gpu.block_id  y
// CHECK: %[[NX:.*]] = arith.index_castui %grid_dim_x : index to i32
// CHECK: gpu.block_id  x
// CHECK: %[[AT:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK: %[[KEYS:.*]] = memref.dim %{{.*}}, %c2
// CHECK: %[[BYTES:.*]] = arith.muli %[[KEYS]], %c256
// CHECK: %[[MAX:.*]] = arith.maxui %[[BYTES]], %c1
// CHECK: %[[FITS:.*]] = arith.divui %c33554432, %[[MAX]] : index
// CHECK: %[[FIT:.*]] = arith.index_castui %[[FITS]] : index to i32
// CHECK: %[[PAIRS:.*]] = arith.muli %[[NY]], %[[NZ]] : i32
// CHECK: %[[ATLEAST1:.*]] = arith.maxui %[[FIT]], %c1_i32 : i32
// CHECK: %[[PER:.*]] = arith.minui %[[ATLEAST1]], %[[PAIRS]] : i32
// CHECK: %[[SECTIONTILES:.*]] = arith.muli %[[PER]], %[[NX]] : i32
// CHECK: %[[SECTION:.*]] = arith.divui %[[AT]], %[[SECTIONTILES]] : i32
// CHECK: %[[FIRST:.*]] = arith.muli %[[SECTION]], %[[PER]] : i32
// CHECK: %[[LEFT:.*]] = arith.subi %[[PAIRS]], %[[FIRST]] : i32
// The last section holds the pairs that are left.
// CHECK: %[[IN:.*]] = arith.minui %[[PER]], %[[LEFT]] : i32
// CHECK: %[[DONE:.*]] = arith.muli %[[SECTION]], %[[SECTIONTILES]] : i32
// CHECK: %[[INAT:.*]] = arith.subi %[[AT]], %[[DONE]] : i32
// CHECK: %[[STEP:.*]] = arith.divui %[[INAT]], %[[IN]] : i32
// CHECK: %[[LAST:.*]] = arith.subi %[[NX]], %c1_i32{{.*}} : i32
// CHECK: %[[X:.*]] = arith.subi %[[LAST]], %[[STEP]] : i32
// CHECK: %[[OFFSET:.*]] = arith.remui %[[INAT]], %[[IN]] : i32
// CHECK: %[[PAIR:.*]] = arith.addi %[[FIRST]], %[[OFFSET]] : i32
// CHECK: %[[TILE:.*]] = arith.index_castui %[[X]] : i32 to index
// CHECK: %[[H32:.*]] = arith.remui %[[PAIR]], %[[NY]] : i32
// CHECK: %[[HEAD:.*]] = arith.index_castui %[[H32]] : i32 to index
// CHECK: %[[B32:.*]] = arith.divui %[[PAIR]], %[[NY]] : i32
// CHECK: %[[BATCH:.*]] = arith.index_castui %[[B32]] : i32 to index
// The tile's first query row.
// CHECK: arith.muli %[[TILE]], %c128 : index
// The rings: Q (one slot), K and V (two slots each), carved from dynamic
// shared memory.
// CHECK: memref.view {{.*}} to memref<1x128x64xbf16, 3>
// CHECK: memref.view {{.*}} to memref<2x64x64xbf16, 3>
// CHECK: memref.view {{.*}} to memref<2x64x64xbf16, 3>
// Prologue: one group each for Q, K0 and V0, then Q's wait (2 pending).
// Q's rows at the mapped head and batch, K's at key/value head h / 4.
// CHECK-DAG: arith.muli %[[HEAD]], %{{.*}} : index
// CHECK-DAG: arith.muli %[[BATCH]], %{{.*}} : index
// CHECK: nvgpu.device_async_copy {{.*}} 8, %{{.*}} {bypassL1}
// CHECK: nvgpu.device_async_create_group
// CHECK: arith.divui %[[HEAD]], %c4{{.*}} : index
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 2 : i32}
// CHECK-NEXT: gpu.barrier
// Steady state: the loop carries the slots of the K and V tiles in flight;
// wait for K (V may stay in flight), barrier, refill K; later the same for V.
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> ({{.*}}index, index)
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK: nvvm.mma.sync {{.*}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>}
// Masking only where the tile crosses the diagonal or the end.
// CHECK: scf.if
// CHECK: gpu.shuffle  xor %{{.*}}, %c1_i32{{.*}}, %c32_i32{{.*}} : f32
// CHECK: gpu.shuffle  xor %{{.*}}, %c2_i32{{.*}}, %c32_i32{{.*}} : f32
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// With a lazy row max (rescale-threshold) most factors stay 1, and a warp
// (4 of them, two m16 row blocks each) rescales its 64 O accumulators only
// when a row's moved; the chooser's schedule at head dim 64 rescales at
// every step.
// LAZY: nvvm.vote.sync  any
// LAZY-NEXT: scf.if %{{.*}} -> ({{(f32, ){63}f32}})
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK: nvgpu.device_async_create_group
// CHECK: arith.truncf {{.*}} : vector<2xf32> to vector<2xbf16>
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK: scf.yield
// Epilogue: row sums finished across the quad, O through shared memory.
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK: vector.store {{.*}} : memref<128x64xbf16, 3>, vector<2xbf16>
// CHECK: gpu.barrier
// CHECK: vector.load {{.*}} {alignment = 16 : i64} : memref<128x64xbf16, 3>, vector<8xbf16>
// CHECK: vector.store {{.*}} {alignment = 16 : i64} : memref<?x8x?x64xbf16, strided<[?, ?, ?, 1], offset: ?>>, vector<8xbf16>
// CHECK-NOT: func.func
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
