// The sm_100a kernel that convert-attn-to-nvgpu builds from the
// warp-specialised grid: the sm_90a kernel's TMA producer, and consumer
// warpgroups of 128 rows whose S and O live in tensor memory.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_100a | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax=exp2-emulation=2 -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_100a | FileCheck %s --check-prefix=POLY

// FlashAttention-4's exp2 on the FMA units (one score in 2) applies to the
// scores loaded from tensor memory as to any chip's registers.
// POLY: nvvm.tcgen05.ld
// POLY: nvvm.tcgen05.wait <load>
// POLY: arith.constant 0x4B400000 : f32
// POLY-COUNT-3: math.fma
// POLY: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"

// tcgen05.alloc writes the tensor memory's address to a shared word.
// CHECK: memref.global "private" @attn_tmem_slot : memref<1xi32, 3> {alignment = 16 : i64}
// CHECK: gpu.func @attention(
// Two consumer warpgroups of 128 rows: 384 threads, Q's box 256 rows.
// O's tensor map: boxes of one warp's 32 rows.
// CHECK-SAME: params = [<kind = tensor_map, tensor = 0, box = [1, 1, 256, 64], swizzle = 128>, <kind = tensor_map, tensor = 1, box = [1, 1, 128, 64], swizzle = 128>, <kind = tensor_map, tensor = 2, box = [1, 1, 128, 64], swizzle = 128>, <kind = tensor_map, tensor = 3, box = [1, 1, 32, 64], swizzle = 128>
// Q (64 KiB) and two K and V slots (64 KiB each): no room for a staging
// tile of its own, so O is staged in the query's slot.
// CHECK-SAME: attn.dynamic_shared_memory = 196608 : i64
// CHECK-SAME: known_block_size = array<i32: 384, 1, 1>
// The channels' ten barriers, then two per consumer that its MMAs' commits
// complete: S's and O's.
// CHECK: nvgpu.mbarrier.init %[[BARS:.*]][%c10], %c1, predicate
// CHECK-NEXT: nvgpu.mbarrier.init %[[BARS]][%c11], %c1, predicate
// CHECK-NEXT: nvgpu.mbarrier.init %[[BARS]][%c12], %c1, predicate
// CHECK-NEXT: nvgpu.mbarrier.init %[[BARS]][%c13], %c1, predicate
// The first consumer warp (warp 4) allocates S and O of both consumers,
// 2 x (128 + 128) columns, and gives up the permit; the CTA barrier
// publishes the address.
// CHECK: %[[WARP4:.*]] = arith.cmpi eq, %{{.*}}, %c4 : index
// CHECK-NEXT: scf.if %[[WARP4]] {
// CHECK: nvvm.tcgen05.alloc %{{.*}}, %c512_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT: nvvm.tcgen05.relinquish_alloc_permit
// CHECK: nvvm.tcgen05.fence <before>
// CHECK-NEXT: nvvm.fence.mbarrier.init
// CHECK-NEXT: gpu.barrier
// Consumer: the address, O zeroed (128 columns, 32 at a time), and a loop
// that carries the phases of S's and O's barriers beside the row
// statistics.
// CHECK: nvvm.setmaxregister  increase 240
// CHECK: nvvm.tcgen05.fence <after>
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<1xi32, 3>
// CHECK-COUNT-4: nvvm.tcgen05.st %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<32xi32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %[[SPHASE:.*]] = %false, %[[OPHASE:.*]] = %false) -> (f32, f32, i1, i1)
// S = Q K^T: eight k16 steps from shared-memory descriptors (128-byte
// swizzle, stride 1024 bytes), M = 128, N = 128, bf16, the first one
// overwriting S, after a fence that orders them after the tiles' waits;
// committed, waited for, then S comes to registers.
// CHECK: nvvm.tcgen05.fence <after>
// CHECK: nvvm.tcgen05.mma_smem_desc(%{{.*}}, %c8_i32{{.*}}, %c64_i32{{.*}}, %c0_i8{{.*}}, %false{{.*}}, %c2_i8{{.*}})
// CHECK: nvvm.tcgen05.mma %[[S:.*]], %{{.*}}, %{{.*}}, %c136316048_i32{{.*}}, %false{{.*}} {ctaGroup = #nvvm.cta_group<cta_1>, kind = #nvvm.tcgen05_mma_kind<f16>} : (!llvm.ptr<6>, i64, i64, i32, i1)
// CHECK-COUNT-7: nvvm.tcgen05.mma %[[S]], %{{.*}}, %{{.*}}, %c136316048_i32{{.*}}, %true
// CHECK: nvvm.tcgen05.commit %{{.*}} : !llvm.ptr<3>
// CHECK: nvgpu.mbarrier.try_wait.parity %[[BARS]][%{{.*}}], %[[SPHASE]],
// CHECK-NEXT: %true = arith.constant true
// CHECK-NEXT: %[[SNEXT:.*]] = arith.xori %[[SPHASE]], %true : i1
// CHECK-NEXT: nvvm.tcgen05.fence <after>
// CHECK-COUNT-4: nvvm.tcgen05.ld %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<32xi32>
// CHECK-NEXT: nvvm.tcgen05.wait <load>
// The lazy rescale: warps where a row's max moved load, scale and store O.
// CHECK: %[[MOVED:.*]] = nvvm.vote.sync  any %{{.*}}, %{{.*}} -> i1
// CHECK-NEXT: scf.if %[[MOVED]] {
// CHECK: nvvm.tcgen05.ld
// CHECK: nvvm.tcgen05.st
// P over S, every thread's store done before the elected thread issues
// O += P V with A = P in tensor memory (8 columns a k16 step) and B = V
// MN-major (the transpose bit: 0x08210490).
// CHECK: nvvm.tcgen05.wait <store>
// CHECK-NEXT: nvvm.tcgen05.fence <before>
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %c128_i32
// CHECK-NEXT: nvvm.tcgen05.fence <after>
// CHECK-COUNT-8: nvvm.tcgen05.mma %{{.*}}, %{{.*}}, %{{.*}}, %c136381584_i32{{.*}}, %true{{.*}} : (!llvm.ptr<6>, !llvm.ptr<6>, i64, i32, i1)
// CHECK: nvvm.tcgen05.commit
// CHECK: nvgpu.mbarrier.try_wait.parity %[[BARS]][%{{.*}}], %[[OPHASE]],
// CHECK: %[[ONEXT:.*]] = arith.xori %[[OPHASE]], %{{.*}} : i1
// CHECK: scf.yield %{{.*}}, %{{.*}}, %[[SNEXT]], %[[ONEXT]] : f32, f32, i1, i1
// The epilogue loads O 32 columns at a time and writes each thread's row
// into the query's slot (offset 0), 16 bytes at a time; one lane of each
// warp stores the warp's 32 rows of each 64-column block by TMA.
// CHECK: memref.view %{{.*}}[%c0][] : memref<?xi8, 3> to memref<32768xbf16, 3>
// CHECK: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-COUNT-4: nvvm.tcgen05.wait <load>
// CHECK-COUNT-4: vector.store %{{.*}} {alignment = 16 : i64} : memref<32768xbf16, 3>, vector<8xbf16>
// CHECK-NEXT: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: nvgpu.tma.async.store %{{.*}} to %{{.*}}[%c0, %{{.*}}, %{{.*}}, %{{.*}}], predicate = %{{.*}} : memref<1x1x32x64xbf16, 3>
// CHECK: nvgpu.tma.async.store %{{.*}} to %{{.*}}[%c64, %{{.*}}, %{{.*}}, %{{.*}}], predicate = %{{.*}} : memref<1x1x32x64xbf16, 3>
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// Its reads are done before shared memory goes; then every consumer
// thread syncs before warp 4 frees the tensor memory.
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: nvvm.tcgen05.fence <before>
// CHECK: nvvm.barrier id = %c3_i32 number_of_threads = %c256_i32
// CHECK-NEXT: nvvm.tcgen05.fence <after>
// CHECK: nvvm.tcgen05.dealloc %{{.*}}, %c512_i32 : !llvm.ptr<6>, i32
func.func @attention(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                     %v: tensor<?x2x?x128xbf16>, %o: tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>, tensor<?x2x?x128xbf16>)
         outs(%o : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %r : tensor<?x8x?x128xbf16>
}
