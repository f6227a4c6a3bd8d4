// The tiled two-pass form (attn-tile alone, level L2) runs too: a max loop,
// then a sum and P V loop.
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 130 --seq-kv 64 --passes "-attn-tile='tile-m=16 tile-n=16'" | FileCheck %s --check-prefix=CAUSAL
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 17 --seq-kv 1000 --passes "-attn-tile='tile-m=16 tile-n=32'" | FileCheck %s --check-prefix=SHORT-Q
// CAUSAL: Hq=4 Hkv=1 Sq=130 Skv=64 D=64 {{.*}} mask=causal {{.*}} PASS
// SHORT-Q: Sq=17 Skv=1000 {{.*}} PASS
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
  %r:2 = attn.attention causal
         ins(%q, %k, %v : tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>)
         outs(%o, %l : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>)
         -> tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
  return %r#0, %r#1 : tensor<?x?x?x64xf32>, tensor<?x?x?xf32>
}
