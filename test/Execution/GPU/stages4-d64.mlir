// sm_80 kernel, run on a GPU: a four-stage K/V pipeline (the schedule is
// written by hand), head dim 64, causal. The edges of the pipeline: K/V
// trip counts 0 (query tiles with no visible key when Sq > Skv), 1, 2 and 3
// (fewer tiles than stages), and many.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 4 --seq-q 300 --seq-kv 33 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 4 --seq-q 64 --seq-kv 64 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 4 --seq-q 130 --seq-kv 130 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --kv-heads 4 --seq-q 192 --seq-kv 192 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --kv-heads 4 --seq-q 2000 --seq-kv 2000 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @stages4_d64(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x4x?x64xbf16>,
                       %v: tensor<?x4x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x4x?x64xbf16>,
                          tensor<?x4x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 4, warps = 4>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}
