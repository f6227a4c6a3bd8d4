/*===- attn-c/Dialects.h - C API of the attn dialect --------------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_DIALECTS_H
#define ATTN_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/** mlirGetDialectHandle__attn__(): the attn dialect, for
 *  mlirDialectHandleRegisterDialect / LoadDialect. */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Attn, attn);

/** Registers every dialect, interface and translation the attn pipelines
 *  use (attn, upstream IR dialects, GPU/NVVM targets) into `registry`. */
MLIR_CAPI_EXPORTED void attnRegisterAllDialects(MlirDialectRegistry registry);

/** A context with everything attnRegisterAllDialects registers, all loaded
 *  on demand. Destroy it with mlirContextDestroy. */
MLIR_CAPI_EXPORTED MlirContext attnContextCreate(void);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_C_DIALECTS_H */
