// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80

// The sm_80 kernel sizes V, P V and O by Q's head dim: V's must be equal.
// A schedule written into the IR skips the chooser, so the kernel checks
// the rule itself rather than copying past V's rows.
func.func @value_head_dim_wider(%q: tensor<1x1x128x64xbf16>,
                                %k: tensor<1x1x128x64xbf16>,
                                %v: tensor<1x1x128x128xbf16>)
    -> tensor<1x1x128x128xbf16> {
  %init = tensor.empty() : tensor<1x1x128x128xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs V's head dim to equal Q's (64), found 128}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x128xbf16>)
         outs(%init : tensor<1x1x128x128xbf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x128xbf16>
  return %o : tensor<1x1x128x128xbf16>
}

// -----

func.func @value_head_dim_narrower(%q: tensor<1x1x128x128xbf16>,
                                   %k: tensor<1x1x128x128xbf16>,
                                   %v: tensor<1x1x128x64xbf16>)
    -> tensor<1x1x128x64xbf16> {
  %init = tensor.empty() : tensor<1x1x128x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs V's head dim to equal Q's (128), found 64}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x128xbf16>,
                          tensor<1x1x128x128xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xbf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x64xbf16>
  return %o : tensor<1x1x128x64xbf16>
}

// -----

// Head dim 32 in a hand-written schedule: rows of fewer than 8 16-byte
// chunks do not fit the shared-memory swizzle.
func.func @d32(%q: tensor<1x1x64x32xbf16>, %k: tensor<1x1x64x32xbf16>,
               %v: tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16> {
  %init = tensor.empty() : tensor<1x1x64x32xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs a head dim that is a multiple of 16 and at least 64, found 32}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x32xbf16>,
                          tensor<1x1x64x32xbf16>, tensor<1x1x64x32xbf16>)
         outs(%init : tensor<1x1x64x32xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4>}
         -> tensor<1x1x64x32xbf16>
  return %o : tensor<1x1x64x32xbf16>
}
