// attn-cpu-run's bad-input contract (docs/bad-input.md): one line
// `attn-cpu-run: error: ...` and a non-zero exit, never a Python traceback.
// RUN: not attn-cpu-run %S/Inputs/reference-unfollowed.mlir 2>&1 | FileCheck %s --check-prefix=UNFOLLOWED
// UNFOLLOWED: attn-cpu-run: error: the float64 reference does not follow 'tensor.extract_slice' in @attention
// RUN: not attn-cpu-run %S/Inputs/reference-unfollowed.mlir --entry too_large 2>&1 | FileCheck %s --check-prefix=TOO-LARGE-REFERENCE
// TOO-LARGE-REFERENCE: attn-cpu-run: error: the problem is too large for attn-cpu-run: 'tensor.empty' would hold 134217728 elements in the float64 reference, more than 67108864 (in @too_large)
// RUN: not attn-cpu-run %S/Inputs/projected-dynamic.mlir 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: attn-cpu-run: error: @attention's argument #0 has a dynamic size; attn-cpu-run sizes the Q, K and V of a three-argument function from its flags, and any other function's arguments must be static
// RUN: not attn-cpu-run %S/Inputs/projected-dynamic.mlir --entry with_scalar 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: attn-cpu-run: error: @with_scalar's argument #3 is a f32; attn-cpu-run runs functions of ranked bf16, f16 or f32 tensors
// RUN: not attn-cpu-run %S/../Execution/CPU/folded-heads.mlir --heads 3 --kv-heads 1 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: attn-cpu-run: error: @attention cannot run on arguments of shapes 6x64x32, 2x64x32, 2x64x32: operands could not be broadcast
// RUN: not attn-cpu-run %S/Inputs/reference-unfollowed.mlir 2>&1 | FileCheck %s --check-prefix=NO-TRACEBACK
// RUN: not attn-cpu-run %S/Inputs/projected-dynamic.mlir 2>&1 | FileCheck %s --check-prefix=NO-TRACEBACK
// RUN: not attn-cpu-run %s --seq-q 0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not attn-cpu-run %s --batch -3 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not attn-cpu-run %s --heads x 2>&1 | FileCheck %s --check-prefix=NOT-INT
// RUN: not attn-cpu-run %s --seq-q 100000 --seq-kv 100000 2>&1 | FileCheck %s --check-prefix=TOO-LARGE
// RUN: touch %t.file
// RUN: not attn-cpu-run %s --seq-q 8 --keep %t.file/keep 2>&1 | FileCheck %s --check-prefix=KEEP
// RUN: not attn-cpu-run %s --seed -1 2>&1 | FileCheck %s --check-prefix=SEED
// RUN: not attn-cpu-run %s --tolerance nan 2>&1 | FileCheck %s --check-prefix=TOLERANCE-NAN
// RUN: not attn-cpu-run %s --tolerance 0 2>&1 | FileCheck %s --check-prefix=TOLERANCE-ZERO
// RUN: not attn-cpu-run %s --heads 4 --kv-heads 3 2>&1 | FileCheck %s --check-prefix=GROUPS
// RUN: not attn-cpu-run %s.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not attn-cpu-run %s --no-such-option 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not attn-cpu-run %s --passes X 2>&1 | FileCheck %s --check-prefix=NOT-A-FLAG
// NOT-A-FLAG: attn-cpu-run: error: --passes takes attn-opt flags, each starting with '-', got 'X'
// NOT-A-FLAG-NOT: attn-opt
// `--passes X` with a space works like `--passes=X`.
// RUN: attn-cpu-run %s --seq-q 20 --passes "-attn-tile='tile-m=16 tile-n=16'" | FileCheck %s --check-prefix=PASSES
// RUN: attn-cpu-run %s --seq-q 20 --passes -attn-tile | FileCheck %s --check-prefix=PASSES
// RUN: not attn-cpu-run %s --seq-q 0 2>&1 | FileCheck %s --check-prefix=NO-TRACEBACK
// RUN: not attn-cpu-run %s --keep %t.file/keep 2>&1 | FileCheck %s --check-prefix=NO-TRACEBACK

// ZERO: attn-cpu-run: error: argument --seq-q: expected a positive integer, got 0 (--help lists the options)
// NEGATIVE: attn-cpu-run: error: argument --batch: expected a positive integer, got -3
// NOT-INT: attn-cpu-run: error: argument --heads: expected a positive integer, got 'x'
// TOO-LARGE: attn-cpu-run: error: the problem is too large for attn-cpu-run: the scores would hold 80000000000 elements, more than 67108864 (B=2 Hq=4 Hkv=4 Sq=100000 Skv=100000)
// KEEP: attn-cpu-run: error: cannot write to --keep {{.*}}.file/keep: Not a directory
// SEED: attn-cpu-run: error: argument --seed: expected an integer from 0 to 2^64 - 1, got -1
// TOLERANCE-NAN: attn-cpu-run: error: argument --tolerance: expected a positive finite number, got nan
// TOLERANCE-ZERO: attn-cpu-run: error: argument --tolerance: expected a positive finite number, got 0
// GROUPS: attn-cpu-run: error: heads (4) must be a positive multiple of kv-heads (3)
// MISSING: attn-cpu-run: error: cannot read {{.*}}.missing: no such file
// UNKNOWN: attn-cpu-run: error: unrecognized arguments: --no-such-option
// PASSES: Sq=20 {{.*}} PASS
// NO-TRACEBACK-NOT: Traceback
func.func @attention(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>,
                     %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?x16xf32>
  %h = tensor.dim %q, %c1 : tensor<?x?x?x16xf32>
  %s = tensor.dim %q, %c2 : tensor<?x?x?x16xf32>
  %o = tensor.empty(%b, %h, %s) : tensor<?x?x?x16xf32>
  %r = attn.attention causal
         ins(%q, %k, %v : tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>)
         outs(%o : tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32>
  return %r : tensor<?x?x?x16xf32>
}
