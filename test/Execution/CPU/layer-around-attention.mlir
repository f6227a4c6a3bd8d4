// One attention layer as a backend receives it: X [B, S, Dm] projected to
// Q, K and V by matmuls, split into heads (GQA 2:1), causal attention, heads
// merged back and projected out. attn-cpu-run's float64 reference follows
// the whole function (projections, reshapes, transposes, the attention);
// the attention itself runs tiled and online beside the reference lowering.
// RUN: attn-cpu-run %s | FileCheck %s
// RUN: attn-cpu-run %s --passes "-attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=ONLINE
// CHECK: B=2 Hq=4 Hkv=2 Sq=48 Skv=48 D=16 Dv=16 f32 mask=causal {{.*}}: max rel err {{.*}} PASS
// ONLINE: mask=causal {{.*}} reference lowering: max rel err {{.*}} PASS
func.func @attention(%x: tensor<2x48x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>,
                     %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>) -> tensor<2x48x64xf32> {
  %zero = arith.constant 0.0 : f32
  %x2 = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x48x64xf32> into tensor<96x64xf32>
  %eq = tensor.empty() : tensor<96x64xf32>
  // Weights as initialised in practice: variance 1 / Dm.
  %c = arith.constant 0.125 : f32
  %xs = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x2 : tensor<96x64xf32>) outs(%eq : tensor<96x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<96x64xf32>
  %zq = linalg.fill ins(%zero : f32) outs(%eq : tensor<96x64xf32>) -> tensor<96x64xf32>
  %q2 = linalg.matmul ins(%xs, %wq : tensor<96x64xf32>, tensor<64x64xf32>) outs(%zq : tensor<96x64xf32>) -> tensor<96x64xf32>
  %ekv = tensor.empty() : tensor<96x32xf32>
  %zkv = linalg.fill ins(%zero : f32) outs(%ekv : tensor<96x32xf32>) -> tensor<96x32xf32>
  %k2 = linalg.matmul ins(%xs, %wk : tensor<96x64xf32>, tensor<64x32xf32>) outs(%zkv : tensor<96x32xf32>) -> tensor<96x32xf32>
  %v2 = linalg.matmul ins(%xs, %wv : tensor<96x64xf32>, tensor<64x32xf32>) outs(%zkv : tensor<96x32xf32>) -> tensor<96x32xf32>
  %q4 = tensor.expand_shape %q2 [[0, 1], [2, 3]] output_shape [2, 48, 4, 16] : tensor<96x64xf32> into tensor<2x48x4x16xf32>
  %k4 = tensor.expand_shape %k2 [[0, 1], [2, 3]] output_shape [2, 48, 2, 16] : tensor<96x32xf32> into tensor<2x48x2x16xf32>
  %v4 = tensor.expand_shape %v2 [[0, 1], [2, 3]] output_shape [2, 48, 2, 16] : tensor<96x32xf32> into tensor<2x48x2x16xf32>
  %tq = tensor.empty() : tensor<2x4x48x16xf32>
  %q = linalg.transpose ins(%q4 : tensor<2x48x4x16xf32>) outs(%tq : tensor<2x4x48x16xf32>) permutation = [0, 2, 1, 3]
  %tkv = tensor.empty() : tensor<2x2x48x16xf32>
  %k = linalg.transpose ins(%k4 : tensor<2x48x2x16xf32>) outs(%tkv : tensor<2x2x48x16xf32>) permutation = [0, 2, 1, 3]
  %v = linalg.transpose ins(%v4 : tensor<2x48x2x16xf32>) outs(%tkv : tensor<2x2x48x16xf32>) permutation = [0, 2, 1, 3]
  %o = attn.attention causal ins(%q, %k, %v : tensor<2x4x48x16xf32>, tensor<2x2x48x16xf32>, tensor<2x2x48x16xf32>)
         outs(%tq : tensor<2x4x48x16xf32>) -> tensor<2x4x48x16xf32>
  %to = tensor.empty() : tensor<2x48x4x16xf32>
  %ot = linalg.transpose ins(%o : tensor<2x4x48x16xf32>) outs(%to : tensor<2x48x4x16xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %ot [[0, 1], [2, 3]] : tensor<2x48x4x16xf32> into tensor<96x64xf32>
  %y2 = linalg.matmul ins(%o2, %wo : tensor<96x64xf32>, tensor<64x64xf32>) outs(%zq : tensor<96x64xf32>) -> tensor<96x64xf32>
  %y = tensor.expand_shape %y2 [[0, 1], [2]] output_shape [2, 48, 64] : tensor<96x64xf32> into tensor<2x48x64xf32>
  return %y : tensor<2x48x64xf32>
}
