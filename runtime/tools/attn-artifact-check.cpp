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
#include <utility>

using namespace attn::runtime;

static bool check(const std::string &dir, std::string &summary) {
  Manifest manifest;
  if (!readManifest(dir, manifest, summary))
    return false;
  std::string bytes;
  for (auto [what, name] :
       {std::pair{"ptx", &manifest.ptx}, std::pair{"cubin", &manifest.cubin}}) {
    std::string file = dir + "/" + *name;
    if (!readFileBytes(file, bytes)) {
      summary = file + ": cannot read the " + what + " the manifest names";
      return false;
    }
  }
  summary = dir + ": ok: " + manifest.kernel + " for " + manifest.chip + ", " +
            std::to_string(manifest.tensors.size()) + " tensors";
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
