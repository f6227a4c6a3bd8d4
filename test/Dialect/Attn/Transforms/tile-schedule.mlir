// RUN: attn-opt %s -attn-tile | FileCheck %s

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
