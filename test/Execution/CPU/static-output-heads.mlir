// The destination has 8 static heads while Q, K and V have runtime head counts:
// the reference relaxes the destination's head dim before splitting it.
// RUN: attn-cpu-run %s --heads 8 --kv-heads 2 --seq-q 19 --seq-kv 23 | FileCheck %s
// CHECK: B=1 Hq=8 Hkv=2 Sq=19 Skv=23 D=16 Dv=16 f32 mask=causal {{.*}} PASS
func.func @attention(%q: tensor<1x?x?x16xf32>, %k: tensor<1x?x?x16xf32>, %v: tensor<1x?x?x16xf32>) -> tensor<1x8x?x16xf32> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x?x?x16xf32>
  %o = tensor.empty(%s) : tensor<1x8x?x16xf32>
  %r = attn.attention causal ins(%q, %k, %v : tensor<1x?x?x16xf32>, tensor<1x?x?x16xf32>, tensor<1x?x?x16xf32>) outs(%o : tensor<1x8x?x16xf32>) -> tensor<1x8x?x16xf32>
  return %r : tensor<1x8x?x16xf32>
}
