// RUN: attn-opt %s -split-input-file -verify-diagnostics

func.func @wrong_rank(%q: tensor<4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{query must have rank 4 ([batch, heads, seq, head_dim]), got rank 3}}
  %0 = attn.attention ins(%q, %k, %v : tensor<4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @batch_mismatch(%q: tensor<2x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<2x4x128x64xbf16>) {
  // expected-error @+1 {{batch size mismatch: query has 2 but key has 1}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<2x4x128x64xbf16>) -> tensor<2x4x128x64xbf16>
  return
}

// -----

func.func @head_dim_mismatch(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x128xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{head dim mismatch: query has 64 but key has 128}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x128xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @kv_length_mismatch(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x96x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{key/value sequence length mismatch: key has 128 but value has 96}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x96x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @heads_not_multiple(%q: tensor<1x6x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x6x128x64xbf16>) {
  // expected-error @+1 {{query head count 6 must be a multiple of the key/value head count 4}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x6x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x6x128x64xbf16>) -> tensor<1x6x128x64xbf16>
  return
}

// -----

func.func @element_type(%q: tensor<1x4x128x64xf64>, %k: tensor<1x4x128x64xf64>, %v: tensor<1x4x128x64xf64>, %o: tensor<1x4x128x64xf64>) {
  // expected-error @+1 {{unsupported element type 'f64': expected bf16, f16 or f32}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xf64>, tensor<1x4x128x64xf64>, tensor<1x4x128x64xf64>) outs(%o : tensor<1x4x128x64xf64>) -> tensor<1x4x128x64xf64>
  return
}

// -----

func.func @mixed_element_types(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{query, key and value must share one element type, but query has 'bf16' and key has 'f16'}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @head_dim_unsupported(%q: tensor<1x4x128x60xbf16>, %k: tensor<1x4x128x60xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{unsupported head dim 60: expected a multiple of 8 in [8, 256]}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x60xbf16>, tensor<1x4x128x60xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @head_dim_too_large(%q: tensor<1x4x128x512xbf16>, %k: tensor<1x4x128x512xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{unsupported head dim 512: expected a multiple of 8 in [8, 256]}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x512xbf16>, tensor<1x4x128x512xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @head_dim_dynamic(%q: tensor<1x4x128x?xbf16>, %k: tensor<1x4x128x?xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{head dim must be static, but query has a dynamic dimension 3}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x?xbf16>, tensor<1x4x128x?xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @negative_window(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{sliding window extents must be non-negative, got left = -1, right = 0}}
  %0 = attn.attention sliding_window(left = -1, right = 0) ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @window_without_mask(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{'window_left' and 'window_right' are only allowed with a sliding_window mask}}
  %0 = attn.attention causal ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) {window_left = 4 : i64} -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @window_missing_extent(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{a sliding_window mask needs 'window_left' and 'window_right'}}
  %0 = "attn.attention"(%q, %k, %v, %o) <{mask = #attn<mask_kind sliding_window>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 1>, window_left = 4 : i64}> : (tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @lse_shape(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>, %lse: tensor<1x4x64xf32>) {
  // expected-error @+1 {{query sequence length mismatch: query has 128 but lse has 64}}
  %0:2 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o, %lse : tensor<1x4x128x64xbf16>, tensor<1x4x64xf32>) -> tensor<1x4x128x64xbf16>, tensor<1x4x64xf32>
  return
}

// -----

func.func @lse_type(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>, %lse: tensor<1x4x128xbf16>) {
  // expected-error @+1 {{lse must have element type f32, got 'bf16'}}
  %0:2 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o, %lse : tensor<1x4x128x64xbf16>, tensor<1x4x128xbf16>) -> tensor<1x4x128x64xbf16>, tensor<1x4x128xbf16>
  return
}

// -----

func.func @lse_rank(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>, %lse: tensor<4x128xf32>) {
  // expected-error @+1 {{lse must have rank 3 ([batch, heads, seq]), got rank 2}}
  %0:2 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o, %lse : tensor<1x4x128x64xbf16>, tensor<4x128xf32>) -> tensor<1x4x128x64xbf16>, tensor<4x128xf32>
  return
}

// -----

func.func @negative_scale(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{'scale' must be a positive finite float, got -1.250000e-01}}
  %0 = attn.attention scale(-0.125) ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @infinite_scale(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{'scale' must be a positive finite float, got inf}}
  %0 = attn.attention scale(0x7F800000) ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @zero_softcap(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{'softcap' must be a positive finite float, got 0.000000e+00}}
  %0 = attn.attention softcap(0.0) ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @mixed_tensor_memref(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: memref<1x4x128x64xbf16>) {
  // expected-error @+1 {{expected all operands to be tensors or all to be memrefs, but output is 'memref<1x4x128x64xbf16>'}}
  attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : memref<1x4x128x64xbf16>)
  return
}

// -----

func.func @unranked(%q: tensor<*xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{query must be a ranked tensor or memref, got 'tensor<*xbf16>'}}
  %0 = attn.attention ins(%q, %k, %v : tensor<*xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @result_type(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{expected type of operand #3 ('tensor<1x4x128x64xbf16>') to match type of corresponding result ('tensor<1x4x128x64xf16>')}}
  %0 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xf16>
  return
}

// -----

func.func @too_many_outputs(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{expected one or two 'outs' operands (output and optional log-sum-exp), got 3}}
  %0:3 = attn.attention ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o, %o, %o : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @unknown_mask(%q: tensor<1x4x128x64xbf16>, %k: tensor<1x4x128x64xbf16>, %v: tensor<1x4x128x64xbf16>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{expected 'ins'}}
  %0 = attn.attention bidirectional ins(%q, %k, %v : tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>, tensor<1x4x128x64xbf16>) outs(%o : tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}

// -----

func.func @combine_rank(%po: tensor<2x8x1x64xf32>, %pl: tensor<4x2x8x1xf32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{partial_output must have rank 5, got 4}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<2x8x1x64xf32>, tensor<4x2x8x1xf32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @combine_partial_type(%po: tensor<4x2x8x1x64xbf16>, %pl: tensor<4x2x8x1xf32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{partial_output has element type 'bf16': expected f32}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xbf16>, tensor<4x2x8x1xf32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @combine_splits_mismatch(%po: tensor<4x2x8x1x64xf32>, %pl: tensor<3x2x8x1xf32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{split count mismatch: partial_output has 4 but partial_lse has 3}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xf32>, tensor<3x2x8x1xf32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @combine_heads_mismatch(%po: tensor<4x2x8x1x64xf32>, %pl: tensor<4x2x8x1xf32>, %o: tensor<2x4x1x64xbf16>) {
  // expected-error @+1 {{head count mismatch: partial_output has 8 but output has 4}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xf32>, tensor<4x2x8x1xf32>) outs(%o : tensor<2x4x1x64xbf16>) -> tensor<2x4x1x64xbf16>
  return
}

// -----

func.func @combine_value_dim(%po: tensor<4x2x8x1x64xf32>, %pl: tensor<4x2x8x1xf32>, %o: tensor<2x8x1x128xbf16>) {
  // expected-error @+1 {{value head dim mismatch: partial_output has 64 but output has 128}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xf32>, tensor<4x2x8x1xf32>) outs(%o : tensor<2x8x1x128xbf16>) -> tensor<2x8x1x128xbf16>
  return
}

// -----

func.func @combine_lse_type(%po: tensor<4x2x8x1x64xf32>, %pl: tensor<4x2x8x1xf32>, %o: tensor<2x8x1x64xbf16>, %l: tensor<2x8x1xf16>) {
  // expected-error @+1 {{lse has element type 'f16': expected f32}}
  %0:2 = attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xf32>, tensor<4x2x8x1xf32>) outs(%o, %l : tensor<2x8x1x64xbf16>, tensor<2x8x1xf16>) -> tensor<2x8x1x64xbf16>, tensor<2x8x1xf16>
  return
}

// -----

func.func @combine_mixed(%po: tensor<4x2x8x1x64xf32>, %pl: tensor<4x2x8x1xf32>, %o: memref<2x8x1x64xbf16>) {
  // expected-error @+1 {{expected all operands to be tensors or all to be memrefs, but output is 'memref<2x8x1x64xbf16>'}}
  attn.combine_splits ins(%po, %pl : tensor<4x2x8x1x64xf32>, tensor<4x2x8x1xf32>) outs(%o : memref<2x8x1x64xbf16>)
  return
}

// -----

func.func @combine_partials_disagree(%po: tensor<4x2x32x1x64xf32>, %pl: tensor<4x2x16x1xf32>, %o: tensor<?x?x?x64xbf16>) {
  // expected-error @+1 {{head count mismatch: partial_output has 32 but partial_lse has 16}}
  %0 = attn.combine_splits ins(%po, %pl : tensor<4x2x32x1x64xf32>, tensor<4x2x16x1xf32>) outs(%o : tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16>
  return
}

// -----

func.func @paged_table_type(%q: tensor<2x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>, %t: tensor<2x4xi64>, %n: tensor<2xi32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{block_table must have element type i32, got 'i64'}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>) paged(%t, %n : tensor<2x4xi64>, tensor<2xi32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @paged_lengths_rank(%q: tensor<2x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>, %t: tensor<2x4xi32>, %n: tensor<2x1xi32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{cache_lengths must have rank 1 ([batch]), got rank 2}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>) paged(%t, %n : tensor<2x4xi32>, tensor<2x1xi32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @paged_table_batch(%q: tensor<2x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>, %t: tensor<3x4xi32>, %n: tensor<2xi32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{batch size mismatch: query has 2 but block_table has 3}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>) paged(%t, %n : tensor<3x4xi32>, tensor<2xi32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @paged_page_size(%q: tensor<2x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x32x2x64xbf16>, %t: tensor<2x4xi32>, %n: tensor<2xi32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{page size mismatch: key has 16 but value has 32}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x32x2x64xbf16>) paged(%t, %n : tensor<2x4xi32>, tensor<2xi32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @paged_heads(%q: tensor<2x6x1x64xbf16>, %k: tensor<?x16x4x64xbf16>, %v: tensor<?x16x4x64xbf16>, %t: tensor<2x4xi32>, %n: tensor<2xi32>, %o: tensor<2x6x1x64xbf16>) {
  // expected-error @+1 {{query head count 6 must be a multiple of the key/value head count 4}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x6x1x64xbf16>, tensor<?x16x4x64xbf16>, tensor<?x16x4x64xbf16>) paged(%t, %n : tensor<2x4xi32>, tensor<2xi32>) outs(%o : tensor<2x6x1x64xbf16>) -> tensor<2x6x1x64xbf16>
  return
}

// -----

func.func @paged_kv_rank(%q: tensor<2x8x1x64xbf16>, %k: tensor<16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>, %t: tensor<2x4xi32>, %n: tensor<2xi32>, %o: tensor<2x8x1x64xbf16>) {
  // expected-error @+1 {{key must have rank 4 ([pages, page_size, heads, head_dim]), got rank 3}}
  %0 = attn.attention ins(%q, %k, %v : tensor<2x8x1x64xbf16>, tensor<16x2x64xbf16>, tensor<?x16x2x64xbf16>) paged(%t, %n : tensor<2x4xi32>, tensor<2xi32>) outs(%o : tensor<2x8x1x64xbf16>) -> tensor<2x8x1x64xbf16>
  return
}

// -----

func.func @paged_without_lengths(%q: tensor<1x4x128x64xbf16>, %k: tensor<?x16x4x64xbf16>, %v: tensor<?x16x4x64xbf16>, %t: tensor<1x8xi32>, %o: tensor<1x4x128x64xbf16>) {
  // expected-error @+1 {{a paged K/V cache needs both 'block_table' and 'cache_lengths'}}
  %0 = "attn.attention"(%q, %k, %v, %t, %o) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>}> : (tensor<1x4x128x64xbf16>, tensor<?x16x4x64xbf16>, tensor<?x16x4x64xbf16>, tensor<1x8xi32>, tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xbf16>
  return
}
