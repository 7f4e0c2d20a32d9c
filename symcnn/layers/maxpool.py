"""Max pooling (a sliding window with no parameters).

>>> from symcnn.convention import Convention
>>> d = KIND.derive(KIND.complete(k=3, s=2), Shape(96, 55, 55), Convention())
>>> d.output, d.weights
(Shape(c=96, h=27, w=27), 0)
>>> KIND.derive(KIND.complete(k=3, s=2, ceil=True), Shape(64, 112, 112), Convention()).output
Shape(c=64, h=56, w=56)
"""

from __future__ import annotations

from typing import Any

from .base import Args, Derivation, LayerKind, Shape, TorchHooks, window_forms
from .common.families import POOL_PARAMS, pool_derive, pool_from_call
from .common.torch_values import to_ints, torch_pair


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return pool_derive(a, x, convention, dilation_allowed=True)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    return dict(k=torch_pair(m.kernel_size), s=torch_pair(m.stride if m.stride is not None else m.kernel_size),
                p=torch_pair(m.padding), d=torch_pair(m.dilation), ceil=bool(m.ceil_mode))


def to_module(a: Args, row: Any, nn: Any) -> Any:
    k = to_ints(a["k"])
    s = to_ints(a["s"]) if a["s"] is not None else k
    return nn.MaxPool2d(k, s, to_ints(a["p"]), to_ints(a["d"]), ceil_mode=bool(a["ceil"]))


KIND = LayerKind(
    name="maxpool",
    doc="max pooling over K x K windows (no parameters)",
    params=POOL_PARAMS,
    derive=derive,
    aliases=("maxpool2d", "max_pool"),
    textbook=(("c", ("C_in",)), ("h", window_forms("H_in")), ("w", window_forms("W_in"))),
    torch=TorchHooks(
        modules=("MaxPool2d",),
        from_module=from_module,
        calls=("F.max_pool2d",),
        from_call=lambda node, shape_in, shape_out: pool_from_call(node, dilation=True),
        to_module=to_module,
    ),
    slips=("padding-forgotten",),
    order=20,
    family="pool", label_words=(r"pool", r"subsampl", r"^s\d+\b", r"^p\d+\b", r"downsampl"), label_order=20,
)
