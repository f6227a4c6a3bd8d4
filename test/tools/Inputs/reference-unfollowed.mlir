// Q sliced before the attention (@attention): attn-cpu-run's float64 reference does not
// follow tensor.extract_slice and says so (test/tools/attn-cpu-run-bad-input.mlir).
func.func @attention(%q: tensor<1x2x40x16xf32>, %k: tensor<1x2x32x16xf32>,
                     %v: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %qs = tensor.extract_slice %q[0, 0, 8, 0] [1, 2, 32, 16] [1, 1, 1, 1] : tensor<1x2x40x16xf32> to tensor<1x2x32x16xf32>
  %e = tensor.empty() : tensor<1x2x32x16xf32>
  %o = attn.attention ins(%qs, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>)
         outs(%e : tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}

// A value larger than the float64 reference holds (2^27 elements).
func.func @too_large(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>,
                     %v: tensor<1x2x32x16xf32>) -> (tensor<1x2x32x16xf32>, tensor<8192x16384xf32>) {
  %e = tensor.empty() : tensor<1x2x32x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>)
         outs(%e : tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
  %big = tensor.empty() : tensor<8192x16384xf32>
  return %o, %big : tensor<1x2x32x16xf32>, tensor<8192x16384xf32>
}
