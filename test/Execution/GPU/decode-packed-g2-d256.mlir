// sm_80 kernel with packed GQA, run on a GPU: a speculative decode step of
// 16 queries (static), 2 query heads per key/value head (32 rows of each
// head in a 64-row tile of 4 warps: two warps a head), head dim 256, a
// sliding window, ragged caches shorter and longer than the window.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 2 --seq-q 16 --seq-kv 16 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 2 --seq-q 16 --seq-kv 100 | FileCheck %s
// RUN: attn-run %t --batch 3 --heads 4 --kv-heads 2 --seq-q 16 --seq-kv 5000 | FileCheck %s
// sm_90a builds the same kernel for the packed step.
// RUN: attn-compile %s --chip=sm_90a -o %t-sm90a
// RUN: attn-run %t-sm90a --batch 3 --heads 4 --kv-heads 2 --seq-q 16 --seq-kv 5000 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @decode_packed_g2_d256(%q: tensor<?x4x16x256xbf16>, %k: tensor<?x2x?x256xbf16>,
    %v: tensor<?x2x?x256xbf16>) -> tensor<?x4x16x256xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x16x256xbf16>
  %init = tensor.empty(%b) : tensor<?x4x16x256xbf16>
  %o = attn.attention sliding_window(left = 100, right = 0)
         ins(%q, %k, %v : tensor<?x4x16x256xbf16>, tensor<?x2x?x256xbf16>,
                          tensor<?x2x?x256xbf16>)
         outs(%init : tensor<?x4x16x256xbf16>) -> tensor<?x4x16x256xbf16>
  return %o : tensor<?x4x16x256xbf16>
}
