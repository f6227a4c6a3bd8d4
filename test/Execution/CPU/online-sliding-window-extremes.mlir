// Sliding windows at the extremes the op allows (extents up to INT64_MAX),
// tiled and online: the K/V range of each query tile clamps the extents to
// the sequence lengths, so the arithmetic does not overflow and a window
// wider than the sequences sees what no mask (or a causal mask) sees.
// DEFINE: %{online} = -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax
// DEFINE: %{max} = 9223372036854775807
// RUN: sed -e 's/LEFT/%{max}/' -e 's/RIGHT/%{max}/' %s > %t.both.mlir
// RUN: attn-cpu-run %t.both.mlir --seq-q 37 --seq-kv 91 --passes "%{online}" | FileCheck %s --check-prefix=BOTH
// RUN: attn-cpu-run %t.both.mlir --seq-q 91 --seq-kv 37 --passes "%{online}" | FileCheck %s --check-prefix=BOTH
// RUN: sed -e 's/LEFT/%{max}/' -e 's/RIGHT/0/' %s > %t.left.mlir
// RUN: attn-cpu-run %t.left.mlir --seq-q 91 --seq-kv 37 --passes "%{online}" | FileCheck %s --check-prefix=LEFT
// RUN: sed -e 's/LEFT/0/' -e 's/RIGHT/%{max}/' %s > %t.right.mlir
// RUN: attn-cpu-run %t.right.mlir --seq-q 37 --seq-kv 91 --passes "%{online}" | FileCheck %s --check-prefix=RIGHT
// RUN: sed -e 's/LEFT/9223372036854775806/' -e 's/RIGHT/1/' %s > %t.near.mlir
// RUN: attn-cpu-run %t.near.mlir --seq-q 40 --seq-kv 40 --passes "%{online}" | FileCheck %s --check-prefix=NEAR
// BOTH: mask=sliding_window(9223372036854775807,9223372036854775807) {{.*}} PASS
// LEFT: Sq=91 Skv=37 {{.*}} mask=sliding_window(9223372036854775807,0) {{.*}} PASS
// RIGHT: Sq=37 Skv=91 {{.*}} mask=sliding_window(0,9223372036854775807) {{.*}} PASS
// NEAR: mask=sliding_window(9223372036854775806,1) {{.*}} PASS
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
  %r:2 = attn.attention sliding_window(left = LEFT, right = RIGHT)
         ins(%q, %k, %v : tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>)
         outs(%o, %l : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>)
         -> tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
  return %r#0, %r#1 : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
}
