// The warp-specialised form (L4 with roles) run on the CPU: a producer and
// a consumer role around three-slot channels with 32 x 16 tiles; the
// consumer runs alone and its channel waits read the rows they name. The
// edges: K/V trip counts 0 (query tiles that see no key when Sq > Skv), 1,
// 2 (fewer tiles than stages) and many, GQA, each against float64.
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 100 --seq-kv 5 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 16 --seq-kv 16 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 20 --seq-kv 20 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 150 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize" | FileCheck %s
// One stage: each channel one slot, filled in the step that reads it.
// RUN: attn-cpu-run %s --batch 1 --heads 4 --kv-heads 2 --seq-q 100 --seq-kv 5 --passes "-attn-select-schedule='chip=sm_90a stages=1' -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer" | FileCheck %s
// RUN: attn-cpu-run %s --batch 2 --heads 4 --kv-heads 2 --seq-q 300 --seq-kv 400 --passes "-attn-select-schedule='chip=sm_90a stages=1' -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer" | FileCheck %s
// CHECK: mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>)
    -> (tensor<?x4x?x64xbf16>, tensor<?x4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %lse_init = tensor.empty(%b, %s) : tensor<?x4x?xf32>
  %o, %lse = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init, %lse_init : tensor<?x4x?x64xbf16>, tensor<?x4x?xf32>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 32, tile_n = 16, stages = 3, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<?x4x?x64xbf16>, tensor<?x4x?xf32>
  return %o, %lse : tensor<?x4x?x64xbf16>, tensor<?x4x?xf32>
}
