// Attention graphs of 3-D [B*H, S, D] and 2-D [S, D] tensors, as frameworks
// write them with the heads folded into the batch or a single head: the
// dynamic sizes come from attn-cpu-run's flags (3-D: B*H rows of the batch,
// B*Hkv for K and V), fusion wraps the attention in reshapes, and the float64
// reference follows the graph itself.
// RUN: attn-cpu-run %s --batch 2 --heads 3 --seq-q 17 --seq-kv 40 | FileCheck %s --check-prefix=FOLDED
// RUN: attn-cpu-run %s --batch 2 --heads 3 --seq-q 33 --passes "-attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=FOLDED-ONLINE
// RUN: attn-cpu-run %s --entry single_head --seq-q 21 --seq-kv 50 | FileCheck %s --check-prefix=SINGLE
// FOLDED: B=6 Hq=1 Hkv=1 Sq=17 Skv=40 D=32 Dv=32 f32 mask=none {{.*}}: max rel err {{.*}}; fused in float64: max rel err {{.*}} PASS
// FOLDED-ONLINE: B=6 Hq=1 Hkv=1 Sq=33 Skv=33 {{.*}} reference lowering: {{.*}} PASS
// RUN: attn-cpu-run %s --entry folded_gqa | FileCheck %s --check-prefix=GQA
// RUN: attn-cpu-run %s --entry rounded_f16 | FileCheck %s --check-prefix=ROUNDED
// ROUNDED: B=1 Hq=1 Hkv=1 Sq=48 Skv=80 D=32 Dv=32 f16 mask=none {{.*}} PASS
// GQA: B=2 Hq=4 Hkv=1 Sq=32 Skv=32 D=64 Dv=64 f32 mask=none {{.*}} PASS
// SINGLE: B=1 Hq=1 Hkv=1 Sq=21 Skv=50 D=16 Dv=16 f32 mask=none {{.*}} PASS

func.func @attention(%q: tensor<?x?x32xf32>, %k: tensor<?x?x32xf32>, %v: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bh = tensor.dim %q, %c0 : tensor<?x?x32xf32>
  %sq = tensor.dim %q, %c1 : tensor<?x?x32xf32>
  %skv = tensor.dim %k, %c1 : tensor<?x?x32xf32>
  %es = tensor.empty(%bh, %sq, %skv) : tensor<?x?x?xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
         ins(%q, %k : tensor<?x?x32xf32>, tensor<?x?x32xf32>) outs(%zs : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<?x?x?xf32>) outs(%es : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %eo = tensor.empty(%bh, %sq) : tensor<?x?x32xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<?x?x32xf32>) -> tensor<?x?x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<?x?x?xf32>, tensor<?x?x32xf32>) outs(%zo : tensor<?x?x32xf32>) -> tensor<?x?x32xf32>
  return %o : tensor<?x?x32xf32>
}

// A scale below the softmax: fusion folds it into the op's scale.
func.func @single_head(%q: tensor<?x16xf32>, %k: tensor<?x16xf32>, %v: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %zero = arith.constant 0.0 : f32
  %quarter = arith.constant 0.25 : f32
  %c0 = arith.constant 0 : index
  %sq = tensor.dim %q, %c0 : tensor<?x16xf32>
  %skv = tensor.dim %k, %c0 : tensor<?x16xf32>
  %es = tensor.empty(%sq, %skv) : tensor<?x?xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<?x16xf32>, tensor<?x16xf32>) outs(%zs : tensor<?x?xf32>) -> tensor<?x?xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<?x?xf32>) outs(%es : tensor<?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %quarter : f32
    linalg.yield %y : f32
  } -> tensor<?x?xf32>
  %p = linalg.softmax dimension(1) ins(%scaled : tensor<?x?xf32>) outs(%es : tensor<?x?xf32>) -> tensor<?x?xf32>
  %eo = tensor.empty(%sq) : tensor<?x16xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<?x16xf32>) -> tensor<?x16xf32>
  %o = linalg.matmul ins(%p, %v : tensor<?x?xf32>, tensor<?x16xf32>) outs(%zo : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %o : tensor<?x16xf32>
}

// GQA with the heads folded into the batch: each K/V batch entry repeated
// for its four query heads (fused into one 4-D attention on the unrepeated
// K and V; the reference repeats them as written).
func.func @folded_gqa(%q: tensor<8x32x64xf32>, %k: tensor<2x32x64xf32>, %v: tensor<2x32x64xf32>) -> tensor<8x32x64xf32> {
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

// f16 with P and O rounded by arith.truncf on the tensors: fused into one
// f16 attention; the reference follows the graph (casts exact in float64).
func.func @rounded_f16(%q: tensor<48x32xf16>, %k: tensor<80x32xf16>, %v: tensor<80x32xf16>) -> tensor<48x32xf16> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<48x80xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<48x80xf32>) -> tensor<48x80xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%q, %k : tensor<48x32xf16>, tensor<80x32xf16>) outs(%zs : tensor<48x80xf32>) -> tensor<48x80xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<48x80xf32>) outs(%es : tensor<48x80xf32>) -> tensor<48x80xf32>
  %ph = arith.truncf %p : tensor<48x80xf32> to tensor<48x80xf16>
  %eo = tensor.empty() : tensor<48x32xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<48x32xf32>) -> tensor<48x32xf32>
  %o = linalg.matmul ins(%ph, %v : tensor<48x80xf16>, tensor<80x32xf16>) outs(%zo : tensor<48x32xf32>) -> tensor<48x32xf32>
  %oh = arith.truncf %o : tensor<48x32xf32> to tensor<48x32xf16>
  return %oh : tensor<48x32xf16>
}
