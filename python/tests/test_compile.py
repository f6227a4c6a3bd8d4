"""attn.compile through the compiler's C library: artifacts and errors."""
import os

import pytest

import attn
from attn import AttentionSpec, CompileError
from attn.compiler import _ptxas_path

needs_ptxas = pytest.mark.skipif(_ptxas_path(None, None) is None, reason="no ptxas")


@needs_ptxas
def test_example_to_artifact(example_ir, tmp_path):
    out = str(tmp_path / "art")
    artifact = attn.compile(example_ir, "sm_80", output=out)
    assert artifact.path == out and artifact.kernel == "attention"
    assert sorted(os.listdir(out)) == ["attention.cubin", "attention.json", "attention.ptx"]
    assert artifact.chip == "sm_80"
    assert ".target sm_80" in artifact.ptx
    assert "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32" in artifact.ptx
    assert "cp.async.wait_group \t1;" in artifact.ptx
    assert artifact.cubin[:4] == b"\x7fELF"
    assert artifact.manifest["attention"]["mask"] == "causal"
    assert [t["name"] for t in artifact.manifest["tensors"]] == ["query", "key", "value", "output"]
    assert [p["kind"] for p in artifact.manifest["params"]] == ["memref"] * 4


def test_ptx_only(example_ir, cache_dir):
    artifact = attn.compile(example_ir, with_cubin=False)
    assert artifact.cubin == b""
    assert artifact.path.startswith(cache_dir)


def test_malformed_ir_is_located():
    with pytest.raises(CompileError) as error:
        attn.compile("func.func @f( {", cache=False, source_name="bad.mlir")
    assert error.value.diagnostics.startswith("bad.mlir:1:")
    assert "error:" in str(error.value)


def test_unknown_chip(example_ir, cache_dir):
    with pytest.raises(CompileError, match="unknown chip 'sm_75'"):
        attn.compile(example_ir, "sm_75")


def test_unsupported_head_dim_names_the_spec(cache_dir):
    with pytest.raises(CompileError) as error:
        attn.compile(AttentionSpec(head_dim=12))
    assert "attn_d12_bf16.mlir:" in error.value.diagnostics
    assert "12" in error.value.diagnostics


def test_torch_head_dims_are_what_the_compiler_builds(cache_dir):
    # attn.torch's promise, against the compiler: every head dim it lists
    # compiles to PTX, and the ones between do not reach a kernel.
    from attn.spec import SM80_HEAD_DIMS
    for d in range(4, 261, 4):
        if d in SM80_HEAD_DIMS:
            assert attn.compile(AttentionSpec(head_dim=d), with_cubin=False).ptx
            continue
        with pytest.raises((CompileError, ValueError)):
            attn.compile(AttentionSpec(head_dim=d), with_cubin=False)


@pytest.mark.parametrize("chip", ["sm_90a", "sm_100a"])
def test_tma_kernel_head_dims_are_what_the_compiler_builds(cache_dir, chip):
    # attn.torch sends these head dims to the sm_90a kernel on Hopper (and,
    # with ATTN_CHIP=sm_100a, to the sm_100a kernel): each compiles for its
    # chip, and the multiples of 16 between them do not.
    from attn.spec import SM90A_HEAD_DIMS, SM100A_HEAD_DIMS
    dims = {"sm_90a": SM90A_HEAD_DIMS, "sm_100a": SM100A_HEAD_DIMS}[chip]
    for d in range(16, 257, 16):
        if d in dims:
            assert attn.compile(AttentionSpec(head_dim=d), chip=chip,
                                with_cubin=False).ptx
            continue
        with pytest.raises(CompileError, match="multiples of 64"):
            attn.compile(AttentionSpec(head_dim=d), chip=chip, with_cubin=False)


def test_packed_groups_are_what_the_compiler_packs(cache_dir):
    # attn.torch sends decode steps of these groups to the packed
    # FlashAttention-2 kernel (sm_80's, and sm_90a's build of it): its grid
    # runs over key/value heads (the key's dim 1) exactly when the spec says
    # it packs, and Sq past DECODE_MAX_SEQ_Q is not packed.
    from attn.spec import DECODE_MAX_SEQ_Q, SM80_PACKED_GROUPS
    for chip in ("sm_80", "sm_90a"):
        for group in range(1, 9):
            for seq_q in (1, DECODE_MAX_SEQ_Q, DECODE_MAX_SEQ_Q + 1):
                spec = AttentionSpec(head_dim=64, heads=2 * group, kv_heads=2, seq_q=seq_q)
                grid = attn.compile(spec, chip, with_cubin=False).manifest["grid"]
                assert (grid[1]["tensor"] == 1) == spec.packs_gqa, (chip, group, seq_q)
                assert spec.packs_gqa == (group in SM80_PACKED_GROUPS and
                                          seq_q <= DECODE_MAX_SEQ_Q)
    # Head dims where eight warps' 32-key tiles split unevenly are not packed.
    for group in SM80_PACKED_GROUPS:
        for d in (136, 160, 168, 192, 200, 224, 256):
            spec = AttentionSpec(head_dim=d, heads=2 * group, kv_heads=2, seq_q=1)
            grid = attn.compile(spec, with_cubin=False).manifest["grid"]
            assert (grid[1]["tensor"] == 1) == spec.packs_gqa, (group, d)


def test_f32_has_no_tensor_core_schedule(cache_dir):
    with pytest.raises(CompileError, match="no tensor-core schedule for 'f32' on sm_80"):
        attn.compile(AttentionSpec(head_dim=64, dtype="f32"))


def test_failed_compile_leaves_no_cache_entry(cache_dir):
    with pytest.raises(CompileError):
        attn.compile(AttentionSpec(head_dim=64, dtype="f32"))
    assert os.listdir(cache_dir) == []


def test_wrong_argument_types():
    with pytest.raises(TypeError, match="MLIR text or an AttentionSpec"):
        attn.compile(42)
    with pytest.raises(TypeError, match="chip must be a string"):
        attn.compile(AttentionSpec(head_dim=64), chip=80)


def test_unwritable_output(example_ir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises((CompileError, OSError)):
        attn.compile(example_ir, output=str(blocker / "art"), with_cubin=False)
