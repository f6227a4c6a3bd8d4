# ===- attn_reference.py - float64 NumPy reference of tensor-level IR -------===#
#
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# ===------------------------------------------------------------------------===#
"""attn-cpu-run's float64 reference: a NumPy interpreter of tensor-level IR.

It reads a module in MLIR's generic form (`attn-opt --mlir-print-op-generic
-mlir-print-local-scope`) and evaluates one function on NumPy arrays, every
float in float64, so that the reference follows the whole function: work
before the attention (producers of Q, K and V, reshapes, broadcasts), the
attention itself, and work after it. It shares no code with the compiler:
`attn.attention` is evaluated from its definition (scores, mask, softmax;
with a paged K/V cache, each batch's keys gathered through its block table
up to its length), and every linalg op from its indexing maps and body.

Float casts (`arith.extf`, `arith.truncf`) are exact here: the reference is
the real-number result of the function on the rounded inputs, and the
tolerance accounts for the types the compiled code rounds to.

What it follows: func.func/func.call/func.return; arith and math ops on
scalars and tensors (float, integer and i32 tensors such as a block table);
tensor.empty, dim, cast, expand_shape, collapse_shape;
linalg.generic and the named structured ops (matmul, batch_matmul,
elementwise ops, fill, transpose, broadcast, reduce, softmax); attn.attention.
Anything else raises Unsupported naming the op.
"""

import re
import struct

import numpy as np


class Unsupported(Exception):
    """The function holds something this reference does not follow."""


class TooLarge(Exception):
    """A value of the reference would hold more elements than allowed."""


# ===-- The generic form -----------------------------------------------------===#


class Op:
    def __init__(self, name, results, operands, props, regions, result_types,
                 operand_types):
        self.name = name
        self.operand_types = operand_types
        self.results = results  # value names, "%3" or "%3#0", "%3#1"
        self.operands = operands
        self.props = props  # the text inside <{...}>
        self.regions = regions  # lists of Blocks
        self.result_types = result_types

    def prop(self, pattern):
        """The first group of `name = pattern` in the properties, or None."""
        m = re.search(pattern, self.props)
        return m.group(1) if m else None


class Block:
    def __init__(self, args, arg_types, ops):
        self.args, self.arg_types, self.ops = args, arg_types, ops


