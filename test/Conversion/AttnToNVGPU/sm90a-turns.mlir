// The scheduled sm_90a consumer at head dim 64 (three consumer warpgroups,
// overlap and turns): convert-attn-to-nvgpu from -attn-overlap-consumer and
// -attn-order-warpgroups.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer -attn-order-warpgroups -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=TURNS

// The last warpgroup hands the first turn to the
// first; each turn waits on its warpgroup's named barrier (256 threads: its
// own and the arrival of the one before), issues its wgmma groups and
// passes the turn on before waiting for any of them. In each step the
// scores' wait leaves P V in flight (wait_group 1); O's comes after the
// softmax; P crosses the loop packed (32 O, 2 + 2 row, 32 P registers).
// TURNS: nvvm.setmaxregister  increase 160
// TURNS: %[[LASTGROUP:.*]] = arith.cmpi eq, %{{.*}}, %c2 : index
// TURNS-NEXT: scf.if %[[LASTGROUP]] {
// TURNS-NEXT: %[[ONE:.*]] = arith.constant 1 : i32
// TURNS-NEXT: %[[ALL:.*]] = arith.constant 256 : i32
// TURNS-NEXT: nvvm.barrier.arrive id = %[[ONE]] number_of_threads = %[[ALL]]
// Prologue: Q K_0^T in a turn, waited for at once.
// TURNS: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// TURNS: nvvm.wgmma.fence.aligned
// TURNS-COUNT-4: nvvm.wgmma.mma_async
// TURNS: nvvm.wgmma.commit.group.sync.aligned
// TURNS-NEXT: arith.addi
// TURNS: nvvm.barrier.arrive id = %{{.*}} number_of_threads = %{{.*}}
// TURNS-NEXT: nvvm.wgmma.wait.group.sync.aligned 0
// TURNS: scf.for {{.*}} -> ({{(f32, ){36}(i32, ){31}i32}}) {
// TURNS: nvvm.barrier id
// TURNS: nvvm.wgmma.fence.aligned
// TURNS-COUNT-4: nvvm.wgmma.mma_async
// TURNS: nvvm.wgmma.commit.group.sync.aligned
// TURNS: nvvm.wgmma.fence.aligned
// TURNS: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// TURNS: nvvm.wgmma.commit.group.sync.aligned
// TURNS: nvvm.barrier.arrive id
// TURNS-NEXT: nvvm.wgmma.wait.group.sync.aligned 1
// TURNS: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f"
// TURNS: nvvm.wgmma.wait.group.sync.aligned 0
// TURNS: scf.yield
// Epilogue: the last P V in a turn.
// TURNS: nvvm.barrier id
// TURNS: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// TURNS: nvvm.barrier.arrive id
// TURNS-NEXT: nvvm.wgmma.wait.group.sync.aligned 0
// TURNS: vector.store

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
