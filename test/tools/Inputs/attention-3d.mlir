// A 3-D (heads folded into the batch) attention graph: attn-cpu-run runs 4-D
// Q, K and V only, and says so (test/tools/attn-cpu-run-bad-input.mlir).
func.func @attention(%q: tensor<8x32x64xf32>, %k: tensor<2x32x64xf32>, %v: tensor<2x32x64xf32>) -> tensor<8x32x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e4 = tensor.empty() : tensor<2x4x32x64xf32>
  %kb = linalg.broadcast ins(%k : tensor<2x32x64xf32>) outs(%e4 : tensor<2x4x32x64xf32>) dimensions = [1]
  %kr = tensor.collapse_shape %kb [[0, 1], [2], [3]] : tensor<2x4x32x64xf32> into tensor<8x32x64xf32>
  %vb = linalg.broadcast ins(%v : tensor<2x32x64xf32>) outs(%e4 : tensor<2x4x32x64xf32>) dimensions = [1]
  %vr = tensor.collapse_shape %vb [[0, 1], [2], [3]] : tensor<2x4x32x64xf32> into tensor<8x32x64xf32>
  %et = tensor.empty() : tensor<8x64x32xf32>
  %kt = linalg.transpose ins(%kr : tensor<8x32x64xf32>) outs(%et : tensor<8x64x32xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<8x32x32xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<8x32x64xf32>, tensor<8x64x32xf32>) outs(%zs : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<8x32x32xf32>) outs(%es : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %eo = tensor.empty() : tensor<8x32x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  %o = linalg.batch_matmul ins(%p, %vr : tensor<8x32x32xf32>, tensor<8x32x64xf32>) outs(%zo : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  return %o : tensor<8x32x64xf32>
}
