// sm_80 kernel, run on a GPU: head dim 224 (rows of 28 chunks, 7 a thread
// in 128 x 64 tiles of 8 warps, one K slot and one V slot), GQA 4:1, causal,
// ragged lengths, Sq != Skv.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 65 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_gqa_d224(%q: tensor<?x8x?x224xbf16>, %k: tensor<?x2x?x224xbf16>,
    %v: tensor<?x2x?x224xbf16>) -> tensor<?x8x?x224xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x224xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x224xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x224xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x224xbf16>, tensor<?x2x?x224xbf16>,
                          tensor<?x2x?x224xbf16>)
         outs(%init : tensor<?x8x?x224xbf16>) -> tensor<?x8x?x224xbf16>
  return %o : tensor<?x8x?x224xbf16>
}
