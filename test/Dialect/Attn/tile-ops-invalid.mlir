// RUN: attn-opt %s -split-input-file -verify-diagnostics

func.func @load_dynamic_tile(%src: tensor<?x?x?x64xf32>, %i: index) {
  // expected-error @below {{expected a static tile shape, got 'tensor<?x64xf32>'}}
  %t = attn.load_tile %src[%i, %i, %i] : tensor<?x?x?x64xf32> -> tensor<?x64xf32>
  return
}

// -----

func.func @load_wrong_head_dim(%src: tensor<?x?x?x64xf32>, %i: index) {
  // expected-error @below {{head dim mismatch: 64 vs 32}}
  %t = attn.load_tile %src[%i, %i, %i] : tensor<?x?x?x64xf32> -> tensor<16x32xf32>
  return
}

// -----

func.func @load_wrong_element_type(%src: tensor<?x?x?x64xf32>, %i: index) {
  // expected-error @below {{element type mismatch between source 'tensor<?x?x?x64xf32>' and tile 'tensor<16x64xbf16>'}}
  %t = attn.load_tile %src[%i, %i, %i] : tensor<?x?x?x64xf32> -> tensor<16x64xbf16>
  return
}

// -----

func.func @qk_head_dims_differ(%q: tensor<16x64xbf16>, %k: tensor<16x32xbf16>) {
  // expected-error @below {{head dim mismatch: 64 vs 32}}
  %s = attn.qk_matmul %q, %k : tensor<16x64xbf16>, tensor<16x32xbf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @qk_wrong_result(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>) {
  // expected-error @below {{key rows mismatch: 32 vs 16}}
  %s = attn.qk_matmul %q, %k : tensor<16x64xbf16>, tensor<32x64xbf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @qk_mixed_types(%q: tensor<16x64xbf16>, %k: tensor<16x64xf16>) {
  // expected-error @below {{query and key tiles must share an element type}}
  %s = attn.qk_matmul %q, %k : tensor<16x64xbf16>, tensor<16x64xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @mask_bad_scale(%s: tensor<16x16xf32>, %i: index) {
  // expected-error @below {{'scale' must be a positive finite float, got -1}}
  %m = attn.mask_scores %s at(%i, %i) seq(%i, %i) scale(-1.0) : tensor<16x16xf32>
  return
}

// -----

func.func @mask_negative_window(%s: tensor<16x16xf32>, %i: index) {
  // expected-error @below {{sliding window extents must be non-negative, got left = -2, right = 0}}
  %m = attn.mask_scores %s at(%i, %i) seq(%i, %i) sliding_window(left = -2, right = 0) scale(1.0) : tensor<16x16xf32>
  return
}

// -----

func.func @row_max_wrong_rows(%s: tensor<16x16xf32>, %m: tensor<8xf32>) {
  // expected-error @below {{row count mismatch: 16 vs 8}}
  %r = attn.row_max %s, %m : tensor<16x16xf32>, tensor<8xf32>
  return
}

// -----

func.func @row_max_negative_threshold(%s: tensor<16x16xf32>, %m: tensor<16xf32>) {
  // expected-error @below {{'threshold' must be a non-negative finite float}}
  %r = attn.row_max %s, %m threshold(-1.0) : tensor<16x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @row_exp_wrong_rows(%s: tensor<16x16xf32>, %m: tensor<32xf32>) {
  // expected-error @below {{row count mismatch: 16 vs 32}}
  %r = attn.row_exp %s, %m : tensor<16x16xf32>, tensor<32xf32>
  return
}

// -----

func.func @row_exp_poly_without_base2(%s: tensor<16x16xf32>, %m: tensor<16xf32>) {
  // expected-error @below {{poly_exp2 computes exp2: it needs 'base2'}}
  %r = attn.row_exp %s, %m poly_exp2(every 2, degree 3) : tensor<16x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @row_exp_poly_on_rows(%m0: tensor<16xf32>, %m: tensor<16xf32>) {
  // expected-error @below {{poly_exp2 applies to score tiles, not rows}}
  %r = attn.row_exp %m0, %m base2 poly_exp2(every 1, degree 3) : tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @row_exp_poly_degree(%s: tensor<16x16xf32>, %m: tensor<16xf32>) {
  // expected-error @below {{attribute 'poly_degree' failed to satisfy constraint: 64-bit signless integer attribute whose minimum value is 2 whose maximum value is 5}}
  %r = attn.row_exp %s, %m base2 poly_exp2(every 2, degree 1) : tensor<16x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @row_exp_poly_every_alone(%s: tensor<16x16xf32>, %m: tensor<16xf32>) {
  // expected-error @below {{'poly_every' and 'poly_degree' go together}}
  %r = "attn.row_exp"(%s, %m) {base2, poly_every = 2 : i64} : (tensor<16x16xf32>, tensor<16xf32>) -> tensor<16x16xf32>
  return
}

// -----

func.func @row_sum_integer(%p: tensor<16x16xi32>, %l: tensor<16xf32>) {
  // expected-error @below {{operand #0 must be 2D tensor of 32-bit float values}}
  %r = attn.row_sum %p, %l : tensor<16x16xi32>, tensor<16xf32>
  return
}

// -----

func.func @row_scale_wrong_rows(%x: tensor<16x64xf32>, %a: tensor<8xf32>) {
  // expected-error @below {{row count mismatch: 16 vs 8}}
  %r = attn.row_scale %x, %a : tensor<16x64xf32>, tensor<8xf32>
  return
}

// -----

func.func @pv_wrong_key_rows(%p: tensor<16x32xf32>, %v: tensor<16x64xbf16>, %acc: tensor<16x64xf32>) {
  // expected-error @below {{key rows mismatch: 32 vs 16}}
  %r = attn.pv_matmul %p, %v, %acc : tensor<16x32xf32>, tensor<16x64xbf16>, tensor<16x64xf32>
  return
}

// -----

func.func @pv_wrong_value_dim(%p: tensor<16x32xf32>, %v: tensor<32x64xbf16>, %acc: tensor<16x128xf32>) {
  // expected-error @below {{value head dim mismatch: 64 vs 128}}
  %r = attn.pv_matmul %p, %v, %acc : tensor<16x32xf32>, tensor<32x64xbf16>, tensor<16x128xf32>
  return
}

// -----

func.func @normalize_wrong_shape(%acc: tensor<16x64xf32>, %l: tensor<16xf32>) {
  // expected-error @below {{result shape must match the accumulator 'tensor<16x64xf32>'}}
  %o = attn.normalize %acc, %l : tensor<16x64xf32>, tensor<16xf32> -> tensor<16x32xbf16>
  return
}

// -----

func.func @lse_dynamic(%m: tensor<?xf32>) {
  // expected-error @below {{expected a static tile shape, got 'tensor<?xf32>'}}
  %r = attn.lse %m, %m : tensor<?xf32>
  return
}

// -----

// expected-error @below {{tile sizes must be positive, got tile_m = 0, tile_n = 64}}
func.func @bad_schedule() attributes {s = #attn.schedule<tile_m = 0, tile_n = 64, stages = 2, warps = 4>} {
  return
}

// -----

func.func @packed_rows_uneven(%q: tensor<?x8x?x64xbf16>, %b: index, %h: index, %r: index) {
  // expected-error @below {{a tile of 48 rows cannot hold 5 heads' rows equally}}
  %t = attn.load_tile %q[%b, %h, %r] heads(5) : tensor<?x8x?x64xbf16> -> tensor<48x64xbf16>
  return
}

// -----

func.func @packed_heads_zero(%q: tensor<?x8x?x64xbf16>, %b: index, %h: index, %r: index) {
  // expected-error @below {{attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %t = attn.load_tile %q[%b, %h, %r] heads(0) : tensor<?x8x?x64xbf16> -> tensor<48x64xbf16>
  return
}

// -----

func.func @packed_mask_uneven(%s: tensor<48x32xf32>, %r: index) {
  // expected-error @below {{a tile of 48 rows cannot hold 5 heads' rows equally}}
  %m = attn.mask_scores %s at(%r, %r) seq(%r, %r) scale(1.0) heads(5) : tensor<48x32xf32>
  return
}

// -----

func.func @paged_packed(%cache: tensor<?x16x8x64xbf16>, %table: tensor<?x?xi32>, %b: index, %h: index, %r: index) {
  // expected-error @below {{a paged read cannot pack heads}}
  %t = attn.load_tile %cache[%b, %h, %r] pages(%table, %r : tensor<?x?xi32>) heads(2) : tensor<?x16x8x64xbf16> -> tensor<64x64xbf16>
  return
}

// -----

func.func @paged_without_length(%cache: tensor<?x16x8x64xbf16>, %table: tensor<?x?xi32>, %b: index, %h: index, %r: index) {
  // expected-error @below {{a paged read needs both a block table and a length}}
  %t = "attn.load_tile"(%cache, %b, %h, %r, %table) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>}> : (tensor<?x16x8x64xbf16>, index, index, index, tensor<?x?xi32>) -> tensor<64x64xbf16>
  return
}
