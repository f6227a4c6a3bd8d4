// sm_80 kernel with split-KV and packed GQA, run on a GPU: a decode step
// (Sq = 1) of 32 query heads on 8 key/value heads, head dim 128, causal,
// with the LSE, the cache cut into chunks of 512 keys, each chunk a CTA;
// the last CTA of a tile merges the chunks. Caches of one key (one chunk),
// a chunk's edge either side, a ragged last tile, and long ones.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 --kv-chunk=512 -o %t
// RUN: attn-run %t --batch 3 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 511 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 513 | FileCheck %s
// RUN: attn-run %t --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 8 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 32768 | FileCheck %s
// sm_90a builds the same kernel for the split, packed step.
// RUN: attn-compile %s --chip=sm_90a --kv-chunk=512 -o %t-sm90a
// RUN: attn-run %t-sm90a --batch 2 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 513 | FileCheck %s
// RUN: attn-run %t-sm90a --batch 8 --heads 32 --kv-heads 8 --seq-q 1 --seq-kv 8192 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @decode_split_d128(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x8x?x128xbf16>,
    %v: tensor<?x8x?x128xbf16>) -> (tensor<?x32x1x128xbf16>, tensor<?x32x1xf32>) {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x32x1x128xbf16>
  %init = tensor.empty(%b) : tensor<?x32x1x128xbf16>
  %linit = tensor.empty(%b) : tensor<?x32x1xf32>
  %o, %l = attn.attention causal
         ins(%q, %k, %v : tensor<?x32x1x128xbf16>, tensor<?x8x?x128xbf16>,
                          tensor<?x8x?x128xbf16>)
         outs(%init, %linit : tensor<?x32x1x128xbf16>, tensor<?x32x1xf32>)
         -> tensor<?x32x1x128xbf16>, tensor<?x32x1xf32>
  return %o, %l : tensor<?x32x1x128xbf16>, tensor<?x32x1xf32>
}
