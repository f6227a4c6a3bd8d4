// sm_80 and sm_90a kernels, run on a GPU: causal with the LSE output, head dim 128.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 300 --seq-kv 100 | FileCheck %s
// The same cases on the sm_90a kernel (wgmma, TMA, warp roles).
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 2 --heads 4 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 4 --seq-q 300 --seq-kv 100 | FileCheck %s
// And the consumer without the intra-warpgroup overlap (synchronous
// products), the schedule bench/ablation.py compares against.
// RUN: attn-compile %s --chip=sm_90a --overlap=false -o %t.sm90plain
// RUN: attn-run %t.sm90plain --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90plain --batch 1 --heads 4 --seq-q 300 --seq-kv 100 | FileCheck %s
// Conditional rescaling (threshold 8 in log2 units): O rescaled only in
// warps whose rows' max moved that far.
// RUN: attn-compile %s --chip=sm_90a --rescale-threshold=8 -o %t.sm90lazy
// RUN: attn-run %t.sm90lazy --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90lazy --batch 2 --heads 4 --seq-q 77 --seq-kv 1000 | FileCheck %s
// CHECK: lse max abs err
// CHECK-SAME: unwritten 0: PASS
func.func @causal_lse_d128(%q: tensor<?x4x?x128xbf16>, %k: tensor<?x4x?x128xbf16>,
                           %v: tensor<?x4x?x128xbf16>)
    -> (tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x128xbf16>
  %linit = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %lse = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x128xbf16>, tensor<?x4x?x128xbf16>,
                          tensor<?x4x?x128xbf16>)
         outs(%init, %linit : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>)
         -> tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
}
