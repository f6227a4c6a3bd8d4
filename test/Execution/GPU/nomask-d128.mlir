// sm_80 and sm_90a kernels, run on a GPU: no mask, head dim 128, bf16, dynamic heads.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --seq-q 77 --seq-kv 4097 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 2 --seq-q 4097 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t --batch 3 --heads 2 --seq-q 130 --seq-kv 64 | FileCheck %s
// The same cases on the sm_90a kernel (wgmma, TMA, warp roles).
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 4 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 4 --seq-q 77 --seq-kv 4097 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 2 --seq-q 4097 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 3 --heads 2 --seq-q 130 --seq-kv 64 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @nomask_d128(%q: tensor<?x?x?x128xbf16>, %k: tensor<?x?x?x128xbf16>,
                       %v: tensor<?x?x?x128xbf16>) -> tensor<?x?x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x128xbf16>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x128xbf16>
  %init = tensor.empty(%b, %h, %s) : tensor<?x?x?x128xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>,
                          tensor<?x?x?x128xbf16>)
         outs(%init : tensor<?x?x?x128xbf16>) -> tensor<?x?x?x128xbf16>
  return %o : tensor<?x?x?x128xbf16>
}
