"""Precompiled artifacts for machines without the compiler.

A bundle is a folder of artifacts, one subfolder per (chip, spec), written by
write_bundle where the compiler is and read where only a GPU and the runtime
are. attn.torch looks in bundles before it compiles.
"""
import hashlib
import os
from typing import Iterable, List, Optional

from .compiler import Artifact, compile
from .spec import AttentionSpec

_bundles: List[str] = []


def entry_name(spec: AttentionSpec, chip: str) -> str:
    """The subfolder of `spec` compiled for `chip` in a bundle; the digest
    of the IR tells apart specs with the same name (say, two scales)."""
    text = f"{chip}\n{spec.ir()}"
    if spec.kv_chunk is not None:  # a compile option, not in the IR
        text += f"\nkv_chunk={spec.kv_chunk}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{chip}-{spec.name}-{digest}"


def write_bundle(specs: Iterable[AttentionSpec], directory: str,
                 chip: str = "sm_80") -> List[Artifact]:
    """Compiles each spec for `chip` into `directory`."""
    artifacts = []
    for spec in specs:
        artifacts.append(compile(spec, chip, output=os.path.join(directory, entry_name(spec, chip))))
    return artifacts


def add_bundle(directory: str) -> None:
    """Searches `directory` for precompiled artifacts (before $ATTN_BUNDLE_PATH)."""
    if not os.path.isdir(directory):
        raise ValueError(f"{directory}: no such bundle folder")
    if directory not in _bundles:
        _bundles.append(directory)


def bundle_dirs() -> List[str]:
    env = [p for p in os.environ.get("ATTN_BUNDLE_PATH", "").split(os.pathsep) if p]
    return _bundles + env


def find_artifact(spec: AttentionSpec, chip: str) -> Optional[str]:
    """The folder of `spec` for `chip` in the first bundle that has it."""
    name = entry_name(spec, chip)
    for directory in bundle_dirs():
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            return path
    return None
