"""Adaptive average (and max) pooling to a fixed output size.

When the input size is a multiple of the output size the windows are uniform
(kernel = stride = input/output) and the receptive field follows; otherwise
PyTorch uses windows of varying size and the receptive field is marked
unknown rather than guessed.

>>> from symcnn.convention import Convention
>>> d = ADAPTIVE_AVG.derive({"out": (6, 6)}, Shape(256, 13, 13), Convention())
>>> d.output, d.window
(Shape(c=256, h=6, w=6), None)
>>> ADAPTIVE_AVG.derive({"out": (1, 1)}, Shape(512, 7, 7), Convention()).window.kh
7
"""

from __future__ import annotations


from .base import Derivation, LayerKind, Param, Shape, Window, ZERO, check_positive

PARAMS = (
    Param("out", "output size: n or h,w", kind="pair", aliases=("output_size", "size"), positional=True,
          symbol="O"),
)


def _derive(a, x: Shape, convention) -> Derivation:
    oh, ow = a["out"]
    check_positive("output size", oh)
    check_positive("output size", ow)
    kh, kw = x.h / oh, x.w / ow
    notes = ()
    if kh.is_integer and kw.is_integer:
        window = Window(kh, kw, kh, kw, ZERO, ZERO)
    else:
        window = None
        notes = (f"adaptive pooling from {x.h}x{x.w} to {oh}x{ow} uses windows of varying size; "
                 "the receptive field is not a single window and is left unknown",)
    out = Shape(x.c, oh, ow)
    return Derivation(output=out, other_ops=x.elements, window=window, notes=notes)


ADAPTIVE_AVG = LayerKind(
    name="adaptiveavgpool",
    doc="adaptive average pooling to a fixed output size (no parameters)",
    params=PARAMS,
    derive=_derive,
    aliases=("adaptiveavgpool2d", "adaptive_avgpool"),
    torch="AdaptiveAvgPool2d",
)
ADAPTIVE_MAX = LayerKind(
    name="adaptivemaxpool",
    doc="adaptive max pooling to a fixed output size (no parameters)",
    params=PARAMS,
    derive=_derive,
    aliases=("adaptivemaxpool2d", "adaptive_maxpool"),
    torch="AdaptiveMaxPool2d",
)
KINDS = (ADAPTIVE_AVG, ADAPTIVE_MAX)
