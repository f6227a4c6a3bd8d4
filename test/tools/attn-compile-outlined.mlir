// An attention inside a larger function (a producer of Q, a consumer of O)
// reaches a kernel: attn-compile outlines it, builds the kernel
// `layer_attention` from it, and writes the rest beside the artifact as
// layer_attention.host.mlir: the caller, calling the kernel's declaration,
// for the caller's own pipeline. The manifest's tensors are the kernel's.
// REQUIRES: ptxas, libdevice
// RUN: rm -rf %t && attn-compile %s --chip=sm_80 -o %t/sm80 | FileCheck %s --check-prefix=PTXAS
// RUN: ls %t/sm80 | FileCheck %s --check-prefix=FILES
// RUN: FileCheck %s --check-prefix=HOST < %t/sm80/layer_attention.host.mlir
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/sm80/layer_attention.json
// RUN: attn-compile %s --chip=sm_90a -o %t/sm90 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=HOST < %t/sm90/layer_attention.host.mlir
// The host part as attn-opt sees it: fused and outlined, nothing lowered.
// RUN: attn-compile %s --chip=sm_80 --emit=kernel | FileCheck %s --check-prefix=KERNEL

// PTXAS: layer_attention: 0 bytes stack frame
// FILES: layer_attention.cubin
// FILES-NEXT: layer_attention.host.mlir
// FILES-NEXT: layer_attention.json
// FILES-NEXT: layer_attention.ptx
// HOST: func.func @layer(%[[X:.*]]: tensor<?x8x?x64xbf16>, %[[K:.*]]: tensor<?x2x?x64xbf16>, %[[V:.*]]: tensor<?x2x?x64xbf16>)
// HOST: %[[Q:.*]] = arith.addf %[[X]], %[[X]]
// HOST: %[[O:.*]] = call @layer_attention(%[[Q]], %[[K]], %[[V]])
// HOST: arith.mulf %[[O]], %[[O]]
// HOST: func.func private @layer_attention(tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16>
// HOST-NOT: gpu.module
// MANIFEST: "kernel": "layer_attention"
// MANIFEST: "name": "query"
// KERNEL: func.func @layer(
// KERNEL: call @layer_attention(
// KERNEL: func.func private @layer_attention(
// KERNEL: gpu.module @attn_kernels
// KERNEL: gpu.func @layer_attention(
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
