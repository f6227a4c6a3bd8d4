// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_90a

// A schedule written into the IR skips the chooser, so the sm_90a kernel
// checks its shape rule itself.

// Two consumer warpgroups of 64 rows each: a 64-row query tile leaves one
// without rows.
func.func @tile_m_64(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                     %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs tile_m = 128 (64 query rows per consumer warpgroup), found 64}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}

// -----

// 256 keys a tile at head dim 256: S, P and O would not fit a consumer
// thread's registers.
func.func @too_many_registers(%q: tensor<1x1x128x256xbf16>, %k: tensor<1x1x256x256xbf16>,
                              %v: tensor<1x1x256x256xbf16>) -> tensor<1x1x128x256xbf16> {
  %init = tensor.empty() : tensor<1x1x128x256xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs at most 192 accumulator registers a consumer thread (S, P and O), found 320 at tile_n 256, value head dim 256}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x256xbf16>,
                          tensor<1x1x256x256xbf16>, tensor<1x1x256x256xbf16>)
         outs(%init : tensor<1x1x128x256xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 256, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x128x256xbf16>
  return %o : tensor<1x1x128x256xbf16>
}

// -----

// Head dim 96 is not a whole number of 64-column TMA boxes.
func.func @head_dim_96(%q: tensor<1x1x128x96xbf16>, %k: tensor<1x1x128x96xbf16>,
                       %v: tensor<1x1x128x96xbf16>) -> tensor<1x1x128x96xbf16> {
  %init = tensor.empty() : tensor<1x1x128x96xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_90a kernel needs head dims that are multiples of 64 from 64 to 256, found 96}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x96xbf16>,
                          tensor<1x1x128x96xbf16>, tensor<1x1x128x96xbf16>)
         outs(%init : tensor<1x1x128x96xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 64, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x128x96xbf16>
  return %o : tensor<1x1x128x96xbf16>
}
