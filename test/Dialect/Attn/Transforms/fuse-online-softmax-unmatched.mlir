// RUN: attn-opt %s -split-input-file -attn-fuse-online-softmax | FileCheck %s
// RUN: not attn-opt %s -attn-fuse-online-softmax="rescale-threshold=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: attn-fuse-online-softmax: rescale-threshold must be a non-negative finite number, got -1
// RUN: not attn-opt %s -attn-fuse-online-softmax="exp2-emulation=2 exp2-degree=6" 2>&1 | FileCheck %s --check-prefix=DEGREE
// DEGREE: error: attn-fuse-online-softmax: exp2-emulation must be 0 (off) or more and exp2-degree from 2 to 5, got 2 and 6
// RUN: not attn-opt %s -attn-fuse-online-softmax="exp2-emulation=-1" 2>&1 | FileCheck %s --check-prefix=EVERY
// EVERY: error: attn-fuse-online-softmax: exp2-emulation must be 0 (off) or more and exp2-degree from 2 to 5, got -1 and 3

// Left alone: the two loops run over different K/V ranges, so the max of
// the first is not the max of what the second sums.
// CHECK-LABEL: func.func @different_bounds
//       CHECK: scf.for
//       CHECK:   attn.row_max
//       CHECK: scf.for
//       CHECK:   attn.row_exp %{{.*}}, %{{.*}} : tensor<16x16xf32>, tensor<16xf32>
//   CHECK-NOT: base2
func.func @different_bounds(%q: tensor<16x64xf32>, %k: tensor<1x1x?x64xf32>, %v: tensor<1x1x?x64xf32>,
                            %hi1: index, %hi2: index, %sq: index, %skv: index)
    -> (tensor<16x64xf32>, tensor<16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %ninf = arith.constant dense<0xFF800000> : tensor<16xf32>
  %zacc = arith.constant dense<0.0> : tensor<16x64xf32>
  %zl = arith.constant dense<0.0> : tensor<16xf32>
  %m = scf.for %col = %c0 to %hi1 step %c16 iter_args(%m0 = %ninf) -> (tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.125) : tensor<16x16xf32>
    %m1 = attn.row_max %sm, %m0 : tensor<16x16xf32>, tensor<16xf32>
    scf.yield %m1 : tensor<16xf32>
  }
  %acc, %l = scf.for %col = %c0 to %hi2 step %c16 iter_args(%a0 = %zacc, %l0 = %zl) -> (tensor<16x64xf32>, tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.125) : tensor<16x16xf32>
    %p = attn.row_exp %sm, %m : tensor<16x16xf32>, tensor<16xf32>
    %l1 = attn.row_sum %p, %l0 : tensor<16x16xf32>, tensor<16xf32>
    %vt = attn.load_tile %v[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %a1 = attn.pv_matmul %p, %vt, %a0 : tensor<16x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>
    scf.yield %a1, %l1 : tensor<16x64xf32>, tensor<16xf32>
  }
  return %acc, %l : tensor<16x64xf32>, tensor<16xf32>
}

// -----

// Left alone: the loops scale the scores differently, so they do not
// compute the same scores.
// CHECK-LABEL: func.func @different_scores
//       CHECK: scf.for
//       CHECK:   attn.row_max
//       CHECK: scf.for
//   CHECK-NOT: base2
func.func @different_scores(%q: tensor<16x64xf32>, %k: tensor<1x1x?x64xf32>, %v: tensor<1x1x?x64xf32>,
                            %hi: index, %sq: index, %skv: index)
    -> (tensor<16x64xf32>, tensor<16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %ninf = arith.constant dense<0xFF800000> : tensor<16xf32>
  %zacc = arith.constant dense<0.0> : tensor<16x64xf32>
  %zl = arith.constant dense<0.0> : tensor<16xf32>
  %m = scf.for %col = %c0 to %hi step %c16 iter_args(%m0 = %ninf) -> (tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.5) : tensor<16x16xf32>
    %m1 = attn.row_max %sm, %m0 : tensor<16x16xf32>, tensor<16xf32>
    scf.yield %m1 : tensor<16xf32>
  }
  %acc, %l = scf.for %col = %c0 to %hi step %c16 iter_args(%a0 = %zacc, %l0 = %zl) -> (tensor<16x64xf32>, tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.125) : tensor<16x16xf32>
    %p = attn.row_exp %sm, %m : tensor<16x16xf32>, tensor<16xf32>
    %l1 = attn.row_sum %p, %l0 : tensor<16x16xf32>, tensor<16xf32>
    %vt = attn.load_tile %v[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %a1 = attn.pv_matmul %p, %vt, %a0 : tensor<16x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>
    scf.yield %a1, %l1 : tensor<16x64xf32>, tensor<16xf32>
  }
  return %acc, %l : tensor<16x64xf32>, tensor<16xf32>
}

// -----

// Fused when the same loops agree: the control for the two cases above.
// CHECK-LABEL: func.func @same_scores
//       CHECK: scf.for
//       CHECK:   attn.row_max
//       CHECK:   attn.row_exp %{{.*}}, %{{.*}} base2
//   CHECK-NOT: scf.for
func.func @same_scores(%q: tensor<16x64xf32>, %k: tensor<1x1x?x64xf32>, %v: tensor<1x1x?x64xf32>,
                       %hi: index, %sq: index, %skv: index)
    -> (tensor<16x64xf32>, tensor<16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %ninf = arith.constant dense<0xFF800000> : tensor<16xf32>
  %zacc = arith.constant dense<0.0> : tensor<16x64xf32>
  %zl = arith.constant dense<0.0> : tensor<16xf32>
  %m = scf.for %col = %c0 to %hi step %c16 iter_args(%m0 = %ninf) -> (tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.125) : tensor<16x16xf32>
    %m1 = attn.row_max %sm, %m0 : tensor<16x16xf32>, tensor<16xf32>
    scf.yield %m1 : tensor<16xf32>
  }
  %acc, %l = scf.for %col = %c0 to %hi step %c16 iter_args(%a0 = %zacc, %l0 = %zl) -> (tensor<16x64xf32>, tensor<16xf32>) {
    %kt = attn.load_tile %k[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %s = attn.qk_matmul %q, %kt : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x16xf32>
    %sm = attn.mask_scores %s at(%c0, %col) seq(%sq, %skv) scale(0.125) : tensor<16x16xf32>
    %p = attn.row_exp %sm, %m : tensor<16x16xf32>, tensor<16xf32>
    %l1 = attn.row_sum %p, %l0 : tensor<16x16xf32>, tensor<16xf32>
    %vt = attn.load_tile %v[%c0, %c0, %col] : tensor<1x1x?x64xf32> -> tensor<16x64xf32>
    %a1 = attn.pv_matmul %p, %vt, %a0 : tensor<16x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>
    scf.yield %a1, %l1 : tensor<16x64xf32>, tensor<16xf32>
  }
  return %acc, %l : tensor<16x64xf32>, tensor<16xf32>
}
