// sm_80 kernel, run on a GPU: causal GQA 2:1, f16, head dim 72 (a multiple of 8, not of 16: the last MMA step reads zero-filled columns), ragged lengths.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 500 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @causal_f16_d72(%q: tensor<?x4x?x72xf16>, %k: tensor<?x2x?x72xf16>,
    %v: tensor<?x2x?x72xf16>) -> tensor<?x4x?x72xf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x72xf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x72xf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x72xf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x72xf16>, tensor<?x2x?x72xf16>,
                          tensor<?x2x?x72xf16>)
         outs(%init : tensor<?x4x?x72xf16>) -> tensor<?x4x?x72xf16>
  return %o : tensor<?x4x?x72xf16>
}
