// sm_80 kernel, run on a GPU: sliding window, Q/K head dim 64 and V head dim 256 (O rows wider than Q's: the output is staged past the query's slot), ragged lengths.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 1 --heads 4 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 2 --seq-q 77 --seq-kv 200 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @window_d64_dv256(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
    %v: tensor<?x2x?x256xbf16>) -> tensor<?x4x?x256xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x256xbf16>
  %o = attn.attention sliding_window(left = 64, right = 0)
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x256xbf16>)
         outs(%init : tensor<?x4x?x256xbf16>) -> tensor<?x4x?x256xbf16>
  return %o : tensor<?x4x?x256xbf16>
}
