// RUN: attn-opt %s -split-input-file -attn-tile -verify-diagnostics
// RUN: not attn-opt %s -attn-tile="tile-m=-1 tile-n=16" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: attn-tile: tile-m and tile-n must be positive, got -1 and 16

func.func @on_memrefs(%q: memref<1x1x8x64xf32>, %k: memref<1x1x8x64xf32>, %v: memref<1x1x8x64xf32>,
                      %o: memref<1x1x8x64xf32>) {
  // expected-error @below {{attn-tile: cannot tile an attention on memrefs: run -attn-tile before bufferization}}
  attn.attention ins(%q, %k, %v : memref<1x1x8x64xf32>, memref<1x1x8x64xf32>, memref<1x1x8x64xf32>)
    outs(%o : memref<1x1x8x64xf32>)
    {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1>}
  return
}

// -----

func.func @packed_dynamic_heads(%q: tensor<1x?x8x64xf32>, %k: tensor<1x?x8x64xf32>, %v: tensor<1x?x8x64xf32>,
                                %o: tensor<1x?x8x64xf32>) -> tensor<1x?x8x64xf32> {
  // expected-error @below {{attn-tile: pack_gqa needs static query and key/value head counts}}
  %r = attn.attention ins(%q, %k, %v : tensor<1x?x8x64xf32>, tensor<1x?x8x64xf32>, tensor<1x?x8x64xf32>)
    outs(%o : tensor<1x?x8x64xf32>)
    {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1, pack_gqa = true>}
    -> tensor<1x?x8x64xf32>
  return %r : tensor<1x?x8x64xf32>
}

// -----

func.func @packed_group_uneven(%q: tensor<1x6x8x64xf32>, %k: tensor<1x2x8x64xf32>, %v: tensor<1x2x8x64xf32>,
                               %o: tensor<1x6x8x64xf32>) -> tensor<1x6x8x64xf32> {
  // expected-error @below {{attn-tile: pack_gqa: tile_m = 16 cannot hold the 3 query heads of a group equally}}
  %r = attn.attention ins(%q, %k, %v : tensor<1x6x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>)
    outs(%o : tensor<1x6x8x64xf32>)
    {schedule = #attn.schedule<tile_m = 16, tile_n = 16, stages = 1, warps = 1, pack_gqa = true>}
    -> tensor<1x6x8x64xf32>
  return %r : tensor<1x6x8x64xf32>
}
