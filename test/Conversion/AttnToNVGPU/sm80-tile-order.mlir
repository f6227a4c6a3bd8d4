// Which causal launches take their query tiles heaviest first (sm80.mlir
// checks the mapping itself): a prefill grid does; a decode step, whose
// packed tile holds every query of a head group, keeps the launch order,
// block ids read where they are used (as do split-KV and paged launches,
// sm80-paged.mlir).
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s

// CHECK-LABEL: gpu.func @prefill
// CHECK: gpu.grid_dim  x
// CHECK: arith.divui %c33554432
func.func @prefill(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                   %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x?x64xbf16>, tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}

// -----

// CHECK-LABEL: gpu.func @decode_step
// CHECK-NOT: gpu.grid_dim
// CHECK: gpu.block_id  y
// CHECK-NOT: gpu.grid_dim
// CHECK: gpu.return
func.func @decode_step(%q: tensor<?x8x16x128xbf16>, %k: tensor<?x2x?x128xbf16>,
                       %v: tensor<?x2x?x128xbf16>) -> tensor<?x8x16x128xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x16x128xbf16>
  %init = tensor.empty(%b) : tensor<?x8x16x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x16x128xbf16>, tensor<?x2x?x128xbf16>, tensor<?x2x?x128xbf16>)
         outs(%init : tensor<?x8x16x128xbf16>) -> tensor<?x8x16x128xbf16>
  return %o : tensor<?x8x16x128xbf16>
}
