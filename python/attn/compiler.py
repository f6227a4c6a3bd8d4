"""Compiling attention to an artifact, through the compiler's C library.

An artifact is a folder holding <kernel>.ptx, <kernel>.cubin and the launch
manifest <kernel>.json, exactly what `attn-compile -o` writes and what the
runtime loads. Compiles are cached on disk under a key that covers
everything that changes the code: the IR, the chip, whether a cubin is
built, the compiler library's contents and the ptxas it runs.
"""
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Optional, Union

from . import _native
from .spec import AttentionSpec

# Part of every cache key: bumped when artifacts change shape, so that a
# cache of older ones (format-1 manifests) is not reused.
CACHE_FORMAT = b"attn-artifact-cache-2"


class CompileError(RuntimeError):
    """The compiler rejected the input; `diagnostics` holds its located
    errors ("file:line:col: error: ..."), one per line."""

    def __init__(self, diagnostics: str):
        super().__init__(diagnostics.strip() or "compile failed")
        self.diagnostics = diagnostics


@dataclass
class Artifact:
    """A compiled kernel on disk."""
    path: str
    kernel: str
    manifest: dict = field(repr=False)

    @classmethod
    def load(cls, path: str) -> "Artifact":
        """Reads the artifact in folder `path`."""
        manifests = [f for f in os.listdir(path) if f.endswith(".json")]
        if len(manifests) != 1:
            raise ValueError(f"{path}: expected one <kernel>.json manifest, "
                             f"found {len(manifests)}")
        with open(os.path.join(path, manifests[0])) as f:
            manifest = json.load(f)
        return cls(path=path, kernel=manifest["kernel"], manifest=manifest)

    @property
    def chip(self) -> str:
        return self.manifest["chip"]

    @property
    def ptx(self) -> str:
        with open(os.path.join(self.path, self.manifest["ptx"])) as f:
            return f.read()

    @property
    def cubin(self) -> bytes:
        with open(os.path.join(self.path, self.manifest["cubin"]), "rb") as f:
            return f.read()


