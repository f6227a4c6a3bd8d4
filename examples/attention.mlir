// Causal grouped-query attention: 8 query heads share 2 key/value heads.
// Batch and sequence lengths are dynamic; head dim 64; bf16 in and out.
//
//   attn-opt examples/attention.mlir                        # parse, verify, print
//   attn-cpu-run examples/attention.mlir --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77
func.func @attention(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
