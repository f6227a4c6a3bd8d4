// FlashAttention-4's exp2 on the FMA units in the tiled, online form,
// lowered by the reference lowering and run against float64: every score
// exponential by the degree-5 polynomial (relative error 2.1e-7) keeps f32
// within its usual 1e-5; by the degree-3 one (7.5e-5), within 2e-4; one in
// two at degree 3 keeps bf16 within 1e-2 (GQA, causal, ragged).
// DEFINE: %{tile} = -attn-tile='tile-m=16 tile-n=16'
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 70 --seq-kv 90 --passes "%{tile} -attn-fuse-online-softmax='exp2-emulation=1 exp2-degree=5'" | FileCheck %s --check-prefix=DEGREE5
// RUN: attn-cpu-run %s --batch 1 --heads 2 --seq-q 70 --seq-kv 90 --tolerance 2e-4 --passes "%{tile} -attn-fuse-online-softmax='exp2-emulation=1 exp2-degree=3'" | FileCheck %s --check-prefix=DEGREE3
// RUN: attn-cpu-run %attn_src_root/examples/attention.mlir --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 100 --passes "-attn-select-schedule=chip=sm_80 -attn-tile -attn-fuse-online-softmax=exp2-emulation=2" | FileCheck %s --check-prefix=BF16
// RUN: attn-opt %s %{tile} -attn-fuse-online-softmax=exp2-emulation=2 | FileCheck %s --check-prefix=IR
// RUN: attn-opt %s %{tile} -attn-fuse-online-softmax=exp2-emulation=2 -attn-lower-to-cpu-pipeline | FileCheck %s --check-prefix=LOWERED
// DEGREE5: f32 mask=causal {{.*}} (tol 1e-05) PASS
// DEGREE3: f32 mask=causal {{.*}} (tol 2e-04) PASS
// BF16: bf16 mask=causal {{.*}} (tol 1e-02) PASS
// IR: attn.row_exp %{{.*}}, %{{.*}} base2 poly_exp2(every 2, degree 3) : tensor<16x16xf32>, tensor<16xf32>
// The polynomial's ops in the loop: round by 1.5 * 2^23, Horner's FMAs,
// n shifted into the exponent bits.
// LOWERED: llvm.fadd %{{.*}}, %{{.*}} : f32
// LOWERED: llvm.intr.fma
// LOWERED: llvm.shl
func.func @attention(%q: tensor<?x?x?x32xf32>, %k: tensor<?x?x?x32xf32>,
                     %v: tensor<?x?x?x32xf32>) -> tensor<?x?x?x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x32xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x32xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x32xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x32xf32>
  %r = attn.attention causal
         ins(%q, %k, %v : tensor<?x?x?x32xf32>, tensor<?x?x?x32xf32>, tensor<?x?x?x32xf32>)
         outs(%o : tensor<?x?x?x32xf32>) -> tensor<?x?x?x32xf32>
  return %r : tensor<?x?x?x32xf32>
}
