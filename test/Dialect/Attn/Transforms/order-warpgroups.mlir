// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer -attn-order-warpgroups -verify-diagnostics | FileCheck %s
// RUN: not attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-order-warpgroups 2>&1 | FileCheck %s --check-prefix=BEFORE

// Ping-pong on the overlapped consumer: each run of products issued back to
// back is a section on the role's ring, one barrier per warpgroup (ids 1
// and 2 for two); the waits after a section keep their counts.
// CHECK-LABEL: func.func @overlapped
// CHECK: }, {
// Prologue: Q K_0^T alone in its turn.
// CHECK: %[[T0:.*]] = attn.ordered barriers [1, 2] -> (tensor<32x16xf32>) {
// CHECK-NEXT: %[[S0:.*]] = attn.qk_matmul
// CHECK-NEXT: attn.ordered_yield %[[S0]] : tensor<32x16xf32>
// CHECK: attn.matmul_wait %[[T0]] pending(0)
// Each step: Q K_j^T and P_{j-1} V_{j-1} in one turn.
// CHECK: scf.for
// CHECK: %[[T:.*]]:2 = attn.ordered barriers [1, 2] -> (tensor<32x16xf32>, tensor<32x64xf32>) {
// CHECK-NEXT: %[[S:.*]] = attn.qk_matmul
// CHECK-NEXT: %[[O:.*]] = attn.pv_matmul
// CHECK-NEXT: attn.ordered_yield %[[S]], %[[O]]
// CHECK: attn.matmul_wait %[[T]]#0 pending(1)
// CHECK: attn.matmul_wait %[[T]]#1 pending(0)
// Epilogue: the last P V.
// CHECK: %[[TL:.*]] = attn.ordered barriers [1, 2] -> (tensor<32x64xf32>) {
// CHECK-NEXT: attn.pv_matmul
// CHECK: attn.matmul_wait %[[TL]] pending(0)
func.func @overlapped(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                      %v: tensor<?x2x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 32, tile_n = 16, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 8, registers = 240>], ping_pong = true, overlap = true>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}


// -----

// Without the overlap the products are synchronous: each gets its own turn
// and is waited for right after it, outside the turn. Three warpgroups take
// barriers 1, 2 and 3.
// CHECK-LABEL: func.func @synchronous
// CHECK: scf.for
// CHECK: %[[S:.*]] = attn.ordered barriers [1, 2, 3] -> (tensor<48x16xf32>) {
// CHECK-NEXT: attn.qk_matmul
// CHECK: %[[SW:.*]] = attn.matmul_wait %[[S]] pending(0)
// CHECK: attn.mask_scores %[[SW]]
// CHECK: %[[O:.*]] = attn.ordered barriers [1, 2, 3] -> (tensor<48x64xf32>) {
// CHECK-NEXT: attn.pv_matmul
// CHECK: %[[OW:.*]] = attn.matmul_wait %[[O]] pending(0)
// CHECK: scf.yield %[[OW]]
func.func @synchronous(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                      %v: tensor<?x2x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 48, tile_n = 16, stages = 2, warps = 16,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 12, registers = 160>], ping_pong = true>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}


// -----

// One consumer warpgroup has nobody to take turns with; and without warp
// roles there are no warpgroups to order.
// BEFORE: error: attn-order-warpgroups: expects the warp-specialised form; run -attn-warp-specialize first
func.func @one_consumer(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                      %v: tensor<?x2x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  // expected-error @below {{attn-order-warpgroups: ping-pong needs a consumer role of at least two warpgroups, role 'consumer' has 4 warps}}
  %o = attn.attention causal
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 16, tile_n = 16, stages = 2, warps = 8,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 4, registers = 240>], ping_pong = true>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}

