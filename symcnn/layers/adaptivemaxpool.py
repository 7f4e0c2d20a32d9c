"""Adaptive max pooling to a fixed output size.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"out": (1, 1)}, Shape(512, 7, 7), Convention()).output
Shape(c=512, h=1, w=1)
"""

from __future__ import annotations

from .base import LayerKind, TorchHooks
from .common.families import ADAPTIVE_PARAMS, adaptive_derive, adaptive_from_module
from .common.torch_values import to_ints

KIND = LayerKind(
    name="adaptivemaxpool",
    doc="adaptive max pooling to a fixed output size (no parameters)",
    params=ADAPTIVE_PARAMS,
    derive=adaptive_derive,
    aliases=("adaptivemaxpool2d", "adaptive_maxpool"),
    torch=TorchHooks(
        modules=("AdaptiveMaxPool2d",),
        from_module=lambda m, shape_in=None, shape_out=None: adaptive_from_module("AdaptiveMaxPool2d", m),
        to_module=lambda a, row, nn: nn.AdaptiveMaxPool2d(to_ints(a["out"])),
    ),
    order=31,
    family="pool", label_words=(r"pool",), label_order=20,
)
