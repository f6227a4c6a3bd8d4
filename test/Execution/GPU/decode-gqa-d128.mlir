// sm_80 and sm_90a kernels, run on a GPU: a decode-shaped call, one new query against a
// long K/V cache (bottom-right causal: the query sees every key), GQA 32:8
// (4:1), head dim 128, bf16, with the LSE. Its speed belongs to the decode
// work; this keeps it correct.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 32 --kv-heads 8 --seq-q 16 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8191 | FileCheck %s
// The same cases on the sm_90a kernel (wgmma, TMA, warp roles).
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 2 --heads 32 --kv-heads 8 --seq-q 16 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8191 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @decode_gqa_d128(%q: tensor<?x32x?x128xbf16>, %k: tensor<?x8x?x128xbf16>,
                           %v: tensor<?x8x?x128xbf16>)
    -> (tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x32x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x32x?x128xbf16>
  %lse = tensor.empty(%b, %s) : tensor<?x32x?xf32>
  %o:2 = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x?x128xbf16>, tensor<?x8x?x128xbf16>,
                          tensor<?x8x?x128xbf16>)
         outs(%init, %lse : tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>)
         -> tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>
  return %o#0, %o#1 : tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>
}
