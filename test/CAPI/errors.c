// Bad input through the C API: the errors come back as text with their
// locations, nothing is printed by the library and nothing aborts.
// RUN: attn-capi-errors-test 2>&1 | FileCheck %s

// Malformed IR: the parser's diagnostic, located in the named source.
// CHECK: malformed: succeeded 0
// CHECK-NEXT: bad.mlir:1:{{[0-9]+}}: error: {{.*}}
// An unknown chip.
// CHECK: unknown chip: succeeded 0
// CHECK-NEXT: {{.*}}error: {{.*}}sm_75{{.*}}
// An element type the tensor cores cannot take, at the op.
// CHECK: f32: succeeded 0
// CHECK-NEXT: f32.mlir:3:{{[0-9]+}}: error: attn-select-schedule: no tensor-core schedule for 'f32' on sm_80: expected bf16 or f16
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

static const char *kF32 =
    "func.func @f32(%q: tensor<1x1x64x32xf32>, %k: tensor<1x1x64x32xf32>, "
    "%v: tensor<1x1x64x32xf32>) -> tensor<1x1x64x32xf32> {\n"
    "  %init = tensor.empty() : tensor<1x1x64x32xf32>\n"
    "  %o = attn.attention ins(%q, %k, %v : tensor<1x1x64x32xf32>, "
    "tensor<1x1x64x32xf32>, tensor<1x1x64x32xf32>) outs(%init : "
    "tensor<1x1x64x32xf32>) -> tensor<1x1x64x32xf32>\n"
    "  return %o : tensor<1x1x64x32xf32>\n"
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
      check(context, "f32", kF32, "f32.mlir", "sm_80");
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
