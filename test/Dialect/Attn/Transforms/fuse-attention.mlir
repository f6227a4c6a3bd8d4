// RUN: attn-opt %s -split-input-file -attn-fuse-attention | FileCheck %s
// Graphs left alone say why, at their P V product.
// RUN: attn-opt %s -split-input-file -attn-fuse-attention=report-unfused -verify-diagnostics > /dev/null

// Heads folded into the batch ([B*H, S, D]), K transposed by linalg.transpose,
// a scale by multiplication, linalg.softmax: one attention with one head per
// batch entry, reshaped around the op.
// CHECK-LABEL: func.func @batch_matmul_softmax
//  CHECK-SAME: (%[[Q:.*]]: tensor<8x128x64xf32>, %[[K:.*]]: tensor<8x128x64xf32>, %[[V:.*]]: tensor<8x128x64xf32>)
//   CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2], [3]] {{.*}} into tensor<8x1x128x64xf32>
//   CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[}}[0, 1], [2], [3]]
//   CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1], [2], [3]]
//       CHECK: %[[O4:.*]] = attn.attention scale(1.250000e-01) ins(%[[Q4]], %[[K4]], %[[V4]] :
//  CHECK-SAME:   -> tensor<8x1x128x64xf32>
//       CHECK: %[[O:.*]] = tensor.collapse_shape %[[O4]] {{\[}}[0, 1], [2], [3]]
//       CHECK: return %[[O]] : tensor<8x128x64xf32>
//   CHECK-NOT: linalg
func.func @batch_matmul_softmax(%q: tensor<8x128x64xf32>, %k: tensor<8x128x64xf32>,
                                %v: tensor<8x128x64xf32>) -> tensor<8x128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.125 : f32
  %e0 = tensor.empty() : tensor<8x64x128xf32>
  %kt = linalg.transpose ins(%k : tensor<8x128x64xf32>) outs(%e0 : tensor<8x64x128xf32>) permutation = [0, 2, 1]
  %e1 = tensor.empty() : tensor<8x128x128xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<8x128x64xf32>, tensor<8x64x128xf32>)
                           outs(%z1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %ss = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                        iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<8x128x128xf32>
  %p = linalg.softmax dimension(2) ins(%ss : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %e2 = tensor.empty() : tensor<8x128x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x128x128xf32>, tensor<8x128x64xf32>)
                           outs(%z2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %o : tensor<8x128x64xf32>
}

// -----

#qk_q = affine_map<(b, h, i, j, d) -> (b, h, i, d)>
#qk_k = affine_map<(b, h, i, j, d) -> (b, h, j, d)>
#qk_s = affine_map<(b, h, i, j, d) -> (b, h, i, j)>
#pv_p = affine_map<(b, h, i, e, j) -> (b, h, i, j)>
#pv_v = affine_map<(b, h, i, e, j) -> (b, h, j, e)>
#pv_o = affine_map<(b, h, i, e, j) -> (b, h, i, e)>
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
#row = affine_map<(b, h, i, j) -> (b, h, i)>

// 4-D [B, H, S, D] contractions in linalg.generic reading K transposed, a
// division by sqrt(D), a causal mask by select, and the softmax spelled out
// (max, sub, exp, sum, div): a causal attention with scale 1/8.
// CHECK-LABEL: func.func @generic_causal_spelled_out
//  CHECK-SAME: (%[[Q:.*]]: tensor<2x4x64x64xf32>, %[[K:.*]]: tensor<2x4x64x64xf32>, %[[V:.*]]: tensor<2x4x64x64xf32>)
//       CHECK: %[[O:.*]] = attn.attention causal scale(1.250000e-01) ins(%[[Q]], %[[K]], %[[V]] :
//       CHECK: return %[[O]]
//   CHECK-NOT: linalg
func.func @generic_causal_spelled_out(%q: tensor<2x4x64x64xf32>, %k: tensor<2x4x64x64xf32>,
                                      %v: tensor<2x4x64x64xf32>) -> tensor<2x4x64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %sqrt_d = arith.constant 8.0 : f32
  %es = tensor.empty() : tensor<2x4x64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x64x64xf32>) -> tensor<2x4x64x64xf32>
  %s = linalg.generic {indexing_maps = [#qk_q, #qk_k, #qk_s],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x4x64x64xf32>, tensor<2x4x64x64xf32>) outs(%zs : tensor<2x4x64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x64x64xf32>
  %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x4x64x64xf32>) outs(%es : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.divf %x, %sqrt_d : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64x64xf32>
  %masked = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<2x4x64x64xf32>) outs(%es : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %above = arith.cmpi ugt, %j, %i : index
    %y = arith.select %above, %ninf, %x : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64x64xf32>
  %er = tensor.empty() : tensor<2x4x64xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x64xf32>) -> tensor<2x4x64xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x64x64xf32>) outs(%mi : tensor<2x4x64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.maximumf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64xf32>
  %sub = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x64x64xf32>, tensor<2x4x64xf32>) outs(%es : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %y = arith.subf %x, %m : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64x64xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x64x64xf32>) outs(%es : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.exp %x : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64x64xf32>
  %si = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x64xf32>) -> tensor<2x4x64xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x64x64xf32>) outs(%si : tensor<2x4x64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.addf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64xf32>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x64x64xf32>, tensor<2x4x64xf32>) outs(%es : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %l: f32, %o: f32):
    %y = arith.divf %x, %l : f32
    linalg.yield %y : f32
  } -> tensor<2x4x64x64xf32>
  %o = linalg.generic {indexing_maps = [#pv_p, #pv_v, #pv_o],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x4x64x64xf32>, tensor<2x4x64x64xf32>) outs(%zs : tensor<2x4x64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x64x64xf32>
  return %o : tensor<2x4x64x64xf32>
}

// -----

#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
#id5 = affine_map<(b, h, g, s, d) -> (b, h, g, s, d)>

// GQA: K and V heads repeated by linalg.broadcast + tensor.collapse_shape
// (2 key/value heads for 8 query heads), bf16 inputs extended to f32, an
// additive causal mask: the attention reads the unrepeated bf16 tensors.
// CHECK-LABEL: func.func @gqa_bf16_additive_mask
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x8x32x64xbf16>, %[[K:.*]]: tensor<1x2x32x64xbf16>, %[[V:.*]]: tensor<1x2x32x64xbf16>)
//       CHECK: attn.attention causal scale(1.250000e-01) ins(%[[Q]], %[[K]], %[[V]] : tensor<1x8x32x64xbf16>, tensor<1x2x32x64xbf16>, tensor<1x2x32x64xbf16>)
//  CHECK-SAME:   -> tensor<1x8x32x64xf32>
//   CHECK-NOT: linalg
func.func @gqa_bf16_additive_mask(%q: tensor<1x8x32x64xbf16>, %k: tensor<1x2x32x64xbf16>,
                                  %v: tensor<1x2x32x64xbf16>) -> tensor<1x8x32x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant dense<0.125> : tensor<1x8x32x32xf32>
  %eq = tensor.empty() : tensor<1x8x32x64xf32>
  %qf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q : tensor<1x8x32x64xbf16>) outs(%eq : tensor<1x8x32x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x8x32x64xf32>
  %ekv = tensor.empty() : tensor<1x2x32x64xf32>
  %kf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k : tensor<1x2x32x64xbf16>) outs(%ekv : tensor<1x2x32x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x2x32x64xf32>
  %vf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%v : tensor<1x2x32x64xbf16>) outs(%ekv : tensor<1x2x32x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x2x32x64xf32>
  %e5 = tensor.empty() : tensor<1x2x4x32x64xf32>
  %kb = linalg.broadcast ins(%kf : tensor<1x2x32x64xf32>) outs(%e5 : tensor<1x2x4x32x64xf32>) dimensions = [2]
  %kr = tensor.collapse_shape %kb [[0], [1, 2], [3], [4]] : tensor<1x2x4x32x64xf32> into tensor<1x8x32x64xf32>
  %vb = linalg.broadcast ins(%vf : tensor<1x2x32x64xf32>) outs(%e5 : tensor<1x2x4x32x64xf32>) dimensions = [2]
  %vr = tensor.collapse_shape %vb [[0], [1, 2], [3], [4]] : tensor<1x2x4x32x64xf32> into tensor<1x8x32x64xf32>
  %es = tensor.empty() : tensor<1x8x32x32xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%qf, %kr : tensor<1x8x32x64xf32>, tensor<1x8x32x64xf32>) outs(%zs : tensor<1x8x32x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x8x32x32xf32>
  %ss = arith.mulf %s, %scale : tensor<1x8x32x32xf32>
  %masked = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ss : tensor<1x8x32x32xf32>) outs(%es : tensor<1x8x32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %below = arith.cmpi ule, %j, %i : index
    %bias = arith.select %below, %zero, %ninf : f32
    %y = arith.addf %x, %bias : f32
    linalg.yield %y : f32
  } -> tensor<1x8x32x32xf32>
  %p = linalg.softmax dimension(3) ins(%masked : tensor<1x8x32x32xf32>) outs(%es : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eq : tensor<1x8x32x64xf32>) -> tensor<1x8x32x64xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %vr : tensor<1x8x32x32xf32>, tensor<1x8x32x64xf32>) outs(%zo : tensor<1x8x32x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x8x32x64xf32>
  return %o : tensor<1x8x32x64xf32>
}

