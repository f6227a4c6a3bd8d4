/*===- attn-c/Compiler.h - C API of the attn compile driver -------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Compiles a module holding one attention function for a chip into an        *|
|* artifact: PTX, cubin (ptxas from the CUDA toolkit) and the JSON launch     *|
|* manifest that the runtime (attn-c/Runtime.h) loads. Failures are returned  *|
|* as text holding the MLIR diagnostics with their locations; nothing is      *|
|* printed and nothing aborts.                                                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_COMPILER_H
#define ATTN_C_COMPILER_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The outcome of one compile: an artifact or the errors. */
typedef struct AttnCompileResult {
  void *ptr;
} AttnCompileResult;

/** What to compile for. Null strings take the defaults: chip "sm_80",
 *  cudaPath $CUDA_HOME then /usr/local/cuda, ptxas <cudaPath>/bin/ptxas
 *  then PATH. With withCubin false, ptxas is not run and the cubin is empty.
 *  kvChunk: split-KV for decoding (the sm_80 kernel, on sm_80 and sm_90a),
 *  keys per chunk, each chunk its
 *  own CTA; 0 (what an initializer that leaves it out gives) splits
 *  nothing. */
typedef struct AttnCompileOptions {
  const char *chip;
  const char *cudaPath;
  const char *ptxasPath;
  bool withCubin;
  int64_t kvChunk;
} AttnCompileOptions;

/** Compiles `module`, which is lowered in place. Its context must hold the
 *  attn dialects (attnContextCreate). */
MLIR_CAPI_EXPORTED AttnCompileResult
attnCompileModule(MlirModule module, AttnCompileOptions options);

/** Parses `source` (MLIR text, named `sourceName` in diagnostics) in
 *  `context` and compiles it. */
MLIR_CAPI_EXPORTED AttnCompileResult attnCompileSource(
    MlirContext context, MlirStringRef source, MlirStringRef sourceName,
    AttnCompileOptions options);

MLIR_CAPI_EXPORTED bool attnCompileResultSucceeded(AttnCompileResult result);
/** The diagnostics of a failed compile, one per line ("" on success). */
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetErrors(AttnCompileResult result);
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetKernelName(AttnCompileResult result);
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetPtx(AttnCompileResult result);
/** The cubin's bytes (not NUL-terminated; use the length). */
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetCubin(AttnCompileResult result);
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetManifest(AttnCompileResult result);
/** What `ptxas -v` said: registers, spills, shared memory. */
MLIR_CAPI_EXPORTED MlirStringRef attnCompileResultGetPtxasInfo(AttnCompileResult result);

/** Writes <dir>/<kernel>.ptx, .cubin and .json the way attn-compile -o does
 *  (temporary names renamed into place, manifest last). On failure returns
 *  false and appends the error to the result's errors. */
MLIR_CAPI_EXPORTED bool attnCompileResultWrite(AttnCompileResult result,
                                               MlirStringRef dir);

MLIR_CAPI_EXPORTED void attnCompileResultDestroy(AttnCompileResult result);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_C_COMPILER_H */
