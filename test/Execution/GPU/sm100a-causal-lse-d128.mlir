// The sm_100a kernel (tcgen05, S and O in tensor memory), run on a
// Blackwell GPU (compute capability 10.0): causal with the LSE output, head
// dim 128 (two 128-row consumer warpgroups, 128-key tiles).
// REQUIRES: cuda-gpu, cuda-sm100
// RUN: attn-compile %s --chip=sm_100a -o %t.sm100
// RUN: attn-run %t.sm100 --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 2 --heads 4 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 1 --heads 4 --seq-q 300 --seq-kv 100 | FileCheck %s
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
