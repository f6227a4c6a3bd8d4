// The online form with an explicit scale and a softcap, causal, D = 128:
// log2(e) is folded into the softcap's multiplier.
// DEFINE: %{online} = -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 130 --seq-kv 130 --passes "%{online}" | FileCheck %s --check-prefix=SQ130
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 130 --seq-kv 130 --passes "%{online}=rescale-threshold=8" | FileCheck %s --check-prefix=LAZY
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 1 --seq-kv 17 --passes "%{online}" | FileCheck %s --check-prefix=ONE-ROW
// SQ130: Sq=130 Skv=130 D=128 {{.*}} mask=causal {{.*}} PASS
// LAZY: Sq=130 Skv=130 {{.*}} PASS
// ONE-ROW: Hq=4 Hkv=1 Sq=1 Skv=17 {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x128xf32>, %k: tensor<?x?x?x128xf32>,
                     %v: tensor<?x?x?x128xf32>)
    -> (tensor<?x?x?x128xf32>, tensor<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x128xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x128xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x128xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x128xf32>
  %l = tensor.empty(%b, %h, %s) : tensor<?x?x?xf32>
  %r:2 = attn.attention causal scale(0.2) softcap(5.0)
         ins(%q, %k, %v : tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>)
         outs(%o, %l : tensor<?x?x?x128xf32>, tensor<?x?x?xf32>)
         -> tensor<?x?x?x128xf32>, tensor<?x?x?xf32>
  return %r#0, %r#1 : tensor<?x?x?x128xf32>, tensor<?x?x?xf32>
}
