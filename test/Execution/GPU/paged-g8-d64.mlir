// sm_80 kernel on a paged K/V cache of 16-key pages (smaller than the
// 64-key K/V tile, so one tile reads four pages), run on a GPU: 32 query
// heads on 4 key/value heads (packed, eight to a group), head dim 64, no
// mask, queries 1 to 16 against ragged caches; split into 256-key chunks.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 4 --heads 32 --kv-heads 4 --seq-q 1 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t --batch 3 --heads 32 --kv-heads 4 --seq-q 16 --seq-kv 17 | FileCheck %s
// RUN: attn-compile %s --chip=sm_80 --kv-chunk=256 -o %t-split
// RUN: attn-run %t-split --batch 6 --heads 32 --kv-heads 4 --seq-q 1 --seq-kv 5000 | FileCheck %s
// RUN: attn-run %t-split --batch 3 --heads 32 --kv-heads 4 --seq-q 3 --seq-kv 255 | FileCheck %s
// sm_90a builds the same kernel for a paged cache.
// RUN: attn-compile %s --chip=sm_90a -o %t-sm90a
// RUN: attn-run %t-sm90a --batch 4 --heads 32 --kv-heads 4 --seq-q 1 --seq-kv 300 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @paged_g8_d64(%q: tensor<?x32x?x64xf16>, %k: tensor<?x16x4x64xf16>,
    %v: tensor<?x16x4x64xf16>, %table: tensor<?x?xi32>, %lengths: tensor<?xi32>)
    -> tensor<?x32x?x64xf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x?x64xf16>
  %s = tensor.dim %q, %c2 : tensor<?x32x?x64xf16>
  %init = tensor.empty(%b, %s) : tensor<?x32x?x64xf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x32x?x64xf16>, tensor<?x16x4x64xf16>,
                          tensor<?x16x4x64xf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x32x?x64xf16>) -> tensor<?x32x?x64xf16>
  return %o : tensor<?x32x?x64xf16>
}
