// A mixed-precision graph as frameworks write it: bf16 inputs extended to
// f32, Q pre-scaled by D^-0.5 before Q K^T, linalg.softmax, O rounded back
// to bf16. Fusion folds the pre-scale into the op's scale and the rounding
// into its output type; the fused, tiled, online form and the graph itself
// run on the same inputs against float64, and the fused graph compiles to
// both kernels (O in the inputs' type).
// RUN: attn-opt %s -attn-fuse-attention | FileCheck %s --check-prefix=FUSED
// RUN: attn-cpu-run %s --passes "-attn-fuse-attention -attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s
// RUN: %if ptxas %{ attn-compile %s --chip=sm_80 --emit=ptx | FileCheck %s --check-prefix=PTX80 %}
// RUN: %if ptxas %{ attn-compile %s --chip=sm_90a --emit=ptx | FileCheck %s --check-prefix=PTX90 %}
// FUSED: attn.attention scale(1.250000e-01) {{.*}} -> tensor<1x4x64x64xbf16>
// FUSED-NOT: linalg.generic
// CHECK: B=1 Hq=4 Hkv=4 Sq=64 Skv=64 D=64 Dv=64 bf16 mask=none {{.*}} PASS
// PTX80: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX90: wgmma.mma_async.sync.aligned
#id = affine_map<(b, h, i, j) -> (b, h, i, j)>

func.func @attention(%q: tensor<1x4x64x64xbf16>, %k: tensor<1x4x64x64xbf16>,
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
