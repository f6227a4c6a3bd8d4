// Grids attn-warp-specialize cannot split: one located error each.
// RUN: sed 's/outs(%o : tensor<1x2x?x64xbf16>)/& {schedule = #attn.schedule<kind = fa4, tile_m = 128, tile_n = 128, stages = 2, warps = 16, roles = [<name = "load", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>]>}/' %s | not attn-opt -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=FA4
// RUN: sed 's/outs(%o : tensor<1x2x?x64xbf16>)/& {schedule = #attn.schedule<kind = fa3, tile_m = 128, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>]>}/' %s | not attn-opt -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: sed 's/outs(%o : tensor<1x2x?x64xbf16>)/& {schedule = #attn.schedule<kind = fa4, tile_m = 128, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>]>}/' %s | not attn-opt -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=SECTIONS
// RUN: sed 's/outs(%o : tensor<1x2x?x64xbf16>)/& {schedule = #attn.schedule<kind = fa4, tile_m = 128, tile_n = 128, stages = 2, warps = 16, roles = [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 8, registers = 192>, <name = "correction", warps = 4, registers = 80>, <name = "epilogue", warps = 2, registers = 48>], overlap = true>}/' %s | not attn-opt -attn-select-schedule=chip=sm_100a -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=OVERLAP
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_90a -attn-tile -attn-fuse-online-softmax -attn-warp-specialize 2>&1 | FileCheck %s --check-prefix=UNPIPELINED

// Roles the pass has no split for (FlashAttention-4's, with their first
// role named otherwise).
// FA4: <stdin>:{{[0-9]+}}:8: error: attn-warp-specialize: splits a grid into a producer and one other role, or into FlashAttention-4's (producer, mma, softmax, correction, epilogue); the schedule's roles are (load, mma, softmax, correction, epilogue)
// FlashAttention-4's roles on a schedule of another kind.
// KIND: <stdin>:{{[0-9]+}}:8: error: attn-warp-specialize: FlashAttention-4's roles need a kind = fa4 schedule
// The passes that match the online form do not take the sections (here the
// same pass again).
// SECTIONS: <stdin>:{{[0-9]+}}:8: error: attn-warp-specialize: does not take FlashAttention-4's roles (the attn.in_role sections of a shared region)
// FlashAttention-4's roles with an overlapped consumer, which they replace.
// OVERLAP: <stdin>:{{[0-9]+}}:8: error: attn-warp-specialize: FlashAttention-4's roles take no overlap or ping_pong (they schedule one consumer's products; these roles run concurrently)
// The online form without the pipeline: the stages are not decided yet.
// UNPIPELINED: warp-specialize-invalid.mlir:{{[0-9]+}}:8: error: attn-warp-specialize: expects the pipelined form, the query tile waited for in the grid body; run -attn-pipeline-async first
func.func @f(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
             %v: tensor<1x2x?x64xbf16>, %o: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %r = attn.attention ins(%q, %k, %v : tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%o : tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16>
  return %r : tensor<1x2x?x64xbf16>
}
