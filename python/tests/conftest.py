import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A private compile cache for one test."""
    path = tmp_path / "cache"
    monkeypatch.setenv("ATTN_CACHE_DIR", str(path))
    return str(path)


@pytest.fixture
def example_ir():
    with open(os.path.join(ROOT, "examples", "attention.mlir")) as f:
        return f.read()
