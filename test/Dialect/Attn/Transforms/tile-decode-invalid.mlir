// RUN: attn-opt %s -attn-tile="kv-chunk=24" -verify-diagnostics

// A chunk of the option must be whole tiles of the schedule.
func.func @chunk_option(%q: tensor<1x1x8x64xf32>, %k: tensor<1x1x8x64xf32>, %v: tensor<1x1x8x64xf32>,
                        %o: tensor<1x1x8x64xf32>) -> tensor<1x1x8x64xf32> {
  // expected-error @below {{attn-tile: kv_chunk must be 0 or a positive multiple of tile_n = 16, got 24}}
  %r = attn.attention ins(%q, %k, %v : tensor<1x1x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1x1x8x64xf32>)
    outs(%o : tensor<1x1x8x64xf32>)
    {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1>}
    -> tensor<1x1x8x64xf32>
  return %r : tensor<1x1x8x64xf32>
}
