// FlashAttention-4's exp2 on the FMA units (--exp2-emulation=k: one score
// exponential in k by a polynomial, degree 3 unless --exp2-degree says
// otherwise), on both kernels, run on a GPU: causal GQA 8:2 with the LSE,
// head dim 64, ragged lengths both ways.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 --exp2-emulation=2 -o %t
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-compile %s --chip=sm_80 --exp2-emulation=1 --exp2-degree=2 -o %t.all2
// RUN: attn-run %t.all2 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-compile %s --chip=sm_90a --exp2-emulation=2 -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 1000 --seq-kv 77 | FileCheck %s
// RUN: attn-compile %s --chip=sm_90a --exp2-emulation=1 -o %t.sm90all
// RUN: attn-run %t.sm90all --batch 1 --heads 8 --kv-heads 2 --seq-q 4097 --seq-kv 4097 | FileCheck %s
// CHECK: lse max abs err
// CHECK-SAME: unwritten 0: PASS
func.func @exp2_emulation(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                          %v: tensor<?x2x?x64xbf16>)
    -> (tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %linit = tensor.empty(%b, %s) : tensor<?x8x?xf32>
  %o, %lse = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init, %linit : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>)
         -> tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
  return %o, %lse : tensor<?x8x?x64xbf16>, tensor<?x8x?xf32>
}
