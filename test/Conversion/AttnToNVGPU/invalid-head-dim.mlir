// RUN: attn-opt %s -verify-diagnostics -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80

// Head dim 32: a multiple of 16, but rows of fewer than 8 16-byte chunks do
// not fit the shared-memory swizzle.
func.func @d32(%q: tensor<1x1x64x32xbf16>, %k: tensor<1x1x64x32xbf16>,
               %v: tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16> {
  %init = tensor.empty() : tensor<1x1x64x32xbf16>
  // expected-error @+1 {{sm_80 kernel: needs a head dim that is a multiple of 16 and at least 64}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x32xbf16>,
                          tensor<1x1x64x32xbf16>, tensor<1x1x64x32xbf16>)
         outs(%init : tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16>
  return %o : tensor<1x1x64x32xbf16>
}
