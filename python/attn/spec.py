"""Attention described by a few numbers instead of MLIR.

`AttentionSpec(...).ir()` writes the one-function module that the compiler
takes: an `attn.attention` on [B, H, S, D] tensors whose batch, head counts
and sequence lengths are dynamic unless the spec fixes the head counts.
"""
import math
from dataclasses import dataclass
from typing import Optional, Tuple

DTYPES = ("bf16", "f16", "f32")


def _positive_int(name, value, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _positive_float(name, value):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _float_text(value):
    """A float as MLIR reads it back exactly (repr round-trips)."""
    return repr(float(value))


# The head dims the sm_80 kernel builds: every multiple of 8 from 8 to 256
# (TargetInfo's kernel shape rule; rows are zero-padded to whole MMA steps).
# test_compile.py checks this against the compiler.
SM80_HEAD_DIMS = tuple(range(8, 257, 8))
# The head dims the sm_90a kernel builds: multiples of 64 up to 256 (tiles
# arrive by TMA in 64-column boxes of the 128-byte swizzle).
SM90A_HEAD_DIMS = (64, 128, 192, 256)
# The sm_100a kernel takes the same tiles by TMA: the same head dims.
SM100A_HEAD_DIMS = SM90A_HEAD_DIMS
# Packed GQA (decoding): the sm_80 kernel packs the query heads of a group
# into one tile for these groups (query heads per key/value head), when the
# head counts are static; the schedule packs on its own when Sq is static
# and at most DECODE_MAX_SEQ_Q. test_compile.py checks both against the
# compiler.
SM80_PACKED_GROUPS = (2, 4, 8)
DECODE_MAX_SEQ_Q = 16


def decode_kv_chunk(batch, kv_heads, seq_q, seq_kv, multiprocessors):
    """Keys per split-KV chunk for a packed decode step, or None for no
    split. A step of one query makes one CTA per (batch, key/value head);
    when they leave SMs idle, each is split into the power of two of chunks
    that brings them nearest two CTAs per SM from below, in power-of-two
    chunks (so that a growing cache reuses kernels). Measured on an H200
    (attn-run --bench, Hq 32, Hkv 8, D 128): at B = 8 four chunks of 2048
    keys take 0.082 ms against 0.143 unsplit (S = 8192), and at S = 32768
    0.26 against 0.55; at B >= 32 the unsplit grid already fills the GPU
    and splitting costs 6-25%, and at Sq = 16, where the step is heavier,
    it lost (0.16 against 0.14 ms)."""
    ctas = batch * kv_heads
    if seq_q != 1 or ctas == 0 or ctas >= multiprocessors:
        return None
    splits = 1 << ((2 * multiprocessors // ctas).bit_length() - 1)
    chunk = max(64, 1 << max(0, (-(-seq_kv // splits) - 1).bit_length()))
    return chunk if splits > 1 and chunk < seq_kv else None


def packs_group(group, head_dim):
    """Whether the sm_80 kernel packs a group of `group` query heads at
    `head_dim`: groups of SM80_PACKED_GROUPS, except that a group of 8 (eight
    warps) with head dims above 128 (32-key tiles) needs rows of an even
    number of 32-element pieces, so that a tile's chunks split evenly over
    its threads. test_compile.py checks this against the compiler."""
    if group not in SM80_PACKED_GROUPS:
        return False
    return group != 8 or head_dim <= 128 or -(-head_dim // 32) % 2 == 0


def packed_decode_shape(heads, kv_heads, seq_q, head_dim):
    """(heads, kv_heads, seq_q) of a call the packed sm_80 kernel takes (a
    decode step of 1 to DECODE_MAX_SEQ_Q queries in a group it packs at
    `head_dim`), whose kernel fixes them; (None, None, None) for other
    calls, whose kernel keeps them dynamic."""
    if 1 <= seq_q <= DECODE_MAX_SEQ_Q and kv_heads > 0 and heads % kv_heads == 0 and \
            packs_group(heads // kv_heads, head_dim):
        return heads, kv_heads, seq_q
    return None, None, None


def decode_fields(batch, heads, kv_heads, seq_q, seq_kv, head_dim, multiprocessors,
                  page_size=None):
    """What a call's spec fixes for decoding on a GPU of `multiprocessors`
    SMs, as AttentionSpec.for_call's keywords: the head counts and Sq of a
    step the packed sm_80 kernel takes (packed_decode_shape), and the
    kv_chunk decode_kv_chunk splits it into; all None for other calls. With
    a paged cache (`page_size`; `seq_kv` is then the block table's capacity)
    a chunk is rounded up to whole pages, and to whole K/V tiles. The one
    routing rule of attn.torch, its GPU tests and bench/decode.py."""
    heads, kv_heads, seq_q = packed_decode_shape(heads, kv_heads, seq_q, head_dim)
    chunk = None if heads is None else \
        decode_kv_chunk(batch, kv_heads, seq_q, seq_kv, multiprocessors)
    if chunk is not None and page_size is not None:
        unit = math.lcm(64, page_size)
        chunk = -(-chunk // unit) * unit
        if chunk >= seq_kv:
            chunk = None
    return {"heads": heads, "kv_heads": kv_heads, "seq_q": seq_q, "kv_chunk": chunk}


@dataclass(frozen=True)
class AttentionSpec:
    """What an attention kernel computes.

    head_dim: D of Q, K and V. dtype: "bf16", "f16" or "f32" (the output has
    the same). causal: bottom-right aligned causal mask (a query row i sees
    keys up to i + Skv - Sq). window: (left, right), a sliding window around
    that diagonal; exclusive with causal. scale: multiplies Q K^T, 1/sqrt(D)
    when None. softcap: scores become softcap * tanh(scores / softcap).
    lse: also return the natural-log log-sum-exp [B, H, Sq] in f32.
    heads, kv_heads: static head counts (GQA when kv_heads < heads); None
    keeps them dynamic, so one kernel serves every head count and ratio.
    gqa: query heads per key/value head, a shorthand that sets kv_heads from
    heads. seq_q: a static query length (None: dynamic); a decode step of at
    most DECODE_MAX_SEQ_Q queries with static heads in a group of
    SM80_PACKED_GROUPS packs a group's heads into one tile of the
    FlashAttention-2 kernel (sm_80, and built for sm_90a too).
    kv_chunk: split-KV (that kernel): keys per chunk, a multiple of the K/V
    tile; each chunk is its own CTA and the last of a tile merges them.
    page_size: a paged K/V cache (that kernel): K and V are [pages, page_size,
    Hkv, D] read through an int32 block table [B, max_pages] up to int32
    cache lengths [B], the layout of vLLM and FlashAttention; a kv_chunk is
    then a whole number of pages.
    """
    head_dim: int
    dtype: str = "bf16"
    causal: bool = False
    window: Optional[Tuple[int, int]] = None
    scale: Optional[float] = None
    softcap: Optional[float] = None
    lse: bool = False
    heads: Optional[int] = None
    kv_heads: Optional[int] = None
    gqa: Optional[int] = None
    seq_q: Optional[int] = None
    kv_chunk: Optional[int] = None
    page_size: Optional[int] = None

    def __post_init__(self):
        _positive_int("head_dim", self.head_dim)
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}")
        if not isinstance(self.causal, bool):
            raise ValueError(f"causal must be True or False, got {self.causal!r}")
        if self.window is not None:
            if self.causal:
                raise ValueError("pass causal or window, not both")
            if not isinstance(self.window, tuple) or len(self.window) != 2 or any(
                    isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in self.window):
                raise ValueError("window must be a pair (left, right) of non-negative "
                                 f"integers, got {self.window!r}")
        _positive_float("scale", self.scale)
        _positive_float("softcap", self.softcap)
        _positive_int("heads", self.heads, allow_none=True)
        _positive_int("kv_heads", self.kv_heads, allow_none=True)
        _positive_int("gqa", self.gqa, allow_none=True)
        _positive_int("seq_q", self.seq_q, allow_none=True)
        _positive_int("kv_chunk", self.kv_chunk, allow_none=True)
        _positive_int("page_size", self.page_size, allow_none=True)
        if self.page_size is not None and self.kv_chunk is not None and \
                self.kv_chunk % self.page_size:
            raise ValueError(f"kv_chunk {self.kv_chunk} is not a whole number of pages "
                             f"of {self.page_size} keys")
        if self.gqa is not None:
            if self.heads is None:
                raise ValueError("gqa needs heads (with dynamic heads every ratio works)")
            if self.kv_heads is not None and self.kv_heads * self.gqa != self.heads:
                raise ValueError(f"gqa {self.gqa} disagrees with heads {self.heads} "
                                 f"and kv_heads {self.kv_heads}")
            if self.heads % self.gqa:
                raise ValueError(f"heads {self.heads} is not a multiple of gqa {self.gqa}")
            object.__setattr__(self, "kv_heads", self.heads // self.gqa)
        if (self.heads is None) != (self.kv_heads is None):
            raise ValueError("give both heads and kv_heads (or gqa), or neither")
        if self.heads is not None and self.heads % self.kv_heads:
            raise ValueError(f"heads {self.heads} is not a multiple of kv_heads {self.kv_heads}")

    @classmethod
    def for_call(cls, head_dim, dtype, *, causal=False, window=None, scale=None,
                 softcap=None, lse=False, heads=None, kv_heads=None,
                 seq_q=None, kv_chunk=None, page_size=None) -> "AttentionSpec":
        """The spec of one attention call, with dynamic shapes unless given,
        spelled the one way that names a kernel: an explicit scale equal to
        the default 1/sqrt(D) is dropped and a window list becomes a
        tuple."""
        if isinstance(scale, (int, float)) and not isinstance(scale, bool) and \
                head_dim > 0 and scale == 1 / math.sqrt(head_dim):
            scale = None
        if isinstance(window, list):
            window = tuple(window)
        return cls(head_dim=head_dim, dtype=dtype, causal=causal, window=window,
                   scale=scale, softcap=softcap, lse=lse, heads=heads,
                   kv_heads=kv_heads, seq_q=seq_q, kv_chunk=kv_chunk,
                   page_size=page_size)

    @property
    def packs_gqa(self) -> bool:
        """Whether the FlashAttention-2 schedule (sm_80's, and sm_90a's for
        decoding) packs this spec's query heads by group
        (a decode step): static heads in a group it packs (packs_group) and
        a static Sq of at most DECODE_MAX_SEQ_Q."""
        return (self.heads is not None and self.seq_q is not None and
                self.seq_q <= DECODE_MAX_SEQ_Q and
                packs_group(self.heads // self.kv_heads, self.head_dim))

    @property
    def name(self) -> str:
        """A function name that says what the kernel computes."""
        parts = [f"attn_d{self.head_dim}_{self.dtype}"]
        if self.causal:
            parts.append("causal")
        if self.window is not None:
            parts.append(f"window{self.window[0]}_{self.window[1]}")
        if self.heads is not None:
            parts.append(f"h{self.heads}kv{self.kv_heads}")
        if self.seq_q is not None:
            parts.append(f"q{self.seq_q}")
        if self.kv_chunk is not None:
            parts.append(f"chunk{self.kv_chunk}")
        if self.page_size is not None:
            parts.append(f"page{self.page_size}")
        if self.scale is not None:
            parts.append("scaled")
        if self.softcap is not None:
            parts.append("softcap")
        if self.lse:
            parts.append("lse")
        return "_".join(parts)

    def ir(self) -> str:
        """The MLIR module: one function taking Q, K, V (and a paged cache's
        block table and lengths) and returning O (and the LSE)."""
        d, e = self.head_dim, self.dtype
        hq = "?" if self.heads is None else str(self.heads)
        hkv = "?" if self.kv_heads is None else str(self.kv_heads)
        sq = "?" if self.seq_q is None else str(self.seq_q)
        q, kv = f"tensor<?x{hq}x{sq}x{d}x{e}>", f"tensor<?x{hkv}x?x{d}x{e}>"
        pages, paged = "", ""
        if self.page_size is not None:
            kv = f"tensor<?x{self.page_size}x{hkv}x{d}x{e}>"
            table, lengths = "tensor<?x?xi32>", "tensor<?xi32>"
            pages = f", %table: {table}, %lengths: {lengths}"
            paged = f"      paged(%table, %lengths : {table}, {lengths})"
        lse = f"tensor<?x{hq}x{sq}xf32>"
        dims = ["%b"] + (["%h"] if self.heads is None else []) + \
            (["%s"] if self.seq_q is None else [])
        attrs = []
        if self.causal:
            attrs.append("causal")
        if self.window is not None:
            attrs.append(f"sliding_window(left = {self.window[0]}, right = {self.window[1]})")
        if self.scale is not None:
            attrs.append(f"scale({_float_text(self.scale)})")
        if self.softcap is not None:
            attrs.append(f"softcap({_float_text(self.softcap)})")
        results = f"{q}, {lse}" if self.lse else q
        lines = [
            f"func.func @{self.name}(%q: {q}, %k: {kv}, %v: {kv}{pages})"
            f" -> {'(' + results + ')' if self.lse else results} {{",
            "  %c0 = arith.constant 0 : index",
            "  %c1 = arith.constant 1 : index",
            "  %c2 = arith.constant 2 : index",
            f"  %b = tensor.dim %q, %c0 : {q}",
            f"  %h = tensor.dim %q, %c1 : {q}",
            f"  %s = tensor.dim %q, %c2 : {q}",
            f"  %init = tensor.empty({', '.join(dims)}) : {q}",
        ]
        if self.lse:
            lines.append(f"  %linit = tensor.empty({', '.join(dims)}) : {lse}")
            outs, out_types, ret = "%init, %linit", f"{q}, {lse}", "%o, %l"
            lines.append(f"  %o, %l = attn.attention {' '.join(attrs)}")
        else:
            outs, out_types, ret = "%init", q, "%o"
            lines.append(f"  %o = attn.attention {' '.join(attrs)}")
        lines += [
            f"      ins(%q, %k, %v : {q}, {kv}, {kv})",
        ] + ([paged] if paged else []) + [
            f"      outs({outs} : {out_types}) -> {out_types}",
            f"  return {ret} : {out_types}",
            "}",
            "",
        ]
        return "\n".join(lines)
