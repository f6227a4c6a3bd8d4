"""Bundles of precompiled artifacts, and finding the C libraries."""
import os

import pytest

import attn
from attn import AttentionSpec
from attn import _native
from attn.bundle import entry_name


def test_write_and_find(tmp_path, monkeypatch):
    monkeypatch.setattr(attn.bundle, "_bundles", [])
    specs = [AttentionSpec(head_dim=64), AttentionSpec(head_dim=64, scale=0.3)]
    artifacts = attn.write_bundle(specs, str(tmp_path), chip="sm_80")
    names = sorted(os.listdir(tmp_path))
    assert names == sorted(entry_name(s, "sm_80") for s in specs)
    assert len(set(names)) == 2  # same name, different scale: different entries
    assert attn.find_artifact(specs[0], "sm_80") is None
    attn.add_bundle(str(tmp_path))
    assert attn.find_artifact(specs[1], "sm_80") == artifacts[1].path
    assert attn.find_artifact(specs[1], "sm_90a") is None


def test_bundle_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setattr(attn.bundle, "_bundles", [])
    spec = AttentionSpec(head_dim=128, causal=True)
    attn.write_bundle([spec], str(tmp_path))
    monkeypatch.setenv("ATTN_BUNDLE_PATH", str(tmp_path))
    assert attn.find_artifact(spec, "sm_80") == str(tmp_path / entry_name(spec, "sm_80"))


def test_missing_bundle_folder(tmp_path):
    with pytest.raises(ValueError, match="no such bundle folder"):
        attn.add_bundle(str(tmp_path / "nothing"))


def test_missing_library_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("ATTN_LIBRARY_PATH", str(tmp_path))
    with pytest.raises(attn.LibraryNotFoundError) as error:
        _native._load("libAttnNoSuchLibrary.so")
    assert str(tmp_path) in str(error.value) and "ATTN_LIBRARY_PATH" in str(error.value)


def test_artifact_load_needs_one_manifest(tmp_path):
    with pytest.raises(ValueError, match="expected one <kernel>.json"):
        attn.Artifact.load(str(tmp_path))
