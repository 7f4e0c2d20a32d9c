"""Multi-head self-attention on a sequence of L tokens of width E with h heads
(``nn.MultiheadAttention(E, h)`` called as ``attn(x, x, x)``).

Parameters: the query, key and value projections (3 E^2 weights, 3E biases) and the
output projection (E^2 + E): 4E^2 + 4E.  Multiply-adds: the three projections and the
output projection, L E^2 each; the scores Q K^T, h heads of L x (E/h) by (E/h) x L,
L^2 E; the weighted sum of the values, L^2 E again: 4 L E^2 + 2 L^2 E.  The L^2 E terms
are why attention's cost grows with the square of the sequence.  The softmax (an exp,
a sum and a divide per score, h L^2 scores) and the scaling of the scores (h L^2) are
other operations.

>>> import sympy as sp
>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> L, E = sp.symbols("L E", integer=True, positive=True)
>>> d = KIND.derive({"heads": 12, "bias": True, "e": None}, Shape(E, L, 1, "seq"), Convention())
>>> d.weights + d.biases, sp.factor(d.macs)
(4*E**2 + 4*E, 2*E*L*(2*E + L))

BEiT's: biases on the queries and values only, and a learned relative position bias of
T entries per head (Th more weights; the bias adds h L^2 other operations):

>>> b = KIND.derive({"heads": 12, "bias": True, "kbias": False, "table": 732, "e": None}, Shape(E, L, 1, "seq"),
...                 Convention())
>>> b.weights + b.biases
4*E**2 + 3*E + 8784
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import check_divides, check_match, check_positive

PARAMS = (
    Param("heads", "number of heads", aliases=("h", "num_heads"), positional=True, symbol="h"),
    Param("bias", "learned biases in the projections", default=True, kind="bool"),
    Param("e", "embedding width, checked against the input", default=None, aliases=("embed_dim", "E"),
          symbol="E", declared=True),
    Param("kbias", "a learned bias on the keys too (BEiT and EVA learn the query's and the value's only)",
          default=True, kind="bool"),
    Param("table", "entries per head of a learned relative position bias table (BEiT: (2w-1)^2 + 3)", default=0,
          symbol="T"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "seq":
        raise DerivationError(f"attention: the input must be a token sequence, got {x} (add 'tokens' before it)")
    e, n, h = x.c, x.h, a["heads"]
    check_positive("heads", h)
    check_divides("embedding width / heads", e, h)
    check_match("embed_dim", a.get("e"), e)
    table = a.get("table", ZERO)
    biased = (4 if a.get("kbias", True) else 3) * e if a["bias"] else ZERO
    return Derivation(
        output=x,
        weights=4 * e**2 + table * h,
        biases=biased,
        macs=4 * n * e**2 + 2 * n**2 * e,
        bias_adds=n * biased,
        other_ops=4 * h * n**2 + (h * n**2 if table != 0 else ZERO),
        window=None,
    )


#: the parameters a qkv attention module may hold: its projections, BEiT's and EVA's separate query and value biases,
#: and a relative position bias table
_QKV_PARAMS = frozenset({"qkv.weight", "qkv.bias", "proj.weight", "proj.bias", "q_bias", "v_bias",
                         "relative_position_bias_table"})


def _from_qkv_module(m: Any) -> Args:
    """A module holding one qkv Linear (E -> 3E) and a proj Linear (E -> E), attending over every token: timm's
    Attention (ViT, DeiT, ...) and BEiT's (separate query and value biases, a relative position bias table). Anything
    more (a norm on the queries and keys, another head width, a gate, biases on one projection only, a parameter of
    another name) is refused by name."""
    name = type(m).__name__
    e = m.qkv.in_features
    held = {n for n, _ in m.named_parameters()}
    if held - _QKV_PARAMS:
        raise SymcnnError(f"{name} with parameters attention does not read: {', '.join(sorted(held - _QKV_PARAMS))}")
    extra = [n for n in ("q_norm", "k_norm", "norm")
             if type(getattr(m, n, None)).__name__ not in ("Identity", "NoneType")]
    if extra:
        raise SymcnnError(f"{name} with a norm inside ({', '.join(extra)}): not read")
    if getattr(m, "gate", None) is not None:
        raise SymcnnError(f"{name} with a gate: not read")
    if m.qkv.out_features != 3 * e or m.proj.in_features != e or m.proj.out_features != e or \
            e % m.num_heads or m.num_heads * getattr(m, "head_dim", e // m.num_heads) != e:
        raise SymcnnError(f"{name} whose heads or output are not {e} wide: not read")
    separate = getattr(m, "q_bias", None) is not None
    if separate and (m.qkv.bias is not None or getattr(m, "v_bias", None) is None):
        raise SymcnnError(f"{name} with a qkv bias and separate query or value biases: not read")
    if separate and getattr(m, "qkv_bias_separate", False):
        raise SymcnnError(f"{name} adding its biases after the projection: not read")
    qkv_biased = m.qkv.bias is not None or separate
    if qkv_biased != (m.proj.bias is not None):
        raise SymcnnError(f"{name} with biases on one projection only: not read")
    args: dict[str, Any] = dict(heads=sp.Integer(m.num_heads), bias=qkv_biased, e=sp.Integer(e))
    if separate:
        args["kbias"] = False
    table = getattr(m, "relative_position_bias_table", None)
    if table is not None:
        if table.dim() != 2 or table.shape[1] != m.num_heads:
            raise SymcnnError(f"{name} with a relative position table of shape {list(table.shape)}: not read")
        args["table"] = sp.Integer(table.shape[0])
    return args


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if hasattr(m, "qkv") and hasattr(m, "proj"):
        return _from_qkv_module(m)
    if not m._qkv_same_embed_dim:
        raise SymcnnError("attention with key or value widths other than the embedding width is not supported")
    if m.bias_k is not None or m.add_zero_attn:
        raise SymcnnError("attention with add_bias_kv or add_zero_attn is not supported")
    if not m.batch_first:
        raise SymcnnError("attention with batch_first=False (sequence first) is not supported")
    return dict(heads=sp.Integer(m.num_heads), bias=m.in_proj_bias is not None, e=sp.Integer(m.embed_dim))


KIND = LayerKind(
    name="attention", doc="multi-head self-attention: 4E^2 + 4E parameters, 4LE^2 + 2L^2E multiply-adds",
    params=PARAMS, derive=derive, aliases=("mha", "selfattention", "self_attention"),
    textbook=(("weights", ("4*C_in**2",)), ("biases", ("4*C_in",)), ("macs", ("4*H_in*C_in**2 + 2*H_in**2*C_in",))),
    # timm's Attention by its qualified name: read whole (its scores go through scaled_dot_product_attention or
    # explicit matmuls; either way 2 L^2 E multiply-adds, as torch's dispatcher counts them)
    torch=TorchHooks(modules=("MultiheadAttention", "timm.layers.attention.Attention", "timm.models.beit.Attention"),
                     from_module=from_module),
    layouts=("seq",), order=63,
)
