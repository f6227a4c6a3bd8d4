// sm_80 and sm_90a kernels of an attention outlined from a larger function
// (a producer of Q before it, a consumer of O after it), run on a GPU:
// attn-run checks the kernel against its own manifest (the caller stays in
// the artifact's host.mlir).
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 500 | FileCheck %s
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 8 --kv-heads 2 --seq-q 300 --seq-kv 300 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 500 | FileCheck %s
// CHECK: kernel layer_attention
// CHECK: unwritten 0: PASS
func.func @layer(%x: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                 %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %q = arith.addf %x, %x : tensor<?x8x?x64xbf16>
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  %r = arith.mulf %o, %o : tensor<?x8x?x64xbf16>
  return %r : tensor<?x8x?x64xbf16>
}
