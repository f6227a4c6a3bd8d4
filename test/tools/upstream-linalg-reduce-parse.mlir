// MLIR 22.1's linalg.reduce parser (and linalg.broadcast's) crashes on a
// malformed `dimensions` list instead of reporting it
// (llvm/llvm-project#132747); attn-fuzz found both.
// The parser is upstream's, so this test records the crash until an MLIR
// with the fix arrives, when it starts to pass and the XFAIL must go.
// XFAIL: *
// RUN: not attn-opt %s 2>&1 | FileCheck %s
// CHECK: error: unexpected character
func.func @reduce(%x: tensor<4x4xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.reduce ins(%x : tensor<4x4xf32>) outs(%init : tensor<4xf32>) dimensions = [1`]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  return %r : tensor<4xf32>
}
