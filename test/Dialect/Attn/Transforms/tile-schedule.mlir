// RUN: attn-opt %s -split-input-file -attn-tile | FileCheck %s

// Without options, the tile sizes come from the op's #attn.schedule.
// CHECK-LABEL: func.func @from_schedule
//       CHECK: scf.forall
//       CHECK:   attn.load_tile {{.*}} -> tensor<128x64xbf16>
//       CHECK:   scf.for
//       CHECK:     attn.load_tile {{.*}} -> tensor<16x64xbf16>
//       CHECK: {attn.schedule = #attn.schedule<tile_m = 128, tile_n = 16, stages = 2, warps = 4>}
func.func @from_schedule(%q: tensor<1x1x?x64xbf16>, %k: tensor<1x1x?x64xbf16>, %v: tensor<1x1x?x64xbf16>,
                         %o: tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%o : tensor<1x1x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 128, tile_n = 16, stages = 2, warps = 4>}
         -> tensor<1x1x?x64xbf16>
  return %r : tensor<1x1x?x64xbf16>
}

// -----

// An op no target has scheduled is tiled 64 x 64.
// CHECK-LABEL: func.func @default_tiles
//       CHECK:   attn.load_tile {{.*}} -> tensor<64x64xf32>
//       CHECK:   scf.for
//       CHECK:     attn.load_tile {{.*}} -> tensor<64x64xf32>
//       CHECK: {attn.schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 1, warps = 1>}
func.func @default_tiles(%q: tensor<1x1x?x64xf32>, %o: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>)
         outs(%o : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}
