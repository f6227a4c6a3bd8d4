//===- ToolSupport.h - how the runtime's GPU tools fail ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// One way for the runtime's tools to stop on an error: the tool's name, the
// message, exit status 1; and CHECK_CU for driver calls, naming the call and
// the driver's error.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_TOOLS_TOOLSUPPORT_H
#define ATTN_RUNTIME_TOOLS_TOOLSUPPORT_H

#include "attn-runtime/Runtime.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace attn::runtime::tool {

/// The tool's name in its messages; each tool defines it.
extern const char *const kName;

/// Prints "<tool>: <message>" and exits with status 1.
[[noreturn]] inline void die(const std::string &message) {
  std::fprintf(stderr, "%s: %s\n", kName, message.c_str());
  std::exit(1);
}

} // namespace attn::runtime::tool

#define CHECK_CU(call)                                                         \
  do {                                                                         \
    CUresult r_ = (call);                                                      \
    if (r_ != CUDA_SUCCESS)                                                    \
      ::attn::runtime::tool::die(std::string(#call) + ": " +                   \
                                 ::attn::runtime::describe(r_));               \
  } while (0)

#endif // ATTN_RUNTIME_TOOLS_TOOLSUPPORT_H
