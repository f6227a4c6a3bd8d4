// sm_80 and sm_90a kernels, run on a GPU: softcap 30 with an explicit scale, f16, MQA.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: attn-run %t --batch 2 --heads 4 --kv-heads 1 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t --batch 1 --heads 4 --kv-heads 1 --seq-q 33 --seq-kv 4097 | FileCheck %s
// The same cases on the sm_90a kernel (wgmma, TMA, warp roles).
// RUN: attn-compile %s --chip=sm_90a -o %t.sm90
// RUN: attn-run %t.sm90 --batch 2 --heads 4 --kv-heads 1 --seq-q 1000 --seq-kv 1000 | FileCheck %s
// RUN: attn-run %t.sm90 --batch 1 --heads 4 --kv-heads 1 --seq-q 33 --seq-kv 4097 | FileCheck %s
// CHECK: unwritten 0: PASS
func.func @softcap_f16_d64(%q: tensor<?x4x?x64xf16>, %k: tensor<?x1x?x64xf16>,
                           %v: tensor<?x1x?x64xf16>) -> tensor<?x4x?x64xf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xf16>
  %o = attn.attention scale(0.3) softcap(30.0)
         ins(%q, %k, %v : tensor<?x4x?x64xf16>, tensor<?x1x?x64xf16>,
                          tensor<?x1x?x64xf16>)
         outs(%init : tensor<?x4x?x64xf16>) -> tensor<?x4x?x64xf16>
  return %o : tensor<?x4x?x64xf16>
}
