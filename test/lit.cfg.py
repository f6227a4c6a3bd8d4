# -*- Python -*-
# Lit configuration for the attn regression suite (check-attn).

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ATTN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attn_obj_root, "test")

# Fail on FileCheck variables that leak across CHECK-LABEL blocks.
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"
# libdevice and ptxas for the GPU pipeline.
config.environment["CUDA_HOME"] = config.cuda_home

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not` and `count` at the start of a RUN line come from PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%attn_src_root", config.attn_src_root))
config.substitutions.append(("%attn_obj_root", config.attn_obj_root))
# Not %python: lit.llvm defines that as the Python running lit.
config.substitutions.append(("%attn_python", config.attn_python))
config.substitutions.append(("%mlir_lib_dir", config.llvm_lib_dir))

tool_dirs = [config.attn_tools_dir, config.llvm_tools_dir]
tools = [
    "attn-opt",
    "attn-layout-unittest",
    "attn-exp2-polynomial-unittest",
    "attn-wgmma-layout-unittest",
    "attn-tmem-layout-unittest",
    "attn-compile",
    "attn-run",
    "attn-artifact-check",
    "attn-launch-unittest",
    "attn-capi-compile-test",
    "attn-capi-errors-test",
    "attn-capi-shared-test",
    "mlir-runner",
    ToolSubst("attn-cpu-run", command=config.attn_python,
              extra_args=[os.path.join(config.attn_tools_dir, "attn-cpu-run")]),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Features for what this machine has, so tests can say REQUIRES.
ptxas = shutil.which("ptxas") or os.path.join(config.cuda_home, "bin", "ptxas")
if os.path.isfile(ptxas) and os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))


# libdevice, which the NVVM pipeline links (lowering to PTX needs it).
if os.path.isfile(os.path.join(config.cuda_home, "nvvm", "libdevice",
                               "libdevice.10.bc")):
    config.available_features.add("libdevice")

# The IR fuzzer exists in clang builds (the sanitizer configuration).
if os.path.isfile(os.path.join(config.attn_tools_dir, "attn-fuzz")):
    config.available_features.add("attn-fuzz")
    llvm_config.add_tool_substitutions(["attn-fuzz"], tool_dirs)


def nvidia_smi(*args):
    """nvidia-smi's output for `args`, or None where it is missing or fails."""
    smi = shutil.which("nvidia-smi")
    if not smi:
        return None
    try:
        out = subprocess.run([smi, *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def has_cuda_gpu():
    return "GPU" in (nvidia_smi("-L") or "")


def cuda_capabilities():
    """The compute capabilities of the GPUs nvidia-smi lists, e.g. {"9.0"}."""
    return set((nvidia_smi("--query-gpu=compute_cap", "--format=csv,noheader") or "").split())


# Our libraries built with AddressSanitizer cannot be loaded into a Python
# that was not; the tests that do so are UNSUPPORTED there.
if "Address" in config.llvm_use_sanitizer:
    config.available_features.add("asan")

if config.enable_gpu_tests or has_cuda_gpu():
    config.available_features.add("cuda-gpu")
# sm_100a cubins run on compute capability 10.0 alone (B200, GB200).
if "10.0" in cuda_capabilities():
    config.available_features.add("cuda-sm100")
