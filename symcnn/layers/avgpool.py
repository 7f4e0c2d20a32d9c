"""Average pooling (a sliding window with no parameters).

>>> from symcnn.convention import Convention
>>> KIND.derive(KIND.complete(k=2, s=2), Shape(6, 28, 28), Convention()).output
Shape(c=6, h=14, w=14)
"""

from __future__ import annotations

from typing import Any

from .base import Args, Derivation, LayerKind, Shape, TorchHooks, window_forms
from .common.families import POOL_PARAMS, pool_derive, pool_from_call
from .common.torch_values import to_ints, torch_pair


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return pool_derive(a, x, convention, dilation_allowed=False)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    return dict(k=torch_pair(m.kernel_size), s=torch_pair(m.stride if m.stride is not None else m.kernel_size),
                p=torch_pair(m.padding), ceil=bool(m.ceil_mode))


def to_module(a: Args, row: Any, nn: Any) -> Any:
    k = to_ints(a["k"])
    s = to_ints(a["s"]) if a["s"] is not None else k
    return nn.AvgPool2d(k, s, to_ints(a["p"]), ceil_mode=bool(a["ceil"]))


KIND = LayerKind(
    name="avgpool",
    doc="average pooling over K x K windows (no parameters)",
    params=tuple(p for p in POOL_PARAMS if p.name != "d"),
    derive=derive,
    aliases=("avgpool2d", "avg_pool"),
    textbook=(("c", ("C_in",)), ("h", window_forms("H_in")), ("w", window_forms("W_in"))),
    torch=TorchHooks(
        modules=("AvgPool2d",),
        from_module=from_module,
        calls=("F.avg_pool2d",),
        from_call=lambda node, shape_in, shape_out: pool_from_call(node, dilation=False),
        to_module=to_module,
    ),
    slips=("padding-forgotten",),
    order=21,
    family="pool", label_words=(r"pool", r"subsampl", r"^s\d+\b", r"downsampl"), label_order=20,
)
