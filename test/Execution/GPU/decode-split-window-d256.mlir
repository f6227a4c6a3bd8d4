// sm_80 kernel with split-KV alone (128-key chunks; heads are dynamic, so
// nothing is packed), run on a GPU: head dim 256, a sliding window of 100
// keys, so most chunks see no key (their LSE is -inf and weighs nothing in
// the merge), with the LSE; Sq past one tile.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 --kv-chunk=128 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 2 --seq-q 1 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 2 --kv-heads 1 --seq-q 100 --seq-kv 3000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 2 --kv-heads 2 --seq-q 70 --seq-kv 50 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @decode_split_window_d256(%q: tensor<?x?x?x256xbf16>, %k: tensor<?x?x?x256xbf16>,
    %v: tensor<?x?x?x256xbf16>) -> (tensor<?x?x?x256xbf16>, tensor<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x256xbf16>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x256xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x256xbf16>
  %init = tensor.empty(%b, %h, %s) : tensor<?x?x?x256xbf16>
  %linit = tensor.empty(%b, %h, %s) : tensor<?x?x?xf32>
  %o, %l = attn.attention sliding_window(left = 100, right = 0)
         ins(%q, %k, %v : tensor<?x?x?x256xbf16>, tensor<?x?x?x256xbf16>,
                          tensor<?x?x?x256xbf16>)
         outs(%init, %linit : tensor<?x?x?x256xbf16>, tensor<?x?x?xf32>)
         -> tensor<?x?x?x256xbf16>, tensor<?x?x?xf32>
  return %o, %l : tensor<?x?x?x256xbf16>, tensor<?x?x?xf32>
}
