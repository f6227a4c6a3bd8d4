"""attn: an MLIR attention compiler, from Python.

    import attn
    spec = attn.AttentionSpec(head_dim=128, dtype="bf16", causal=True)
    artifact = attn.compile(spec, chip="sm_80")   # PTX, cubin, manifest; cached on disk
    print(artifact.path, artifact.manifest["block"])

    from attn.torch import attention              # needs PyTorch and a CUDA GPU
    out = attention(q, k, v, causal=True)

The compiler and runtime are the project's C libraries (include/attn-c/),
loaded with ctypes; see attn._native for where they are looked for.
"""
from ._native import LibraryNotFoundError
from .bundle import add_bundle, find_artifact, write_bundle
from .compiler import Artifact, CompileError, cache_key, compile, default_cache_dir
from .spec import AttentionSpec

__all__ = [
    "AttentionSpec", "Artifact", "CompileError", "LibraryNotFoundError",
    "add_bundle", "cache_key", "compile", "default_cache_dir", "find_artifact",
    "write_bundle",
]
