// RUN: attn-opt %s -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize | FileCheck %s

// The sm_100a schedule's L4, what its kernel is emitted from: a 256-row
// query channel (two 128-row consumer warpgroups), 128-key K and V rings of
// two stages, the producer and consumer roles with their register budgets,
// and the consumer's online softmax with the lazy row max (threshold 8).
// CHECK-LABEL: func.func @sm100a
//   CHECK-DAG: %[[QC:.*]] = attn.alloc_channel : !attn.channel<1, tensor<256x128xbf16>>
//   CHECK-DAG: %[[KC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<128x128xbf16>>
//   CHECK-DAG: %[[VC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<128x128xbf16>>
//       CHECK: attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>] {
//       CHECK:   attn.channel_copy %{{.*}} into %[[QC]]
//       CHECK: }, {
//       CHECK:   %[[Q:.*]] = attn.channel_wait %[[QC]]
//       CHECK:   scf.for
//       CHECK:     %[[K:.*]] = attn.channel_wait %[[KC]]
//       CHECK:     attn.qk_matmul %[[Q]], %[[K]] : tensor<256x128xbf16>, tensor<128x128xbf16> -> tensor<256x128xf32>
//       CHECK:     attn.channel_release %[[KC]]
//       CHECK:     attn.row_max {{.*}} threshold(8.000000e+00) : tensor<256x128xf32>, tensor<256xf32>
//       CHECK:     %[[V:.*]] = attn.channel_wait %[[VC]]
//       CHECK:     attn.pv_matmul %{{.*}}, %[[V]], %{{.*}} : tensor<256x128xf32>, tensor<128x128xbf16>, tensor<256x128xf32>
//       CHECK:     attn.channel_release %[[VC]]
//       CHECK:   attn.normalize
//       CHECK: attn.schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12
func.func @sm100a(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                  %v: tensor<?x2x?x128xbf16>, %o: tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>, tensor<?x2x?x128xbf16>)
         outs(%o : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %r : tensor<?x8x?x128xbf16>
}
