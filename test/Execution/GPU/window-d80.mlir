// sm_80 kernel, run on a GPU: sliding window (100, 20), head dim 80 (Phi-2; 10 chunks a row, zero-padded to 12, rows split over the threads pass by pass), ragged lengths.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 4 --seq-q 77 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 300 --seq-kv 77 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @window_d80(%q: tensor<?x4x?x80xbf16>, %k: tensor<?x4x?x80xbf16>,
    %v: tensor<?x4x?x80xbf16>) -> tensor<?x4x?x80xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x80xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x80xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x80xbf16>
  %o = attn.attention sliding_window(left = 100, right = 20)
         ins(%q, %k, %v : tensor<?x4x?x80xbf16>, tensor<?x4x?x80xbf16>,
                          tensor<?x4x?x80xbf16>)
         outs(%init : tensor<?x4x?x80xbf16>) -> tensor<?x4x?x80xbf16>
  return %o : tensor<?x4x?x80xbf16>
}
