// sm_80 kernel, run on a GPU: causal GQA 4:1, head dim 32 (rows padded to 32 elements: one pass of 4-chunk rows), ragged lengths, Sq != Skv both ways.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_gqa_d32(%q: tensor<?x8x?x32xbf16>, %k: tensor<?x2x?x32xbf16>,
    %v: tensor<?x2x?x32xbf16>) -> tensor<?x8x?x32xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x32xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x32xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x32xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x32xbf16>, tensor<?x2x?x32xbf16>,
                          tensor<?x2x?x32xbf16>)
         outs(%init : tensor<?x8x?x32xbf16>) -> tensor<?x8x?x32xbf16>
  return %o : tensor<?x8x?x32xbf16>
}
