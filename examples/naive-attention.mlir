// Attention as a frontend writes it, before fusion (level L0): K and V heads
// repeated for GQA (2 key/value heads for 8 query heads), Q K^T, division by
// sqrt(D), a causal mask, the softmax spelled out, and P V.
//
//   attn-opt examples/naive-attention.mlir -attn-fuse-attention   # one attn.attention
//   attn-cpu-run examples/naive-attention.mlir \
//     --passes "-attn-fuse-attention -attn-tile='tile-m=32 tile-n=32' -attn-fuse-online-softmax"
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
#row = affine_map<(b, h, i, j) -> (b, h, i)>
func.func @attention(%q: tensor<1x8x130x64xf32>, %k: tensor<1x2x130x64xf32>,
                     %v: tensor<1x2x130x64xf32>) -> tensor<1x8x130x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %sqrt_d = arith.constant 8.0 : f32
  %e5 = tensor.empty() : tensor<1x2x4x130x64xf32>
  %kb = linalg.broadcast ins(%k : tensor<1x2x130x64xf32>) outs(%e5 : tensor<1x2x4x130x64xf32>) dimensions = [2]
  %kr = tensor.collapse_shape %kb [[0], [1, 2], [3], [4]] : tensor<1x2x4x130x64xf32> into tensor<1x8x130x64xf32>
  %vb = linalg.broadcast ins(%v : tensor<1x2x130x64xf32>) outs(%e5 : tensor<1x2x4x130x64xf32>) dimensions = [2]
  %vr = tensor.collapse_shape %vb [[0], [1, 2], [3], [4]] : tensor<1x2x4x130x64xf32> into tensor<1x8x130x64xf32>
  %es = tensor.empty() : tensor<1x8x130x130xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<1x8x130x130xf32>) -> tensor<1x8x130x130xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %kr : tensor<1x8x130x64xf32>, tensor<1x8x130x64xf32>) outs(%zs : tensor<1x8x130x130xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x8x130x130xf32>
  %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x8x130x130xf32>) outs(%es : tensor<1x8x130x130xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.divf %x, %sqrt_d : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130x130xf32>
  %masked = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<1x8x130x130xf32>) outs(%es : tensor<1x8x130x130xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %above = arith.cmpi ugt, %j, %i : index
    %y = arith.select %above, %ninf, %x : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130x130xf32>
  %er = tensor.empty() : tensor<1x8x130xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%er : tensor<1x8x130xf32>) -> tensor<1x8x130xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%masked : tensor<1x8x130x130xf32>) outs(%mi : tensor<1x8x130xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.maximumf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130xf32>
  %exp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<1x8x130x130xf32>, tensor<1x8x130xf32>) outs(%es : tensor<1x8x130x130xf32>) {
  ^bb0(%x: f32, %m: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130x130xf32>
  %si = linalg.fill ins(%zero : f32) outs(%er : tensor<1x8x130xf32>) -> tensor<1x8x130xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%exp : tensor<1x8x130x130xf32>) outs(%si : tensor<1x8x130xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.addf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130xf32>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<1x8x130x130xf32>, tensor<1x8x130xf32>) outs(%es : tensor<1x8x130x130xf32>) {
  ^bb0(%x: f32, %l: f32, %o: f32):
    %y = arith.divf %x, %l : f32
    linalg.yield %y : f32
  } -> tensor<1x8x130x130xf32>
  %eo = tensor.empty() : tensor<1x8x130x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<1x8x130x64xf32>) -> tensor<1x8x130x64xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %vr : tensor<1x8x130x130xf32>, tensor<1x8x130x64xf32>) outs(%zo : tensor<1x8x130x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x8x130x64xf32>
  return %o : tensor<1x8x130x64xf32>
}
