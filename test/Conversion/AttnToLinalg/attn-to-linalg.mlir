// RUN: attn-opt %s -split-input-file -convert-attn-to-linalg -canonicalize -cse | FileCheck %s

// Grouped-query heads are split into [Hkv, G] = [2, 4]; K and V are read at
// (b, hkv, ...) with no division. Scores are f32; bf16 inputs are extended.
// CHECK-DAG: #[[$QMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d5)>
// CHECK-DAG: #[[$KMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG: #[[$SMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @causal_gqa
//  CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<2x8x?x64xbf16>, %[[K:[a-z0-9]+]]: tensor<2x2x?x64xbf16>, %[[V:[a-z0-9]+]]: tensor<2x2x?x64xbf16>, %[[O:[a-z0-9]+]]: tensor<2x8x?x64xbf16>)
//   CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
//   CHECK-DAG: %[[SCALE:.*]] = arith.constant 1.250000e-01 : f32
//   CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
//   CHECK-DAG: %[[SQ:.*]] = tensor.dim %[[Q]], %c2
//   CHECK-DAG: %[[SKV:.*]] = tensor.dim %[[K]], %c2
//       CHECK: %[[Q5:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 4, %[[SQ]], 64] : tensor<2x8x?x64xbf16> into tensor<2x2x4x?x64xbf16>
// Q K^T: reduction over the head dim.
//       CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[$QMAP]], #[[$KMAP]], #[[$SMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:     ins(%[[Q5]], %[[K]] : tensor<2x2x4x?x64xbf16>, tensor<2x2x?x64xbf16>)
//       CHECK:   arith.extf
//       CHECK:   arith.mulf
//       CHECK:   arith.addf
// Scale, then -inf where key j is right of query i's position i + (Skv - Sq).
//       CHECK: %[[OFF:.*]] = arith.subi %[[SKV]], %[[SQ]] : index
//       CHECK: %[[MASKED:.*]] = linalg.generic {indexing_maps = [#[[$ID5]]], {{.*}}} outs(%[[S]] :
//       CHECK:   %[[SS:.*]] = arith.mulf %{{.*}}, %[[SCALE]]
//       CHECK:   %[[I:.*]] = linalg.index 3
//       CHECK:   %[[J:.*]] = linalg.index 4
//       CHECK:   %[[POS:.*]] = arith.addi %[[I]], %[[OFF]]
//       CHECK:   %[[DELTA:.*]] = arith.subi %[[J]], %[[POS]]
//       CHECK:   %[[VIS:.*]] = arith.cmpi sle, %[[DELTA]], %c0
//       CHECK:   arith.select %[[VIS]], %[[SS]], %[[NEGINF]]
// Row max from -inf.
//       CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
//       CHECK: %[[M:.*]] = linalg.generic {indexing_maps = [#[[$ID5]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[MASKED]] {{.*}} outs(%[[MINIT]]
//       CHECK:   arith.maximumf
// exp(s - m), with m replaced by 0 in rows that see no key.
//       CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID5]]], {{.*}} ins(%[[M]] {{.*}} outs(%[[MASKED]]
//       CHECK:   %[[EMPTY:.*]] = arith.cmpf oeq, %{{.*}}, %[[NEGINF]]
//       CHECK:   arith.select %[[EMPTY]], %[[ZERO]]
//       CHECK:   math.exp
// Row sum, then P V with V read at (b, hkv, j, e).
//       CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[P]] {{.*}} {
//       CHECK:   arith.addf
//       CHECK: %[[PV:.*]] = linalg.generic {indexing_maps = [#[[$SMAP]], #[[$KMAP]], #[[$QMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "parallel"]} ins(%[[P]], %[[V]]
// Deferred 1/l, 0 where l = 0, truncated into the destination's view.
//       CHECK: %[[O5:.*]] = tensor.expand_shape %[[O]]
//       CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[PV]], %[[L]] : {{.*}}) outs(%[[O5]] : tensor<2x2x4x?x64xbf16>)
//       CHECK:   arith.divf
//       CHECK:   arith.select
//       CHECK:   arith.truncf %{{.*}} : f32 to bf16
//       CHECK: %[[R:.*]] = tensor.collapse_shape %[[OUT]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x4x?x64xbf16> into tensor<2x8x?x64xbf16>
//       CHECK: return %[[R]]
func.func @causal_gqa(%q: tensor<2x8x?x64xbf16>, %k: tensor<2x2x?x64xbf16>,
                      %v: tensor<2x2x?x64xbf16>, %o: tensor<2x8x?x64xbf16>)
    -> tensor<2x8x?x64xbf16> {
  %0 = attn.attention causal
         ins(%q, %k, %v : tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>, tensor<2x2x?x64xbf16>)
         outs(%o : tensor<2x8x?x64xbf16>) -> tensor<2x8x?x64xbf16>
  return %0 : tensor<2x8x?x64xbf16>
}

// -----

