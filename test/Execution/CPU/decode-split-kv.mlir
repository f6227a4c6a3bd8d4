// Decode forms on the CPU against float64: split-KV (chunks of 32 keys of
// 16-key tiles) with packed GQA (4 query heads of a group in one 16-row
// tile, 4 rows each), through the tiled (L2), online (L3) and pipelined
// (L4) levels. The edges: one query (a decode step) and several (a
// speculative step, rows of a packed tile past Sq), a cache shorter than a
// tile and than a chunk (chunks past it see no key), chunks that end in a
// ragged tile, more queries than keys (causal rows that see none), and
// batches whose rows meet in one grid.
// RUN: attn-cpu-run %s --batch 2 --seq-q 1 --seq-kv 100 --passes "-attn-tile" | FileCheck %s
// RUN: attn-cpu-run %s --batch 2 --seq-q 1 --seq-kv 100 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --seq-q 7 --seq-kv 70 --passes "-attn-tile -attn-fuse-online-softmax" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --seq-q 16 --seq-kv 5 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --seq-q 40 --seq-kv 33 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// The schedule's rescale threshold and the options that turn each choice
// off run the same function.
// RUN: attn-cpu-run %s --batch 1 --seq-q 3 --seq-kv 200 --passes "-attn-tile -attn-fuse-online-softmax=rescale-threshold=8" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --seq-q 3 --seq-kv 200 --passes "-attn-tile=kv-chunk=0 -attn-fuse-online-softmax" | FileCheck %s
// CHECK: Hq=8 Hkv=2 {{.*}} mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>) -> (tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %lse = tensor.empty(%b, %s) : tensor<?x8x?xf32>
  %o, %l = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init, %lse : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1,
                                    kv_chunk = 32, pack_gqa = true>}
         -> tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
  return %o, %l : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
}
