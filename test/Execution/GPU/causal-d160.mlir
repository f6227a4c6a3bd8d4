// sm_80 kernel, run on a GPU: causal, head dim 160 (128 x 64 tiles of 8 warps, one K slot and one V slot), ragged lengths, Sq != Skv.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --seq-q 77 --seq-kv 300 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_d160(%q: tensor<?x4x?x160xbf16>, %k: tensor<?x4x?x160xbf16>,
    %v: tensor<?x4x?x160xbf16>) -> tensor<?x4x?x160xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x160xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x160xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x160xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x160xbf16>, tensor<?x4x?x160xbf16>,
                          tensor<?x4x?x160xbf16>)
         outs(%init : tensor<?x4x?x160xbf16>) -> tensor<?x4x?x160xbf16>
  return %o : tensor<?x4x?x160xbf16>
}
