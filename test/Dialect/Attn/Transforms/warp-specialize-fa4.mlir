// RUN: attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize | FileCheck %s

// FlashAttention-4's roles: the producer keeps its region; mma, softmax,
// correction and epilogue share the consumer's, split into sections. The
// MMA warp waits for Q, K and V, issues both products and releases the
// slots; the softmax warps take S and hand P, the row sums and the factor
// by which O moves on; the correction warps rescale O by it before the MMA
// warp adds P V; the epilogue normalises O and takes the LSE.
// CHECK-LABEL: func.func @fa4
//   CHECK-DAG: %[[QC:.*]] = attn.alloc_channel : !attn.channel<1, tensor<256x128xbf16>>
//   CHECK-DAG: %[[KC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<128x128xbf16>>
//   CHECK-DAG: %[[VC:.*]] = attn.alloc_channel : !attn.channel<2, tensor<128x128xbf16>>
//       CHECK: attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>] {
//   CHECK-NOT:   attn.in_role
//       CHECK:   attn.channel_copy %{{.*}} into %[[QC]]
//       CHECK: }, {
//       CHECK:   %[[Q:.*]] = attn.in_role "mma" -> (tensor<256x128xbf16>) {
//  CHECK-NEXT:     %[[QT:.*]] = attn.channel_wait %[[QC]]
//  CHECK-NEXT:     attn.in_role_yield %[[QT]]
//       CHECK:   %[[LOOP:.*]]:3 = scf.for {{.*}} iter_args(%[[O:.*]] = %{{.*}}, %[[L:.*]] = %{{.*}}, %[[M:.*]] = %{{.*}})
//       CHECK:     %[[S:.*]] = attn.in_role "mma" -> (tensor<256x128xf32>) {
//  CHECK-NEXT:       %[[K:.*]] = attn.channel_wait %[[KC]]
//  CHECK-NEXT:       %[[QK:.*]] = attn.qk_matmul %[[Q]], %[[K]]
//  CHECK-NEXT:       attn.channel_release %[[KC]]
//  CHECK-NEXT:       attn.in_role_yield %[[QK]]
//       CHECK:     %[[SM:.*]]:4 = attn.in_role "softmax" -> (tensor<256xf32>, tensor<256xf32>, tensor<256x128xf32>, tensor<256xf32>) {
//  CHECK-NEXT:       %[[MASKED:.*]] = attn.mask_scores %[[S]]
//  CHECK-NEXT:       %[[MAX:.*]] = attn.row_max %[[MASKED]], %[[M]] threshold(8.000000e+00)
//  CHECK-NEXT:       %[[ALPHA:.*]] = attn.row_exp %[[M]], %[[MAX]] base2 : tensor<256xf32>
//  CHECK-NEXT:       %[[P:.*]] = attn.row_exp %[[MASKED]], %[[MAX]] base2 : tensor<256x128xf32>
//  CHECK-NEXT:       %[[LS:.*]] = attn.row_scale %[[L]], %[[ALPHA]] : tensor<256xf32>
//  CHECK-NEXT:       %[[SUM:.*]] = attn.row_sum %[[P]], %[[LS]]
//  CHECK-NEXT:       attn.in_role_yield %[[MAX]], %[[ALPHA]], %[[P]], %[[SUM]]
//       CHECK:     %[[OS:.*]] = attn.in_role "correction" -> (tensor<256x128xf32>) {
//  CHECK-NEXT:       %[[SCALED:.*]] = attn.row_scale %[[O]], %[[SM]]#1 : tensor<256x128xf32>
//  CHECK-NEXT:       attn.in_role_yield %[[SCALED]]
//       CHECK:     %[[PV:.*]] = attn.in_role "mma" -> (tensor<256x128xf32>) {
//  CHECK-NEXT:       %[[V:.*]] = attn.channel_wait %[[VC]]
//  CHECK-NEXT:       %[[ACC:.*]] = attn.pv_matmul %[[SM]]#2, %[[V]], %[[OS]]
//  CHECK-NEXT:       attn.channel_release %[[VC]]
//  CHECK-NEXT:       attn.in_role_yield %[[ACC]]
//       CHECK:     scf.yield %[[PV]], %[[SM]]#3, %[[SM]]#0
//       CHECK:   attn.in_role "mma" {
//  CHECK-NEXT:     attn.channel_release %[[QC]]
//       CHECK:   %[[OUT:.*]]:2 = attn.in_role "epilogue" -> (tensor<256x128xbf16>, tensor<256xf32>) {
//  CHECK-NEXT:     %[[N:.*]] = attn.normalize %[[LOOP]]#0, %[[LOOP]]#1
//  CHECK-NEXT:     %[[LSE:.*]] = attn.lse %[[LOOP]]#2, %[[LOOP]]#1
//  CHECK-NEXT:     attn.in_role_yield %[[N]], %[[LSE]]
//       CHECK:   attn.role_yield %[[OUT]]#0, %[[OUT]]#1
func.func @fa4(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
               %v: tensor<?x2x?x128xbf16>, %o: tensor<?x8x?x128xbf16>,
               %l: tensor<?x8x?xf32>) -> (tensor<?x8x?x128xbf16>, tensor<?x8x?xf32>) {
  %r:2 = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>, tensor<?x2x?x128xbf16>)
         outs(%o, %l : tensor<?x8x?x128xbf16>, tensor<?x8x?xf32>)
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128,
            stages = 2, warps = 16,
            roles = [<name = "producer", warps = 1, registers = 48>,
                     <name = "mma", warps = 1, registers = 48>,
                     <name = "softmax", warps = 8, registers = 192>,
                     <name = "correction", warps = 4, registers = 80>,
                     <name = "epilogue", warps = 2, registers = 48>],
            rescale_threshold = 8.0 : f32>}
         -> tensor<?x8x?x128xbf16>, tensor<?x8x?xf32>
  return %r#0, %r#1 : tensor<?x8x?x128xbf16>, tensor<?x8x?xf32>
}