// -----

// One head as 2-D matmuls with K given already transposed ([D, S]) and a
// dynamic sequence length: K is transposed back for the op, and there is no
// scale (1.0).
// CHECK-LABEL: func.func @matmul_key_given_transposed
//  CHECK-SAME: (%[[Q:.*]]: tensor<?x64xf32>, %[[KT:.*]]: tensor<64x?xf32>, %[[V:.*]]: tensor<?x64xf32>)
//       CHECK: %[[K:.*]] = linalg.transpose ins(%[[KT]] : tensor<64x?xf32>) outs(%{{.*}} : tensor<?x64xf32>) permutation = [1, 0]
//   CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1, 2], [3]]
//   CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[}}[0, 1, 2], [3]]
//       CHECK: attn.attention scale(1.000000e+00) ins(%[[Q4]], %[[K4]],
//       CHECK: tensor.collapse_shape {{.*}} {{\[}}[0, 1, 2], [3]] : tensor<1x1x?x64xf32> into tensor<?x64xf32>
//   CHECK-NOT: linalg.matmul
//   CHECK-NOT: linalg.softmax
func.func @matmul_key_given_transposed(%q: tensor<?x64xf32>, %kt: tensor<64x?xf32>,
                                       %v: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %sq = tensor.dim %q, %c0 : tensor<?x64xf32>
  %skv = tensor.dim %kt, %c1 : tensor<64x?xf32>
  %es = tensor.empty(%sq, %skv) : tensor<?x?xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<?x64xf32>, tensor<64x?xf32>) outs(%zs : tensor<?x?xf32>) -> tensor<?x?xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<?x?xf32>) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %eo = tensor.empty(%sq) : tensor<?x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<?x64xf32>) -> tensor<?x64xf32>
  %o = linalg.matmul ins(%p, %v : tensor<?x?xf32>, tensor<?x64xf32>) outs(%zo : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %o : tensor<?x64xf32>
}

