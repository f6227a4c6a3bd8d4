// An FFI user of the compiler: this program links libAttnCompilerC.so alone
// (no MLIR, no static attn libraries), so every function it calls, the
// upstream C API the attn-c headers and docs/c-api.md use included, must be
// exported by the shared library. It builds a registry and context by hand,
// parses a module, runs attn passes through a textual pipeline, prints the
// result, then compiles the module to PTX where libdevice exists.
// RUN: attn-capi-shared-test %attn_src_root/examples/attention.mlir | FileCheck %s
// RUN: %if libdevice %{ attn-capi-shared-test %attn_src_root/examples/attention.mlir ptx | FileCheck %s --check-prefix=PTX %}
// RUN: not attn-capi-shared-test %s.missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: nm -D --defined-only %attn_obj_root/lib/libAttnCompilerC.so | FileCheck %s --check-prefix=EXPORTS
// RUN: nm -D --defined-only %attn_obj_root/lib/libAttnCompilerC.so | FileCheck %s --check-prefix=NO-CXX

// CHECK: verified 1
// CHECK: pipeline: builtin.module(attn-fuse-attention{{.*}},attn-select-schedule{{.*}}chip=sm_80{{.*}},attn-tile
// CHECK: ran 1
// CHECK: scf.forall
// CHECK: attn.qk_matmul
// PTX: compiled 1
// PTX: .target sm_80
// MISSING: cannot parse {{.*}}.missing
// EXPORTS-DAG: T attnCompileModule
// EXPORTS-DAG: T mlirStringRefCreateFromCString
// EXPORTS-DAG: T mlirModuleCreateParse
// EXPORTS-DAG: T mlirDialectRegistryCreate
// EXPORTS-DAG: T mlirParsePassPipeline
// EXPORTS-DAG: T mlirPassManagerRunOnOp
// NO-CXX-NOT: {{ _Z}}

#include "attn-c/Compiler.h"
#include "attn-c/Dialects.h"
#include "attn-c/Passes.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <string.h>

static void print(MlirStringRef text, void *unused) {
  (void)unused;
  fwrite(text.data, 1, text.length, stdout);
}

static void printError(MlirStringRef text, void *unused) {
  (void)unused;
  fwrite(text.data, 1, text.length, stderr);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s INPUT.mlir [ptx]\n", argv[0]);
    return 2;
  }
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  attnRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);

  MlirModule module = mlirModuleCreateParseFromFile(
      context, mlirStringRefCreateFromCString(argv[1]));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "cannot parse %s\n", argv[1]);
    mlirContextDestroy(context);
    return 1;
  }
  MlirOperation op = mlirModuleGetOperation(module);
  printf("verified %d\n", mlirOperationVerify(op));

  int status = 0;
  if (argc > 2 && strcmp(argv[2], "ptx") == 0) {
    AttnCompileOptions options = {"sm_80", NULL, NULL, false};
    AttnCompileResult result = attnCompileModule(module, options);
    printf("compiled %d\n", attnCompileResultSucceeded(result));
    MlirStringRef errors = attnCompileResultGetErrors(result);
    fwrite(errors.data, 1, errors.length, stderr);
    MlirStringRef ptx = attnCompileResultGetPtx(result);
    const char *target = ptx.length ? strstr(ptx.data, ".target") : NULL;
    if (target)
      printf("%.13s\n", target);
    status = !attnCompileResultSucceeded(result);
    attnCompileResultDestroy(result);
  } else {
    attnRegisterAllPasses();
    MlirPassManager pm = mlirPassManagerCreate(context);
    MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
    MlirLogicalResult parsed = mlirParsePassPipeline(
        opm,
        mlirStringRefCreateFromCString(
            "builtin.module(attn-fuse-attention, "
            "attn-select-schedule{chip=sm_80}, attn-tile)"),
        printError, NULL);
    printf("pipeline: ");
    mlirPrintPassPipeline(opm, print, NULL);
    printf("\n");
    MlirLogicalResult ran = mlirPassManagerRunOnOp(pm, op);
    printf("ran %d\n", mlirLogicalResultIsSuccess(parsed) &&
                           mlirLogicalResultIsSuccess(ran));
    mlirOperationPrint(op, print, NULL);
    mlirPassManagerDestroy(pm);
    status = !mlirLogicalResultIsSuccess(ran);
  }
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  return status;
}
