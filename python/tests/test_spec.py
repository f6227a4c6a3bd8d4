"""AttentionSpec: validation, the IR it writes, and that the IR compiles."""
import pytest

import attn
from attn import AttentionSpec


def test_dynamic_heads_ir():
    ir = AttentionSpec(head_dim=128, causal=True, lse=True).ir()
    assert "func.func @attn_d128_bf16_causal_lse(%q: tensor<?x?x?x128xbf16>" in ir
    assert "%o, %l = attn.attention causal" in ir
    assert "tensor.empty(%b, %h, %s) : tensor<?x?x?xf32>" in ir
    assert "-> tensor<?x?x?x128xbf16>, tensor<?x?x?xf32>" in ir


def test_static_heads_from_gqa_ratio():
    spec = AttentionSpec(head_dim=64, dtype="f16", heads=8, gqa=4,
                         window=(100, 20), scale=0.3, softcap=30.0)
    assert spec.kv_heads == 2
    ir = spec.ir()
    assert "%q: tensor<?x8x?x64xf16>, %k: tensor<?x2x?x64xf16>" in ir
    assert "sliding_window(left = 100, right = 20) scale(0.3) softcap(30.0)" in ir
    assert "tensor.empty(%b, %s) : tensor<?x8x?x64xf16>" in ir
    assert spec.name == "attn_d64_f16_window100_20_h8kv2_scaled_softcap"


def test_decode_spec_ir_and_name():
    spec = AttentionSpec.for_call(128, "bf16", causal=True, heads=32, kv_heads=8, seq_q=1,
                                  kv_chunk=2048)
    assert spec.packs_gqa
    assert spec.name == "attn_d128_bf16_causal_h32kv8_q1_chunk2048"
    ir = spec.ir()
    assert "%q: tensor<?x32x1x128xbf16>, %k: tensor<?x8x?x128xbf16>" in ir
    assert "tensor.empty(%b) : tensor<?x32x1x128xbf16>" in ir


def test_paged_spec_ir_and_name():
    spec = AttentionSpec.for_call(128, "bf16", causal=True, heads=32, kv_heads=8, seq_q=1,
                                  kv_chunk=2048, page_size=64)
    assert spec.name == "attn_d128_bf16_causal_h32kv8_q1_chunk2048_page64"
    ir = spec.ir()
    assert ("%k: tensor<?x64x8x128xbf16>, %v: tensor<?x64x8x128xbf16>, "
            "%table: tensor<?x?xi32>, %lengths: tensor<?xi32>") in ir
    assert "paged(%table, %lengths : tensor<?x?xi32>, tensor<?xi32>)" in ir


def test_paged_decode_chunks_are_whole_pages():
    from attn.spec import decode_fields
    # 2048-key chunks hold whole pages of 64 and of 256 keys; pages of 48
    # round a chunk up to 2112 keys (tiles of 64 and pages of 48).
    assert decode_fields(8, 32, 8, 1, 8192, 128, 132, page_size=64)["kv_chunk"] == 2048
    assert decode_fields(8, 32, 8, 1, 8192, 128, 132, page_size=256)["kv_chunk"] == 2048
    assert decode_fields(8, 32, 8, 1, 8160, 128, 132, page_size=48)["kv_chunk"] == 2112
    # A chunk as long as the whole cache is no split.
    assert decode_fields(8, 32, 8, 1, 4096, 128, 132, page_size=4096)["kv_chunk"] is None


def test_packed_decode_shape():
    from attn.spec import packed_decode_shape
    assert packed_decode_shape(32, 8, 1, 128) == (32, 8, 1)
    assert packed_decode_shape(16, 2, 16, 64) == (16, 2, 16)
    assert packed_decode_shape(32, 8, 17, 128) == (None, None, None)   # not a decode step
    assert packed_decode_shape(24, 8, 1, 128) == (None, None, None)    # a group of 3
    assert packed_decode_shape(32, 32, 1, 128) == (None, None, None)   # nothing to pack
    assert packed_decode_shape(32, 8, 0, 128) == (None, None, None)    # no query
    assert packed_decode_shape(16, 2, 1, 160) == (None, None, None)
    assert packed_decode_shape(16, 2, 1, 192) == (16, 2, 1)


