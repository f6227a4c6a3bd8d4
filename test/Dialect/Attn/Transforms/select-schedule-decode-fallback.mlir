// RUN: attn-opt %s -attn-select-schedule=chip=sm_80 | FileCheck %s
// RUN: not attn-opt %s -attn-select-schedule="chip=sm_80 pack-gqa" 2>&1 | FileCheck %s --check-prefix=ASKED

// A decode step in a group of 8 at head dim 160: eight warps would split
// 32-key rows of 20 chunks unevenly, so the chooser keeps the unpacked
// schedule; asked to pack, it says why it cannot.
// CHECK-LABEL: func.func @group8_d160
//       CHECK: {schedule = #attn.schedule<tile_m = 128, tile_n = 64, stages = 1, warps = 8>} -> tensor<1x8x1x160xbf16>
// ASKED: error: attn-select-schedule: the sm_80 kernel needs tiles whose 16-byte chunks split evenly over the 256 threads
func.func @group8_d160(%q: tensor<1x8x1x160xbf16>, %k: tensor<1x1x50x160xbf16>) -> tensor<1x8x1x160xbf16> {
  %0 = attn.attention ins(%q, %k, %k : tensor<1x8x1x160xbf16>, tensor<1x1x50x160xbf16>, tensor<1x1x50x160xbf16>)
         outs(%q : tensor<1x8x1x160xbf16>) -> tensor<1x8x1x160xbf16>
  return %0 : tensor<1x8x1x160xbf16>
}
