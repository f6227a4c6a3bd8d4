// The sm_90a kernel's debug mode: each mbarrier wait is a loop of single
// try_waits against the global timer that prints the barrier and traps past
// the bound, instead of waiting forever.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu="chip=sm_90a wait-timeout-ms=250" | FileCheck %s
// RUN: attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a | FileCheck %s --check-prefix=UNBOUNDED
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu="chip=sm_90a wait-timeout-ms=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// CHECK: %[[START:.*]] = nvvm.read.ptx.sreg.globaltimer : i64
// CHECK: scf.while
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "{\0A.reg .pred p;\0Ambarrier.try_wait.parity.shared::cta.b64 p, [$1], $2;\0Aselp.u32 $0, 1, 0, p;\0A}", "=r,r,r"
// CHECK: %[[NOW:.*]] = nvvm.read.ptx.sreg.globaltimer : i64
// CHECK: arith.subi %[[NOW]], %[[START]]
// CHECK: arith.cmpi ugt, %{{.*}}, %c250000000_i64
// CHECK: gpu.printf "attn: mbarrier %u (parity %u) not complete after 250 ms: block (%u, %u, %u), thread %u\0A"
// CHECK: llvm.intr.trap
// CHECK: scf.condition

// UNBOUNDED-NOT: globaltimer
// UNBOUNDED: nvgpu.mbarrier.try_wait.parity
// UNBOUNDED-NOT: globaltimer

// NEGATIVE: error: convert-attn-to-nvgpu: wait-timeout-ms must be 0 (unbounded) or a positive number of milliseconds, got -1
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x8x?x64xbf16>,
                     %v: tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>,
                                       tensor<?x8x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