// -----

// Not fused: the softmax runs over the query dimension, not the keys.
// CHECK-LABEL: func.func @softmax_over_wrong_dim
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax dimension(1)
func.func @softmax_over_wrong_dim(%q: tensor<8x128x64xf32>, %k: tensor<8x128x64xf32>,
                                  %v: tensor<8x128x64xf32>) -> tensor<8x128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x128x128xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
         ins(%q, %k : tensor<8x128x64xf32>, tensor<8x128x64xf32>) outs(%z1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %e2 = tensor.empty() : tensor<8x128x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the softmax is not exp(s - rowmax) / rowsum over the last (key) dimension}}
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x128x128xf32>, tensor<8x128x64xf32>)
                           outs(%z2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %o : tensor<8x128x64xf32>
}

// -----

// Not fused: the scores are also returned, so they must be materialised.
// CHECK-LABEL: func.func @scores_used_twice
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax
func.func @scores_used_twice(%q: tensor<8x128x64xf32>, %k: tensor<8x128x64xf32>,
                             %v: tensor<8x128x64xf32>) -> (tensor<8x128x64xf32>, tensor<8x128x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x128x128xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
         ins(%q, %k : tensor<8x128x64xf32>, tensor<8x128x64xf32>) outs(%z1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %e2 = tensor.empty() : tensor<8x128x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the scores are used by other ops too, so they must be materialised}}
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x128x128xf32>, tensor<8x128x64xf32>)
                           outs(%z2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %o, %s : tensor<8x128x64xf32>, tensor<8x128x128xf32>
}