def split_top_level(text, sep=","):
    """Splits at `sep` outside brackets of any kind."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(<[{":
            depth += 1
        elif ch in ")>]}" and not (ch == ">" and text[i - 1] == "-"):
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


_CLOSE = {"(": ")", "[": "]", "{": "}"}


class _Parser:
    """Reads the generic form: one op per line, regions nested in braces."""

    def __init__(self, text):
        self.text, self.pos = text, 0

    def skip_space(self):
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at(self, token):
        self.skip_space()
        return self.text.startswith(token, self.pos)

    def expect(self, token):
        if not self.at(token):
            raise Unsupported("unreadable IR near '%s'" % self.text[self.pos:self.pos + 40])
        self.pos += len(token)

    def bracketed(self):
        """At an opening bracket: returns the text inside it, past the close."""
        self.skip_space()
        stack, start = [], self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == '"':
                self.pos += 1
                while self.text[self.pos] != '"':
                    self.pos += 2 if self.text[self.pos] == "\\" else 1
            elif ch in _CLOSE:
                stack.append(_CLOSE[ch])
            elif ch in ")]}":
                stack.pop()
                if not stack:
                    self.pos += 1
                    return self.text[start + 1:self.pos - 1]
            self.pos += 1
        raise Unsupported("unbalanced brackets in the IR")

    def op(self):
        results = []
        if self.at("%"):
            m = re.compile(r"(%[\w$.]+)(?::(\d+))?").match(self.text, self.pos)
            self.pos = m.end()
            name, count = m.group(1), m.group(2)
            results = [name] if count is None else ["%s#%d" % (name, i) for i in range(int(count))]
            self.expect("=")
        self.expect('"')
        end = self.text.index('"', self.pos)
        name, self.pos = self.text[self.pos:end], end + 1
        operands = split_top_level(self.bracketed())
        if self.at("["):
            raise Unsupported("'%s' has successors (unstructured control flow)" % name)
        props = ""
        if self.at("<{"):
            self.pos += 1
            props = self.bracketed()
            self.expect(">")
        regions = []
        if self.at("({"):
            self.pos += 1
            while True:
                regions.append(self.region())
                if not self.at(","):
                    break
                self.pos += 1
            self.expect(")")
        if self.at("{"):
            self.bracketed()  # discardable attributes: nothing the reference reads
        self.expect(":")
        line_end = self.text.find("\n", self.pos)
        signature = self.text[self.pos:line_end if line_end >= 0 else len(self.text)].strip()
        self.pos = line_end if line_end >= 0 else len(self.text)
        inputs, outputs = (part.strip() for part in signature.rsplit("->", 1))
        result_types = split_top_level(outputs[1:-1]) if outputs.startswith("(") else [outputs]
        operand_types = split_top_level(inputs[1:-1]) if inputs.startswith("(") else [inputs]
        return Op(name, results, operands, props, regions, result_types, operand_types)

    def region(self):
        self.expect("{")
        blocks = []
        while not self.at("}"):
            args, types = [], []
            if self.at("^"):
                self.pos = self.text.index("(", self.pos)
                for arg in split_top_level(self.bracketed()):
                    name, type_text = arg.split(":", 1)
                    args.append(name.strip())
                    types.append(type_text.strip())
                self.expect(":")
            ops = []
            while not self.at("}") and not self.at("^"):
                ops.append(self.op())
            blocks.append(Block(args, types, ops))
        self.expect("}")
        return blocks


def parse_module(generic_text):
    """The top-level op of a module printed in the generic form."""
    return _Parser(generic_text).op()


def parse_type(text):
    """(dims, element type) of a ranked tensor, (None, type) of a scalar."""
    m = re.fullmatch(r"tensor<((?:[0-9?]+x)*)(\w+)>", text.strip())
    if m:
        return [None if d == "?" else int(d) for d in m.group(1).split("x")[:-1]], m.group(2)
    if re.fullmatch(r"bf16|f16|f32|f64|index|i\d+", text.strip()):
        return None, text.strip()
    raise Unsupported("values of type '%s'" % text)


def walk_ops(blocks):
    """Every op of `blocks` and of the regions nested in them, in order."""
    for block in blocks:
        for op in block.ops:
            yield op
            for region in op.regions:
                yield from walk_ops(region)


def functions(module):
    """{name: func.func op} of a parsed module."""
    return {op.prop(r'sym_name = "([^"]+)"'): op
            for op in module.regions[0][0].ops if op.name == "func.func"}


def signature(func):
    """(argument types, result types) of a func.func, each as parse_type gives."""
    if not func.regions or not func.regions[0]:
        raise Unsupported("a declaration without a body")
    block = func.regions[0][0]
    results = re.search(r"function_type = \(.*?\) -> (\(.*?\)|[^,]+?)(?:, \w+ = |$)", func.props).group(1)
    results = split_top_level(results[1:-1]) if results.startswith("(") else [results]
    return [parse_type(t) for t in block.arg_types], [parse_type(t) for t in results]


# ===-- Attention from its definition ---------------------------------------===#


def visible(sq, skv, mask, left, right):
    """The boolean [Sq, Skv] mask, keys aligned to the bottom right."""
    delta = np.arange(skv)[None, :] - (np.arange(sq)[:, None] + (skv - sq))
    if mask == "causal":
        return delta <= 0
    if mask == "sliding_window":
        return (delta >= -left) & (delta <= right)
    return np.ones((sq, skv), dtype=bool)


def attention(q, k, v, params):
    """Attention in float64: O and LSE, with zeros / -inf for rows that see
    no key. `params` holds mask, left, right, scale and softcap."""
    hq, hkv = q.shape[1], k.shape[1]
    k = np.repeat(k, hq // hkv, axis=1)
    v = np.repeat(v, hq // hkv, axis=1)
    scale = params["scale"] if params["scale"] is not None else 1.0 / np.sqrt(q.shape[3])
    s = np.einsum("bhid,bhjd->bhij", q, k) * scale
    if params["softcap"] is not None:
        s = params["softcap"] * np.tanh(s / params["softcap"])
    s = np.where(visible(q.shape[2], k.shape[2], params["mask"], params["left"], params["right"]),
                 s, -np.inf)
    m = s.max(axis=-1, keepdims=True, initial=-np.inf)  # -inf without keys
    m_safe = np.where(np.isneginf(m), 0.0, m)
    p = np.exp(s - m_safe)
    l = p.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        o = np.where(l > 0, np.einsum("bhij,bhjd->bhid", p, v) / l, 0.0)
        lse = (m_safe + np.log(l))[..., 0]
    return o, lse


def paged_attention(q, k_cache, v_cache, block_table, cache_lengths, params):
    """Attention over a paged K/V cache in float64: batch b's Skv_b =
    cache_lengths[b] keys are rows j % page_size of pages block_table[b,
    j // page_size] of K [P, page_size, Hkv, D] and V [P, page_size, Hkv, Dv],
    and its masks align to Skv_b. Returns O, LSE and the longest length.
    Raises ValueError for a length outside [0, max_pages * page_size] or a
    page id read outside [0, P) (entries past a sequence's last page are not
    read)."""
    batch = q.shape[0]
    pages, page_size = k_cache.shape[:2]
    table = np.asarray(block_table).astype(np.int64)
    lengths = np.asarray(cache_lengths).astype(np.int64)
    if table.ndim != 2 or table.shape[0] != batch or lengths.shape != (batch,):
        raise ValueError("a block table of shape %s and cache lengths of shape %s for a batch "
                         "of %d" % (table.shape, lengths.shape, batch))
    limit = table.shape[1] * page_size
    o = np.zeros(q.shape[:3] + v_cache.shape[3:])
    lse = np.full(q.shape[:3], -np.inf)
    for b in range(batch):
        n = int(lengths[b])
        if not 0 <= n <= limit:
            raise ValueError("cache_lengths[%d] is %d, outside [0, %d] (%d pages of %d keys)"
                             % (b, n, limit, table.shape[1], page_size))
        ids = table[b, :-(-n // page_size)]
        for column, page in enumerate(ids):
            if not 0 <= page < pages:
                raise ValueError("block_table[%d, %d] is %d, not one of the %d pages of the cache"
                                 % (b, column, page, pages))
        k = k_cache[ids].reshape((-1,) + k_cache.shape[2:])[:n].transpose(1, 0, 2)
        v = v_cache[ids].reshape((-1,) + v_cache.shape[2:])[:n].transpose(1, 0, 2)
        o_b, lse_b = attention(q[b:b + 1], k[None], v[None], params)
        o[b], lse[b] = o_b[0], lse_b[0]
    return o, lse, int(lengths.max(initial=0))


def attention_operands(op, values):
    """(query, key, value, block_table, cache_lengths, outputs) of an
    attn.attention from `values`, one per operand (names or arrays), split by
    its operandSegmentSizes; the block table and lengths are None when K and
    V are not a paged cache."""
    segments = _int_array(op, "operandSegmentSizes") or [1, 1, 1, 0, 0, len(values) - 3]
    if len(segments) != 6 or segments[:3] != [1, 1, 1] or sum(segments) != len(values):
        raise Unsupported("'attn.attention' with operand segments %s for %d operands"
                          % (segments, len(values)))
    table = values[3] if segments[3] else None
    lengths = values[3 + segments[3]] if segments[4] else None
    return values[0], values[1], values[2], table, lengths, values[sum(segments[:5]):]


def _float_attr(text):
    return None if text is None else float_literal(text, "f32")


def attention_params(op):
    """mask, left, right, scale and softcap of an attn.attention op."""
    return {
        "mask": op.prop(r"\bmask = #attn<mask_kind (\w+)>") or "none",
        "left": int(op.prop(r"\bwindow_left = (-?\d+)") or 0),
        "right": int(op.prop(r"\bwindow_right = (-?\d+)") or 0),
        "scale": _float_attr(op.prop(r"\bscale = (\S+) : f32")),
        "softcap": _float_attr(op.prop(r"\bsoftcap = (\S+) : f32")),
    }


# ===-- Scalars and element-wise ops ----------------------------------------===#


def float_literal(text, ftype):
    """A float attribute's value: decimal, or the hexadecimal bit pattern."""
    if not text.startswith("0x"):
        return float(text)
    bits = int(text, 16)
    if ftype == "f64":
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    if ftype == "f16":
        return float(np.array([bits], dtype=np.uint16).view(np.float16)[0])
    if ftype == "bf16":
        bits <<= 16
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _scalar(text, etype):
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if etype.startswith(("f", "bf")):
        return float_literal(text, etype)
    return int(text)


def _numpy_type(etype):
    if etype == "i1":
        return np.bool_
    return np.float64 if etype.startswith(("f", "bf")) else np.int64


def constant(value_text, result_type):
    """The value of an arith.constant's `value` attribute."""
    dims, etype = parse_type(result_type)
    m = re.fullmatch(r"dense<(.*)> : .*", value_text, re.S)
    if dims is None:
        return _numpy_type(etype)(_scalar(value_text.rsplit(" : ", 1)[0], etype))
    if not m:
        raise Unsupported("a tensor constant written as '%s'" % value_text[:40])
    body = m.group(1).strip()
    if body.startswith('"0x'):
        raw = bytes.fromhex(body[3:-1])
        storage = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
                   "i32": np.int32, "i64": np.int64}.get(etype)
        if storage is None:
            raise Unsupported("a hexadecimal %s tensor constant" % etype)
        flat = np.frombuffer(raw, dtype=storage).astype(_numpy_type(etype))
        return np.broadcast_to(flat, dims).copy() if flat.size == 1 else flat.reshape(dims)
    if not body.startswith("["):
        return np.full(dims, _scalar(body, etype), dtype=_numpy_type(etype))
    items = re.findall(r"[^\[\],\s]+", body)
    return np.array([_scalar(x, etype) for x in items], dtype=_numpy_type(etype)).reshape(dims)


