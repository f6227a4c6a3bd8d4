// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_80 kv-chunk=1024" -verify-diagnostics
// RUN: attn-opt %s -split-input-file -attn-select-schedule="chip=sm_90a kv-chunk=1024" -verify-diagnostics
// RUN: not attn-opt %s -split-input-file -attn-select-schedule="chip=sm_100a" 2>&1 | FileCheck %s --check-prefix=SM100

// A paged cache needs the sm_80 kernel (sm_90a builds it for paged caches;
// sm_100a has none), a static page size, and split chunks of whole pages.
// SM100: select-schedule-paged-invalid.mlir:12:8: error: attn-select-schedule: a paged K/V cache needs the sm_80 kernel; sm_100a's does not take it
// SM100: select-schedule-paged-invalid.mlir:23:8: error: attn-select-schedule: a paged K/V cache needs the sm_80 kernel; sm_100a's does not take it
func.func @chunk_not_whole_pages(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x48x8x128xbf16>,
                                 %t: tensor<?x?xi32>, %n: tensor<?xi32>) -> tensor<?x32x1x128xbf16> {
  // expected-error @below {{attn-select-schedule: kv-chunk = 1024 is not a whole number of pages of 48 keys}}
  %0 = attn.attention causal ins(%q, %k, %k : tensor<?x32x1x128xbf16>, tensor<?x48x8x128xbf16>, tensor<?x48x8x128xbf16>)
         paged(%t, %n : tensor<?x?xi32>, tensor<?xi32>)
         outs(%q : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %0 : tensor<?x32x1x128xbf16>
}

// -----

func.func @dynamic_page_size(%q: tensor<?x32x1x128xbf16>, %k: tensor<?x?x8x128xbf16>,
                             %t: tensor<?x?xi32>, %n: tensor<?xi32>) -> tensor<?x32x1x128xbf16> {
  // expected-error @below {{attn-select-schedule: a paged K/V cache needs a static page size (dimension 1 of K and V)}}
  %0 = attn.attention causal ins(%q, %k, %k : tensor<?x32x1x128xbf16>, tensor<?x?x8x128xbf16>, tensor<?x?x8x128xbf16>)
         paged(%t, %n : tensor<?x?xi32>, tensor<?xi32>)
         outs(%q : tensor<?x32x1x128xbf16>) -> tensor<?x32x1x128xbf16>
  return %0 : tensor<?x32x1x128xbf16>
}
