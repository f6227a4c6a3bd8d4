// The online form of a sliding window (33 keys to the left, 7 to the right),
// D = 64, in f32 with the log-sum-exp: each query tile visits only the K/V
// tiles its window reaches.
// DEFINE: %{online} = -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 130 --seq-kv 130 --passes "%{online}" | FileCheck %s --check-prefix=SQ130
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 17 --seq-kv 1000 --passes "%{online}" | FileCheck %s --check-prefix=SHORT-Q
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 1000 --seq-kv 17 --passes "%{online}" | FileCheck %s --check-prefix=EMPTY-ROWS
// RUN: attn-cpu-run %s --batch 1 --heads 8 --kv-heads 2 --seq-q 64 --seq-kv 64 --passes "%{online}=rescale-threshold=8" | FileCheck %s --check-prefix=LAZY
// SQ130: Sq=130 Skv=130 {{.*}} mask=sliding_window(33,7) {{.*}} PASS
// SHORT-Q: Hq=4 Hkv=1 Sq=17 Skv=1000 {{.*}} PASS
// EMPTY-ROWS: Sq=1000 Skv=17 {{.*}} PASS
// LAZY: Hq=8 Hkv=2 Sq=64 Skv=64 {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x64xf32>, %k: tensor<?x?x?x64xf32>,
                     %v: tensor<?x?x?x64xf32>)
    -> (tensor<?x?x?x64xf32>, tensor<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x64xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x64xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x64xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x64xf32>
  %l = tensor.empty(%b, %h, %s) : tensor<?x?x?xf32>
  %r:2 = attn.attention sliding_window(left = 33, right = 7)
         ins(%q, %k, %v : tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>)
         outs(%o, %l : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>)
         -> tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
  return %r#0, %r#1 : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
}
