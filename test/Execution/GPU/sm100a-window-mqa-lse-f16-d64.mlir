// The sm_100a kernel run on a Blackwell GPU: sliding window (left 200,
// right 0) with MQA, the LSE output, f16, head dim 64; Sq > Skv leaves rows
// with no key (O = 0, LSE = -inf).
// REQUIRES: cuda-gpu, cuda-sm100
// RUN: attn-compile %s --chip=sm_100a -o %t.sm100
// RUN: attn-run %t.sm100 --batch 2 --heads 4 --kv-heads 1 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 1 --heads 4 --kv-heads 1 --seq-q 77 --seq-kv 700 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 1 --heads 4 --kv-heads 1 --seq-q 700 --seq-kv 77 | FileCheck %s
// CHECK: lse max abs err
// CHECK-SAME: unwritten 0: PASS
func.func @window_mqa_lse_f16_d64(%q: tensor<?x4x?x64xf16>, %k: tensor<?x1x?x64xf16>,
                                  %v: tensor<?x1x?x64xf16>)
    -> (tensor<?x4x?x64xf16>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xf16>
  %linit = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %lse = attn.attention sliding_window(left = 200, right = 0)
         ins(%q, %k, %v : tensor<?x4x?x64xf16>, tensor<?x1x?x64xf16>,
                          tensor<?x1x?x64xf16>)
         outs(%init, %linit : tensor<?x4x?x64xf16>, tensor<?x4x?xf32>)
         -> tensor<?x4x?x64xf16>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x64xf16>, tensor<?x4x?xf32>
}
