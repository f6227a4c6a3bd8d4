// attn-pipeline-async: the K/V loads of the online loop become a pipeline of
// rings, asynchronous copies and waits (level L4).
// RUN: attn-opt %s -split-input-file -attn-tile -attn-fuse-online-softmax -attn-pipeline-async -canonicalize -cse | FileCheck %s

// Two stages: one K/V tile in flight ahead of the loop.
// CHECK-LABEL: func.func @two_stages(
// CHECK-SAME: %[[Q:[^:]+]]: tensor<1x2x?x64xbf16>, %[[K:[^:]+]]: tensor<1x2x?x64xbf16>, %[[V:[^:]+]]: tensor<1x2x?x64xbf16>)
// CHECK-DAG: %[[TRUE:.*]] = arith.constant true
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[SKV:.*]] = tensor.dim %[[K]], %[[C2]]
// CHECK: scf.forall (%[[QT:.*]], %[[H:.*]]) in
// The rings: a slot for Q, two for K and two for V.
// CHECK: %[[QR:.*]] = attn.alloc_ring : !attn.ring<1, tensor<64x64xbf16>>
// CHECK: %[[KR:.*]] = attn.alloc_ring : !attn.ring<2, tensor<32x64xbf16>>
// CHECK: %[[VR:.*]] = attn.alloc_ring : !attn.ring<2, tensor<32x64xbf16>>
// Prologue: Q, then K and V of tile 0 into slot 0 (disabled when there is
// no key), then the wait for Q with those two copies still in flight.
// CHECK: %[[QF:.*]] = attn.copy_tile_async %[[Q]][%[[C0]], %[[H]], %{{.*}}] into %[[QR]][%[[C0]]] if %[[TRUE]]
// CHECK: %[[ANY:.*]] = arith.cmpi sgt, %[[SKV]], %[[C0]] : index
// CHECK: %[[K0:.*]] = attn.copy_tile_async %[[K]][%[[C0]], %[[H]], %[[C0]]] into %[[KR]][%[[C0]]] if %[[ANY]]
// CHECK: %[[V0:.*]] = attn.copy_tile_async %[[V]][%[[C0]], %[[H]], %[[C0]]] into %[[VR]][%[[C0]]] if %[[ANY]]
// CHECK: %[[QT:.*]] = attn.wait_tile %[[QF]] pending(2) : !attn.future<tensor<64x64xbf16>>
// Steady state: the loop carries the futures of the next K and V tiles.
// CHECK: scf.for %[[J:.*]] = %[[C0]] to %[[SKV]] step %[[C32]]
// CHECK-SAME: %[[KF:[^ ]+]] = %[[K0]], %[[VF:[^ ]+]] = %[[V0]])
// Tile j + 1: its row, whether it exists, its slot (j / 32 + 1) mod 2.
// CHECK: %[[NEXT:.*]] = arith.addi %[[J]], %[[C32]] : index
// CHECK: %[[IN:.*]] = arith.cmpi slt, %[[NEXT]], %[[SKV]] : index
// CHECK: %[[T:.*]] = arith.divui %[[J]], %[[C32]] : index
// CHECK: %[[T1:.*]] = arith.addi %[[T]], %[[C1]] : index
// CHECK: %[[SLOT:.*]] = arith.remui %[[T1]], %[[C2]] : index
// K: wait with V's copy allowed in flight, refill right after the wait.
// CHECK: %[[KT:.*]] = attn.wait_tile %[[KF]] pending(1)
// CHECK-NEXT: %[[KN:.*]] = attn.copy_tile_async %[[K]][%[[C0]], %[[H]], %[[NEXT]]] into %[[KR]][%[[SLOT]]] if %[[IN]]
// CHECK-NEXT: attn.qk_matmul %[[QT]], %[[KT]]
// V is waited for only after the softmax, just before P V.
// CHECK: attn.row_sum
// CHECK-NEXT: %[[VT:.*]] = attn.wait_tile %[[VF]] pending(1)
// CHECK-NEXT: %[[VN:.*]] = attn.copy_tile_async %[[V]][%[[C0]], %[[H]], %[[NEXT]]] into %[[VR]][%[[SLOT]]] if %[[IN]]
// CHECK: attn.pv_matmul %{{.*}}, %[[VT]], %{{.*}}
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %[[KN]], %[[VN]] :
// No load is left.
// CHECK-NOT: attn.load_tile
func.func @two_stages(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
                      %v: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x64xbf16>
  %init = tensor.empty(%s) : tensor<1x2x?x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x?x64xbf16>,
                          tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%init : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 2, warps = 4>}
         -> tensor<1x2x?x64xbf16>
  return %o : tensor<1x2x?x64xbf16>
}

