"""The on-disk compile cache: hits, keys, and where it lives."""
import os

import attn
import attn.compiler
from attn import AttentionSpec


def test_second_compile_is_a_hit(cache_dir, monkeypatch):
    spec = AttentionSpec(head_dim=64, causal=True)
    first = attn.compile(spec, with_cubin=False)
    assert os.path.dirname(first.path) == cache_dir

    def fail(*args, **kwargs):
        raise AssertionError("compiled again")
    monkeypatch.setattr(attn.compiler, "_compile_into", fail)
    second = attn.compile(spec, with_cubin=False)
    assert second.path == first.path and second.ptx == first.ptx
    assert [n for n in os.listdir(cache_dir) if n.startswith(".staging")] == []


def test_key_covers_what_changes_the_code(example_ir):
    key = attn.cache_key(example_ir, "sm_80", True)
    assert key == attn.cache_key(example_ir, "sm_80", True)
    others = {
        attn.cache_key(example_ir, "sm_90a", True),
        attn.cache_key(example_ir, "sm_80", False),
        attn.cache_key(example_ir.replace("causal", ""), "sm_80", True),
        attn.cache_key(example_ir, "sm_80", True, ptxas_path="/nonexistent/ptxas"),
        attn.cache_key(example_ir, "sm_80", True, kv_chunk=1024),
    }
    assert key not in others and len(others) == 5


def test_key_covers_the_compiler_library(example_ir, monkeypatch):
    key = attn.cache_key(example_ir, "sm_80", True)
    monkeypatch.setattr(attn.compiler, "_file_identity",
                        lambda path, real=attn.compiler._file_identity: real(path) + b"x")
    assert attn.cache_key(example_ir, "sm_80", True) != key


def test_uncached_compile_goes_elsewhere(cache_dir):
    artifact = attn.compile(AttentionSpec(head_dim=64), cache=False, with_cubin=False)
    assert not artifact.path.startswith(cache_dir)
    assert not os.path.exists(cache_dir)


def test_cache_dir_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("ATTN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert attn.default_cache_dir() == str(tmp_path / "attn")
    monkeypatch.setenv("ATTN_CACHE_DIR", "/somewhere")
    assert attn.default_cache_dir() == "/somewhere"
