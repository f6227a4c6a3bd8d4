// Scale and causal mask in one elementwise generic (select(j <= i, s / 8,
// -inf)), as a frontend that fuses elementwise ops writes it: fused into a
// causal attention with scale 1/8, and run fused and unfused against
// float64.
// RUN: attn-opt %s -attn-fuse-attention | FileCheck %s --check-prefix=FUSED
// RUN: attn-cpu-run %s --passes "-attn-fuse-attention -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s
// FUSED: attn.attention causal scale(1.250000e-01)
// FUSED-NOT: linalg.generic
// CHECK: B=2 Hq=4 Hkv=4 Sq=40 Skv=40 D=64 Dv=64 f32 mask=causal {{.*}} PASS
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>
func.func @attention(%q: tensor<2x4x40x64xf32>, %k: tensor<2x4x40x64xf32>,
                     %v: tensor<2x4x40x64xf32>) -> tensor<2x4x40x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %eight = arith.constant 8.0 : f32
  %es = tensor.empty() : tensor<2x4x40x40xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x40x40xf32>) -> tensor<2x4x40x40xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x4x40x64xf32>, tensor<2x4x40x64xf32>) outs(%zs : tensor<2x4x40x40xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x40x40xf32>
  %masked = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x4x40x40xf32>) outs(%es : tensor<2x4x40x40xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %visible = arith.cmpi ule, %j, %i : index
    %scaled = arith.divf %x, %eight : f32
    %y = arith.select %visible, %scaled, %ninf : f32
    linalg.yield %y : f32
  } -> tensor<2x4x40x40xf32>
  %p = linalg.softmax dimension(3) ins(%masked : tensor<2x4x40x40xf32>) outs(%es : tensor<2x4x40x40xf32>) -> tensor<2x4x40x40xf32>
  %eo = tensor.empty() : tensor<2x4x40x64xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x40x64xf32>) -> tensor<2x4x40x64xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x4x40x40xf32>, tensor<2x4x40x64xf32>) outs(%zo : tensor<2x4x40x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<2x4x40x64xf32>
  return %o : tensor<2x4x40x64xf32>
}