// -----

// Not fused: the probabilities are also returned.
// CHECK-LABEL: func.func @probabilities_used_twice
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax
func.func @probabilities_used_twice(%q: tensor<8x128x64xf32>, %k: tensor<8x128x64xf32>,
                                    %v: tensor<8x128x64xf32>) -> (tensor<8x128x64xf32>, tensor<8x128x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x128x128xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
         ins(%q, %k : tensor<8x128x64xf32>, tensor<8x128x64xf32>) outs(%z1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %e2 = tensor.empty() : tensor<8x128x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the probabilities are used by other ops too, so they must be materialised}}
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x128x128xf32>, tensor<8x128x64xf32>)
                           outs(%z2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %o, %p : tensor<8x128x64xf32>, tensor<8x128x128xf32>
}

// -----

// Not fused: a scale by a runtime value is not a constant.
// CHECK-LABEL: func.func @scale_not_constant
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax
func.func @scale_not_constant(%q: tensor<8x128x64xf32>, %k: tensor<8x128x64xf32>,
                              %v: tensor<8x128x64xf32>, %scale: f32) -> tensor<8x128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x128x128xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
         ins(%q, %k : tensor<8x128x64xf32>, tensor<8x128x64xf32>) outs(%z1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %ss = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                        iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %scale : f32
    linalg.yield %y : f32
  } -> tensor<8x128x128xf32>
  %p = linalg.softmax dimension(2) ins(%ss : tensor<8x128x128xf32>) outs(%e1 : tensor<8x128x128xf32>) -> tensor<8x128x128xf32>
  %e2 = tensor.empty() : tensor<8x128x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the softmax's input is not Q K^T after at most one causal mask and one constant scale (found 'linalg.generic')}}
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x128x128xf32>, tensor<8x128x64xf32>)
                           outs(%z2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %o : tensor<8x128x64xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>

// Not fused: the "sum" of the spelled-out softmax is a second max, so the
// rows do not sum to one.
// CHECK-LABEL: func.func @reductions_not_max_sum
//   CHECK-NOT: attn.attention
//       CHECK: linalg.matmul
func.func @reductions_not_max_sum(%q: tensor<64x64xf32>, %k: tensor<64x64xf32>,
                                  %v: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %es = tensor.empty() : tensor<64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<64x64xf32>, tensor<64x64xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  %er = tensor.empty() : tensor<64xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%er : tensor<64xf32>) -> tensor<64xf32>
  %max = linalg.reduce ins(%s : tensor<64x64xf32>) outs(%mi : tensor<64xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %y = arith.maximumf %x, %acc : f32
      linalg.yield %y : f32
    }
  %exp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s, %max : tensor<64x64xf32>, tensor<64xf32>) outs(%es : tensor<64x64xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<64x64xf32>
  %si = linalg.fill ins(%ninf : f32) outs(%er : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.reduce ins(%exp : tensor<64x64xf32>) outs(%si : tensor<64xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %y = arith.maximumf %x, %acc : f32
      linalg.yield %y : f32
    }
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %sum : tensor<64x64xf32>, tensor<64xf32>) outs(%es : tensor<64x64xf32>) {
  ^bb0(%x: f32, %l: f32, %o: f32):
    %y = arith.divf %x, %l : f32
    linalg.yield %y : f32
  } -> tensor<64x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the softmax is not exp(s - rowmax) / rowsum over the last (key) dimension}}
  %o = linalg.matmul ins(%p, %v : tensor<64x64xf32>, tensor<64x64xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %o : tensor<64x64xf32>
}

