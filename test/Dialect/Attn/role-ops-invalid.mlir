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

// -----

// The turns of attn.ordered: a section whose warpgroups could disagree on
// whether to take it would stop the others.
func.func @section_under_data_dependent_branch(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>, %x: tensor<64xf32>) {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    %c0 = arith.constant 0 : index
    %e = tensor.extract %x[%c0] : tensor<64xf32>
    %zero = arith.constant 0.0 : f32
    %positive = arith.cmpf ogt, %e, %zero : f32
    scf.if %positive {
      // expected-error @below {{'attn.ordered' op is under a condition that depends on per-thread values: a warpgroup that skipped its turn would stop the others}}
      %s = attn.ordered barriers [1, 2] -> (tensor<64x64xf32>) {
        %p = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
        attn.ordered_yield %p : tensor<64x64xf32>
      }
      %w = attn.matmul_wait %s pending(0) : tensor<64x64xf32>
    }
  }
  return
}

// -----

func.func @nested_sections(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    attn.ordered barriers [1, 2] {
      // expected-error @below {{'attn.ordered' op is nested in another section: a warpgroup holding a turn would wait for its own next one}}
      attn.ordered barriers [1, 2] {
      }
    }
  }
  return
}

// -----

func.func @one_barrier_per_warpgroup() {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 12, registers = 160>] {
  }, {
    // expected-error @below {{'attn.ordered' op needs one barrier per warpgroup of role 'consumer' (3), got 2}}
    attn.ordered barriers [1, 2] {
    }
  }
  return
}

// -----

func.func @barrier_zero_is_the_cta_barrier() {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    // expected-error @below {{'attn.ordered' op barrier 0 is outside 1..15 (0 is the CTA barrier)}}
    attn.ordered barriers [0, 1] {
    }
  }
  return
}

// -----

func.func @repeated_barrier() {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    // expected-error @below {{'attn.ordered' op uses barrier 3 twice}}
    attn.ordered barriers [3, 3] {
    }
  }
  return
}

// -----

func.func @two_rings_in_one_role() {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    // expected-error @below {{'attn.ordered' op uses other barriers than another section of role 'consumer': a role takes its turns on one ring}}
    attn.ordered barriers [1, 2] {
    }
    attn.ordered barriers [3, 4] {
    }
  }
  return
}

// -----

func.func @one_warpgroup_takes_no_turns() {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 4, registers = 240>] {
  }, {
    // expected-error @below {{'attn.ordered' op needs a role of at least two whole warpgroups; role 'consumer' has 4 warps}}
    attn.ordered barriers [1] {
    }
  }
  return
}

// -----

func.func @section_outside_roles() {
  // expected-error @below {{'attn.ordered' op must be inside an attn.warp_specialize role}}
  attn.ordered barriers [1, 2] {
  }
  return
}

// -----

func.func @softmax_in_a_section(%s: tensor<64x64xf32>, %m: tensor<64xf32>) {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    attn.ordered barriers [1, 2] {
      // expected-error @below {{'attn.row_max' op cannot be in an attn.ordered section, which issues matrix products only}}
      %r = attn.row_max %s, %m : tensor<64x64xf32>, tensor<64xf32>
    }
  }
  return
}

// -----

func.func @product_used_before_its_wait(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>, %m: tensor<64xf32>) {
  attn.warp_specialize roles [<name = "producer", warps = 4, registers = 24>,
                              <name = "consumer", warps = 8, registers = 240>] {
  }, {
    %s = attn.ordered barriers [1, 2] -> (tensor<64x64xf32>) {
      %p = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
      attn.ordered_yield %p : tensor<64x64xf32>
    }
    // expected-error @below {{'attn.row_max' op uses a product of an attn.ordered section before waiting for it with attn.matmul_wait}}
    %r = attn.row_max %s, %m : tensor<64x64xf32>, tensor<64xf32>
  }
  return
}

// -----

func.func @wait_for_a_non_product(%x: tensor<64x64xf32>) {
  // expected-error @below {{'attn.matmul_wait' op waits for a value that is not an attn.qk_matmul or attn.pv_matmul result}}
  %w = attn.matmul_wait %x pending(0) : tensor<64x64xf32>
  return
}

// -----

func.func @negative_pending(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  %p = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
  // expected-error @below {{'attn.matmul_wait' op attribute 'pending' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %w = attn.matmul_wait %p pending(-1) : tensor<64x64xf32>
  return
}

// -----

