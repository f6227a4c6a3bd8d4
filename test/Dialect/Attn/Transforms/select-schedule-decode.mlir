// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 | FileCheck %s
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 pack-gqa" 2>&1 | FileCheck %s --check-prefix=ASKED
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_90a | FileCheck %s --check-prefix=SM90
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_90a pack-gqa" 2>&1 | FileCheck %s --check-prefix=SM90-ASKED

// A decode step (static Sq of at most 16) in a group of 4: one 16-row m16
// block per warp, one warp per query head of the group. Sq = 17 is not a
// decode step, and Sq dynamic packs only when asked. sm_90a builds the sm_80
// kernel (kind fa2) for the packed steps and its own (fa3) for the others,
// and packs them all when asked.
// CHECK-LABEL: func.func @group4
//       CHECK: {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, pack_gqa = true>} -> tensor<?x32x1x128xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, pack_gqa = true>} -> tensor<?x32x16x128xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x32x17x128xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<?x32x?x128xbf16>
// ASKED-LABEL: func.func @group4
//   ASKED-COUNT-4: pack_gqa = true
// SM90-LABEL: func.func @group4
//       SM90: {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, pack_gqa = true>} -> tensor<?x32x1x128xbf16>
//       SM90: {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, pack_gqa = true>} -> tensor<?x32x16x128xbf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, {{.*}}} -> tensor<?x32x17x128xbf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, {{.*}}} -> tensor<?x32x?x128xbf16>
// SM90-ASKED-LABEL: func.func @group4
//   SM90-ASKED-COUNT-4: {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 4, pack_gqa = true>}
func.func @group4(%k: tensor<?x8x?x128xbf16>, %q1: tensor<?x32x1x128xbf16>, %q16: tensor<?x32x16x128xbf16>,
                  %q17: tensor<?x32x17x128xbf16>, %q: tensor<?x32x?x128xbf16>)
    -> (tensor<?x32x1x128xbf16>, tensor<?x32x16x128xbf16>, tensor<?x32x17x128xbf16>, tensor<?x32x?x128xbf16>) {
  %0 = attn.attention causal ins(%q1, %k, %k : tensor<?x32x1x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%q1 : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  %1 = attn.attention causal ins(%q16, %k, %k : tensor<?x32x16x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%q16 : tensor<?x32x16x128xbf16>) -> tensor<?x32x16x128xbf16>
  %2 = attn.attention causal ins(%q17, %k, %k : tensor<?x32x17x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%q17 : tensor<?x32x17x128xbf16>) -> tensor<?x32x17x128xbf16>
  %3 = attn.attention causal ins(%q, %k, %k : tensor<?x32x?x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%q : tensor<?x32x?x128xbf16>) -> tensor<?x32x?x128xbf16>
  return %0, %1, %2, %3 : tensor<?x32x1x128xbf16>, tensor<?x32x16x128xbf16>, tensor<?x32x17x128xbf16>, tensor<?x32x?x128xbf16>
}

// -----

// Groups of 2 and 8: four warps, two a head; eight warps, one a head. A
// group of 3 and MQA's 32 do not pack (no tile of whole warps per head);
// select-schedule-decode-fallback.mlir has the head dims where a group of 8
// does not either.
// CHECK-LABEL: func.func @groups
//       CHECK: {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 2, warps = 4, pack_gqa = true>} -> tensor<1x4x1x256xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, pack_gqa = true>} -> tensor<1x8x1x64xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<1x3x1x64xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 4>} -> tensor<1x32x1x64xbf16>
// SM90-LABEL: func.func @groups
//       SM90: {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 2, warps = 4, pack_gqa = true>} -> tensor<1x4x1x256xbf16>
//       SM90: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, pack_gqa = true>} -> tensor<1x8x1x64xbf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 192, {{.*}}} -> tensor<1x3x1x64xbf16>
//       SM90: {schedule = #attn.schedule<kind = fa3, tile_m = 192, {{.*}}} -> tensor<1x32x1x64xbf16>
func.func @groups(%q2: tensor<1x4x1x256xbf16>, %k2: tensor<1x2x50x256xbf16>,
                  %q8: tensor<1x8x1x64xbf16>, %q3: tensor<1x3x1x64xbf16>, %q32: tensor<1x32x1x64xbf16>,
                  %k1: tensor<1x1x50x64xbf16>)
    -> (tensor<1x4x1x256xbf16>, tensor<1x8x1x64xbf16>, tensor<1x3x1x64xbf16>, tensor<1x32x1x64xbf16>) {
  %0 = attn.attention ins(%q2, %k2, %k2 : tensor<1x4x1x256xbf16>, tensor<1x2x50x256xbf16>, tensor<1x2x50x256xbf16>)
         outs(%q2 : tensor<1x4x1x256xbf16>) -> tensor<1x4x1x256xbf16>
  %1 = attn.attention ins(%q8, %k1, %k1 : tensor<1x8x1x64xbf16>, tensor<1x1x50x64xbf16>, tensor<1x1x50x64xbf16>)
         outs(%q8 : tensor<1x8x1x64xbf16>) -> tensor<1x8x1x64xbf16>
  %2 = attn.attention ins(%q3, %k1, %k1 : tensor<1x3x1x64xbf16>, tensor<1x1x50x64xbf16>, tensor<1x1x50x64xbf16>)
         outs(%q3 : tensor<1x3x1x64xbf16>) -> tensor<1x3x1x64xbf16>
  %3 = attn.attention ins(%q32, %k1, %k1 : tensor<1x32x1x64xbf16>, tensor<1x1x50x64xbf16>, tensor<1x1x50x64xbf16>)
         outs(%q32 : tensor<1x32x1x64xbf16>) -> tensor<1x32x1x64xbf16>
  return %0, %1, %2, %3 : tensor<1x4x1x256xbf16>, tensor<1x8x1x64xbf16>, tensor<1x3x1x64xbf16>, tensor<1x32x1x64xbf16>
}


// -----

// Packed tiles keep one m16 block a warp and 64-key tiles up to head dim 128
// (the unpacked schedule at head dim 80 has 32-key tiles, whose rows of 12
// chunks eight warps would split unevenly), with the lazy row max that one
// block a warp measured faster with up to head dim 64.
// CHECK-LABEL: func.func @group8_d80
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, pack_gqa = true>} -> tensor<1x8x1x80xbf16>
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 2, warps = 8, rescale_threshold = 8.000000e+00 : f32, pack_gqa = true>} -> tensor<1x8x1x64xbf16>
// SM90-LABEL: func.func @group8_d80
//       SM90: pack_gqa = true>} -> tensor<1x8x1x80xbf16>
func.func @group8_d80(%q: tensor<1x8x1x80xbf16>, %k: tensor<1x1x50x80xbf16>,
                      %q64: tensor<1x8x1x64xbf16>, %k64: tensor<1x1x50x64xbf16>)
    -> (tensor<1x8x1x80xbf16>, tensor<1x8x1x64xbf16>) {
  %0 = attn.attention causal ins(%q, %k, %k : tensor<1x8x1x80xbf16>, tensor<1x1x50x80xbf16>, tensor<1x1x50x80xbf16>)
         outs(%q : tensor<1x8x1x80xbf16>) -> tensor<1x8x1x80xbf16>
  %1 = attn.attention causal ins(%q64, %k64, %k64 : tensor<1x8x1x64xbf16>, tensor<1x1x50x64xbf16>, tensor<1x1x50x64xbf16>)
         outs(%q64 : tensor<1x8x1x64xbf16>) -> tensor<1x8x1x64xbf16>
  return %0, %1 : tensor<1x8x1x80xbf16>, tensor<1x8x1x64xbf16>
}