// -----

// Not fused: a top-left causal mask on sequences of unknown lengths may not
// be the bottom-right mask attn.attention uses.
// CHECK-LABEL: func.func @causal_dynamic_lengths
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax
func.func @causal_dynamic_lengths(%q: tensor<?x64xf32>, %k: tensor<?x64xf32>,
                                  %v: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %sq = tensor.dim %q, %c0 : tensor<?x64xf32>
  %skv = tensor.dim %k, %c0 : tensor<?x64xf32>
  %es = tensor.empty(%sq, %skv) : tensor<?x?xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<?x64xf32>, tensor<?x64xf32>) outs(%zs : tensor<?x?xf32>) -> tensor<?x?xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<?x?xf32>) outs(%es : tensor<?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %above = arith.cmpi ugt, %j, %i : index
    %y = arith.select %above, %ninf, %x : f32
    linalg.yield %y : f32
  } -> tensor<?x?xf32>
  %p = linalg.softmax dimension(1) ins(%masked : tensor<?x?xf32>) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %eo = tensor.empty(%sq) : tensor<?x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<?x64xf32>) -> tensor<?x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: a top-left causal mask is attn.attention's bottom-right one only when Sq = Skv, which the shapes do not show}}
  %o = linalg.matmul ins(%p, %v : tensor<?x?xf32>, tensor<?x64xf32>) outs(%zo : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %o : tensor<?x64xf32>
}

// -----

// Not fused: an arbitrary additive bias is not a mask attn.attention has.
// CHECK-LABEL: func.func @additive_bias
//   CHECK-NOT: attn.attention
//       CHECK: linalg.softmax
func.func @additive_bias(%q: tensor<64x64xf32>, %k: tensor<64x64xf32>, %v: tensor<64x64xf32>,
                         %bias: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<64x64xf32>, tensor<64x64xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  %b = arith.addf %s, %bias : tensor<64x64xf32>
  %p = linalg.softmax dimension(1) ins(%b : tensor<64x64xf32>) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: the softmax's input is not Q K^T after at most one causal mask and one constant scale (found 'arith.addf')}}
  %o = linalg.matmul ins(%p, %v : tensor<64x64xf32>, tensor<64x64xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %o : tensor<64x64xf32>
}

// -----

#id = affine_map<(b, h, i, j) -> (b, h, i, j)>

// bf16 inputs extended to f32, Q pre-scaled by D^-0.5 before the product
// (as frameworks write it), O rounded back to bf16 at the end: one bf16
// attention whose scale is the pre-scale; the casts and the product are
// gone. Both kernels take it (O in the inputs' type).
// CHECK-LABEL: func.func @prescaled_query_rounded_output
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x4x64x64xbf16>, %[[K:.*]]: tensor<1x4x64x64xbf16>, %[[V:.*]]: tensor<1x4x64x64xbf16>)
//       CHECK: %[[O:.*]] = attn.attention scale(1.250000e-01) ins(%[[Q]], %[[K]], %[[V]] : tensor<1x4x64x64xbf16>, tensor<1x4x64x64xbf16>, tensor<1x4x64x64xbf16>)
//  CHECK-SAME:   -> tensor<1x4x64x64xbf16>
//       CHECK: return %[[O]] : tensor<1x4x64x64xbf16>
//   CHECK-NOT: linalg
func.func @prescaled_query_rounded_output(%q: tensor<1x4x64x64xbf16>, %k: tensor<1x4x64x64xbf16>,
                                          %v: tensor<1x4x64x64xbf16>) -> tensor<1x4x64x64xbf16> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant 0.125 : f32
  %e = tensor.empty() : tensor<1x4x64x64xf32>
  %qf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q : tensor<1x4x64x64xbf16>) outs(%e : tensor<1x4x64x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x4x64x64xf32>
  %qs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qf : tensor<1x4x64x64xf32>) outs(%e : tensor<1x4x64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<1x4x64x64xf32>
  %kf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k : tensor<1x4x64x64xbf16>) outs(%e : tensor<1x4x64x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x4x64x64xf32>
  %vf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%v : tensor<1x4x64x64xbf16>) outs(%e : tensor<1x4x64x64xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  } -> tensor<1x4x64x64xf32>
  %es = tensor.empty() : tensor<1x4x64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<1x4x64x64xf32>) -> tensor<1x4x64x64xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%qs, %kf : tensor<1x4x64x64xf32>, tensor<1x4x64x64xf32>) outs(%zs : tensor<1x4x64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x4x64x64xf32>
  %p = linalg.softmax dimension(3) ins(%s : tensor<1x4x64x64xf32>) outs(%es : tensor<1x4x64x64xf32>) -> tensor<1x4x64x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x64x64xf32>) -> tensor<1x4x64x64xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %vf : tensor<1x4x64x64xf32>, tensor<1x4x64x64xf32>) outs(%zo : tensor<1x4x64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x4x64x64xf32>
  %eb = tensor.empty() : tensor<1x4x64x64xbf16>
  %ob = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o : tensor<1x4x64x64xf32>) outs(%eb : tensor<1x4x64x64xbf16>) {
  ^bb0(%x: f32, %y: bf16):
    %t = arith.truncf %x : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<1x4x64x64xbf16>
  return %ob : tensor<1x4x64x64xbf16>
}