_CMPI = {0: np.equal, 1: np.not_equal, 2: np.less, 3: np.less_equal, 4: np.greater,
         5: np.greater_equal, 6: np.less, 7: np.less_equal, 8: np.greater, 9: np.greater_equal}
_CMPF_ORDERED = {1: np.equal, 2: np.greater, 3: np.greater_equal, 4: np.less,
                 5: np.less_equal, 6: np.not_equal}


def _cmpf(predicate, a, b):
    unordered = np.isnan(a) | np.isnan(b)
    if predicate == 0:
        return np.zeros(np.broadcast(a, b).shape, dtype=bool)
    if predicate == 15:
        return np.ones(np.broadcast(a, b).shape, dtype=bool)
    if predicate == 7:
        return ~unordered
    if predicate == 14:
        return unordered
    with np.errstate(invalid="ignore"):
        if predicate <= 6:
            return _CMPF_ORDERED[predicate](a, b) & ~unordered
        return _CMPF_ORDERED[predicate - 7](a, b) | unordered


def _width(type_text):
    """The bit width of an integer (or index) type or tensor of them."""
    _, etype = parse_type(type_text)
    return 64 if etype == "index" else int(etype[1:])


def _unsigned(x, width=64):
    """Integer values as the unsigned numbers their `width` bits hold."""
    x = np.asarray(x).astype(np.int64)
    if width >= 64:
        return x.astype(np.uint64)
    return (x & ((1 << width) - 1)).astype(np.uint64)


