// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -convert-attn-to-nvgpu=chip=sm_100a

// A schedule written into the IR skips the chooser, so the sm_100a kernel
// checks its shape rule and what it does not build yet itself.

// S and O of two consumers at tile_n 256 and Dv 128 need 768 columns of
// tensor memory; it has 512.
func.func @too_many_columns(%q: tensor<1x1x256x128xbf16>, %k: tensor<1x1x256x128xbf16>,
    %v: tensor<1x1x256x128xbf16>) -> tensor<1x1x256x128xbf16> {
  %init = tensor.empty() : tensor<1x1x256x128xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_100a kernel needs S and O of its 2 consumer warpgroups in the 512 columns of tensor memory, found 768 (tile_n 256, value head dim 128)}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x128xbf16>,
                          tensor<1x1x256x128xbf16>, tensor<1x1x256x128xbf16>)
         outs(%init : tensor<1x1x256x128xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 256, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x256x128xbf16>
  return %o : tensor<1x1x256x128xbf16>
}

// -----

// One consumer warpgroup per 128 rows: 192 is not a whole number of them.
func.func @tile_m_192(%q: tensor<1x1x192x64xbf16>, %k: tensor<1x1x128x64xbf16>,
    %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x192x64xbf16> {
  %init = tensor.empty() : tensor<1x1x192x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_100a kernel needs tile_m = 128 or 256 (128 query rows per consumer warpgroup), found 192}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x192x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x192x64xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 192, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x1x192x64xbf16>
  return %o : tensor<1x1x192x64xbf16>
}

// -----

// The persistent tile loop would have to carry the MMA barrier's phase
// across tiles; not built yet.
func.func @persistent(%q: tensor<1x1x256x64xbf16>, %k: tensor<1x1x128x64xbf16>,
    %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x256x64xbf16> {
  %init = tensor.empty() : tensor<1x1x256x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_100a kernel does not take persistent schedules yet}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x256x64xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], persistent = true>}
         -> tensor<1x1x256x64xbf16>
  return %o : tensor<1x1x256x64xbf16>
}

// -----

// Its products complete where they are issued: no overlapped consumer.
func.func @overlap(%q: tensor<1x1x256x64xbf16>, %k: tensor<1x1x128x64xbf16>,
    %v: tensor<1x1x128x64xbf16>) -> tensor<1x1x256x64xbf16> {
  %init = tensor.empty() : tensor<1x1x256x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_100a kernel does not take overlapped or ping-pong consumers yet; its MMAs complete before their results are used}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x64xbf16>,
                          tensor<1x1x128x64xbf16>, tensor<1x1x128x64xbf16>)
         outs(%init : tensor<1x1x256x64xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], overlap = true>}
         -> tensor<1x1x256x64xbf16>
  return %o : tensor<1x1x256x64xbf16>
}

// -----

// P is stored 32 columns (64 keys) at a time: 32 keys a tile are too few.
func.func @tile_n_32(%q: tensor<1x1x128x256xbf16>, %k: tensor<1x1x128x256xbf16>,
    %v: tensor<1x1x128x256xbf16>) -> tensor<1x1x128x256xbf16> {
  %init = tensor.empty() : tensor<1x1x128x256xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_100a kernel needs tile_n to be a multiple of 64 from 64 to 256, found 32}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x128x256xbf16>,
                          tensor<1x1x128x256xbf16>, tensor<1x1x128x256xbf16>)
         outs(%init : tensor<1x1x128x256xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 128, tile_n = 32, stages = 2, warps = 8, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 4, registers = 240>]>}
         -> tensor<1x1x128x256xbf16>
  return %o : tensor<1x1x128x256xbf16>
}

// -----

// FlashAttention-4's own roles split the consumer into sections that no
// kernel runs yet.
func.func @fa4_roles(%q: tensor<1x1x256x128xbf16>, %k: tensor<1x1x256x128xbf16>,
    %v: tensor<1x1x256x128xbf16>) -> tensor<1x1x256x128xbf16> {
  %init = tensor.empty() : tensor<1x1x256x128xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: no kernel takes FlashAttention-4's mma, softmax, correction and epilogue roles (attn.in_role sections) yet; the warp-specialised kernels run a producer and a consumer role}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x256x128xbf16>,
                          tensor<1x1x256x128xbf16>, tensor<1x1x256x128xbf16>)
         outs(%init : tensor<1x1x256x128xbf16>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>]>}
         -> tensor<1x1x256x128xbf16>
  return %o : tensor<1x1x256x128xbf16>
}
