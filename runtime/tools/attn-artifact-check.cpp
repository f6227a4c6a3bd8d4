//===- attn-artifact-check.cpp - check artifact folders without a GPU -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// attn-artifact-check DIR...: reads each artifact folder the way the runtime
// does before it touches CUDA (one manifest, its schema, the PTX and cubin
// it names) and prints "DIR: ok: <kernel> for <chip>, <n> tensors" or one
// error line; exits 1 when any folder fails. Needs neither CUDA nor a GPU,
// so bundles can be checked where they are built.
//
//===----------------------------------------------------------------------===//

#include "attn-runtime/Manifest.h"

#include <cstdio>
#include <string>

using namespace attn::runtime;

static bool check(const std::string &dir, std::string &summary) {
  JsonValue manifest;
  if (!readManifest(dir, manifest, summary))
    return false;
  std::string bytes;
  for (const char *key : {"ptx", "cubin"}) {
    std::string file = dir + "/" + manifest.get(key)->string;
    if (!readFileBytes(file, bytes)) {
      summary = file + ": cannot read the " + key + " the manifest names";
      return false;
    }
  }
  summary = dir + ": ok: " + manifest.get("kernel")->string + " for " +
            manifest.get("chip")->string + ", " +
            std::to_string(manifest.get("params")->array.size()) + " tensors";
  return true;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ARTIFACT_DIR...\n", argv[0]);
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::string summary;
    if (check(argv[i], summary)) {
      std::printf("%s\n", summary.c_str());
      std::fflush(stdout); // keep the order of lines with stderr
    } else {
      std::fprintf(stderr, "attn-artifact-check: error: %s\n", summary.c_str());
      status = 1;
    }
  }
  return status;
}
