"""Global response normalisation (ConvNeXt V2): each channel's L2 norm over the map, divided by
the mean of those norms over the channels, scales the input; a learned scale and shift per
channel (2C parameters), and the input added back.

Other operations, per element: a square for the norms, the product with the normalised
response, the scale, the shift and the residual add (5 H W C), and the sums of the squares
(H W C); per channel: a square root, the mean over channels and a division (3C).  No
multiply-adds of a convolution or linear layer.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"c": None}, Shape(40, 56, 56, "hwc"), Convention())
>>> d.weights, d.biases, d.macs, d.other_ops == 6 * 40 * 56 * 56 + 3 * 40
(40, 40, 0, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import check_match

PARAMS = (
    Param("c", "channels, checked against the input", default=None, aliases=("channels", "dim"), symbol="C",
          declared=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    if x.layout not in ("chw", "hwc"):
        raise DerivationError(f"grn: the input must be a map, got {x}")
    check_match("channels", a.get("c"), x.c)
    return Derivation(output=x, weights=x.c, biases=x.c, other_ops=6 * x.elements + 3 * x.c, window=None)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    held = {n for n, _ in m.named_parameters(recurse=False)}
    if held != {"weight", "bias"} or m.weight.dim() != 1:
        raise SymcnnError(f"{type(m).__name__} with parameters {sorted(held)}: not read")
    channels_last = tuple(getattr(m, "spatial_dim", ())) == (1, 2)
    if shape_in is not None and len(shape_in) == 4 and shape_in[3 if channels_last else 1] != m.weight.shape[0]:
        raise SymcnnError(f"{type(m).__name__}: its {m.weight.shape[0]} channels are not the input's")
    return {"c": sp.Integer(m.weight.shape[0])}


KIND = LayerKind(
    name="grn", doc="global response normalisation (ConvNeXt V2): a scale and shift per channel (2C parameters)",
    params=PARAMS, derive=derive, aliases=("globalresponsenorm",),
    textbook=(("weights", ("C_in",)), ("biases", ("C_in",))),
    torch=TorchHooks(modules=("timm.layers.grn.GlobalResponseNorm",), from_module=from_module),
    layouts=("hwc", "chw"), order=62, family="norm", label_words=(r"\bgrn\b", r"response\s*norm"), label_order=40,
)
