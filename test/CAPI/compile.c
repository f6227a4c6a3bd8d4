// The C API compiles the example for sm_80 and for sm_90a: PTX, cubin,
// manifest, and an artifact folder the runtime can load.
// REQUIRES: ptxas
// RUN: rm -rf %t && attn-capi-compile-test %attn_src_root/examples/attention.mlir %t | FileCheck %s
// RUN: ls %t | FileCheck %s --check-prefix=FILES
// RUN: rm -rf %t.sm90 && attn-capi-compile-test %attn_src_root/examples/attention.mlir %t.sm90 sm_90a | FileCheck %s --check-prefix=SM90
// RUN: ls %t.sm90 | FileCheck %s --check-prefix=FILES

// CHECK: dialect attn
// CHECK: pipeline: any(attn-pipeline-async)
// CHECK: succeeded 1
// CHECK: kernel attention
// CHECK: ptx: .target sm_80
// CHECK: ptx: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK: ptx: cp.async.wait_group 1;
// CHECK: cubin: ELF
// CHECK: manifest: "kernel": "attention"
// CHECK: ptxas: {{.*}}0 bytes spill stores
// CHECK: written 1
// SM90: succeeded 1
// SM90: kernel attention
// SM90: ptx: .target sm_90a
// SM90: ptx: wgmma.mma_async.sync.aligned.m64n{{64|128}}k16.f32.bf16.bf16
// SM90: ptx: {{.*}}cp.async.bulk.tensor.4d
// SM90: cubin: ELF
// SM90: manifest: "kernel": "attention"
// SM90: ptxas: {{.*}}0 bytes spill stores
// SM90: written 1
// FILES: attention.cubin
// FILES: attention.json
// FILES: attention.ptx

#include "attn-c/Compiler.h"
#include "attn-c/Dialects.h"
#include "attn-c/Passes.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *readFile(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  *size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc(*size + 1);
  if (fread(text, 1, *size, f) != (size_t)*size) {
    fclose(f);
    free(text);
    return NULL;
  }
  text[*size] = 0;
  fclose(f);
  return text;
}

/// Prints the first line of `text` that contains `needle`.
static void printLineWith(const char *prefix, MlirStringRef text,
                          const char *needle) {
  char *copy = strndup(text.data, text.length);
  for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
    if (strstr(line, needle)) {
      while (*line == ' ' || *line == '\t')
        ++line;
      printf("%s: %s\n", prefix, line);
      break;
    }
  }
  free(copy);
}

static void printPipeline(MlirStringRef text, void *unused) {
  (void)unused;
  fwrite(text.data, 1, text.length, stdout);
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s INPUT.mlir OUT_DIR [CHIP]\n", argv[0]);
    return 2;
  }
  long size = 0;
  char *source = readFile(argv[1], &size);
  if (!source)
    return 2;

  MlirContext context = attnContextCreate();
  MlirDialect dialect = mlirContextGetOrLoadDialect(
      context, mlirDialectHandleGetNamespace(mlirGetDialectHandle__attn__()));
  MlirStringRef name = mlirDialectGetNamespace(dialect);
  printf("dialect %.*s\n", (int)name.length, name.data);

  // The generated pass C API: a pass created by its mlirCreate function.
  attnRegisterAllPasses();
  MlirPassManager pm = mlirPassManagerCreate(context);
  mlirPassManagerAddOwnedPass(pm, mlirCreateAttnAttnPipelineAsyncPass());
  printf("pipeline: ");
  mlirPrintPassPipeline(mlirPassManagerGetAsOpPassManager(pm), printPipeline,
                        NULL);
  printf("\n");
  mlirPassManagerDestroy(pm);

  AttnCompileOptions options = {argc > 3 ? argv[3] : "sm_80", NULL, NULL,
                                true};
  AttnCompileResult result = attnCompileSource(
      context, mlirStringRefCreate(source, size),
      mlirStringRefCreateFromCString(argv[1]), options);
  printf("succeeded %d\n", attnCompileResultSucceeded(result));
  MlirStringRef errors = attnCompileResultGetErrors(result);
  fwrite(errors.data, 1, errors.length, stdout);
  MlirStringRef kernel = attnCompileResultGetKernelName(result);
  printf("kernel %.*s\n", (int)kernel.length, kernel.data);
  MlirStringRef ptx = attnCompileResultGetPtx(result);
  printLineWith("ptx", ptx, ".target");
  printLineWith("ptx", ptx, "mma.sync");
  printLineWith("ptx", ptx, "cp.async.wait_group \t1");
  printLineWith("ptx", ptx, "wgmma.mma_async");
  printLineWith("ptx", ptx, "cp.async.bulk.tensor");
  MlirStringRef cubin = attnCompileResultGetCubin(result);
  printf("cubin: %.3s\n", cubin.length > 4 ? cubin.data + 1 : "");
  printLineWith("manifest", attnCompileResultGetManifest(result), "\"kernel\"");
  printLineWith("ptxas", attnCompileResultGetPtxasInfo(result), "spill");
  printf("written %d\n", attnCompileResultWrite(
                             result, mlirStringRefCreateFromCString(argv[2])));

  attnCompileResultDestroy(result);
  mlirContextDestroy(context);
  free(source);
  return 0;
}
