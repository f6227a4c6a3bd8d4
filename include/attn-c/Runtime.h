/*===- attn-c/Runtime.h - C API of the attn kernel runtime --------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Loads artifacts written by attn-compile and launches them on device        *|
|* pointers and a CUDA stream. Built only where CUDA is (library              *|
|* AttnRuntimeC, a shared library for ctypes and other FFIs). Every call      *|
|* returns a status; the text of the last failure on the calling thread is    *|
|* attnRuntimeGetLastError(). Nothing is printed and nothing aborts.          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_RUNTIME_H
#define ATTN_C_RUNTIME_H

#include <cuda.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum AttnStatus {
  ATTN_SUCCESS = 0,
  /** A null pointer, a wrong argument count or rank. */
  ATTN_ERROR_INVALID_ARGUMENT = 1,
  /** The artifact is missing, malformed, or for a newer GPU. */
  ATTN_ERROR_ARTIFACT = 2,
  /** A tensor does not fit the manifest, or the CUDA driver failed. */
  ATTN_ERROR_LAUNCH = 3,
} AttnStatus;

/** A loaded kernel. */
typedef struct AttnKernel {
  void *ptr;
} AttnKernel;

/** The largest tensor rank a kernel takes. */
#define ATTN_MAX_RANK 5

/** A strided tensor in device memory; sizes and strides in elements, the
 *  first `rank` of each used. */
typedef struct AttnTensor {
  CUdeviceptr data;
  int64_t rank;
  int64_t sizes[ATTN_MAX_RANK];
  int64_t strides[ATTN_MAX_RANK];
} AttnTensor;

/** Makes the primary context of device `ordinal` current on this thread
 *  (the context the CUDA runtime, and so PyTorch, uses). */
AttnStatus attnRuntimeInitialize(int ordinal);

/** Loads the artifact in folder `dir` into the current context. */
AttnStatus attnKernelLoad(const char *dir, AttnKernel *kernel);

/** Releases a kernel; a null kernel is ignored. */
void attnKernelDestroy(AttnKernel kernel);

/** How many tensors a launch takes (for attention: Q, K, V, O and, if the
 *  kernel writes it, LSE); 0 for a null kernel. */
int attnKernelNumTensors(AttnKernel kernel);

/** The name of tensor `index` of the manifest ("query", "key", "value",
 *  "output", "lse" for attention), owned by the kernel; NULL for a null
 *  kernel or an index out of range. */
const char *attnKernelTensorName(AttnKernel kernel, int index);

/** Enqueues the kernel on `stream` without synchronising; `tensors` in the
 *  manifest's order (attnKernelTensorName). */
AttnStatus attnKernelLaunch(AttnKernel kernel, const AttnTensor *tensors,
                            int numTensors, CUstream stream);

/** The text of the last failure on this thread ("" after a success). */
const char *attnRuntimeGetLastError(void);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_C_RUNTIME_H */
