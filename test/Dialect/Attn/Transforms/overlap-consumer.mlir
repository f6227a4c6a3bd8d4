// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -attn-warp-specialize -attn-overlap-consumer | FileCheck %s

// The consumer's K/V loop software-pipelined: a prologue with tile 0's
// scores and softmax, steps that issue Q K_j^T and P_{j-1} V_{j-1} back to
// back and run the softmax of S_j under the second, an epilogue with the
// last tile's P V, all under one test that the range is not empty.
// CHECK-LABEL: func.func @overlapped
// CHECK: attn.warp_specialize
// The producer is untouched.
// CHECK: attn.channel_copy
// CHECK: }, {
// CHECK: %[[Q:.*]] = attn.channel_wait %[[QC:.*]][%{{.*}}] phase
// CHECK: %[[ANY:.*]] = arith.cmpi slt, %[[LO:.*]], %[[HI:.*]] : index
// CHECK: %[[R:.*]]:3 = scf.if %[[ANY]] -> (tensor<32x64xf32>, tensor<32xf32>, tensor<32xf32>) {
// Prologue: tile 0, waited for at once.
// CHECK:   %[[K0:.*]] = attn.channel_wait %[[KC:.*]][%[[KS0:.*]]] phase(%{{.*}}) for %{{.*}}[%{{.*}}, %{{.*}}, %[[LO]]]
// CHECK:   %[[S0A:.*]] = attn.qk_matmul %[[Q]], %[[K0]]
// CHECK:   %[[S0:.*]] = attn.matmul_wait %[[S0A]] pending(0)
// CHECK:   attn.channel_release %[[KC]][%[[KS0]]]
// CHECK:   %[[MASK0:.*]] = attn.mask_scores %[[S0]] at(%{{.*}}, %[[LO]])
// CHECK:   %[[M0:.*]] = attn.row_max %[[MASK0]]
// CHECK:   %[[A0:.*]] = attn.row_exp %{{.*}}, %[[M0]] base2 : tensor<32xf32>
// CHECK:   %[[P0:.*]] = attn.row_exp %[[MASK0]], %[[M0]] base2 : tensor<32x16xf32>
// CHECK:   %[[L0:.*]] = attn.row_sum %[[P0]]
// CHECK:   %[[O0:.*]] = attn.row_scale %{{.*}}, %[[A0]] : tensor<32x64xf32>
// CHECK:   %[[NEXT:.*]] = arith.addi %[[LO]], %[[STEP:.*]] : index
// CHECK:   %[[LOOP:.*]]:4 = scf.for %[[J:.*]] = %[[NEXT]] to %[[HI]] step %[[STEP]] iter_args(%[[O:.*]] = %[[O0]], %[[L:.*]] = %[[L0]], %[[M:.*]] = %[[M0]], %[[P:.*]] = %[[P0]])
// Step j: K_j and V_{j-1}, both products, S_j first.
// CHECK:     %[[PREV:.*]] = arith.subi %[[J]], %[[STEP]] : index
// CHECK:     %[[K:.*]] = attn.channel_wait %[[KC]][%[[KS:.*]]] phase(%{{.*}}) for %{{.*}}[%{{.*}}, %{{.*}}, %[[J]]]
// CHECK:     %[[V:.*]] = attn.channel_wait %[[VC:.*]][%[[VS:.*]]] phase(%{{.*}}) for %{{.*}}[%{{.*}}, %{{.*}}, %[[PREV]]]
// CHECK:     %[[SA:.*]] = attn.qk_matmul %[[Q]], %[[K]]
// CHECK:     %[[OA:.*]] = attn.pv_matmul %[[P]], %[[V]], %[[O]]
// CHECK:     %[[S:.*]] = attn.matmul_wait %[[SA]] pending(1)
// CHECK:     attn.channel_release %[[KC]][%[[KS]]]
// CHECK:     %[[MASK:.*]] = attn.mask_scores %[[S]] at(%{{.*}}, %[[J]])
// CHECK:     %[[M1:.*]] = attn.row_max %[[MASK]], %[[M]]
// CHECK:     %[[A:.*]] = attn.row_exp %[[M]], %[[M1]] base2
// CHECK:     %[[P1:.*]] = attn.row_exp %[[MASK]], %[[M1]] base2
// CHECK:     %[[L1:.*]] = attn.row_sum %[[P1]]
// O is complete only after the softmax, then rescaled to step j's max.
// CHECK:     %[[OW:.*]] = attn.matmul_wait %[[OA]] pending(0)
// CHECK:     attn.channel_release %[[VC]][%[[VS]]]
// CHECK:     %[[O1:.*]] = attn.row_scale %[[OW]], %[[A]]
// CHECK:     scf.yield %[[O1]], %[[L1]], %[[M1]], %[[P1]]
// Epilogue: the last tile's P V at lo + (ceil((hi - lo) / step) - 1) step.
// CHECK:   %[[SPAN:.*]] = arith.subi %[[HI]], %[[LO]]
// CHECK:   arith.ceildivui %[[SPAN]], %[[STEP]]
// CHECK:   %[[LAST:.*]] = arith.addi %[[LO]], %{{.*}} : index
// CHECK:   %[[VL:.*]] = attn.channel_wait %[[VC]][%[[VSL:.*]]] phase(%{{.*}}) for %{{.*}}[%{{.*}}, %{{.*}}, %[[LAST]]]
// CHECK:   %[[OLA:.*]] = attn.pv_matmul %[[LOOP]]#3, %[[VL]], %[[LOOP]]#0
// CHECK:   %[[OL:.*]] = attn.matmul_wait %[[OLA]] pending(0)
// CHECK:   attn.channel_release %[[VC]][%[[VSL]]]
// CHECK:   scf.yield %[[OL]], %[[LOOP]]#1, %[[LOOP]]#2
// CHECK: } else {
// CHECK:   scf.yield
// CHECK: }
// CHECK: attn.channel_release %[[QC]]
// CHECK: attn.normalize %[[R]]#0, %[[R]]#1
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
                     <name = "consumer", warps = 8, registers = 240>], overlap = true>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}

// -----

// A schedule without `overlap` keeps its loop.
// CHECK-LABEL: func.func @not_asked
// CHECK-NOT: attn.matmul_wait
// CHECK: attn.normalize
func.func @not_asked(%q: tensor<?x4x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                     %v: tensor<?x2x?x64xbf16>) -> tensor<?x4x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x4x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x4x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x4x?x64xbf16>
  %o = attn.attention
         ins(%q, %k, %v : tensor<?x4x?x64xbf16>, tensor<?x2x?x64xbf16>,
                          tensor<?x2x?x64xbf16>)
         outs(%init : tensor<?x4x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 32, tile_n = 16, stages = 2, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>,
                     <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<?x4x?x64xbf16>
  return %o : tensor<?x4x?x64xbf16>
}
