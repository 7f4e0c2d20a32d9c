"""Adaptive average pooling to a fixed output size.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"out": (6, 6)}, Shape(256, 13, 13), Convention())
>>> d.output, d.window
(Shape(c=256, h=6, w=6), None)
>>> KIND.derive({"out": (1, 1)}, Shape(512, 7, 7), Convention()).window.kh
7
"""

from __future__ import annotations

from .base import LayerKind, TorchHooks
from .common.families import ADAPTIVE_PARAMS, adaptive_derive, adaptive_from_module
from .common.torch_values import call_arg, to_ints, torch_pair

KIND = LayerKind(
    name="adaptiveavgpool",
    doc="adaptive average pooling to a fixed output size (no parameters)",
    params=ADAPTIVE_PARAMS,
    derive=adaptive_derive,
    aliases=("adaptiveavgpool2d", "adaptive_avgpool"),
    torch=TorchHooks(
        modules=("AdaptiveAvgPool2d",),
        from_module=lambda m, shape_in=None, shape_out=None: adaptive_from_module("AdaptiveAvgPool2d", m),
        calls=("F.adaptive_avg_pool2d",),
        from_call=lambda node, shape_in, shape_out: dict(out=torch_pair(call_arg(node, 1, "output_size"))),
        to_module=lambda a, row, nn: nn.AdaptiveAvgPool2d(to_ints(a["out"])),
    ),
    order=30,
    family="pool", label_words=(r"pool",), label_order=20,
)
