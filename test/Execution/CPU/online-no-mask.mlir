// The online form of attention without a mask, D = 128, in f32.
// DEFINE: %{online} = -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 1 --seq-q 1 --seq-kv 1000 --passes "%{online}" | FileCheck %s --check-prefix=DECODE
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 1 --seq-q 17 --seq-kv 64 --passes "%{online}" | FileCheck %s --check-prefix=MQA
// RUN: attn-cpu-run %s --batch 1 --heads 8 --kv-heads 2 --seq-q 130 --seq-kv 17 --passes "%{online}" | FileCheck %s --check-prefix=GQA
// RUN: attn-cpu-run %s --batch 1 --heads 1 --seq-q 1000 --seq-kv 1000 --passes "%{online}=rescale-threshold=8" | FileCheck %s --check-prefix=LAZY
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 64 --seq-kv 130 --passes "-attn-tile='tile-m=64 tile-n=32' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=TILE64
// DECODE: B=2 Hq=4 Hkv=1 Sq=1 Skv=1000 D=128 {{.*}} mask=none {{.*}} PASS
// MQA: Hq=4 Hkv=1 Sq=17 Skv=64 {{.*}} PASS
// GQA: Hq=8 Hkv=2 Sq=130 Skv=17 {{.*}} PASS
// LAZY: Sq=1000 Skv=1000 {{.*}} PASS
// TILE64: Sq=64 Skv=130 {{.*}} PASS
func.func @attention(%q: tensor<?x?x?x128xf32>, %k: tensor<?x?x?x128xf32>,
                     %v: tensor<?x?x?x128xf32>) -> tensor<?x?x?x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x128xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x128xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x128xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x128xf32>
  %r = attn.attention 
         ins(%q, %k, %v : tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>, tensor<?x?x?x128xf32>)
         outs(%o : tensor<?x?x?x128xf32>) -> tensor<?x?x?x128xf32>
  return %r : tensor<?x?x?x128xf32>
}
