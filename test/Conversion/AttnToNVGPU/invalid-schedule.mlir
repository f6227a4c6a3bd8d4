// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80

// A schedule written into the IR skips the chooser, so the sm_80 kernel
// checks its shape rule itself rather than copying past a tile.

// 16 key rows of 4 chunks (head dim 8, padded to 32) are 64 chunks: not a
// whole pass of 128 threads.
func.func @chunks_not_a_whole_pass(%q: tensor<1x1x64x8xbf16>, %k: tensor<1x1x64x8xbf16>,
                                   %v: tensor<1x1x64x8xbf16>) -> tensor<1x1x64x8xbf16> {
  %init = tensor.empty() : tensor<1x1x64x8xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs tiles whose 16-byte chunks split evenly over the 128 threads (16 rows of 4 chunks)}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x8xbf16>,
                          tensor<1x1x64x8xbf16>, tensor<1x1x64x8xbf16>)
         outs(%init : tensor<1x1x64x8xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 16, stages = 2, warps = 4>}
         -> tensor<1x1x64x8xbf16>
  return %o : tensor<1x1x64x8xbf16>
}

// -----

// Each warp owns whole m16 row blocks of the query tile.
func.func @rows_not_whole_blocks(%q: tensor<1x1x64x64xbf16>, %k: tensor<1x1x64x64xbf16>,
                                 %v: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
  %init = tensor.empty() : tensor<1x1x64x64xbf16>
  // expected-error @+1 {{convert-attn-to-nvgpu: the sm_80 kernel needs tile_m to be a multiple of 16 x warps (128)}}
  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x64xbf16>,
                          tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>)
         outs(%init : tensor<1x1x64x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 8>}
         -> tensor<1x1x64x64xbf16>
  return %o : tensor<1x1x64x64xbf16>
}
