// A paged cache of 3-key pages (no length divides evenly) with a sliding
// window, a value head dim of its own and the LSE, in f32: rows that see no
// key give zeros and an LSE of -inf exactly.
// RUN: attn-cpu-run %s --batch 4 --seq-q 9 --seq-kv 30 | FileCheck %s
// RUN: attn-cpu-run %s --batch 4 --seq-q 9 --seq-kv 30 --passes '-attn-tile="tile-m=16 tile-n=16 kv-chunk=16" -attn-fuse-online-softmax -attn-pipeline-async' | FileCheck %s
// RUN: attn-cpu-run %s --batch 3 --seq-q 1 --seq-kv 61 --passes '-attn-tile="tile-m=16 tile-n=16" -attn-fuse-online-softmax=rescale-threshold=8 -attn-pipeline-async' | FileCheck %s
// CHECK: Hq=4 Hkv=2 {{.*}} f32 paged(page=3) mask=sliding_window(5,2) {{.*}} PASS
func.func @attention(%q: tensor<?x4x?x32xf32>, %k: tensor<?x3x2x32xf32>, %v: tensor<?x3x2x48xf32>,
                     %table: tensor<?x?xi32>, %lengths: tensor<?xi32>) -> (tensor<?x4x?x48xf32>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x32xf32>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x32xf32>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x48xf32>
  %lse = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %l = attn.attention sliding_window(left = 5, right = 2)
         ins(%q, %k, %v : tensor<?x4x?x32xf32>, tensor<?x3x2x32xf32>, tensor<?x3x2x48xf32>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init, %lse : tensor<?x4x?x48xf32>, tensor<?x4x?xf32>) -> tensor<?x4x?x48xf32>, tensor<?x4x?xf32>
  return %o, %l : tensor<?x4x?x48xf32>, tensor<?x4x?xf32>
}
