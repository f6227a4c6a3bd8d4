// sm_80 kernel on a paged K/V cache without grouping (16 heads, each its
// own K/V head: nothing to pack), head dim 256, a sliding window, pages of
// 32 keys; prefill-sized query blocks (64 queries) against ragged caches,
// and a decode step split into 512-key chunks.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 3 --heads 16 --kv-heads 16 --seq-q 64 --seq-kv 700 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 16 --kv-heads 16 --seq-q 1 --seq-kv 2000 | FileCheck %s
// RUN: attn-compile %s --chip=sm_80 --kv-chunk=512 -o %t-split
// RUN: attn-run %t-split --batch 3 --heads 16 --kv-heads 16 --seq-q 1 --seq-kv 3000 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @paged_mha_d256(%q: tensor<?x16x?x256xbf16>, %k: tensor<?x32x16x256xbf16>,
    %v: tensor<?x32x16x256xbf16>, %table: tensor<?x?xi32>, %lengths: tensor<?xi32>)
    -> tensor<?x16x?x256xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x16x?x256xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x16x?x256xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x16x?x256xbf16>
  %o = attn.attention sliding_window(left = 500, right = 0)
         ins(%q, %k, %v : tensor<?x16x?x256xbf16>, tensor<?x32x16x256xbf16>,
                          tensor<?x32x16x256xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x16x?x256xbf16>) -> tensor<?x16x?x256xbf16>
  return %o : tensor<?x16x?x256xbf16>
}
