// -attn-nvvm-grid-constant reports a list it cannot honour at the function.
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-nvvm-grid-constant

gpu.module @kernels {
  // expected-error @+1 {{grid-constant parameter 1 has type 'i64', expected '!llvm.ptr' (a tensor map passed by value is read through a pointer to the parameter)}}
  llvm.func @not_a_pointer(%map: !llvm.ptr, %n: i64)
      attributes {attn.grid_constant_params = array<i32: 1>, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{grid-constant parameter 0 has type '!llvm.ptr<1>', expected '!llvm.ptr'}}
  llvm.func @global_pointer(%map: !llvm.ptr<1>)
      attributes {attn.grid_constant_params = array<i32: 0>, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{'attn.grid_constant_params' on a function that is not a kernel: grid constants are kernel parameters}}
  llvm.func @device_function(%map: !llvm.ptr)
      attributes {attn.grid_constant_params = array<i32: 0>} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{grid-constant parameter 2 is out of range: the kernel has 2 parameters}}
  llvm.func @out_of_range(%map: !llvm.ptr, %n: i64)
      attributes {attn.grid_constant_params = array<i32: 2>, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{grid-constant parameter 0 is listed twice}}
  llvm.func @twice(%map: !llvm.ptr)
      attributes {attn.grid_constant_params = array<i32: 0, 0>, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

gpu.module @kernels {
  // expected-error @+1 {{expects 'attn.grid_constant_params' to be an array<i32> of parameter positions}}
  llvm.func @not_an_array(%map: !llvm.ptr)
      attributes {attn.grid_constant_params = 0 : i32, gpu.kernel,
                  nvvm.kernel} {
    llvm.return
  }
}

// -----

// Before convert-gpu-to-nvvm the list would be ignored; say so.
gpu.module @kernels {
  // expected-error @+1 {{'attn.grid_constant_params' is read from the llvm.func kernel; run convert-gpu-to-nvvm first}}
  gpu.func @not_lowered(%map: !llvm.ptr) kernel
      attributes {attn.grid_constant_params = array<i32: 0>} {
    gpu.return
  }
}
