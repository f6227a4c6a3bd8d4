// The sm_80 PTX holds the instructions the kernel is built on, ptxas
// assembles it; head dim 64 uses no local memory, and 128 (two m16 row
// blocks a warp, O in 128 registers a thread) under 64 bytes.
// REQUIRES: ptxas
// RUN: attn-compile %s --chip=sm_80 --emit=ptx | FileCheck %s --check-prefix=PTX
// RUN: attn-compile %s --chip=sm_80 -o %t64 | FileCheck %s --check-prefix=NOSPILL
// RUN: sed 's/64xbf16/128xbf16/g' %s > %t.d128.mlir
// RUN: attn-compile %t.d128.mlir --chip=sm_80 -o %t128 | FileCheck %s --check-prefix=FEWSPILLS
// RUN: ls %t64 | FileCheck %s --check-prefix=FILES

// PTX: .target sm_80
// PTX: .extern .shared .align 1024 .b8 attn_dynamic_smem[]
// PTX: .entry attention(
// PTX-DAG: cp.async.cg.shared.global
// PTX-DAG: cp.async.commit_group
// PTX-DAG: cp.async.wait_group
// PTX-DAG: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX-DAG: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-DAG: shfl.sync.bfly.b32
// PTX-DAG: ex2.approx
// PTX-DAG: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16

// NOSPILL: attention: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads; Used {{[0-9]+}} registers
// FEWSPILLS: attention: {{[0-9]+}} bytes stack frame, {{[0-9]|[1-5][0-9]|6[0-3]}} bytes spill stores

// FILES: attention.cubin
// FILES-NEXT: attention.json
// FILES-NEXT: attention.ptx
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x8x?x64xbf16>,
                     %v: tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x8x?x64xbf16>,
                          tensor<?x8x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
