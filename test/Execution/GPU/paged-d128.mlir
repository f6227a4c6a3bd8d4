// sm_80 kernel on a paged K/V cache, run on a GPU: decode steps of 32
// query heads on 8 key/value heads (packed GQA), head dim 128, causal, with
// the LSE, pages of 64 keys handed out in a random order, ragged cache
// lengths (one empty from three sequences on). Without a split, then split
// into chunks of 1024 keys (16 pages) merged by the last CTA.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 3 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t --batch 4 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 3 --heads 32 --kv-heads 8 --seq-q 16 --seq-kv 4097 | FileCheck %s
// RUN: attn-compile %s --chip=sm_80 --kv-chunk=1024 -o %t-split
// RUN: attn-run %t-split --batch 3 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 63 | FileCheck %s
// RUN: attn-run %t-split --batch 5 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t-split --batch 2 --heads 32 --kv-heads 8 --seq-q 5 --seq-kv 32768 | FileCheck %s
// sm_90a builds the same kernel for the paged, split step.
// RUN: attn-compile %s --chip=sm_90a --kv-chunk=1024 -o %t-sm90a
// RUN: attn-run %t-sm90a --batch 4 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t-sm90a --batch 5 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t-sm90a --batch 2 --heads 32 --kv-heads 8 --seq-q 16 --seq-kv 32768 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @paged_d128(%q: tensor<?x32x?x128xbf16>, %k: tensor<?x64x8x128xbf16>,
    %v: tensor<?x64x8x128xbf16>, %table: tensor<?x?xi32>, %lengths: tensor<?xi32>)
    -> (tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x32x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x32x?x128xbf16>
  %linit = tensor.empty(%b, %s) : tensor<?x32x?xf32>
  %o, %l = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x?x128xbf16>, tensor<?x64x8x128xbf16>,
                          tensor<?x64x8x128xbf16>)
         paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)
         outs(%init, %linit : tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>)
         -> tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>
  return %o, %l : tensor<?x32x?x128xbf16>, tensor<?x32x?xf32>
}
