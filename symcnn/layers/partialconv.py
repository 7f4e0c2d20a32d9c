"""A convolution whose output maps each read only some of the input maps (LeNet-5's C3: the
paper's connection table joins each of its 16 maps to 3, 4 or all 6 of S2's, 60 pairs in all).
``pairs`` is the number of (output map, input map) pairs joined: each pair is one K x K kernel.

Parameters: K^2 x pairs weights and one bias per output map.  Multiply-adds: H_out x W_out x
K^2 x pairs.  With every pair joined (pairs = C_in x C_out) it is an ordinary convolution.  Under a width
multiplier alpha both map counts grow, so the pairs grow by alpha^2.

>>> from symcnn.convention import Convention
>>> d = KIND.derive(KIND.complete(out=16, k=5, pairs=60), Shape(6, 14, 14), Convention())
>>> d.output, d.weights + d.biases, d.macs == 10 * 10 * 25 * 60
(Shape(c=16, h=10, w=10), 1516, True)
>>> KIND.derive(KIND.complete(out=16, k=5, pairs=97), Shape(6, 14, 14), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: partialconv: 97 pairs of 16 output and 6 input maps: at most 96, at least 16
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, Window
from .common.window import check_match, check_nonnegative, check_positive, window_out

PARAMS = (
    Param("out", "output maps", aliases=("channels", "filters"), positional=True, symbol="C_out"),
    Param("k", "kernel size (square)", aliases=("kernel",), positional=True, symbol="K"),
    Param("pairs", "(output map, input map) pairs joined, each one K x K kernel", positional=True, symbol="J"),
    Param("s", "stride", default=1, aliases=("stride",), symbol="S"),
    Param("p", "padding", default=0, aliases=("pad", "padding"), role="padding", symbol="P"),
    Param("bias", "learned bias per output map", default=True, kind="bool"),
    Param("in", "input maps, checked against the input", default=None, symbol="C_in", declared=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    cout, k, pairs, s, p = (sp.sympify(a[n]) for n in ("out", "k", "pairs", "s", "p"))
    check_match("in_channels", a.get("in"), x.c)
    for what, v in (("out", cout), ("kernel", k), ("pairs", pairs), ("stride", s)):
        check_positive(what, v)
    check_nonnegative("padding", p)
    if (pairs - cout * x.c).is_positive or (cout - pairs).is_positive:
        raise DerivationError(f"partialconv: {pairs} pairs of {cout} output and {x.c} input maps: at most "
                              f"{cout * x.c}, at least {cout}")
    h, notes_h = window_out(x.h, k, s, p, 1, False, convention.division, "height")
    w, notes_w = window_out(x.w, k, s, p, 1, False, convention.division, "width")
    return Derivation(
        output=Shape(cout, h, w),
        weights=k * k * pairs,
        biases=cout if a["bias"] else ZERO,
        macs=h * w * k * k * pairs,
        bias_adds=h * w * cout if a["bias"] else ZERO,
        window=Window(k, k, s, s, p, p),
        notes=notes_h + notes_w,
    )


KIND = LayerKind(
    name="partialconv",
    doc="a convolution joining only some input maps to each output map (LeNet-5's C3): K^2 x pairs weights",
    params=PARAMS, derive=derive, aliases=("sparseconv", "connection_table"),
    textbook=(("weights", ("{k}**2*J",)), ("biases", ("C_out",)), ("macs", ("H_out*W_out*{k}**2*J",))),
    channels=("out",), scale=lambda a, alpha: dict(a, pairs=alpha**2 * a["pairs"]), order=11,
    family="conv", label_words=(r"partial\w*\s*conv",), label_order=61,
)
