// An output path that cannot be written is a clear error and a non-zero
// exit; a run that fails leaves no output file behind.
// RUN: not attn-opt %s -o %t.missing/out.mlir 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: cannot open output file '{{.*}}missing/out.mlir'
// RUN: rm -f %t.out
// RUN: not attn-opt %s -attn-select-schedule=chip=sm_75 -o %t.out 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: attn-select-schedule: unknown chip 'sm_75' (supported: sm_80, sm_90a, sm_100a (kernels))
// RUN: not ls %t.out
func.func @f(%q: tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16> {
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>)
         outs(%q : tensor<1x1x16x64xbf16>) -> tensor<1x1x16x64xbf16>
  return %r : tensor<1x1x16x64xbf16>
}
