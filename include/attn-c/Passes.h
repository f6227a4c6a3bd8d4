/*===- attn-c/Passes.h - C API of the attn passes -----------------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
|* Generated from the passes' ODS: mlirRegisterAttn<Pass>() and               *|
|* mlirCreateAttn<Pass>() for each transform pass, mlirRegisterAttnPasses()   *|
|* for all; the same with AttnConversion for the conversions.                 *|
|* attnRegisterAllPasses() also registers the named pipelines.                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_PASSES_H
#define ATTN_C_PASSES_H

#include "mlir-c/Pass.h"

#include "attn/Conversion/Passes.capi.h.inc"
#include "attn/Dialect/Attn/Transforms/Passes.capi.h.inc"

#ifdef __cplusplus
extern "C" {
#endif

/** Registers every attn pass and the named pipelines
 *  (attn-lower-to-cpu-pipeline, attn-lower-to-nvvm-pipeline), so that
 *  mlirParsePassPipeline understands them. */
MLIR_CAPI_EXPORTED void attnRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_C_PASSES_H */
