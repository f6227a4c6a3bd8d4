// Causal attention with the log-sum-exp, in f32, against float64 NumPy.
// Sq > Skv leaves the first Sq - Skv query rows with no visible key: they
// must give zeros and an LSE of -inf, never NaN.
// RUN: attn-cpu-run %s --batch 2 --heads 3 --seq-q 64 | FileCheck %s --check-prefix=SQUARE
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 37 --seq-kv 91 | FileCheck %s --check-prefix=RAGGED
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 91 --seq-kv 37 | FileCheck %s --check-prefix=EMPTY-ROWS
// SQUARE: B=2 Hq=3 Hkv=3 Sq=64 Skv=64 D=32 Dv=32 f32 mask=causal {{.*}} lse err {{.*}} PASS
// RAGGED: Sq=37 Skv=91 {{.*}} mask=causal {{.*}} PASS
// EMPTY-ROWS: Sq=91 Skv=37 {{.*}} mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x32xf32>, %k: tensor<?x?x?x32xf32>,
                     %v: tensor<?x?x?x32xf32>)
    -> (tensor<?x?x?x32xf32>, tensor<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x32xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x32xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x32xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x32xf32>
  %l = tensor.empty(%b, %h, %s) : tensor<?x?x?xf32>
  %r:2 = attn.attention causal
           ins(%q, %k, %v : tensor<?x?x?x32xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?x32xf32>)
           outs(%o, %l : tensor<?x?x?x32xf32>, tensor<?x?x?xf32>)
           -> tensor<?x?x?x32xf32>, tensor<?x?x?xf32>
  return %r#0, %r#1 : tensor<?x?x?x32xf32>, tensor<?x?x?xf32>
}
