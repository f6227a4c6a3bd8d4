// Split-KV and packed GQA in f32, where the tolerance is 1e-5: the merge
// of the chunks is exact, not merely within bf16 rounding. Sliding windows
// leave whole chunks unseen (their LSE is -inf and weighs 0), MQA packs all
// 8 query heads into one tile, and no mask visits every chunk.
// RUN: attn-cpu-run %s --entry window --batch 1 --seq-q 5 --seq-kv 300 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s --check-prefix=WINDOW
// RUN: attn-cpu-run %s --entry window --batch 2 --seq-q 16 --seq-kv 64 --passes "-attn-tile -attn-fuse-online-softmax" | FileCheck %s --check-prefix=WINDOW
// RUN: attn-cpu-run %s --entry mqa --batch 1 --seq-q 2 --seq-kv 129 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s --check-prefix=MQA
// RUN: attn-cpu-run %s --entry mqa --batch 3 --seq-q 1 --seq-kv 1 --passes "-attn-tile -attn-fuse-online-softmax" | FileCheck %s --check-prefix=MQA
// WINDOW: Hq=4 Hkv=4 {{.*}} f32 mask=sliding_window(40,0) {{.*}} PASS
// MQA: Hq=8 Hkv=1 {{.*}} f32 mask=none {{.*}} PASS
func.func @window(%q: tensor<?x4x?x64xf32>, %k: tensor<?x4x?x64xf32>,
                  %v: tensor<?x4x?x64xf32>) -> (tensor<?x4x?x64xf32>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xf32>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xf32>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xf32>
  %lse = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %l = attn.attention sliding_window(left = 40, right = 0)
         ins(%q, %k, %v : tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>)
         outs(%init, %lse : tensor<?x4x?x64xf32>, tensor<?x4x?xf32>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1, kv_chunk = 16>}
         -> tensor<?x4x?x64xf32>, tensor<?x4x?xf32>
  return %o, %l : tensor<?x4x?x64xf32>, tensor<?x4x?xf32>
}

func.func @mqa(%q: tensor<?x8x?x64xf32>, %k: tensor<?x1x?x64xf32>,
               %v: tensor<?x1x?x64xf32>) -> tensor<?x8x?x64xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xf32>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xf32>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xf32>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x8x?x64xf32>, tensor<?x1x?x64xf32>, tensor<?x1x?x64xf32>)
         outs(%init : tensor<?x8x?x64xf32>)
         {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 2, warps = 1, kv_chunk = 48, pack_gqa = true>}
         -> tensor<?x8x?x64xf32>
  return %o : tensor<?x8x?x64xf32>
}