// A sliding window keeps -left <= j - (i + Skv - Sq) <= right; softcap is
// cap * tanh(s / cap) after the scale; the LSE is m + log(l).
// CHECK-LABEL: func @window_softcap_lse
//   CHECK-DAG: %[[CAP:.*]] = arith.constant 3.000000e+01 : f32
//   CHECK-DAG: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
//   CHECK-DAG: %[[LEFT:.*]] = arith.constant -16 : index
//   CHECK-DAG: %[[RIGHT:.*]] = arith.constant 2 : index
//       CHECK: linalg.generic
//       CHECK: linalg.generic
//       CHECK:   %[[S:.*]] = arith.mulf %{{.*}}, %[[SCALE]]
//       CHECK:   %[[T:.*]] = arith.divf %[[S]], %[[CAP]]
//       CHECK:   %[[TANH:.*]] = math.tanh %[[T]]
//       CHECK:   arith.mulf %[[TANH]], %[[CAP]]
//       CHECK:   %[[LO:.*]] = arith.cmpi sge, %[[DELTA:.*]], %[[LEFT]]
//       CHECK:   %[[HI:.*]] = arith.cmpi sle, %[[DELTA]], %[[RIGHT]]
//       CHECK:   arith.andi %[[LO]], %[[HI]]
//       CHECK: %[[LSE4:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] output_shape [1, 4, 1, 32] : tensor<1x4x32xf32> into tensor<1x4x1x32xf32>
//       CHECK: linalg.generic {{.*}} outs(%[[LSE4]] : tensor<1x4x1x32xf32>)
//       CHECK:   math.log
//       CHECK:   arith.addf
//       CHECK: tensor.collapse_shape {{.*}} into tensor<1x4x32xf32>
func.func @window_softcap_lse(%q: tensor<1x4x32x16xf32>, %k: tensor<1x4x48x16xf32>,
                              %v: tensor<1x4x48x16xf32>, %o: tensor<1x4x32x16xf32>,
                              %lse: tensor<1x4x32xf32>)
    -> (tensor<1x4x32x16xf32>, tensor<1x4x32xf32>) {
  %0:2 = attn.attention sliding_window(left = 16, right = 2) scale(0.5) softcap(30.0)
           ins(%q, %k, %v : tensor<1x4x32x16xf32>, tensor<1x4x48x16xf32>, tensor<1x4x48x16xf32>)
           outs(%o, %lse : tensor<1x4x32x16xf32>, tensor<1x4x32xf32>)
           -> tensor<1x4x32x16xf32>, tensor<1x4x32xf32>
  return %0#0, %0#1 : tensor<1x4x32x16xf32>, tensor<1x4x32xf32>
}

// -----

// With runtime head counts the group size is Hq / Hkv at run time, so K and V
// heads are repeated by a gather instead of splitting the query heads.
// CHECK-LABEL: func @dynamic_heads
//  CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<1x?x8x16xf16>, %[[K:[a-z0-9]+]]: tensor<1x?x8x16xf16>
//   CHECK-DAG: %[[HQ:.*]] = tensor.dim %[[Q]], %c1
//   CHECK-DAG: %[[HKV:.*]] = tensor.dim %[[K]], %c1
//       CHECK: %[[G:.*]] = arith.divui %[[HQ]], %[[HKV]] : index
//       CHECK: %[[KX:.*]] = linalg.generic
//       CHECK:   %[[H:.*]] = linalg.index 1
//       CHECK:   %[[HK:.*]] = arith.divui %[[H]], %[[G]]
//       CHECK:   tensor.extract %[[K]][%{{.*}}, %[[HK]], %{{.*}}, %{{.*}}]
//       CHECK: } -> tensor<1x?x8x16xf16>
//       CHECK: tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, %[[HQ]], 1, 8, 16]
//       CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[KX]] :
func.func @dynamic_heads(%q: tensor<1x?x8x16xf16>, %k: tensor<1x?x8x16xf16>,
                         %v: tensor<1x?x8x16xf16>, %o: tensor<1x?x8x16xf16>)
    -> tensor<1x?x8x16xf16> {
  %0 = attn.attention
         ins(%q, %k, %v : tensor<1x?x8x16xf16>, tensor<1x?x8x16xf16>, tensor<1x?x8x16xf16>)
         outs(%o : tensor<1x?x8x16xf16>) -> tensor<1x?x8x16xf16>
  return %0 : tensor<1x?x8x16xf16>
}

// -----

// On buffers the same generics write into views of the destination; the op
// is erased and returns nothing.
// CHECK-LABEL: func @buffers
//  CHECK-SAME: %[[O:[a-z0-9]+]]: memref<1x4x?x64xbf16>
//   CHECK-NOT: attn.attention
//       CHECK: memref.alloc
//       CHECK: %[[O5:.*]] = memref.expand_shape %[[O]] {{\[\[}}0], [1, 2], [3], [4]] {{.*}} : memref<1x4x?x64xbf16> into memref<1x1x4x?x64xbf16>
//       CHECK: linalg.generic {{.*}} outs(%[[O5]] : memref<1x1x4x?x64xbf16>)
//       CHECK: return
func.func @buffers(%q: memref<1x4x?x64xf32>, %k: memref<1x1x?x64xf32>,
                   %v: memref<1x1x?x64xf32>, %o: memref<1x4x?x64xbf16>) {
  attn.attention causal
    ins(%q, %k, %v : memref<1x4x?x64xf32>, memref<1x1x?x64xf32>, memref<1x1x?x64xf32>)
    outs(%o : memref<1x4x?x64xbf16>)
  return
}

