// RUN: attn-opt %s -split-input-file -verify-diagnostics -convert-attn-to-nvgpu=chip=sm_80

// attn.attention that was never tiled.
// expected-error @below {{expects an attention grid}}
func.func @untiled(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                   %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
