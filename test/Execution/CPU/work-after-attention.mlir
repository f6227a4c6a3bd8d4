// Work after the attention, in the ops attn-cpu-run's float64 reference
// follows (tools/attn-cpu-run/attn_reference.py): a max reduction, a compare
// and select against a hexadecimal constant, a broadcast, a transpose, an
// element-wise generic reading an outer value and the loop index, a sum
// reduction and linalg.softmax. Two results; the second (a row statistic) is
// compared as its own result, not as an LSE.
// RUN: attn-cpu-run %s --seq-q 24 --seq-kv 40 | FileCheck %s
// RUN: attn-cpu-run %s --passes "-attn-tile='tile-m=16 tile-n=16' -attn-fuse-online-softmax" | FileCheck %s --check-prefix=ONLINE
// CHECK: B=1 Hq=2 Hkv=2 Sq=24 Skv=40 D=16 Dv=16 f32 mask=causal {{.*}}: max rel err {{.*}}, result #1 err {{.*}} PASS
// ONLINE: reference lowering: max rel err {{.*}}, result #1 err {{.*}} PASS
#rows = affine_map<(b, h, i, j) -> (b, h, i)>
#all = affine_map<(b, h, i, j) -> (b, h, i, j)>

func.func @attention(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>,
                     %v: tensor<1x2x?x16xf32>) -> (tensor<1x?x2x16xf32>, tensor<1x2x?xf32>) {
  %c2 = arith.constant 2 : index
  %sq = tensor.dim %q, %c2 : tensor<1x2x?x16xf32>
  %e = tensor.empty(%sq) : tensor<1x2x?x16xf32>
  %o = attn.attention causal ins(%q, %k, %v : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>)
         outs(%e : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  // The largest |O| of each row (-inf to start: 0xFF800000).
  %ninf = arith.constant 0xFF800000 : f32
  %er = tensor.empty(%sq) : tensor<1x2x?xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%er : tensor<1x2x?xf32>) -> tensor<1x2x?xf32>
  %rowmax = linalg.reduce ins(%o : tensor<1x2x?x16xf32>) outs(%init : tensor<1x2x?xf32>) dimensions = [3]
    (%x: f32, %acc: f32) {
      %a = math.absf %x : f32
      %m = arith.maxnumf %a, %acc : f32
      linalg.yield %m : f32
    }
  // Entries below half their row's largest |O| negated; the column index
  // (times 1/16) added.
  %half = arith.constant 5.000000e-01 : f32
  %sixteenth = arith.constant 6.250000e-02 : f32
  %wide = linalg.broadcast ins(%rowmax : tensor<1x2x?xf32>) outs(%e : tensor<1x2x?x16xf32>) dimensions = [3]
  %shaped = linalg.generic {indexing_maps = [#all, #all, #all], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%o, %wide : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) outs(%e : tensor<1x2x?x16xf32>) {
  ^bb0(%x: f32, %m: f32, %out: f32):
    %limit = arith.mulf %m, %half : f32
    %a = math.absf %x : f32
    %small = arith.cmpf olt, %a, %limit : f32
    %neg = arith.negf %x : f32
    %y = arith.select %small, %neg, %x : f32
    %j = linalg.index 3 : index
    %ji = arith.index_cast %j : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %jt = arith.mulf %jf, %sixteenth : f32
    %z = arith.addf %y, %jt : f32
    linalg.yield %z : f32
  } -> tensor<1x2x?x16xf32>
  %p = linalg.softmax dimension(3) ins(%shaped : tensor<1x2x?x16xf32>) outs(%e : tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
  %et = tensor.empty(%sq) : tensor<1x?x2x16xf32>
  %t = linalg.transpose ins(%p : tensor<1x2x?x16xf32>) outs(%et : tensor<1x?x2x16xf32>) permutation = [0, 2, 1, 3]
  // Row sums of the softmax (1 each) plus the row max: a second result.
  %zero = arith.constant 0.0 : f32
  %zr = linalg.fill ins(%zero : f32) outs(%er : tensor<1x2x?xf32>) -> tensor<1x2x?xf32>
  %sums = linalg.generic {indexing_maps = [#all, #rows], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%p : tensor<1x2x?x16xf32>) outs(%zr : tensor<1x2x?xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  } -> tensor<1x2x?xf32>
  %stat = arith.addf %sums, %rowmax : tensor<1x2x?xf32>
  return %t, %stat : tensor<1x?x2x16xf32>, tensor<1x2x?xf32>
}
