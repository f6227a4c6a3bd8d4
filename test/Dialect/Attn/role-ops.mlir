// RUN: attn-opt %s | attn-opt | FileCheck %s
// RUN: attn-opt %s -mlir-print-op-generic | attn-opt | FileCheck %s
// RUN: attn-opt %s -canonicalize | FileCheck %s --check-prefix=CANON

// Warp roles and channels print and parse back: the roles with their
// budgets, one region each, the protocol's ops with slot and phase.
// CHECK-LABEL: func.func @roles
//       CHECK: %[[C:.*]] = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
//       CHECK: %[[R:.*]] = attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>, <name = "consumer", warps = 4, registers = 232>] {
//       CHECK:   attn.channel_acquire %[[C]][%{{.*}}] phase(%{{.*}}) : !attn.channel<2, tensor<16x64xbf16>>
//       CHECK:   attn.channel_copy %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] into %[[C]][%{{.*}}] if %{{.*}} : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
//       CHECK:   attn.channel_commit %[[C]][%{{.*}}]
//       CHECK: }, {
//       CHECK:   %[[T:.*]] = attn.channel_wait %[[C]][%{{.*}}] phase(%{{.*}}) for %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
//       CHECK:   attn.channel_release %[[C]][%{{.*}}]
//       CHECK:   attn.role_yield %[[T]] : tensor<16x64xbf16>
//       CHECK: } -> tensor<16x64xbf16>
func.func @roles(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) -> tensor<16x64xbf16> {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  %r = attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                                   <name = "consumer", warps = 4, registers = 232>] {
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_copy %src[%i, %i, %i] into %c[%i] if %p : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
    attn.role_yield %t : tensor<16x64xbf16>
  } -> tensor<16x64xbf16>
  return %r : tensor<16x64xbf16>
}

// The consumer's schedule: two products issued in a turn, waited for
// separately.
// CHECK-LABEL: func.func @turns
// CHECK: %[[T:.*]]:2 = attn.ordered barriers [1, 2] -> (tensor<64x64xf32>, tensor<64x64xf32>) {
// CHECK:   %[[S:.*]] = attn.qk_matmul
// CHECK:   %[[O:.*]] = attn.pv_matmul
// CHECK:   attn.ordered_yield %[[S]], %[[O]] : tensor<64x64xf32>, tensor<64x64xf32>
// CHECK: }
// CHECK: attn.matmul_wait %[[T]]#0 pending(1) : tensor<64x64xf32>
// CHECK: attn.matmul_wait %[[T]]#1 pending(0) : tensor<64x64xf32>
func.func @turns(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>, %p: tensor<64x64xf32>, %v: tensor<64x64xbf16>, %acc: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %r:2 = attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                                     <name = "consumer", warps = 8, registers = 240>] {
  }, {
    %t:2 = attn.ordered barriers [1, 2] -> (tensor<64x64xf32>, tensor<64x64xf32>) {
      %s = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
      %o = attn.pv_matmul %p, %v, %acc : tensor<64x64xf32>, tensor<64x64xbf16>, tensor<64x64xf32>
      attn.ordered_yield %s, %o : tensor<64x64xf32>, tensor<64x64xf32>
    }
    %s = attn.matmul_wait %t#0 pending(1) : tensor<64x64xf32>
    %o = attn.matmul_wait %t#1 pending(0) : tensor<64x64xf32>
    attn.role_yield %s, %o : tensor<64x64xf32>, tensor<64x64xf32>
  } -> tensor<64x64xf32>, tensor<64x64xf32>
  return %r#0, %r#1 : tensor<64x64xf32>, tensor<64x64xf32>
}

// FlashAttention-4's roles: more roles than regions, the compute roles
// sharing the last region, each running the sections that name it.
// CHECK-LABEL: func.func @shared_region
//       CHECK: attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>, <name = "mma", warps = 1, registers = 48>, <name = "softmax", warps = 4, registers = 192>] {
//       CHECK: }, {
//       CHECK:   %[[S:.*]] = attn.in_role "mma" -> (tensor<64x64xf32>) {
//       CHECK:     %[[QK:.*]] = attn.qk_matmul
//       CHECK:     attn.in_role_yield %[[QK]] : tensor<64x64xf32>
//       CHECK:   }
//       CHECK:   %[[M:.*]] = attn.in_role "softmax" -> (tensor<64xf32>) {
//       CHECK:     attn.row_max %[[S]], %{{.*}}
//       CHECK:   attn.role_yield %[[M]] : tensor<64xf32>
func.func @shared_region(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>, %m: tensor<64xf32>) -> tensor<64xf32> {
  %r = attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                                   <name = "mma", warps = 1, registers = 48>,
                                   <name = "softmax", warps = 4, registers = 192>] {
  }, {
    %s = attn.in_role "mma" -> (tensor<64x64xf32>) {
      %qk = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
      attn.in_role_yield %qk : tensor<64x64xf32>
    }
    %max = attn.in_role "softmax" -> (tensor<64xf32>) {
      %x = attn.row_max %s, %m : tensor<64x64xf32>, tensor<64xf32>
      attn.in_role_yield %x : tensor<64xf32>
    }
    attn.role_yield %max : tensor<64xf32>
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// A section inside a branch of the shared region; and one whose results
// nothing uses, which canonicalisation deletes: its role then has nothing
// to run, which is allowed.
// CHECK-LABEL: func.func @sections_in_branch
//       CHECK: scf.if
//       CHECK:   attn.in_role "mma" -> (tensor<64x64xf32>)
//       CHECK: attn.in_role "softmax" -> (tensor<64xf32>)
// CANON-LABEL: func.func @sections_in_branch
//       CANON: attn.warp_specialize
//       CANON:   attn.in_role "mma"
//   CANON-NOT:   attn.in_role "softmax"
//       CANON:   attn.role_yield
func.func @sections_in_branch(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>, %m: tensor<64xf32>, %c: i1) -> tensor<64x64xf32> {
  %r = attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                                   <name = "mma", warps = 1, registers = 48>,
                                   <name = "softmax", warps = 4, registers = 192>] {
  }, {
    %t = scf.if %c -> tensor<64x64xf32> {
      %s = attn.in_role "mma" -> (tensor<64x64xf32>) {
        %qk = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
        attn.in_role_yield %qk : tensor<64x64xf32>
      }
      scf.yield %s : tensor<64x64xf32>
    } else {
      %z = arith.constant dense<0.0> : tensor<64x64xf32>
      scf.yield %z : tensor<64x64xf32>
    }
    %unused = attn.in_role "softmax" -> (tensor<64xf32>) {
      %x = arith.negf %m : tensor<64xf32>
      attn.in_role_yield %x : tensor<64xf32>
    }
    attn.role_yield %t : tensor<64x64xf32>
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
