// The persistent sm_90a kernel (--persistent, the default here), run on a
// GPU: causal GQA 8:2 at head dim 64 (three consumers taking turns), the
// CTAs drawing their tiles from the launch's counter. Ragged lengths, query
// tiles with no key (Sq > Skv under the causal mask: the rings' rounds hold
// only empty fills), and more tiles than CTAs (each CTA runs several, its
// phases carried from one to the next). With three K/V stages too.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_90a --persistent -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 3 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 3000 | FileCheck %s
// RUN: attn-compile %s --chip=sm_90a --persistent --stages=3 -o %t.s3.sm90
// RUN: attn-run %t.s3.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 77 | FileCheck %s
// RUN: attn-run %t.s3.sm90 --batch 3 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @persistent(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                      %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