def _signed(x, width):
    """Unsigned results as the signed values of their `width` bits."""
    x = np.asarray(x).astype(np.uint64)
    if width >= 64:
        return x.astype(np.int64)
    x = x & np.uint64((1 << width) - 1)
    return np.where(x >= (1 << (width - 1)), x.astype(np.int64) - (1 << width),
                    x.astype(np.int64))


def _signed_bool(x):
    """i1 read as a signed integer: true is -1."""
    x = np.asarray(x)
    return np.where(x, -1, 0) if x.dtype == np.bool_ else x


# Element-wise ops: name -> function of the operand values (scalars or arrays).
_ELEMENTWISE = {
    "arith.addf": np.add, "arith.subf": np.subtract, "arith.mulf": np.multiply,
    "arith.divf": np.divide, "arith.negf": np.negative, "arith.remf": np.fmod,
    "arith.maximumf": np.maximum, "arith.minimumf": np.minimum,
    "arith.maxnumf": np.fmax, "arith.minnumf": np.fmin,
    "arith.addi": np.add, "arith.subi": np.subtract, "arith.muli": np.multiply,
    "arith.divsi": lambda a, b: np.trunc(np.divide(a, b)).astype(np.int64),
    "arith.remsi": np.fmod,
    "arith.maxsi": np.maximum, "arith.minsi": np.minimum,
    "arith.andi": np.bitwise_and, "arith.ori": np.bitwise_or, "arith.xori": np.bitwise_xor,
    "arith.select": np.where,
    "arith.extf": np.asarray, "arith.truncf": np.asarray,
    "arith.sitofp": lambda a: np.asarray(_signed_bool(a), dtype=np.float64),
    "arith.fptosi": lambda a: np.trunc(a).astype(np.int64),
    "arith.index_cast": np.asarray, "arith.extsi": lambda a: np.asarray(_signed_bool(a)),
    "math.exp": np.exp, "math.exp2": np.exp2, "math.log": np.log, "math.log2": np.log2,
    "math.tanh": np.tanh, "math.sqrt": np.sqrt, "math.rsqrt": lambda a: 1.0 / np.sqrt(a),
    "math.absf": np.abs,
}

