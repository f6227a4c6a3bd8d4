// A function of four arguments with a dynamic size: attn-cpu-run sizes only
// the Q, K and V of a three-argument function from its flags, and says so
// (test/tools/attn-cpu-run-bad-input.mlir). Also a scalar argument, which it
// does not draw (@with_scalar).
func.func @attention(%x: tensor<1x2x?x16xf32>, %w: tensor<16x16xf32>, %k: tensor<1x2x?x16xf32>,
                     %v: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %x, %c2 : tensor<1x2x?x16xf32>
  %zero = arith.constant 0.0 : f32
  %eq = tensor.empty(%s) : tensor<1x2x?x16xf32>
  %zq = linalg.fill ins(%zero : f32) outs(%eq : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, c) -> (b, h, i, c)>, affine_map<(b, h, i, j, c) -> (c, j)>, affine_map<(b, h, i, j, c) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x2x?x16xf32>, tensor<16x16xf32>) outs(%zq : tensor<1x2x?x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x2x?x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
         outs(%eq : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
}

func.func @with_scalar(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>,
                       %c: f32) -> tensor<1x2x8x16xf32> {
  %e = tensor.empty() : tensor<1x2x8x16xf32>
  %o = attn.attention ins(%q, %k, %v : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>)
         outs(%e : tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32>
  return %o : tensor<1x2x8x16xf32>
}