// -----

// Three stages: two K/V tiles in flight ahead of the loop, the loop carries
// a queue of two futures per ring, and each wait lets three younger copies
// stay in flight.
// CHECK-LABEL: func.func @three_stages(
// CHECK: attn.alloc_ring : !attn.ring<3, tensor<32x64xbf16>>
// CHECK: attn.alloc_ring : !attn.ring<3, tensor<32x64xbf16>>
// CHECK: %[[K0:.*]] = attn.copy_tile_async {{.*}} into %{{.*}}[%c0] {{.*}} !attn.ring<3
// CHECK: %[[V0:.*]] = attn.copy_tile_async {{.*}} into %{{.*}}[%c0] {{.*}} !attn.ring<3
// CHECK: %[[IN1:.*]] = arith.cmpi sgt, %{{.*}}, %c32 : index
// CHECK: %[[K1:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %c32] into %{{.*}}[%c1] if %[[IN1]]
// CHECK: %[[V1:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %c32] into %{{.*}}[%c1] if %[[IN1]]
// CHECK: attn.wait_tile %{{.*}} pending(4) : !attn.future<tensor<64x64xbf16>>
// CHECK: scf.for
// CHECK-SAME: %[[KA:[^ ]+]] = %[[K0]], %[[KB:[^ ]+]] = %[[K1]], %[[VA:[^ ]+]] = %[[V0]], %[[VB:[^ ]+]] = %[[V1]])
// CHECK: %[[NEXT:.*]] = arith.addi %{{.*}}, %c64 : index
// CHECK: attn.wait_tile %[[KA]] pending(3)
// CHECK-NEXT: %[[KN:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %[[NEXT]]]
// CHECK: attn.wait_tile %[[VA]] pending(3)
// CHECK-NEXT: %[[VN:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %[[NEXT]]]
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %[[KB]], %[[KN]], %[[VB]], %[[VN]] :
func.func @three_stages(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
                        %v: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x64xbf16>
  %init = tensor.empty(%s) : tensor<1x2x?x64xbf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x?x64xbf16>,
                          tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%init : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 3, warps = 4>}
         -> tensor<1x2x?x64xbf16>
  return %o : tensor<1x2x?x64xbf16>
}

// -----

