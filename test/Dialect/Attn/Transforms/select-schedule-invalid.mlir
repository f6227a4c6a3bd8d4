// RUN: attn-opt %s -split-input-file -attn-select-schedule=chip=sm_80 -verify-diagnostics
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_75 2>&1 | FileCheck %s --check-prefix=CHIP
// CHIP: error: attn-select-schedule: unknown chip 'sm_75' (supported: sm_80, sm_90a, sm_100a (kernels))
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 rescale-threshold=inf" 2>&1 | FileCheck %s --check-prefix=THRESHOLD
// THRESHOLD: error: attn-select-schedule: rescale-threshold must be a finite number, got INF
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_90a query-stages=-1" 2>&1 | FileCheck %s --check-prefix=QNEG
// QNEG: error: attn-select-schedule: query-stages must be 0 (the chip's choice) or more, got -1
// A second query slot is filled by the next tile of a persistent CTA.
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_90a persistent=0 query-stages=2" 2>&1 | FileCheck %s --check-prefix=QONETILE
// QONETILE: error: attn-select-schedule: query-stages = 2 needs persistent CTAs: a CTA of one tile fills the query once
// Asked for, a second query slot of head dim 256 does not fit beside two
// K/V stages.
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_90a persistent=1 query-stages=2" 2>&1 | FileCheck %s --check-prefix=QFIT
// QFIT: error: attn-select-schedule: no schedule fits in the 232448 bytes of shared memory of sm_90a: the smallest needs 262144
// sm_80 pads; the sm_90a and sm_100a kernels state their own rule (64-column
// TMA boxes) and the same output-type rule as sm_80's.
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_100a 2>&1 | FileCheck %s --check-prefix=SM100
// SM100: error: attn-select-schedule: the sm_100a kernel needs the output in the inputs' element type (bf16), found f32
// SM100: error: attn-select-schedule: the sm_100a kernel needs head dims that are multiples of 64 from 64 to 256, found 72
// RUN: not attn-opt %s -split-input-file -attn-select-schedule=chip=sm_90a 2>&1 | FileCheck %s --check-prefix=SM90
// SM90: error: attn-select-schedule: the sm_90a kernel needs the output in the inputs' element type (bf16), found f32
// SM90: error: attn-select-schedule: the sm_90a kernel needs head dims that are multiples of 64 from 64 to 256, found 72

func.func @f32_has_no_tensor_core_schedule(%q: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: no tensor-core schedule for 'f32' on sm_80: expected bf16 or f16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>, tensor<1x1x?x64xf32>)
         outs(%q : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

// The sm_80 kernel stores O in the inputs' element type; an output of
// another type is refused before tiling, naming both.
func.func @output_bf16_to_f32(%q: tensor<1x1x?x64xbf16>, %o: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (bf16), found f32}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%o : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @output_f16_to_f32(%q: tensor<1x1x?x64xf16>, %o: tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (f16), found f32}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>)
         outs(%o : tensor<1x1x?x64xf32>) -> tensor<1x1x?x64xf32>
  return %r : tensor<1x1x?x64xf32>
}

// -----

func.func @output_f16_to_bf16(%q: tensor<1x1x?x64xf16>, %o: tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (f16), found bf16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>, tensor<1x1x?x64xf16>)
         outs(%o : tensor<1x1x?x64xbf16>) -> tensor<1x1x?x64xbf16>
  return %r : tensor<1x1x?x64xbf16>
}

// -----

func.func @output_bf16_to_f16(%q: tensor<1x1x?x64xbf16>, %o: tensor<1x1x?x64xf16>) -> tensor<1x1x?x64xf16> {
  // expected-error @below {{attn-select-schedule: the sm_80 kernel needs the output in the inputs' element type (bf16), found f16}}
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>, tensor<1x1x?x64xbf16>)
         outs(%o : tensor<1x1x?x64xf16>) -> tensor<1x1x?x64xf16>
  return %r : tensor<1x1x?x64xf16>
}

// -----

func.func @head_dim_72(%q: tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16> {
  %r = attn.attention ins(%q, %q, %q : tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>, tensor<1x1x?x72xbf16>)
         outs(%q : tensor<1x1x?x72xbf16>) -> tensor<1x1x?x72xbf16>
  return %r : tensor<1x1x?x72xbf16>
}

// -----

func.func @query_slots_d256(%q: tensor<1x4x?x256xbf16>) -> tensor<1x4x?x256xbf16> {
  %r = attn.attention causal ins(%q, %q, %q : tensor<1x4x?x256xbf16>, tensor<1x4x?x256xbf16>, tensor<1x4x?x256xbf16>)
         outs(%q : tensor<1x4x?x256xbf16>) -> tensor<1x4x?x256xbf16>
  return %r : tensor<1x4x?x256xbf16>
}
