// Malformed IR gets a located error and a non-zero exit, not a crash.
// RUN: not attn-opt %s 2>&1 | FileCheck %s
// CHECK: bad-input.mlir:6:23: error: custom op 'attn.attention' expected 'ins'
func.func @f(%q: tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %0 = attn.attention ins(%q, %q, %q : tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) outs(%q : tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  %1 = attn.attention causual ins(%q, %q, %q : tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) outs(%q : tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %1 : tensor<1x4x8x16xf32>
}
