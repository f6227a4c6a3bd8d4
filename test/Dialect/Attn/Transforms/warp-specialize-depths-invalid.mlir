// A pipelined grid whose K and V rings differ in depth (here V's made 3
// deep by hand): the producer's K/V loop starts where the copies' tiles
// do, one distance for both rings.
// RUN: attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async \
// RUN:   | sed 's/ring<2, tensor<32x32xbf16>>/ring<3, tensor<32x32xbf16>>/g' \
// RUN:   | not attn-opt -attn-warp-specialize 2>&1 | FileCheck %s
// CHECK: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error: attn-warp-specialize: expects the K/V loop's rings to have one depth
// CHECK-NEXT: attn.copy_tile_async %arg2{{.*}}!attn.ring<3, tensor<32x32xbf16>>
func.func @f(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
             %v: tensor<1x2x?x32xbf16>, %o: tensor<1x2x?x32xbf16>) -> tensor<1x2x?x32xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x32xbf16>)
         outs(%o : tensor<1x2x?x32xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x32xbf16>
  return %r : tensor<1x2x?x32xbf16>
}
