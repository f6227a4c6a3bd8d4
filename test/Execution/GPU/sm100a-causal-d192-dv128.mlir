// The sm_100a kernel run on a Blackwell GPU: causal GQA 4:1, Q/K head dim
// 192 and V head dim 128 (64-key tiles), ragged lengths, Sq != Skv.
// REQUIRES: cuda-gpu, cuda-sm100
// RUN: attn-compile %s --chip=sm_100a -o %t.sm100
// RUN: attn-run %t.sm100 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 1 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 77 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_d192_dv128(%q: tensor<?x8x?x192xbf16>, %k: tensor<?x2x?x192xbf16>,
    %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x192xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x192xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x192xbf16>, tensor<?x2x?x192xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}
