// RUN: attn-opt %s -split-input-file -verify-diagnostics

// 32 x 4 x 256 + 32 x 4 x 256 = 65536, plus the producer's: over the file.
func.func @budget_over_the_register_file(%i: index, %p: i1) {
  // expected-error @below {{'attn.warp_specialize' op roles need 69632 registers, more than the 65536 of the register file}}
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 128>,
                              <name = "consumer", warps = 8, registers = 256>] {
  }, {
  }
  return
}

// -----

func.func @budget_not_a_multiple_of_8() {
  // expected-error @+2 {{warp role 'consumer' has a register budget of 100; expected a multiple of 8 from 24 to 256}}
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 100>] {
  }, {
  }
  return
}

// -----

func.func @one_role() {
  // expected-error @below {{'attn.warp_specialize' op needs at least two warp roles, got 1}}
  attn.warp_specialize roles [<name = "consumer", warps = 4, registers = 232>] {
  }
  return
}

// -----

// The consumer waits on a channel that no role fills: it would hang.
func.func @nobody_fills(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
  }, {
    // expected-error @below {{'attn.channel_wait' op waits on a channel that no other role fills (role 'consumer')}}
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }
  return
}

// -----

// A copy before its slot is acquired could overwrite a tile being read.
func.func @copy_before_acquire(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
    // expected-error @below {{'attn.channel_copy' op copies into a channel slot it has not acquired}}
    attn.channel_copy %src[%i, %i, %i] into %c[%i] if %p : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }
  return
}

// -----

// A slot acquired and never committed: the consumer would wait forever.
func.func @acquire_without_commit(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
    scf.for %j = %i to %i step %i {
      attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
      attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
      // expected-error @below {{'attn.channel_acquire' op acquires a channel slot it never commits in this block}}
      attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    }
  }, {
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }
  return
}

// -----

// Released before it was waited for: the producer could refill it early.
func.func @release_before_wait(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    // expected-error @below {{'attn.channel_release' op releases a channel slot it has not waited for}}
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
  }
  return
}

// -----

func.func @wait_twice(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    // expected-error @below {{'attn.channel_wait' op waits on a channel again before releasing the last slot}}
    %u = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }
  return
}

// -----

func.func @producer_yields(%x: index) {
  %r = attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                                   <name = "consumer", warps = 4, registers = 232>] {
    // expected-error @below {{'attn.role_yield' op only the last role yields the results, role 'producer' yields 1 values}}
    attn.role_yield %x : index
  }, {
    attn.role_yield %x : index
  } -> index
  return
}

// -----

// Inside a scheduled grid the roles are the schedule's warps.
func.func @roles_not_the_schedules_warps(%n: index) {
  scf.forall (%i) in (%n) {
    // expected-error @below {{'attn.warp_specialize' op roles take 5 warps, the grid's schedule has 12}}
    attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                                <name = "consumer", warps = 4, registers = 232>] {
    }, {
    }
  } {attn.schedule = #attn.schedule<tile_m = 64, tile_n = 64, stages = 2, warps = 12>}
  return
}
