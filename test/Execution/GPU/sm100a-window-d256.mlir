// The sm_100a kernel run on a Blackwell GPU: sliding window (left 100,
// right 20), head dim 256 (one consumer warpgroup: S and O of two would not
// fit tensor memory), bf16.
// REQUIRES: cuda-gpu, cuda-sm100
// RUN: attn-compile %s --chip=sm_100a -o %t.sm100
// RUN: attn-run %t.sm100 --batch 1 --heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm100 --batch 1 --heads 2 --seq-q 77 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @window_d256(%q: tensor<?x2x?x256xbf16>, %k: tensor<?x2x?x256xbf16>,
                       %v: tensor<?x2x?x256xbf16>) -> tensor<?x2x?x256xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x2x?x256xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x2x?x256xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x2x?x256xbf16>
  %o = attn.attention sliding_window(left = 100, right = 20)
         ins(%q, %k, %v : tensor<?x2x?x256xbf16>, tensor<?x2x?x256xbf16>,
                          tensor<?x2x?x256xbf16>)
         outs(%init : tensor<?x2x?x256xbf16>) -> tensor<?x2x?x256xbf16>
  return %o : tensor<?x2x?x256xbf16>
}
