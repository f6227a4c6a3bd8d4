// FlashAttention-4's roles: a producer warp, an MMA warp, two softmax
// warpgroups, a correction warpgroup and epilogue warps, the last four
// sharing the consumer's region as attn.in_role sections. Read in order the
// sections are the computation: run on the CPU against float64 through
// every level down to the roles. Query tiles past the keys (Sq > Skv),
// partial tiles, GQA, the lazy row max.
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 2 --seq-q 300 --seq-kv 200 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 520 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// The sections are there, to be sure they are what runs.
// RUN: attn-opt %s -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize | FileCheck %s --check-prefix=ROLES
// ROLES-COUNT-2: attn.in_role "mma"
// ROLES: attn.in_role "softmax"
// ROLES: attn.in_role "correction"
// ROLES: attn.in_role "mma"
// ROLES: attn.in_role "mma"
// ROLES: attn.in_role "epilogue"
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
         {schedule = #attn.schedule<kind = fa4, tile_m = 256, tile_n = 128,
            stages = 2, warps = 16,
            roles = [<name = "producer", warps = 1, registers = 48>,
                     <name = "mma", warps = 1, registers = 48>,
                     <name = "softmax", warps = 8, registers = 192>,
                     <name = "correction", warps = 4, registers = 80>,
                     <name = "epilogue", warps = 2, registers = 48>],
            rescale_threshold = 8.0 : f32>}
         -> tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x128xbf16>, tensor<?x4x?xf32>
}