func.func @in_role_outside_roles(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  // expected-error @below {{'attn.in_role' op must be inside an attn.warp_specialize}}
  %s = attn.in_role "mma" -> (tensor<64x64xf32>) {
    %qk = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    attn.in_role_yield %qk : tensor<64x64xf32>
  }
  return
}

// -----

// One region a role: there is no shared region for a section to be in.
func.func @in_role_without_shared_region(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 24>,
                              <name = "consumer", warps = 4, registers = 232>] {
  }, {
    // expected-error @below {{'attn.in_role' op must be in the region several roles share (an attn.warp_specialize with more roles than regions, in its last region)}}
    %s = attn.in_role "consumer" -> (tensor<64x64xf32>) {
      %qk = attn.qk_matmul %q, %k : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
      attn.in_role_yield %qk : tensor<64x64xf32>
    }
  }
  return
}

// -----

func.func @in_role_unknown_role(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
  }, {
    attn.in_role "mma" {
    }
    attn.in_role "softmax" {
    }
    // expected-error @below {{'attn.in_role' op names role 'correction', which is not one of the roles sharing the region (mma, softmax)}}
    attn.in_role "correction" {
    }
  }
  return
}

// -----

// A section of the producer's region: only the last region is shared.
func.func @in_role_in_the_producer(%q: tensor<64x64xbf16>, %k: tensor<64x64xbf16>) {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
    // expected-error @below {{'attn.in_role' op must be in the region several roles share}}
    attn.in_role "mma" {
    }
  }, {
    attn.in_role "mma" {
    }
    attn.in_role "softmax" {
    }
  }
  return
}

// -----

func.func @in_role_nested(%n: index) {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
  }, {
    attn.in_role "softmax" {
    }
    attn.in_role "mma" {
      // expected-error @below {{'attn.in_role' op is nested in another attn.in_role section}}
      attn.in_role "softmax" {
      }
    }
  }
  return
}

// -----

// A role named twice: the sections could not say which warps run them.
func.func @shared_roles_of_one_name() {
  // expected-error @below {{'attn.warp_specialize' op has two roles named 'producer'; roles sharing a region need distinct names}}
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "producer", warps = 4, registers = 192>] {
  }, {
    attn.in_role "mma" {
    }
  }
  return
}

// -----

// Outside the sections every sharing role runs an op: a channel wait there
// would be taken by each of them.
func.func @channel_op_outside_sections(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_copy %src[%i, %i, %i] into %c[%i] if %p : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    // expected-error @below {{'attn.channel_wait' op is outside the attn.in_role sections of a region several roles share, so every role would run its side effects; put it in a section}}
    %t = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.in_role "mma" {
      attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
    }
  }
  return
}

// -----

// One role waits for the slot, another gives it back.
func.func @release_in_another_role(%src: tensor<1x1x?x64xbf16>, %i: index, %p: i1) {
  %c = attn.alloc_channel : !attn.channel<2, tensor<16x64xbf16>>
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
    attn.channel_acquire %c[%i] phase(%p) : !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_copy %src[%i, %i, %i] into %c[%i] if %p : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
    attn.channel_commit %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
  }, {
    %t = attn.in_role "mma" -> (tensor<16x64xbf16>) {
      %w = attn.channel_wait %c[%i] phase(%p) for %src[%i, %i, %i] : tensor<1x1x?x64xbf16>, !attn.channel<2, tensor<16x64xbf16>>
      attn.in_role_yield %w : tensor<16x64xbf16>
    }
    attn.in_role "softmax" {
      // expected-error @below {{'attn.channel_release' op releases in role 'softmax' a channel slot role 'mma' waited for}}
      attn.channel_release %c[%i] : !attn.channel<2, tensor<16x64xbf16>>
    }
  }
  return
}

// -----

func.func @in_role_in_execute_region() {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
  }, {
    scf.execute_region {
      // expected-error @below {{'attn.in_role' op may only be nested in scf.for and scf.if inside the shared region, not in 'scf.execute_region'}}
      attn.in_role "mma" {
      }
      scf.yield
    }
  }
  return
}

// -----

func.func @in_role_yield_types(%m: tensor<64xf32>) {
  attn.warp_specialize roles [<name = "producer", warps = 1, registers = 48>,
                              <name = "mma", warps = 1, registers = 48>,
                              <name = "softmax", warps = 4, registers = 192>] {
  }, {
    attn.in_role "mma" {
    }
    // expected-error @below {{'attn.in_role' op yields types that differ from its results}}
    %x = "attn.in_role"() <{role = "softmax"}> ({
      "attn.in_role_yield"() : () -> ()
    }) : () -> tensor<64xf32>
  }
  return
}
