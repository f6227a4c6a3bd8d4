// The sm_100a schedule the chooser picks (256 x 128 tiles for two
// 128-row consumer warpgroups, O rescaled only past a threshold of 8) in
// its warp-specialised form, run on the CPU against float64: the grid, the
// channels and the consumer's online softmax that the sm_100a kernel is
// emitted from. Query tiles past the keys (Sq > Skv), partial tiles, GQA.
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 2 --seq-q 300 --seq-kv 200 --passes "-attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 520 --passes "-attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// The chooser's schedule, to be sure it is the one run.
// RUN: attn-opt %s -attn-select-schedule=chip=sm_100a | FileCheck %s --check-prefix=SCHEDULE
// SCHEDULE: #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128, stages = 2, warps = 12, roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>], rescale_threshold = 8.000000e+00 : f32>
// CHECK: mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x4x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                     %v: tensor<?x2x?x128xbf16>)
    -> (tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x128xbf16>
  %lse_init = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %lse = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x128xbf16>, tensor<?x2x?x128xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init, %lse_init : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>)
         -> tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
}
