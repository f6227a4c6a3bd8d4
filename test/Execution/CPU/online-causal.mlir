// The tiled, online form (attn-tile + attn-fuse-online-softmax) of causal
// attention with the log-sum-exp, D = 64, in f32 with 16 x 16 tiles so that
// many tiles and ragged edges are exercised. Each run checks the online form
// and the reference lowering on the same random inputs against float64.
// DEFINE: %{online} = -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax
// RUN: attn-cpu-run %s --batch 1 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 --passes "%{online}" | FileCheck %s --check-prefix=ONE
// RUN: attn-cpu-run %s --batch 2 --heads 8 --kv-heads 2 --seq-q 17 --seq-kv 17 --passes "%{online}" | FileCheck %s --check-prefix=GQA17
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 64 --seq-kv 64 --passes "%{online}" | FileCheck %s --check-prefix=MQA64
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 130 --seq-kv 130 --passes "%{online}" | FileCheck %s --check-prefix=SQ130
// RUN: attn-cpu-run %s --batch 1 --heads 1 --seq-q 1000 --seq-kv 1000 --passes "%{online}" | FileCheck %s --check-prefix=SQ1000
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 17 --seq-kv 130 --passes "%{online}" | FileCheck %s --check-prefix=SHORT-Q
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 130 --seq-kv 17 --passes "%{online}" | FileCheck %s --check-prefix=EMPTY-ROWS
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 1000 --seq-kv 64 --passes "-attn-tile='tile-m=32 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=TILE32
// RUN: attn-cpu-run %s --batch 1 --heads 8 --kv-heads 2 --seq-q 130 --seq-kv 130 --passes "%{online}=rescale-threshold=8" | FileCheck %s --check-prefix=LAZY8
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 64 --seq-kv 1000 --passes "%{online}=rescale-threshold=0.5" | FileCheck %s --check-prefix=LAZY05
// ONE: B=1 Hq=8 Hkv=2 Sq=1 Skv=1 D=64 {{.*}} mask=causal {{.*}} PASS
// GQA17: Hq=8 Hkv=2 Sq=17 Skv=17 {{.*}} PASS
// MQA64: Hq=4 Hkv=1 Sq=64 Skv=64 {{.*}} PASS
// SQ130: Sq=130 Skv=130 {{.*}} PASS
// SQ1000: Sq=1000 Skv=1000 {{.*}} PASS
// SHORT-Q: Hq=4 Hkv=1 Sq=17 Skv=130 {{.*}} PASS
// Rows before the first key (Sq > Skv) give zeros and an LSE of -inf.
// EMPTY-ROWS: Sq=130 Skv=17 {{.*}} PASS
// TILE32: Sq=1000 Skv=64 {{.*}} PASS
// LAZY8: Sq=130 Skv=130 {{.*}} PASS
// LAZY05: Sq=64 Skv=1000 {{.*}} PASS
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
