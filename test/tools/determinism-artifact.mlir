// The same input gives byte-identical PTX, cubin and manifest, run to run.
// REQUIRES: ptxas
// RUN: rm -rf %t1 %t2
// RUN: attn-compile %s --chip=sm_80 -o %t1
// RUN: attn-compile %s --chip=sm_80 -o %t2
// RUN: cmp %t1/attention.ptx %t2/attention.ptx
// RUN: cmp %t1/attention.cubin %t2/attention.cubin
// RUN: cmp %t1/attention.json %t2/attention.json
func.func @attention(%q: tensor<?x4x?x128xbf16>, %k: tensor<?x1x?x128xbf16>,
                     %v: tensor<?x1x?x128xbf16>) -> tensor<?x4x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %batch = tensor.dim %q, %c0 : tensor<?x4x?x128xbf16>
  %seq = tensor.dim %q, %c2 : tensor<?x4x?x128xbf16>
  %init = tensor.empty(%batch, %seq) : tensor<?x4x?x128xbf16>
  %o = attn.attention sliding_window(left = 64, right = 0)
         ins(%q, %k, %v : tensor<?x4x?x128xbf16>, tensor<?x1x?x128xbf16>,
                          tensor<?x1x?x128xbf16>)
         outs(%init : tensor<?x4x?x128xbf16>) -> tensor<?x4x?x128xbf16>
  return %o : tensor<?x4x?x128xbf16>
}