// -----

// GQA with heads folded into the batch ([B*Hq, S, D], K and V entries
// repeated 4 times by linalg.broadcast + collapse_shape): Q's batch splits
// into (batch, heads) and the attention reads K and V unrepeated, one K/V
// head per batch entry.
// CHECK-LABEL: func.func @gqa_folded_into_batch
//  CHECK-SAME: (%[[Q:.*]]: tensor<8x32x64xf32>, %[[K:.*]]: tensor<2x32x64xf32>, %[[V:.*]]: tensor<2x32x64xf32>)
//   CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2], [3]] output_shape [2, 4, 32, 64]
//   CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[}}[0, 1], [2], [3]] output_shape [2, 1, 32, 64]
//   CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1], [2], [3]] output_shape [2, 1, 32, 64]
//       CHECK: %[[O4:.*]] = attn.attention scale(1.000000e+00) ins(%[[Q4]], %[[K4]], %[[V4]] : tensor<2x4x32x64xf32>, tensor<2x1x32x64xf32>, tensor<2x1x32x64xf32>)
//       CHECK: tensor.collapse_shape %[[O4]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x32x64xf32> into tensor<8x32x64xf32>
//   CHECK-NOT: linalg
func.func @gqa_folded_into_batch(%q: tensor<8x32x64xf32>, %k: tensor<2x32x64xf32>, %v: tensor<2x32x64xf32>) -> tensor<8x32x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e4 = tensor.empty() : tensor<2x4x32x64xf32>
  %kb = linalg.broadcast ins(%k : tensor<2x32x64xf32>) outs(%e4 : tensor<2x4x32x64xf32>) dimensions = [1]
  %kr = tensor.collapse_shape %kb [[0, 1], [2], [3]] : tensor<2x4x32x64xf32> into tensor<8x32x64xf32>
  %vb = linalg.broadcast ins(%v : tensor<2x32x64xf32>) outs(%e4 : tensor<2x4x32x64xf32>) dimensions = [1]
  %vr = tensor.collapse_shape %vb [[0, 1], [2], [3]] : tensor<2x4x32x64xf32> into tensor<8x32x64xf32>
  %et = tensor.empty() : tensor<8x64x32xf32>
  %kt = linalg.transpose ins(%kr : tensor<8x32x64xf32>) outs(%et : tensor<8x64x32xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<8x32x32xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<8x32x64xf32>, tensor<8x64x32xf32>) outs(%zs : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<8x32x32xf32>) outs(%es : tensor<8x32x32xf32>) -> tensor<8x32x32xf32>
  %eo = tensor.empty() : tensor<8x32x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  %o = linalg.batch_matmul ins(%p, %vr : tensor<8x32x32xf32>, tensor<8x32x64xf32>) outs(%zo : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  return %o : tensor<8x32x64xf32>
}

