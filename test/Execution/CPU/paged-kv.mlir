// A paged K/V cache on the CPU against float64: pages of 16 keys handed out
// out of order across the batch, ragged cache lengths (one batch's cache
// full, one empty when the batch has three or more, which gives zeros),
// lengths that are not a multiple of the page, and block table entries past
// each sequence's last page that are out of range (so reading one fails).
// Through the reference lowering, the tiled (L2), online (L3) and pipelined
// (L4) levels, and the decode forms: split-KV chunks over the table's
// capacity and packed GQA.
// RUN: attn-cpu-run %s --batch 3 --seq-q 1 --seq-kv 100 | FileCheck %s
// RUN: attn-cpu-run %s --batch 4 --seq-q 1 --seq-kv 70 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 3 --seq-q 7 --seq-kv 50 --passes "-attn-tile" | FileCheck %s
// RUN: attn-cpu-run %s --batch 4 --seq-q 1 --seq-kv 100 --passes '-attn-tile="tile-m=16 tile-n=16 kv-chunk=32 pack-gqa=true" -attn-fuse-online-softmax -attn-pipeline-async' | FileCheck %s
// RUN: attn-cpu-run %s --batch 3 --seq-q 16 --seq-kv 40 --passes '-attn-tile="tile-m=16 tile-n=16 kv-chunk=16" -attn-fuse-online-softmax' | FileCheck %s
// CHECK: Hq=8 Hkv=2 {{.*}} paged(page=16) mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>,
                     %table: tensor<?x?xi32>, %lengths: tensor<?xi32>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
