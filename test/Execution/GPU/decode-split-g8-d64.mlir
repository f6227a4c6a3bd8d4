// sm_80 kernel with split-KV (256-key chunks) and packed GQA asked for (Sq
// is dynamic), run on a GPU: 8 query heads per key/value head, head dim 64,
// no mask. Several query tiles share a chunk count (Sq = 17, 40) and each
// merges on its own counter.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 --pack-gqa --kv-chunk=256 -o %t
// RUN: attn-run %t --batch 2 --heads 16 --kv-heads 2 --seq-q 1 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 16 --kv-heads 2 --seq-q 16 --seq-kv 4096 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 16 --kv-heads 2 --seq-q 40 --seq-kv 700 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 16 --kv-heads 2 --seq-q 17 --seq-kv 100 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @decode_split_g8_d64(%q: tensor<?x16x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
    %v: tensor<?x2x?x64xbf16>) -> tensor<?x16x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x16x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x16x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x16x?x64xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x16x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x16x?x64xbf16>) -> tensor<?x16x?x64xbf16>
  return %o : tensor<?x16x?x64xbf16>
}
