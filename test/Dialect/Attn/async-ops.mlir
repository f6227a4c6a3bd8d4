// The scheduled level's types and ops round-trip in custom and generic form.
// RUN: attn-opt %s | attn-opt | FileCheck %s
// RUN: attn-opt %s -mlir-print-op-generic | attn-opt | FileCheck %s

// CHECK-LABEL: func.func @pipeline
// CHECK: %[[R:.*]] = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
// CHECK: %[[F:.*]] = attn.copy_tile_async %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] into %[[R]][%{{.*}}] if %{{.*}} : tensor<?x2x?x64xbf16>, !attn.ring<2, tensor<64x64xbf16>>
// CHECK: attn.wait_tile %[[F]] pending(3) : !attn.future<tensor<64x64xbf16>>
func.func @pipeline(%k: tensor<?x2x?x64xbf16>, %b: index, %h: index,
                    %row: index, %slot: index, %in: i1) -> tensor<64x64xbf16> {
  %ring = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
  %f = attn.copy_tile_async %k[%b, %h, %row] into %ring[%slot] if %in
         : tensor<?x2x?x64xbf16>, !attn.ring<2, tensor<64x64xbf16>>
  %t = attn.wait_tile %f pending(3) : !attn.future<tensor<64x64xbf16>>
  return %t : tensor<64x64xbf16>
}

// A packed query tile copied like its load.
// CHECK-LABEL: func.func @packed_copy
//       CHECK: attn.copy_tile_async %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] heads(2) into %{{.*}}[%{{.*}}] if %{{.*}}
func.func @packed_copy(%q: tensor<?x4x?x64xbf16>, %b: index, %h: index, %row: index, %in: i1)
    -> !attn.future<tensor<64x64xbf16>> {
  %c0 = arith.constant 0 : index
  %ring = attn.alloc_ring : !attn.ring<1, tensor<64x64xbf16>>
  %f = attn.copy_tile_async %q[%b, %h, %row] heads(2) into %ring[%c0] if %in
         : tensor<?x4x?x64xbf16>, !attn.ring<1, tensor<64x64xbf16>>
  return %f : !attn.future<tensor<64x64xbf16>>
}

// K/V rows copied through a block table.
// CHECK-LABEL: func.func @paged_copy
//       CHECK: attn.copy_tile_async %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] pages(%{{.*}}, %{{.*}} : tensor<?x?xi32>) into %{{.*}}[%{{.*}}] if %{{.*}} : tensor<?x16x2x64xbf16>
func.func @paged_copy(%k: tensor<?x16x2x64xbf16>, %table: tensor<?x?xi32>, %b: index, %h: index, %row: index, %len: index, %in: i1)
    -> !attn.future<tensor<64x64xbf16>> {
  %c0 = arith.constant 0 : index
  %ring = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
  %f = attn.copy_tile_async %k[%b, %h, %row] pages(%table, %len : tensor<?x?xi32>) into %ring[%c0] if %in
         : tensor<?x16x2x64xbf16>, !attn.ring<2, tensor<64x64xbf16>>
  return %f : !attn.future<tensor<64x64xbf16>>
}