// -----

// A paged cache is gathered into [B, Hkv, max_pages * page_size, D]: key j
// of batch b reads the block table only when j is below the batch's length
// (held to [0, capacity]), and the cache only when the page id is inside
// it; the mask aligns each batch to its own length and hides keys past it.
// CHECK-LABEL: func.func @paged
//  CHECK-SAME: %[[Q:[^:]*]]: tensor<?x8x1x64xbf16>, %[[K:[^:]*]]: tensor<?x16x2x64xbf16>, %{{[^:]*}}: tensor<?x16x2x64xbf16>, %[[T:[^:]*]]: tensor<?x?xi32>, %[[N:[^:]*]]: tensor<?xi32>
//       CHECK: %[[MAXP:.*]] = tensor.dim %[[T]], %c1
//       CHECK: %[[CAP:.*]] = arith.muli %[[MAXP]], %c16
//       CHECK: %[[KEYS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x2x?x64xbf16>)
//       CHECK:   %[[B:.*]] = linalg.index 0
//       CHECK:   %[[H:.*]] = linalg.index 1
//       CHECK:   %[[J:.*]] = linalg.index 2
//       CHECK:   %[[D:.*]] = linalg.index 3
//       CHECK:   %[[RAW:.*]] = tensor.extract %[[N]][%[[B]]]
//       CHECK:   %[[LEN:.*]] = arith.index_cast %[[RAW]]
//       CHECK:   %[[POS:.*]] = arith.maxsi %[[LEN]], %c0
//       CHECK:   %[[HELD:.*]] = arith.minsi %[[POS]], %[[CAP]]
//       CHECK:   %[[IN:.*]] = arith.cmpi slt, %[[J]], %[[HELD]]
//       CHECK:   scf.if %[[IN]] -> (bf16)
//       CHECK:     %[[SLOT:.*]] = arith.divui %[[J]], %c16
//       CHECK:     %[[ID:.*]] = tensor.extract %[[T]][%[[B]], %[[SLOT]]]
//       CHECK:     %[[PAGE:.*]] = arith.index_cast %[[ID]]
//       CHECK:     %[[PAGES:.*]] = tensor.dim %[[K]], %c0
//       CHECK:     %[[GE:.*]] = arith.cmpi sge, %[[PAGE]], %c0
//       CHECK:     %[[LT:.*]] = arith.cmpi slt, %[[PAGE]], %[[PAGES]]
//       CHECK:     %[[OK:.*]] = arith.andi %[[GE]], %[[LT]]
//       CHECK:     scf.if %[[OK]] -> (bf16)
//       CHECK:       %[[ROW:.*]] = arith.remui %[[J]], %c16
//       CHECK:       tensor.extract %[[K]][%[[PAGE]], %[[ROW]], %[[H]], %[[D]]]
// The mask: causal against the batch's own length, and nothing past it.
//       CHECK: linalg.generic
//       CHECK: linalg.generic
//       CHECK: linalg.generic
//       CHECK:   %[[COL:.*]] = linalg.index 4
//       CHECK:   %[[MB:.*]] = linalg.index 0
//       CHECK:   tensor.extract %[[N]][%[[MB]]]
//       CHECK:   %[[MLEN:.*]] = arith.minsi %{{.*}}, %[[CAP]]
//       CHECK:   %[[OFF:.*]] = arith.subi %[[MLEN]], %c1
//       CHECK:   %[[DELTA:.*]] = arith.subi %[[COL]], %[[OFF]]
//       CHECK:   %[[CAUSAL:.*]] = arith.cmpi sle, %[[DELTA]], %c0
//       CHECK:   %[[INSEQ:.*]] = arith.cmpi slt, %[[COL]], %[[MLEN]]
//       CHECK:   arith.andi %[[CAUSAL]], %[[INSEQ]]
func.func @paged(%q: tensor<?x8x1x64xbf16>, %k: tensor<?x16x2x64xbf16>, %v: tensor<?x16x2x64xbf16>,
                 %t: tensor<?x?xi32>, %n: tensor<?xi32>, %o: tensor<?x8x1x64xbf16>) -> tensor<?x8x1x64xbf16> {
  %0 = attn.attention causal
         ins(%q, %k, %v : tensor<?x8x1x64xbf16>, tensor<?x16x2x64xbf16>, tensor<?x16x2x64xbf16>)
         paged(%t, %n : tensor<?x?xi32>, tensor<?xi32>)
         outs(%o : tensor<?x8x1x64xbf16>) -> tensor<?x8x1x64xbf16>
  return %0 : tensor<?x8x1x64xbf16>
}
