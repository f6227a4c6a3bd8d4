// A paged K/V cache runs on the CPU and on the sm_80 kernel; the
// warp-specialised (sm_90a) path refuses it with a located error rather than
// building channels that would read it as a [B, H, S, D] tensor.
// RUN: not attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize 2>&1 | FileCheck %s

// CHECK: paged-unsupported.mlir:[[@LINE+5]]:8: error: attn-warp-specialize: a paged K/V cache has no warp-specialised form
func.func @attention(%q: tensor<1x2x64x64xbf16>, %k: tensor<?x64x2x64xbf16>,
                     %v: tensor<?x64x2x64xbf16>, %t: tensor<1x?xi32>,
                     %n: tensor<1xi32>) -> tensor<1x2x64x64xbf16> {
  %init = tensor.empty() : tensor<1x2x64x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<1x2x64x64xbf16>, tensor<?x64x2x64xbf16>, tensor<?x64x2x64xbf16>)
         paged(%t, %n : tensor<1x?xi32>, tensor<1xi32>)
         outs(%init : tensor<1x2x64x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x64x64xbf16>
  return %o : tensor<1x2x64x64xbf16>
}