def default_cache_dir() -> str:
    """$ATTN_CACHE_DIR, else $XDG_CACHE_HOME/attn, else ~/.cache/attn."""
    if os.environ.get("ATTN_CACHE_DIR"):
        return os.environ["ATTN_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "attn")


_identity_lock = threading.Lock()
_identities = {}


def _file_identity(path: Optional[str]) -> bytes:
    """A digest of a file's bytes, remembered per (path, size, mtime)."""
    if not path or not os.path.exists(path):
        return b"none"
    st = os.stat(path)
    key = (os.path.realpath(path), st.st_size, st.st_mtime_ns)
    with _identity_lock:
        if key not in _identities:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            _identities[key] = digest.digest()
        return _identities[key]


def _ptxas_path(cuda_path: Optional[str], ptxas_path: Optional[str]) -> Optional[str]:
    """The ptxas the compiler will run, found the way Compiler.h says."""
    if ptxas_path:
        return ptxas_path
    cuda = cuda_path or os.environ.get("CUDA_HOME") or "/usr/local/cuda"
    candidate = os.path.join(cuda, "bin", "ptxas")
    return candidate if os.path.exists(candidate) else shutil.which("ptxas")


def cache_key(source: str, chip: str, with_cubin: bool,
              cuda_path: Optional[str] = None, ptxas_path: Optional[str] = None,
              kv_chunk: int = 0) -> str:
    """The cache key of compiling `source` for `chip` (with split-KV
    chunks of `kv_chunk` keys) with this compiler."""
    _, library = _native.compiler()
    digest = hashlib.sha256(CACHE_FORMAT)
    for part in (source.encode(), chip.encode(), b"cubin" if with_cubin else b"ptx",
                 _file_identity(library), b"kv_chunk=%d" % kv_chunk):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    if with_cubin:
        digest.update(_file_identity(_ptxas_path(cuda_path, ptxas_path)))
    return digest.hexdigest()[:40]


def _source_of(ir_or_spec: Union[str, AttentionSpec]) -> str:
    if isinstance(ir_or_spec, AttentionSpec):
        return ir_or_spec.ir()
    if isinstance(ir_or_spec, str):
        return ir_or_spec
    raise TypeError("compile takes MLIR text or an AttentionSpec, got "
                    f"{type(ir_or_spec).__name__}")


def _compile_into(source: str, folder: str, chip: str, with_cubin: bool,
                  cuda_path: Optional[str], ptxas_path: Optional[str], source_name: str,
                  kv_chunk: int):
    """Compiles through the C library and writes the artifact into `folder`."""
    lib, _ = _native.compiler()
    options = _native.CompileOptions(
        chip.encode(), cuda_path.encode() if cuda_path else None,
        ptxas_path.encode() if ptxas_path else None, with_cubin, kv_chunk)
    context = lib.attnContextCreate()
    try:
        result = lib.attnCompileSource(
            context, _native.StringRef.of(source.encode()),
            _native.StringRef.of(source_name.encode()), options)
        try:
            if not lib.attnCompileResultSucceeded(result) or \
                    not lib.attnCompileResultWrite(result, _native.StringRef.of(folder.encode())):
                raise CompileError(lib.attnCompileResultGetErrors(result).bytes().decode())
        finally:
            lib.attnCompileResultDestroy(result)
    finally:
        lib.mlirContextDestroy(context)


def compile(ir_or_spec: Union[str, AttentionSpec], chip: str = "sm_80", *,
            output: Optional[str] = None, cache: bool = True,
            cache_dir: Optional[str] = None, with_cubin: bool = True,
            cuda_path: Optional[str] = None, ptxas_path: Optional[str] = None,
            source_name: Optional[str] = None) -> Artifact:
    """Compiles MLIR text holding one attention function, or an
    AttentionSpec, for `chip` ("sm_80", "sm_90a" or "sm_100a"; the last
    assembles but has not run on a Blackwell GPU).

    With `output`, the artifact is written there. Otherwise it lands in the
    on-disk cache (`cache_dir`, default default_cache_dir()) and a second
    compile of the same input by the same compiler returns it without
    compiling; `cache=False` compiles into a fresh temporary folder. Raises
    CompileError with the located diagnostics (in `source_name`, by default
    "<spec name>.mlir" or "<string>") when the compiler rejects it. A spec's
    kv_chunk asks for split-KV.
    """
    source = _source_of(ir_or_spec)
    kv_chunk = getattr(ir_or_spec, "kv_chunk", None) or 0
    if source_name is None:
        source_name = (ir_or_spec.name + ".mlir" if isinstance(ir_or_spec, AttentionSpec)
                       else "<string>")
    if not isinstance(chip, str):
        raise TypeError(f"chip must be a string such as 'sm_80', got {chip!r}")

    def compile_into(folder):
        _compile_into(source, folder, chip, with_cubin, cuda_path, ptxas_path, source_name,
                      kv_chunk)

    if output is not None:
        os.makedirs(output, exist_ok=True)
        compile_into(output)
        return Artifact.load(output)
    if not cache:
        folder = tempfile.mkdtemp(prefix="attn-")
        compile_into(folder)
        return Artifact.load(folder)

    root = cache_dir or default_cache_dir()
    entry = os.path.join(root, cache_key(source, chip, with_cubin, cuda_path, ptxas_path,
                                         kv_chunk))
    if os.path.isdir(entry):
        return Artifact.load(entry)
    os.makedirs(root, exist_ok=True)
    # Compile beside the entry and rename it into place, so that a reader
    # sees a whole artifact or none, also when processes race.
    staging = tempfile.mkdtemp(prefix=".staging-", dir=root)
    try:
        compile_into(staging)
        try:
            os.rename(staging, entry)
        except OSError:
            if not os.path.isdir(entry):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Artifact.load(entry)