# Combiners of reductions: the op whose one operand is the accumulator.
_COMBINE = {"arith.addf": np.add, "arith.addi": np.add, "arith.mulf": np.multiply,
            "arith.maximumf": np.maximum, "arith.maxnumf": np.fmax,
            "arith.minimumf": np.minimum, "arith.minnumf": np.fmin}


# ===-- The interpreter ------------------------------------------------------===#


class AffineMap:
    """A projection map: each result a dimension or the constant 0."""

    def __init__(self, text):
        m = re.fullmatch(r"affine_map<\(([^)]*)\)(?:\[[^\]]*\])? -> \(([^)]*)\)>", text.strip())
        if not m:
            raise Unsupported("the indexing map %s" % text)
        dims = [d.strip() for d in m.group(1).split(",") if d.strip()]
        self.ndims = len(dims)
        self.results = []
        for expr in (e.strip() for e in m.group(2).split(",") if e.strip()):
            if expr in dims:
                self.results.append(dims.index(expr))
            elif expr == "0":
                self.results.append(None)
            else:
                raise Unsupported("the indexing map %s (only dimensions and 0)" % text)

    @staticmethod
    def identity(rank):
        m = AffineMap("affine_map<() -> ()>")
        m.ndims, m.results = rank, list(range(rank))
        return m


def _maps(op, operand_count):
    text = op.prop(r"indexing_maps = \[(.*?)\](?:, \w+ = |$)")
    if text is None:
        return None
    maps = [AffineMap(t) for t in split_top_level(text)]
    if len(maps) != operand_count:
        raise Unsupported("'%s' with %d maps for %d operands" % (op.name, len(maps), operand_count))
    return maps


def _int_array(op, name):
    """The integers of an `array<i32: ...>` or `array<i64: ...>` property."""
    text = op.prop(r"\b%s = array<i(?:32|64)(?:: ([-\d, ]*))?>" % name)
    return [int(x) for x in text.split(",")] if text else []


