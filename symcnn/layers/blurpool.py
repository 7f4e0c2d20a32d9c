"""Blur pooling (anti-aliased downsampling; TResNet, ResNet-D variants): a fixed binomial K x K
filter applied to each channel on its own (a depthwise convolution whose weights are not
learned) after reflection padding of P on every side, with stride S.

Parameters: none (the filter is fixed).  Multiply-adds: those of the depthwise convolution,
H_out x W_out x C x K^2, as torch's dispatcher counts them.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"k": 3, "s": 2, "p": 1}, Shape(128, 56, 56), Convention())
>>> d.output, d.weights, d.macs == 28 * 28 * 128 * 9
(Shape(c=128, h=28, w=28), 0, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks, Window
from .common.window import check_nonnegative, check_positive, window_out

PARAMS = (
    Param("k", "filter size", default=3, positional=True, aliases=("filt_size",), symbol="K"),
    Param("s", "stride", default=2, aliases=("stride",), symbol="S"),
    Param("p", "reflection padding on each side", default=1, aliases=("pad",), role="padding", symbol="P"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    k, s, p = (sp.sympify(a[n]) for n in ("k", "s", "p"))
    check_positive("filter size", k)
    check_positive("stride", s)
    check_nonnegative("padding", p)
    h, notes_h = window_out(x.h, k, s, p, 1, False, convention.division, "height")
    w, notes_w = window_out(x.w, k, s, p, 1, False, convention.division, "width")
    return Derivation(output=Shape(x.c, h, w), macs=h * w * x.c * k * k, window=Window(k, k, s, s, p, p),
                      notes=notes_h + notes_w)


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    pads = list(getattr(m, "padding", []))
    if len(pads) != 4 or len(set(pads)) != 1 or any(n for n, _ in m.named_parameters()):
        raise SymcnnError(f"{type(m).__name__} with padding {pads} or learned weights: not read")
    return {"k": sp.Integer(m.filt_size), "s": sp.Integer(m.stride), "p": sp.Integer(pads[0])}


KIND = LayerKind(
    name="blurpool", doc="blur pooling: a fixed K x K filter per channel with stride S (no parameters)",
    params=PARAMS, derive=derive, aliases=("antialias", "blur"),
    textbook=(("macs", ("H_out*W_out*C_in*{k}**2",)),),
    torch=TorchHooks(modules=("timm.layers.blur_pool.BlurPool2d",), from_module=from_module),
    layouts=("chw",), order=33, family="pool", label_words=(r"blur",), label_order=51,
)
