// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80

// The sm_80 kernel stages O in the query's shared slot and stores it in the
// inputs' element type. An output of another type (the op allows it) in a
// hand-written schedule, which skips the chooser, meets the same rule in the
// kernel: a located error naming both types, never IR that fails to verify.
func.func @output_bf16_to_f32(%q: tensor<1x1x128x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                        %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x128x64xf32> {
  %init = tensor.empty() : tensor<1x1x128x64xf32>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs the output in the inputs' element type (bf16), found f32}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xf32>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x64xf32>
  return %o : tensor<1x1x128x64xf32>
}

// -----

func.func @output_f16_to_f32(%q: tensor<1x1x128x64xf16>, %k: tensor<1x1x128x64xf16>,
                        %v: tensor<1x1x128x64xf16>) -> tensor<1x1x128x64xf32> {
  %init = tensor.empty() : tensor<1x1x128x64xf32>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs the output in the inputs' element type (f16), found f32}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xf16>,
                          tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>)
         outs(%init : tensor<1x1x128x64xf32>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x64xf32>
  return %o : tensor<1x1x128x64xf32>
}

// -----

func.func @output_f16_to_bf16(%q: tensor<1x1x128x64xf16>, %k: tensor<1x1x128x64xf16>,
                        %v: tensor<1x1x128x64xf16>) -> tensor<1x1x128x64xbf16> {
  %init = tensor.empty() : tensor<1x1x128x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs the output in the inputs' element type (f16), found bf16}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xf16>,
                          tensor<1x1x128x64xf16>, tensor<1x1x128x64xf16>)
         outs(%init : tensor<1x1x128x64xbf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x64xbf16>
  return %o : tensor<1x1x128x64xbf16>
}

// -----

func.func @output_bf16_to_f16(%q: tensor<1x1x128x64xbf16>, %k: tensor<1x1x128x64xbf16>,
                        %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x128x64xf16> {
  %init = tensor.empty() : tensor<1x1x128x64xf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs the output in the inputs' element type (bf16), found f16}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x128x64xf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x128x64xf16>
  return %o : tensor<1x1x128x64xf16>
}
