// A decode step on a paged K/V cache: one query of 32 heads on 8 key/value
// heads, head dim 128, 64-key pages.
func.func @paged_decode(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x64x8x128xbf16>,
    %v: tensor<?x64x8x128xbf16>, %table: tensor<?x?xi32>, %lengths: tensor<?xi32>)
    -> tensor<?x32x1x128xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x1x128xbf16>
  %init = tensor.empty(%b) : tensor<?x32x1x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x1x128xbf16>, tensor<?x64x8x128xbf16>,
                          tensor<?x64x8x128xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %o : tensor<?x32x1x128xbf16>
}