def test_decode_kv_chunk():
    from attn.spec import decode_kv_chunk
    # 64 CTAs on 132 SMs: 4 chunks (two CTAs an SM from below), power-of-two
    # keys each, so the kernel holds while the cache grows.
    assert decode_kv_chunk(8, 8, 1, 8192, 132) == 2048
    assert decode_kv_chunk(8, 8, 1, 8000, 132) == 2048
    assert decode_kv_chunk(8, 8, 1, 32768, 132) == 8192
    assert decode_kv_chunk(16, 8, 1, 8192, 132) == 4096
    # Enough CTAs already, several queries, or a cache of one chunk: no split.
    assert decode_kv_chunk(32, 8, 1, 8192, 132) is None
    assert decode_kv_chunk(8, 8, 16, 8192, 132) is None
    assert decode_kv_chunk(8, 8, 1, 64, 132) is None
    assert decode_kv_chunk(1, 1, 1, 100, 132) == 64


def test_for_call_drops_the_default_scale():
    assert AttentionSpec.for_call(64, "bf16", scale=0.125) == AttentionSpec(head_dim=64)
    assert AttentionSpec.for_call(64, "bf16", scale=0.3).scale == 0.3
    assert AttentionSpec.for_call(64, "bf16", window=[3, 4]).window == (3, 4)


def test_scale_text_round_trips():
    spec = AttentionSpec(head_dim=64, scale=0.1)
    assert "scale(0.1)" in spec.ir()


@pytest.mark.parametrize("spec", [
    AttentionSpec(head_dim=64),
    AttentionSpec(head_dim=128, causal=True, lse=True),
    AttentionSpec(head_dim=256, window=(7, 0)),
    AttentionSpec(head_dim=64, dtype="f16", scale=0.3, softcap=30.0),
    AttentionSpec(head_dim=128, heads=8, kv_heads=2, causal=True),
    AttentionSpec(head_dim=64, heads=16, kv_heads=2, seq_q=1, page_size=16, lse=True),
], ids=lambda s: s.name)
def test_spec_ir_compiles(spec, cache_dir):
    artifact = attn.compile(spec, "sm_80", with_cubin=False)
    assert artifact.kernel == spec.name
    assert "mma.sync.aligned.m16n8k16" in artifact.ptx
    assert artifact.manifest["attention"]["lse"] == spec.lse
    pages = 2 if spec.page_size else 0
    assert len(artifact.manifest["params"]) == (5 if spec.lse else 4) + pages
    names = [t["name"] for t in artifact.manifest["tensors"]]
    assert ("block_table" in names) == bool(pages)
    assert artifact.manifest["attention"].get("paged", False) == bool(pages)


@pytest.mark.parametrize("kwargs, message", [
    (dict(head_dim=0), "head_dim must be a positive integer"),
    (dict(head_dim=64.0), "head_dim must be a positive integer"),
    (dict(head_dim=64, dtype="fp8"), "dtype must be one of bf16, f16, f32"),
    (dict(head_dim=64, causal=True, window=(1, 1)), "causal or window, not both"),
    (dict(head_dim=64, window=(-1, 0)), "window must be a pair"),
    (dict(head_dim=64, window=(1, 2, 3)), "window must be a pair"),
    (dict(head_dim=64, scale=-1.0), "scale must be a positive finite number"),
    (dict(head_dim=64, softcap=float("nan")), "softcap must be a positive finite number"),
    (dict(head_dim=64, gqa=2), "gqa needs heads"),
    (dict(head_dim=64, heads=8, gqa=3), "not a multiple of gqa"),
    (dict(head_dim=64, heads=8), "give both heads and kv_heads"),
    (dict(head_dim=64, heads=8, kv_heads=3), "not a multiple of kv_heads"),
    (dict(head_dim=64, heads=8, kv_heads=2, gqa=2), "disagrees"),
    (dict(head_dim=64, causal=1), "causal must be True or False"),
    (dict(head_dim=64, seq_q=0), "seq_q must be a positive integer"),
    (dict(head_dim=64, kv_chunk=-64), "kv_chunk must be a positive integer"),
    (dict(head_dim=64, page_size=0), "page_size must be a positive integer"),
    (dict(head_dim=64, page_size=48, kv_chunk=1024), "not a whole number of pages of 48"),
])
def test_spec_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AttentionSpec(**kwargs)
