// The persistent sm_90a kernel (--persistent), run on a GPU: GQA 8:2
// without a mask at head dim 128 (two consumers). Ragged lengths, one query,
// and more tiles than CTAs (each CTA runs several, its phases carried from
// one to the next). With three K/V stages too: the prologue's two tiles,
// disabled where K/V has fewer, and rounds of three.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_90a --persistent -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1500 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 5 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 129 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1 --seq-kv 1 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 4 --heads 8 --kv-heads 2 --seq-q 2000 --seq-kv 2000 | FileCheck %s
// RUN: attn-compile %s --chip=sm_90a --persistent --stages=3 -o %t.s3.sm90
// RUN: attn-run %t.s3.sm90 --batch 5 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 129 | FileCheck %s
// RUN: attn-run %t.s3.sm90 --batch 4 --heads 8 --kv-heads 2 --seq-q 2000 --seq-kv 2000 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @persistent(%q: tensor<?x8x?x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                      %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x?x128xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x128xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x128xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x128xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x8x?x128xbf16>, tensor<?x2x?x128xbf16>,
                          tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x?x128xbf16>) -> tensor<?x8x?x128xbf16>
  return %o : tensor<?x8x?x128xbf16>
}
