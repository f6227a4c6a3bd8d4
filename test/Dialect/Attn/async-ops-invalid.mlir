// Ill-formed scheduled-level types and ops: one located error each.
// RUN: attn-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expected at least one stage, got 0}}
func.func private @no_stage(!attn.ring<0, tensor<64x64xbf16>>)

// -----

// expected-error @+1 {{expected a static 2-D tile, got 'tensor<?x64xbf16>'}}
func.func private @dynamic_tile(!attn.ring<2, tensor<?x64xbf16>>)

// -----

func.func @element_mismatch(%k: tensor<?x2x?x64xf16>, %i: index, %in: i1) {
  %ring = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
  // expected-error @+1 {{element type mismatch between source 'tensor<?x2x?x64xf16>' and tile 'tensor<64x64xbf16>'}}
  %f = attn.copy_tile_async %k[%i, %i, %i] into %ring[%i] if %in
         : tensor<?x2x?x64xf16>, !attn.ring<2, tensor<64x64xbf16>>
  return
}

// -----

func.func @head_dim_mismatch(%k: tensor<?x2x?x128xbf16>, %i: index, %in: i1) {
  %ring = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
  // expected-error @+1 {{head dim mismatch: 128 vs 64}}
  %f = attn.copy_tile_async %k[%i, %i, %i] into %ring[%i] if %in
         : tensor<?x2x?x128xbf16>, !attn.ring<2, tensor<64x64xbf16>>
  return
}

// -----

func.func @negative_pending(%f: !attn.future<tensor<64x64xbf16>>) {
  // expected-error @+1 {{attribute 'pending' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %t = attn.wait_tile %f pending(-1) : !attn.future<tensor<64x64xbf16>>
  return
}

// -----

func.func @paged_packed_copy(%k: tensor<?x16x2x64xbf16>, %table: tensor<?x?xi32>, %b: index, %h: index, %row: index, %in: i1) {
  %c0 = arith.constant 0 : index
  %ring = attn.alloc_ring : !attn.ring<2, tensor<64x64xbf16>>
  // expected-error @below {{a paged read cannot pack heads}}
  %f = attn.copy_tile_async %k[%b, %h, %row] pages(%table, %row : tensor<?x?xi32>) heads(2) into %ring[%c0] if %in
         : tensor<?x16x2x64xbf16>, !attn.ring<2, tensor<64x64xbf16>>
  return
}
