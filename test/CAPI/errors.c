// Bad input through the C API: the errors come back as text with their
// locations, nothing is printed by the library and nothing aborts.
// RUN: attn-capi-errors-test 2>&1 | FileCheck %s

// Malformed IR: the parser's diagnostic, located in the named source.
// CHECK: malformed: succeeded 0
// CHECK-NEXT: bad.mlir:1:{{[0-9]+}}: error: {{.*}}
// An unknown chip.
// CHECK: unknown chip: succeeded 0
// CHECK-NEXT: {{.*}}error: {{.*}}sm_75{{.*}}
// A head dim the sm_80 kernel cannot serve, at the op.
// CHECK: head dim 32: succeeded 0
// CHECK-NEXT: d32.mlir:3:{{[0-9]+}}: error: attn-select-schedule: the sm_80 kernel needs a head dim that is a multiple of 16 and at least 64, found 32
// Writing a failed compile.
// CHECK: write after failure: 0
// CHECK: nothing to write: the compile failed
// CHECK: done

#include "attn-c/Compiler.h"
#include "attn-c/Dialects.h"

#include <stdio.h>

static const char *kD32 =
    "func.func @d32(%q: tensor<1x1x64x32xbf16>, %k: tensor<1x1x64x32xbf16>, "
    "%v: tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16> {\n"
    "  %init = tensor.empty() : tensor<1x1x64x32xbf16>\n"
    "  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x32xbf16>, "
    "tensor<1x1x64x32xbf16>, tensor<1x1x64x32xbf16>) outs(%init : "
    "tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16>\n"
    "  return %o : tensor<1x1x64x32xbf16>\n"
    "}\n";

static AttnCompileResult check(MlirContext context, const char *what,
                               const char *source, const char *name,
                               const char *chip) {
  AttnCompileOptions options = {chip, NULL, NULL, false};
  AttnCompileResult result = attnCompileSource(
      context, mlirStringRefCreateFromCString(source),
      mlirStringRefCreateFromCString(name), options);
  printf("%s: succeeded %d\n", what, attnCompileResultSucceeded(result));
  MlirStringRef errors = attnCompileResultGetErrors(result);
  fwrite(errors.data, 1, errors.length, stdout);
  return result;
}

int main(void) {
  MlirContext context = attnContextCreate();
  attnCompileResultDestroy(
      check(context, "malformed", "func.func @f(", "bad.mlir", "sm_80"));
  attnCompileResultDestroy(
      check(context, "unknown chip", kD32, "d32.mlir", "sm_75"));
  AttnCompileResult result =
      check(context, "head dim 32", kD32, "d32.mlir", "sm_80");
  printf("write after failure: %d\n",
         attnCompileResultWrite(result, mlirStringRefCreateFromCString(
                                            "/nonexistent")));
  MlirStringRef errors = attnCompileResultGetErrors(result);
  fwrite(errors.data, 1, errors.length, stdout);
  attnCompileResultDestroy(result);
  mlirContextDestroy(context);
  printf("done\n");
  return 0;
}
