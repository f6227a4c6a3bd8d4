// Pipelined grids whose K/V copies are not -attn-pipeline-async's form,
// edited by hand: the producer's K/V loop starts where the copies' tiles do
// and enables every copy, so each copy must copy the tile stages - 1 steps
// ahead, enabled exactly where that tile exists, with one depth for both
// rings.
// RUN: attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async \
// RUN:   | sed 's/ring<2, tensor<32x32xbf16>>/ring<3, tensor<32x32xbf16>>/g' \
// RUN:   | not attn-opt -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=DEPTH
// RUN: attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async \
// RUN:   | sed 's/arith.cmpi slt/arith.cmpi sle/' \
// RUN:   | not attn-opt -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=EXISTS
// V's ring made 3 deep:
// DEPTH: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error: attn-warp-specialize: expects the K/V loop's rings to have one depth
// DEPTH-NEXT: attn.copy_tile_async %arg2{{.*}}!attn.ring<3, tensor<32x32xbf16>>
// The copies enabled up to and including the upper bound (a tile past the
// end):
// EXISTS: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error: attn-warp-specialize: expects each copy in the K/V loop to copy the tile stages - 1 steps ahead, enabled where that tile exists (-attn-pipeline-async's form)
// EXISTS-NEXT: attn.copy_tile_async %arg1
func.func @f(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
             %v: tensor<1x2x?x32xbf16>, %o: tensor<1x2x?x32xbf16>) -> tensor<1x2x?x32xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x32xbf16>)
         outs(%o : tensor<1x2x?x32xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x32xbf16>
  return %r : tensor<1x2x?x32xbf16>
}
