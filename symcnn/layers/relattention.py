"""Multi-head self-attention within each group of a G x N x C layout (MaxViT's block and
grid attention), with a learned relative position bias over the p x p block
((2p-1)^2 entries per head; N = p^2).

Parameters: the query, key and value projection (3C^2 + 3C), the merge (C^2 + C) and
the bias table ((2p-1)^2 h).  Multiply-adds, G groups of N tokens: the projections
4 G N C^2, the scores and the weighted sum 2 G N^2 C.

From PyTorch: torchvision's ``RelativePositionalMultiHeadAttention``.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"heads": 2, "p": 7, "bias": True}, Shape(64, 64, 49, "win"), Convention())
>>> d.weights, d.macs == 4 * 64 * 49 * 64**2 + 2 * 64 * 49**2 * 64
(16722, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import check_divides, check_match, check_positive

PARAMS = (
    Param("heads", "number of heads", aliases=("h", "num_heads"), positional=True, symbol="h"),
    Param("p", "block side (N = p^2 tokens per group)", positional=True, symbol="p"),
    Param("bias", "learned biases in the projections", default=True, kind="bool"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout != "win":
        raise DerivationError(f"relattention: the input must be groups of tokens (partition first), got {x}")
    c, g, n, h, p = x.c, x.h, x.w, a["heads"], a["p"]
    check_positive("heads", h)
    check_divides("channels / heads", c, h)
    check_match("tokens per group (p^2)", p**2, n)
    return Derivation(
        output=x,
        weights=4 * c**2 + (2 * p - 1) ** 2 * h,
        biases=4 * c if a["bias"] else ZERO,
        macs=4 * g * n * c**2 + 2 * g * n**2 * c,
        bias_adds=4 * g * n * c if a["bias"] else ZERO,
        other_ops=3 * g * h * n**2,
        window=None,
    )


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if m.n_heads * m.head_dim != m.merge.in_features or (m.to_qkv.bias is None) != (m.merge.bias is None):
        raise SymcnnError("a relative-position attention with other projection shapes is not read")
    return dict(heads=sp.Integer(m.n_heads), p=sp.Integer(m.size), bias=m.to_qkv.bias is not None)


KIND = LayerKind(
    name="relattention", doc="attention within groups of p x p tokens, relative position bias: "
    "4C^2 + (2p-1)^2 h weights", params=PARAMS, derive=derive, aliases=("maxvit_attention",),
    torch=TorchHooks(
        modules=("torchvision.models.maxvit.RelativePositionalMultiHeadAttention",),
        from_module=from_module,
    ),
    layouts=("win",), order=64.5)
