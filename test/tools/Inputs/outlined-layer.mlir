// An attention inside a larger function (a reshape of O after it): its
// kernel is outlined as @layer_attention and the caller is host code
// (test/tools/attn-compile-artifact-folder.mlir).
func.func @layer(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                 %v: tensor<1x1x64x64xbf16>) -> tensor<64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  %r = tensor.collapse_shape %o [[0, 1, 2], [3]] : tensor<1x1x64x64xbf16> into tensor<64x64xbf16>
  return %r : tensor<64x64xbf16>
}
