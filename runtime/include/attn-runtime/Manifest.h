//===- Manifest.h - the launch manifest's schema ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What a launch manifest (<kernel>.json, written by attn-compile) must hold
// before the runtime reads it: every member the runtime and attn-run use,
// with its type and range, so that a damaged or hand-edited manifest is an
// error message rather than a null dereference or an out-of-range index.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_MANIFEST_H
#define ATTN_RUNTIME_MANIFEST_H

#include "attn-runtime/Json.h"

#include <string>

namespace attn::runtime {

/// Checks `manifest` against the schema; on failure sets `error` to what is
/// wrong and where ("params[1].shape: ...").
bool checkManifest(const JsonValue &manifest, std::string &error);

/// Finds the one <kernel>.json in artifact folder `dir`, parses and checks
/// it; on failure sets `error`, naming the folder or file.
bool readManifest(const std::string &dir, JsonValue &manifest,
                  std::string &error);

/// Reads a whole file; false when it cannot be read.
bool readFileBytes(const std::string &path, std::string &out);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_MANIFEST_H
