// Which causal launches take their query tiles heaviest first (sm80.mlir
// checks the mapping itself): a prefill grid does; decode steps keep the
// launch order, block ids read where they are used: one query tile a head
// (a packed tile holding every query of a head group, or one query of one
// head), split-KV launches (whose x counts (query tile, chunk) pairs, so
// the mapping would be wrong there) and paged ones (sm80-paged.mlir).
// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 kv-chunk=1024" -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -convert-attn-to-nvgpu=chip=sm_80 | FileCheck %s --check-prefix=SPLIT

// Split into chunks of 1024 keys, the same grid keeps the launch order.
// CHECK-LABEL: gpu.func @prefill
// CHECK: gpu.grid_dim  x
// CHECK: arith.divui %c33554432
// SPLIT-LABEL: gpu.func @prefill
// SPLIT-SAME: grid = [<tensor = 0, dim = 2, divisor = 128, times = [1, 2, 1024]
// SPLIT-NOT: gpu.grid_dim
// SPLIT: gpu.return
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

// -----

// One query of each head (no group to pack): one query tile a head, and
// with chunks of 1024 keys a split-KV launch.
// CHECK-LABEL: gpu.func @single_query
// CHECK-NOT: gpu.grid_dim
// CHECK: gpu.return
// SPLIT-LABEL: gpu.func @single_query
// SPLIT-SAME: grid = [<tensor = 0, dim = 2, divisor = 128, times = [1, 2, 1024]
// SPLIT-NOT: gpu.grid_dim
// SPLIT: gpu.return
func.func @single_query(%q: tensor<?x8x1x128xbf16>, %k: tensor<?x8x?x128xbf16>,
                      %v: tensor<?x8x?x128xbf16>) -> tensor<?x8x1x128xbf16> {
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x1x128xbf16>
  %init = tensor.empty(%b) : tensor<?x8x1x128xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x1x128xbf16>, tensor<?x8x?x128xbf16>, tensor<?x8x?x128xbf16>)
         outs(%init : tensor<?x8x1x128xbf16>) -> tensor<?x8x1x128xbf16>
  return %o : tensor<?x8x1x128xbf16>
}
