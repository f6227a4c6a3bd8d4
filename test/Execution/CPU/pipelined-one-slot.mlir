// The scheduled level (L4) with one slot a ring (FlashAttention-2's order:
// V's tile copied after K's wait, the next K tile after V's) run on the
// CPU, the copies read back as loads: the row each copy reads, with K/V
// trip counts 0 (query tiles that see no key), 1 and many, each against the
// float64 reference. The slots' reuse is the GPU suite's to check.
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 100 --seq-kv 5 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 16 --seq-kv 16 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// RUN: attn-cpu-run %s --batch 2 --heads 2 --seq-q 77 --seq-kv 150 --passes "-attn-tile -attn-fuse-online-softmax -attn-pipeline-async" | FileCheck %s
// CHECK: mask=causal {{.*}} PASS
func.func @attention(%q: tensor<?x2x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>) -> tensor<?x2x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x2x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x2x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x2x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x2x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 32, tile_n = 16, stages = 1, warps = 2>}
         -> tensor<?x2x?x64xbf16>
  return %o : tensor<?x2x?x64xbf16>
}
