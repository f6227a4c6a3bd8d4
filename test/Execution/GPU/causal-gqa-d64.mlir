// sm_80 and sm_90a kernels, run on a GPU: causal GQA 8:2 (4:1), head dim 64, bf16.
// Ragged lengths, Sq != Skv both ways (Sq > Skv leaves rows with no key).
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// The same cases on the sm_90a kernel (wgmma, TMA, warp roles).
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// Three consumer warpgroups overlap and take turns by default; without the
// turns:
// RUN: attn-compile %s --chip=sm_90a --ping-pong=false -o %t.sm90free
// RUN: attn-run %t.sm90free --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90free --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_gqa_d64(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                          %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