// -----

// Casts written as arith ops on the tensors (not linalg.generic): P rounded
// to f16 before P V and O rounded at the end both fold into one f16
// attention with an f16 output.
// CHECK-LABEL: func.func @tensor_casts
//       CHECK: attn.attention scale(1.000000e+00) {{.*}} -> tensor<1x1x64x32xf16>
//   CHECK-NOT: arith.truncf
//   CHECK-NOT: linalg.matmul
func.func @tensor_casts(%q: tensor<64x32xf16>, %k: tensor<64x32xf16>, %v: tensor<64x32xf16>) -> tensor<64x32xf16> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<64x32xf16>, tensor<64x32xf16>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<64x64xf32>) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %ph = arith.truncf %p : tensor<64x64xf32> to tensor<64x64xf16>
  %eo = tensor.empty() : tensor<64x32xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<64x32xf32>) -> tensor<64x32xf32>
  %o = linalg.matmul ins(%ph, %v : tensor<64x64xf16>, tensor<64x32xf16>) outs(%zo : tensor<64x32xf32>) -> tensor<64x32xf32>
  %oh = arith.truncf %o : tensor<64x32xf32> to tensor<64x32xf16>
  return %oh : tensor<64x32xf16>
}

// -----

// Not fused: V's element type is not Q's and K's, which attn.attention
// needs to share (the op would not verify).
// CHECK-LABEL: func.func @mixed_value_type
//   CHECK-NOT: attn.attention
func.func @mixed_value_type(%q: tensor<64x64xf16>, %k: tensor<64x64xf16>, %v: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<64x64xf16>, tensor<64x64xf16>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<64x64xf32>) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-remark @below {{attn-fuse-attention: not fused: attn.attention takes Q, K and V of one element type, found f16, f16 and f32}}
  %o = linalg.matmul ins(%p, %v : tensor<64x64xf32>, tensor<64x64xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %o : tensor<64x64xf32>
}

// -----

// Inputs narrowed from f64: the casts stay, attention takes their f32
// results (f64 is no type attention takes).
// CHECK-LABEL: func.func @narrowed_from_f64
//       CHECK: arith.truncf
//       CHECK: attn.attention scale(1.000000e+00) ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x64x32xf32>
func.func @narrowed_from_f64(%q0: tensor<64x32xf64>, %k0: tensor<64x32xf64>, %v0: tensor<64x32xf64>) -> tensor<64x32xf32> {
  %q = arith.truncf %q0 : tensor<64x32xf64> to tensor<64x32xf32>
  %k = arith.truncf %k0 : tensor<64x32xf64> to tensor<64x32xf32>
  %v = arith.truncf %v0 : tensor<64x32xf64> to tensor<64x32xf32>
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<64x64xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<64x32xf32>, tensor<64x32xf32>) outs(%zs : tensor<64x64xf32>) -> tensor<64x64xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<64x64xf32>) outs(%es : tensor<64x64xf32>) -> tensor<64x64xf32>
  %eo = tensor.empty() : tensor<64x32xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<64x32xf32>) -> tensor<64x32xf32>
  %o = linalg.matmul ins(%p, %v : tensor<64x64xf32>, tensor<64x32xf32>) outs(%zo : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %o : tensor<64x32xf32>
}
