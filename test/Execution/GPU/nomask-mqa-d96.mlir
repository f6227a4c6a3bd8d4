// sm_80 kernel, run on a GPU: no mask, MQA (8 query heads on 1), head dim 96 (Phi-3), ragged lengths.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 1 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 1 --seq-q 33 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @nomask_mqa_d96(%q: tensor<?x8x?x96xbf16>, %k: tensor<?x1x?x96xbf16>,
    %v: tensor<?x1x?x96xbf16>) -> tensor<?x8x?x96xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x96xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x96xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x96xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x8x?x96xbf16>, tensor<?x1x?x96xbf16>,
                          tensor<?x1x?x96xbf16>)
         outs(%init : tensor<?x8x?x96xbf16>) -> tensor<?x8x?x96xbf16>
  return %o : tensor<?x8x?x96xbf16>
}
