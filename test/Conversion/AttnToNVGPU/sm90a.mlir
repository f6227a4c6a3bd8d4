// The sm_90a kernel that convert-attn-to-nvgpu builds from the
// warp-specialised grid, one CTA a tile (sm90a-persistent.mlir has the
// persistent form, the chooser's for this causal head dim 128).
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a persistent=0" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --implicit-check-not=gpu.block_id
// RUN: attn-opt %s -attn-select-schedule="chip=sm_90a rescale-threshold=8" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=LAZY

// Conditional rescaling: O is rescaled only in warps where a row's max
// moved past the threshold (a warp-uniform vote), in the prologue and in
// each step after O's wait.
// LAZY: nvvm.wgmma.wait.group.sync.aligned 0
// LAZY: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// LAZY: %[[MOVED:.*]] = nvvm.vote.sync  any %{{.*}}, %{{.*}} -> i1
// LAZY-NEXT: scf.if %[[MOVED]] -> ({{(f32, ){63}f32}})
// LAZY: scf.for
// LAZY: nvvm.wgmma.wait.group.sync.aligned 1
// LAZY: nvvm.wgmma.wait.group.sync.aligned 0
// LAZY: nvvm.vote.sync  any
// LAZY-NEXT: scf.if

// The ABI: Q, K and V as tensor maps (boxes of one head's 128 rows by 64
// columns, 128-byte swizzle) and O's (boxes of one warp's 16 rows) passed
// by value, then every tensor as a memref.
// CHECK: gpu.func @attention(%[[QMAP:.*]]: !llvm.ptr, %[[KMAP:.*]]: !llvm.ptr, %[[VMAP:.*]]: !llvm.ptr, %[[OMAP:.*]]: !llvm.ptr, %{{.*}}: memref<?x8x?x128xbf16, {{.*}}>, %{{.*}}: memref<?x2x?x128xbf16, {{.*}}>, %{{.*}}: memref<?x2x?x128xbf16, {{.*}}>, %{{.*}}: memref<?x8x?x128xbf16, {{.*}}>) kernel
// CHECK-SAME: params = [<kind = tensor_map, tensor = 0, box = [1, 1, 128, 64], swizzle = 128>, <kind = tensor_map, tensor = 1, box = [1, 1, 128, 64], swizzle = 128>, <kind = tensor_map, tensor = 2, box = [1, 1, 128, 64], swizzle = 128>, <kind = tensor_map, tensor = 3, box = [1, 1, 16, 64], swizzle = 128>, <kind = memref, tensor = 0>
// Q 32 KiB, K and V two slots of 32 KiB each, O's staging tile 32 KiB.
// CHECK-SAME: attn.dynamic_shared_memory = 196608 : i64
// CHECK-SAME: attn.grid_constant_params = array<i32: 0, 1, 2, 3>
// CHECK-SAME: known_block_size = array<i32: 384, 1, 1>
// CHECK-SAME: nvvm.minctasm = 1 : i32
// Causal: blocks take the query tiles heaviest first, as sm_80's do
// (sm80.mlir), mapped at the kernel's entry for both roles: the block ids
// are read there alone (--implicit-check-not=gpu.block_id), and the
// producer's Q loads and the consumers' O stores address the mapped head
// and batch.
// CHECK: gpu.block_id  z
// CHECK: gpu.block_id  y
// CHECK: %[[NX:.*]] = arith.index_castui %grid_dim_x : index to i32
// CHECK: gpu.block_id  x
// CHECK: arith.divui %c33554432, %{{.*}} : index
// CHECK: %[[LAST:.*]] = arith.subi %[[NX]], %c1_i32{{.*}} : i32
// CHECK: %[[X:.*]] = arith.subi %[[LAST]], %{{.*}} : i32
// CHECK: %[[PAIR:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK: arith.index_castui %[[X]] : i32 to index
// CHECK: %[[H32:.*]] = arith.remui %[[PAIR]], %{{.*}} : i32
// CHECK: %[[HEAD:.*]] = arith.index_castui %[[H32]] : i32 to index
// CHECK: %[[B32:.*]] = arith.divui %[[PAIR]], %{{.*}} : i32
// CHECK: %[[BATCH:.*]] = arith.index_castui %[[B32]] : i32 to index
// CHECK: %[[QDESC:.*]] = builtin.unrealized_conversion_cast %[[QMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<1x1x128x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK: %[[ODESC:.*]] = builtin.unrealized_conversion_cast %[[OMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<1x1x16x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// Full and empty barriers of Q (1 slot), K and V (2 slots each): the full
// ones count the producer's one arrival, the empty ones the 256 consumer
// threads.
// CHECK: %[[BARS:.*]] = nvgpu.mbarrier.create -> <memorySpace = 3 : i64, num_barriers = 10>
// CHECK: nvgpu.mbarrier.init %[[BARS]][%c0], %c1
// CHECK: nvgpu.mbarrier.init %[[BARS]][%c1], %c256
// CHECK: gpu.barrier
// The producer warpgroup: registers down, one elected thread.
// CHECK: scf.if
// CHECK: nvvm.setmaxregister  decrease 24
// CHECK: nvvm.elect.sync
// Acquire: wait on "empty" with the opposite parity; commit: expect the
// tile's bytes (two 64-column boxes of 16 KiB), then the copies.
// CHECK: arith.xori
// CHECK: nvgpu.mbarrier.try_wait.parity %[[BARS]]
// CHECK: nvgpu.mbarrier.arrive.expect_tx %[[BARS]]
// CHECK: nvgpu.tma.async.load %[[QDESC]][%c0, %{{.*}}, %[[HEAD]], %[[BATCH]]], %[[BARS]]
// CHECK: nvgpu.tma.async.load %[[QDESC]][%c64, %{{.*}}, %[[HEAD]], %[[BATCH]]], %[[BARS]]
// The steady state: one loop issuing each tile from the second on.
// CHECK: scf.for
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvgpu.tma.async.load
// The consumers: registers up, Q waited for, then the K/V loop.
// CHECK: } else {
// CHECK: nvvm.setmaxregister  increase 240
// CHECK: nvgpu.mbarrier.try_wait.parity %[[BARS]]
// CHECK: scf.for
// S = Q K^T from shared memory: eight k16 steps of m64n128 at head dim 128.
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-COUNT-8: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// K released right after: every consumer thread arrives on "empty".
// CHECK: nvgpu.mbarrier.arrive %[[BARS]]
// The causal mask, only on tiles that cross a row's diagonal: each of the
// thread's two rows gets its last visible column once, in 32 bits and
// clamped to the tile, and each of its 64 scores one compare with its
// constant column.
// CHECK: scf.if %{{.*}} -> ({{(f32, ){63}f32}})
// CHECK: arith.index_cast %{{.*}} : index to i32
// CHECK-COUNT-2: arith.minsi %{{.*}}, %c128_i32{{.*}} : i32
// CHECK-COUNT-64: arith.cmpi slt, %c{{[0-9]+}}_i32{{.*}}, %{{.*}} : i32
// CHECK-NOT: arith.cmpi
// CHECK: scf.yield
// The online softmax on the accumulators, then O += P V with P from
// registers: eight k16 steps over the 128 keys, V transposed.
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "{\0A.reg .pred p;\0Asetp.ne.b32 p, $133, 0;\0Awgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16
// CHECK-SAME: p, 1, 1, 1;
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvgpu.mbarrier.arrive %[[BARS]]
// CHECK: scf.yield
// The epilogue: the warp's previous store done reading its staging rows,
// O / l written there (32 pairs of bf16 a thread, behind Q, K and V), the
// async proxy fenced, and one lane storing the warp's 16 rows of each
// 64-column block by TMA (rows past Sq clipped by the map); the last reads
// awaited before the CTA ends.
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: arith.constant -1 : i32
// CHECK-NEXT: nvvm.bar.warp.sync
// CHECK-COUNT-32: vector.store %{{.*}}, %{{.*}}[%{{.*}}] {alignment = 4 : i64} : memref<16384xbf16, 3>, vector<2xbf16>
// CHECK-NEXT: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: nvvm.bar.warp.sync
// Lane 0 issues each box's store, unless the box starts before row 0 (a
// causal tile ending at Sq).
// CHECK: %[[BOXROW:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: %[[LANE0:.*]] = arith.cmpi eq, %{{.*}}, %c0 : index
// CHECK: %[[INSIDE:.*]] = arith.cmpi sge, %[[BOXROW]], %c0 : index
// CHECK: %[[ISSUE:.*]] = arith.andi %[[LANE0]], %[[INSIDE]] : i1
// CHECK: nvgpu.tma.async.store %{{.*}} to %[[ODESC]][%c0, %[[BOXROW]], %[[HEAD]], %[[BATCH]]], predicate = %[[ISSUE]]
// CHECK: nvgpu.tma.async.store %{{.*}} to %[[ODESC]][%c64, %[[BOXROW]], %[[HEAD]], %[[BATCH]]], predicate = %[[ISSUE]]
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
func.func @attention(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
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
