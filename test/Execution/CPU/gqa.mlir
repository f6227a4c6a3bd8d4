// Grouped-query attention with static heads (8 query heads on 2 key/value
// heads: 4:1), causal, with different key and value head dims.
// RUN: attn-cpu-run %s --seq-q 37 --seq-kv 91 | FileCheck %s
// CHECK: B=2 Hq=8 Hkv=2 Sq=37 Skv=91 D=32 Dv=64 f32 mask=causal {{.*}} PASS
func.func @attention(%q: tensor<2x8x?x32xf32>, %k: tensor<2x2x?x32xf32>,
                     %v: tensor<2x2x?x64xf32>) -> tensor<2x8x?x64xf32> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<2x8x?x32xf32>
  %o = tensor.empty(%s) : tensor<2x8x?x64xf32>
  %r = attn.attention causal
         ins(%q, %k, %v : tensor<2x8x?x32xf32>, tensor<2x2x?x32xf32>, tensor<2x2x?x64xf32>)
         outs(%o : tensor<2x8x?x64xf32>) -> tensor<2x8x?x64xf32>
  return %r : tensor<2x8x?x64xf32>
}