// One stage: one slot a ring in FlashAttention-2's order. The prologue
// copies K's tile 0; in each step V's tile is copied right after K's wait
// (V's copy overlaps Q K^T and the softmax), and the next K tile right after
// V's wait (its copy overlaps P V). No wait leaves a copy in flight.
// CHECK-LABEL: func.func @one_stage(
// CHECK-SAME: %[[Q:[^:]+]]: tensor<1x2x?x64xbf16>, %[[K:[^:]+]]: tensor<1x2x?x64xbf16>, %[[V:[^:]+]]: tensor<1x2x?x64xbf16>)
// CHECK-DAG: %[[TRUE:.*]] = arith.constant true
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: attn.alloc_ring : !attn.ring<1, tensor<64x64xbf16>>
// CHECK: %[[KR:.*]] = attn.alloc_ring : !attn.ring<1, tensor<32x64xbf16>>
// CHECK: %[[VR:.*]] = attn.alloc_ring : !attn.ring<1, tensor<32x64xbf16>>
// CHECK: %[[QF:.*]] = attn.copy_tile_async %[[Q]]
// CHECK: %[[ANY:.*]] = arith.cmpi sgt, %[[SKV:.*]], %[[C0]] : index
// CHECK: %[[K0:.*]] = attn.copy_tile_async %[[K]][%[[C0]], %{{.*}}, %[[C0]]] into %[[KR]][%[[C0]]] if %[[ANY]]
// CHECK-NOT: attn.copy_tile_async
// CHECK: attn.wait_tile %[[QF]] pending(1) : !attn.future<tensor<64x64xbf16>>
// CHECK: scf.for %[[J:.*]] = %[[C0]] to %[[SKV]] step %[[C32]]
// CHECK-SAME: %[[KF:[^ ]+]] = %[[K0]]) ->
// CHECK: %[[KT:.*]] = attn.wait_tile %[[KF]] pending(0)
// CHECK-NEXT: %[[VF:.*]] = attn.copy_tile_async %[[V]][%[[C0]], %{{.*}}, %[[J]]] into %[[VR]][%[[C0]]] if %[[TRUE]]
// CHECK-NEXT: attn.qk_matmul %{{.*}}, %[[KT]]
// CHECK: attn.row_sum
// CHECK-NEXT: %[[VT:.*]] = attn.wait_tile %[[VF]] pending(0)
// CHECK-NEXT: %[[NEXT:.*]] = arith.addi %[[J]], %[[C32]] : index
// CHECK-NEXT: %[[IN:.*]] = arith.cmpi slt, %[[NEXT]], %[[SKV]] : index
// CHECK-NEXT: %[[KN:.*]] = attn.copy_tile_async %[[K]][%[[C0]], %{{.*}}, %[[NEXT]]] into %[[KR]][%[[C0]]] if %[[IN]]
// CHECK: attn.pv_matmul %{{.*}}, %[[VT]], %{{.*}}
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %[[KN]] :
func.func @one_stage(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
                     %v: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x64xbf16>
  %init = tensor.empty(%s) : tensor<1x2x?x64xbf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x?x64xbf16>,
                          tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%init : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<tile_m = 64, tile_n = 32, stages = 1, warps = 4>}
         -> tensor<1x2x?x64xbf16>
  return %o : tensor<1x2x?x64xbf16>
}

// -----

// One stage with warp roles: the producer issues the copies, so each K/V
// tile is copied where it is used and waited for at once, and the loop
// carries no future.
// CHECK-LABEL: func.func @one_stage_roles(
// CHECK: attn.wait_tile %{{.*}} pending(0) : !attn.future<tensor<64x64xbf16>>
// CHECK-NOT: attn.copy_tile_async
// CHECK: scf.for %[[COL:.*]] = {{.*}} iter_args(%{{[^ ]+}} = %{{[^ ]+}}, %{{[^ ]+}} = %{{[^ ]+}}, %{{[^ ]+}} = %{{[^ ]+}}) ->
// CHECK: %[[K:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %[[COL]]] into %{{.*}}[%c0]
// CHECK-NEXT: attn.wait_tile %[[K]] pending(0)
// CHECK: %[[V:.*]] = attn.copy_tile_async {{.*}}[%{{.*}}, %{{.*}}, %[[COL]]] into %{{.*}}[%c0]
// CHECK-NEXT: attn.wait_tile %[[V]] pending(0)
func.func @one_stage_roles(%q: tensor<1x2x?x64xbf16>, %k: tensor<1x2x?x64xbf16>,
                           %v: tensor<1x2x?x64xbf16>) -> tensor<1x2x?x64xbf16> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x64xbf16>
  %init = tensor.empty(%s) : tensor<1x2x?x64xbf16>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x?x64xbf16>,
                          tensor<1x2x?x64xbf16>, tensor<1x2x?x64xbf16>)
         outs(%init : tensor<1x2x?x64xbf16>)
         {schedule = #attn.schedule<kind = fa3, tile_m = 64, tile_n = 32, stages = 1, warps = 12,
            roles = [<name = "producer", warps = 4, registers = 24>, <name = "consumer", warps = 8, registers = 240>]>}
         -> tensor<1x2x?x64xbf16>
  return %o : tensor<1x2x?x64xbf16>
}
