// The sm_90a kernel in its debug mode (every mbarrier wait traps with a
// message after a second, instead of hanging), run on a Hopper GPU at the
// K/V loop's trip-count edges: no tile at all for the first query tiles
// (Sq 1000 > Skv 77, causal), one tile (Skv 77), fewer tiles than the two
// stages and exactly two, and a long run (4097). Causal GQA 4:1, head dim
// 128, bf16.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_90a --wait-timeout-ms=1000 -o %t.sm90
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 128 --seq-kv 256 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// One stage (each K/V channel one slot: the producer refills it only after
// the consumers release it), the same edges:
// RUN: attn-compile %s --chip=sm_90a --stages=1 --wait-timeout-ms=1000 -o %t.one
// RUN: attn-run %t.one --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.one --batch 1 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t.one --batch 1 --heads 8 --kv-heads 2 --seq-q 128 --seq-kv 256 | FileCheck %s
// RUN: attn-run %t.one --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// And the sm_80 kernel with one stage.
// RUN: attn-compile %s --chip=sm_80 --stages=1 -o %t.one80
// RUN: attn-run %t.one80 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.one80 --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @bounded_waits(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                         %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}
