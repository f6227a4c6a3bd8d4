// attn-run's errors for launches that do not fit the kernel or artifact
// folders that are not there (docs/bad-input.md): one line, exit 1.
// REQUIRES: cuda-gpu
// RUN: attn-compile %s --chip=sm_80 -o %t
// RUN: not attn-run %t --batch 1 --heads 4 --kv-heads 2 --seq-q 64 --seq-kv 64 2>&1 | FileCheck %s --check-prefix=HEADS
// HEADS: attn-run: query: dimension 1 is 4, the kernel was compiled for 8
// RUN: not attn-run %t --batch 1 --heads 8 --kv-heads 1 --seq-q 64 --seq-kv 64 2>&1 | FileCheck %s --check-prefix=KVHEADS
// KVHEADS: attn-run: key: dimension 1 is 1, the kernel was compiled for 2
// RUN: not attn-run %t.none --batch 1 --heads 8 --kv-heads 2 --seq-q 64 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: .none: not a readable artifact folder
// RUN: not attn-run %t --batch 1 --heads 8 --kv-heads 3 --seq-q 64 2>&1 | FileCheck %s --check-prefix=RATIO
// RATIO: attn-run: --heads must be a multiple of --kv-heads
// RUN: not attn-run %t --batch 99999999999 --heads 8 --kv-heads 2 --seq-q 64 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: attn-run: --batch: not an integer from 0 to 2147483647: 99999999999
// RUN: not attn-run %t --batch 1 --heads 8 --kv-heads 2 --seq-q 64 --tolerance abc 2>&1 | FileCheck %s --check-prefix=TOLERANCE
// TOLERANCE: attn-run: --tolerance: not a positive number: abc
// RUN: not attn-run %t --batch 100000 --heads 8 --kv-heads 2 --seq-q 100000 2>&1 | FileCheck %s --check-prefix=LARGE
// LARGE: attn-run: the problem is too large for attn-run (more than 2^32 elements per tensor)
func.func @static_heads(%q: tensor<?x8x?x64xbf16>, %k: tensor<?x2x?x64xbf16>,
                        %v: tensor<?x2x?x64xbf16>) -> tensor<?x8x?x64xbf16> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x8x?x64xbf16>
  %s = tensor.dim %q, %c2 : tensor<?x8x?x64xbf16>
  %init = tensor.empty(%b, %s) : tensor<?x8x?x64xbf16>
  %o = attn.attention ins(%q, %k, %v : tensor<?x8x?x64xbf16>,
      tensor<?x2x?x64xbf16>, tensor<?x2x?x64xbf16>)
      outs(%init : tensor<?x8x?x64xbf16>) -> tensor<?x8x?x64xbf16>
  return %o : tensor<?x8x?x64xbf16>
}
