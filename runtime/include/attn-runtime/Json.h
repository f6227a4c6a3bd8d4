//===- Json.h - a small JSON reader for launch manifests --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime builds where CUDA is but MLIR and LLVM may not be, so it reads
// manifests with this reader instead of llvm::json.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_JSON_H
#define ATTN_RUNTIME_JSON_H

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attn::runtime {

struct JsonValue {
  enum class Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object
  } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::map<std::string, JsonValue> object;

  /// Member `key` of an object, or null when absent.
  const JsonValue *get(const std::string &key) const;
};

/// Parses `text` (RFC 8259, at most 32 levels deep); on failure returns
/// false and sets `error` to what is wrong and its byte offset.
bool parseJson(const std::string &text, JsonValue &value, std::string &error);

} // namespace attn::runtime

#endif // ATTN_RUNTIME_JSON_H