class Interpreter:
    """Evaluates the functions of a parsed module in float64."""

    def __init__(self, module, max_elements):
        self.functions = functions(module)
        self.max_elements = max_elements
        # (Q, K, V shapes, params, lse array, page size) of each attn.attention
        # evaluated: K and V as their logical [B, Hkv, Skv, D] shapes (for a
        # paged cache, Skv its longest length), the page size None unless
        # they are a paged cache.
        self.attentions = []

    def call(self, name, args):
        func = self.functions.get(name)
        if func is None or not func.regions[0]:
            raise Unsupported("a call to @%s, which the module does not define" % name)
        block = func.regions[0][0]
        return self.run_block(block, dict(zip(block.args, args)))

    def run_block(self, block, env):
        """Runs the ops of `block` in `env`; returns the terminator's operands."""
        for op in block.ops:
            ins = [_lookup(env, v) for v in op.operands]
            if op.name == "func.return":
                return ins
            env.update(zip(op.results, self.evaluate(op, ins, env)))
        raise Unsupported("a function body without func.return")

    def check_size(self, op, shape):
        count = int(np.prod(shape, dtype=np.float64))
        if count > self.max_elements:
            raise TooLarge("'%s' would hold %d elements in the float64 reference, more than %d"
                           % (op.name, count, self.max_elements))

    def evaluate(self, op, ins, env):
        """The results of `op` on operand values `ins`; `env` holds the values
        defined around it, which a structured op's body may read."""
        name = op.name
        if op.regions and name.startswith("linalg.") and name not in (
                "linalg.fill", "linalg.transpose", "linalg.broadcast"):
            return self.structured(op, ins, env)
        method = getattr(self, "op_" + name.replace(".", "_"), None)
        if method is not None:
            return method(op, ins)
        fn = _ELEMENTWISE.get(name)
        if fn is None:
            raise Unsupported("'%s'" % name)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return [fn(*ins)]

    # -- func, arith, tensor

    def op_func_call(self, op, ins):
        return self.call(op.prop(r"callee = @([\w$.]+)"), ins)

    def op_arith_constant(self, op, ins):
        return [constant(op.prop(r"value = (.*)$"), op.result_types[0])]

    def op_arith_cmpi(self, op, ins):
        predicate = int(op.prop(r"predicate = (\d+)"))
        a, b = ins
        if predicate >= 6:  # ult, ule, ugt, uge
            width = 1 if np.asarray(a).dtype == np.bool_ else 64
            a, b = _unsigned(a, width), _unsigned(b, width)
        return [_CMPI[predicate](a, b)]

    def op_arith_divui(self, op, ins):
        width = _width(op.result_types[0])
        return [_signed(_unsigned(ins[0], width) // _unsigned(ins[1], width), width)]

    def op_arith_remui(self, op, ins):
        width = _width(op.result_types[0])
        return [_signed(_unsigned(ins[0], width) % _unsigned(ins[1], width), width)]

    def op_arith_uitofp(self, op, ins):
        return [_unsigned(ins[0], _width(op.operand_types[0])).astype(np.float64)]

    def op_arith_cmpf(self, op, ins):
        return [_cmpf(int(op.prop(r"predicate = (\d+)")), *ins)]

    def op_tensor_empty(self, op, ins):
        dims, etype = parse_type(op.result_types[0])
        dynamic = iter(int(x) for x in ins)
        shape = [d if d is not None else next(dynamic) for d in dims]
        self.check_size(op, shape)
        return [np.zeros(shape, dtype=_numpy_type(etype))]

    def op_tensor_dim(self, op, ins):
        return [np.int64(ins[0].shape[int(ins[1])])]

    def op_tensor_cast(self, op, ins):
        return [ins[0]]

    def op_tensor_collapse_shape(self, op, ins):
        groups = [[int(x) for x in g.split(",")] for g in
                  re.findall(r"\[([\d, ]*)\]", op.prop(r"reassociation = \[(.*)\]") or "")]
        shape = ins[0].shape
        return [ins[0].reshape([int(np.prod([shape[i] for i in g])) for g in groups])]

    def op_tensor_expand_shape(self, op, ins):
        dynamic = iter(int(x) for x in ins[1:])
        shape = [d if d >= 0 else next(dynamic) for d in _int_array(op, "static_output_shape")]
        return [ins[0].reshape(shape)]

    # -- linalg

    def op_linalg_fill(self, op, ins):
        return [np.full(ins[1].shape, ins[0], dtype=ins[1].dtype)]

    def op_linalg_transpose(self, op, ins):
        return [np.transpose(ins[0], _int_array(op, "permutation"))]

    def op_linalg_broadcast(self, op, ins):
        value = np.expand_dims(ins[0], tuple(_int_array(op, "dimensions")))
        return [np.broadcast_to(value, ins[1].shape)]


    def op_linalg_softmax(self, op, ins):
        axis = int(op.prop(r"dimension = (\d+)"))
        x = ins[0]
        m = x.max(axis=axis, keepdims=True)
        with np.errstate(invalid="ignore"):
            e = np.exp(x - m)
            return [e / e.sum(axis=axis, keepdims=True)]

    def structured(self, op, ins, env):
        """linalg.generic and the named ops that carry their body: maps from
        the op (contractions print theirs; linalg.reduce's follow from its
        dimensions), identity maps otherwise."""
        segments = _int_array(op, "operandSegmentSizes")
        count_in = segments[0] if segments else len(ins) - len(op.result_types)
        inputs, outputs = ins[:count_in], ins[count_in:]
        maps = _maps(op, len(ins))
        if op.name == "linalg.reduce":
            rank = inputs[0].ndim
            out_map = AffineMap.identity(rank)
            out_map.results = [d for d in range(rank) if d not in _int_array(op, "dimensions")]
            maps = [AffineMap.identity(rank)] * len(inputs) + [out_map] * len(outputs)
        elif maps is None:
            rank = outputs[0].ndim
            if any(np.ndim(x) not in (0, rank) for x in inputs):
                raise Unsupported("'%s' without indexing maps on operands of different ranks"
                                  % op.name)
            maps = [AffineMap.identity(rank)] * len(ins)
        return self.generic(op, inputs, outputs, maps, env)

    def generic(self, op, inputs, outputs, maps, outer):
        """Evaluates a structured op's body over its whole iteration space."""
        ndims = maps[0].ndims
        sizes = [None] * ndims
        for value, amap in zip(inputs + outputs, maps):
            for axis, dim in enumerate(amap.results):
                if dim is not None:
                    sizes[dim] = np.shape(value)[axis]
        if None in sizes:
            raise Unsupported("'%s' with a loop no operand sizes" % op.name)
        if any(d is None for m in maps[len(inputs):] for d in m.results):
            raise Unsupported("'%s' with a constant in an output's indexing map" % op.name)
        out_dims = {d for m in maps[len(inputs):] for d in m.results}
        reduced = tuple(d for d in range(ndims) if d not in out_dims)
        block = op.regions[0][0]
        yields = block.ops[-1]

        contraction = self.contraction(op, block, inputs, outputs, maps, reduced)
        if contraction is not None:
            return contraction
        self.check_size(op, sizes)

        def spread(value, amap):
            """`value` laid out over the iteration space (size-1 where absent)."""
            value = np.asarray(value)
            if value.ndim == 0:
                return value
            index = tuple(0 if d is None else slice(None) for d in amap.results)
            value = value[index]
            dims = [d for d in amap.results if d is not None]
            order = sorted(range(len(dims)), key=lambda i: dims[i])
            value = np.transpose(value, order)
            shape = [1] * ndims
            for d in dims:
                shape[d] = sizes[d]
            return value.reshape(shape)

        env = dict(outer)
        for arg, value, amap in zip(block.args, inputs, maps):
            env[arg] = spread(value, amap)
        for arg, value, amap in zip(block.args[len(inputs):], outputs, maps[len(inputs):]):
            env[arg] = None if reduced else spread(value, amap)
        for body_op in block.ops[:-1]:
            operands = [_lookup(env, v) for v in body_op.operands]
            if body_op.name == "linalg.index":
                dim = int(body_op.prop(r"dim = (\d+)"))
                shape = [1] * ndims
                shape[dim] = sizes[dim]
                env[body_op.results[0]] = np.arange(sizes[dim]).reshape(shape)
            elif any(x is None for x in operands):
                env.update((r, None) for r in body_op.results)
            else:
                env.update(zip(body_op.results, self.evaluate(body_op, operands, env)))

        results = []
        definers = {r: o for o in block.ops for r in o.results}
        for index, (value_name, init, amap) in enumerate(
                zip(yields.operands, outputs, maps[len(inputs):])):
            acc = block.args[len(inputs) + index]
            if reduced:
                combine = definers.get(value_name)
                if (combine is None or combine.name not in _COMBINE
                        or acc not in combine.operands or len(combine.operands) != 2):
                    raise Unsupported("'%s' whose reduction is not accumulator (+, *, max, min) "
                                      "value" % op.name)
                other = [v for v in combine.operands if v != acc]
                term = env[other[0]] if other else env[acc]
                if term is None:
                    raise Unsupported("'%s' whose reduced value reads the accumulator" % op.name)
                full = np.broadcast_to(term, sizes)
                folded = _COMBINE[combine.name].reduce(full, axis=reduced)
                kept = [d for d in range(ndims) if d not in reduced]
                folded = np.transpose(folded, [kept.index(d) for d in amap.results])
                results.append(_COMBINE[combine.name](init, folded))
            else:
                full = np.broadcast_to(env[value_name], sizes)
                results.append(np.transpose(full, amap.results).copy())
        return results

    def contraction(self, op, block, inputs, outputs, maps, reduced):
        """`acc + a * b` of the two inputs (maybe extended first), by einsum
        rather than over the whole iteration space; None for other bodies."""
        if len(inputs) != 2 or len(outputs) != 1 or not reduced or len(block.ops) < 3:
            return None
        source = {}
        for extend in block.ops[:-3]:
            if extend.name != "arith.extf" or extend.operands[0] not in block.args[:2]:
                return None
            source[extend.results[0]] = extend.operands[0]
        mul, add, yields = block.ops[-3:]
        acc = block.args[2]
        input_dims = {d for m in maps[:2] for d in m.results}
        if (yields.operands != [add.results[0]]
                or any(d not in input_dims for d in maps[2].results)
                or mul.name != "arith.mulf" or add.name != "arith.addf"
                or sorted(add.operands) != sorted([acc, mul.results[0]])
                or sorted(source.get(v, v) for v in mul.operands) != sorted(block.args[:2])):
            return None
        if any(d is None for m in maps for d in m.results):
            return None
        letters = "abcdefghijklmnopqrstuvwxyz"
        spec = "%s,%s->%s" % tuple("".join(letters[d] for d in m.results) for m in maps)
        return [outputs[0] + np.einsum(spec, inputs[0], inputs[1])]

    # -- attn

    def op_attn_attention(self, op, ins):
        q, k, v, table, lengths, _ = attention_operands(op, ins)
        params = attention_params(op)
        if table is None:
            o, lse = attention(q, k, v, params)
            self.attentions.append((q.shape, k.shape, v.shape, params, lse, None))
        else:
            o, lse, skv = paged_attention(q, k, v, table, lengths, params)
            batch, page_size, hkv = q.shape[0], k.shape[1], k.shape[2]
            self.attentions.append((q.shape, (batch, hkv, skv, k.shape[3]),
                                    (batch, hkv, skv, v.shape[3]), params, lse, page_size))
        return [o, lse][:len(op.result_types)]


def _lookup(env, name):
    if name not in env:
        raise Unsupported("a use of %s, defined where the reference does not look" % name)
    return env[name]

