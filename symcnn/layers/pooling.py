"""Max and average pooling (a sliding window with no parameters).

>>> from symcnn.convention import Convention
>>> d = MAXPOOL.derive(args(k=3, s=2), Shape(96, 55, 55), Convention())
>>> d.output, d.weights
(Shape(c=96, h=27, w=27), 0)
>>> MAXPOOL.derive(args(k=3, s=2, ceil=True), Shape(64, 112, 112), Convention()).output
Shape(c=64, h=56, w=56)
"""

from __future__ import annotations

import sympy as sp

from ..errors import DerivationError
from .base import (
    Derivation, LayerKind, Param, Shape, Window, check_nonnegative, check_positive, pair, window_forms, window_out,
)

PARAMS = (
    Param("k", "window size: k or kh,kw", kind="pair", aliases=("kernel", "kernel_size"), positional=True,
          symbol="F"),
    Param("s", "stride (default: the window size)", default=None, kind="pair", aliases=("stride",),
          symbol="S"),
    Param("p", "padding", default=0, kind="pair", aliases=("pad", "padding"), role="padding", symbol="P"),
    Param("d", "dilation (max pooling only)", default=1, kind="pair", aliases=("dilation",), symbol="D"),
    Param("ceil", "ceil mode: round the output size up (PyTorch ceil_mode)", default=False, kind="bool",
          aliases=("ceil_mode",)),
)


def args(**kw):
    out = {p.name: p.default for p in PARAMS if not p.required}
    out.update(kw)
    for p in PARAMS:
        if p.kind == "pair" and out[p.name] is not None and not isinstance(out[p.name], tuple):
            out[p.name] = pair(sp.sympify(out[p.name]))
    return out


def _derive(a, x: Shape, convention, *, dilation_allowed: bool) -> Derivation:
    kh, kw = a["k"]
    sh, sw = a["s"] if a["s"] is not None else (kh, kw)
    ph, pw = a["p"]
    dh, dw = a["d"] if dilation_allowed else (sp.Integer(1), sp.Integer(1))
    for what, v in (("kernel", kh), ("kernel", kw), ("stride", sh), ("stride", sw), ("dilation", dh),
                    ("dilation", dw)):
        check_positive(what, v)
    for v, k, d in ((ph, kh, dh), (pw, kw, dw)):
        check_nonnegative("padding", v)
        if (2 * v - (d * (k - 1) + 1)).is_positive:
            raise DerivationError(f"padding {v} is more than half the window {d * (k - 1) + 1}")
    h, notes_h = window_out(x.h, kh, sh, ph, dh, a["ceil"], convention.division, "height")
    w, notes_w = window_out(x.w, kw, sw, pw, dw, a["ceil"], convention.division, "width")
    out = Shape(x.c, h, w)
    return Derivation(
        output=out,
        other_ops=out.elements * kh * kw,  # one compare or add per window element
        window=Window(dh * (kh - 1) + 1, dw * (kw - 1) + 1, sh, sw, ph, pw),
        notes=notes_h + notes_w,
    )


def derive_max(a, x, convention):
    return _derive(a, x, convention, dilation_allowed=True)


def derive_avg(a, x, convention):
    return _derive(a, x, convention, dilation_allowed=False)


MAXPOOL = LayerKind(
    name="maxpool",
    doc="max pooling over F x F windows (no parameters)",
    params=PARAMS,
    derive=derive_max,
    aliases=("maxpool2d", "max_pool"),
    torch="MaxPool2d",
    textbook=(("c", ("C_in",)), ("h", window_forms("H_in")), ("w", window_forms("W_in"))),
)
AVGPOOL = LayerKind(
    name="avgpool",
    doc="average pooling over F x F windows (no parameters)",
    params=tuple(p for p in PARAMS if p.name != "d"),
    derive=derive_avg,
    aliases=("avgpool2d", "avg_pool"),
    torch="AvgPool2d",
    textbook=(("c", ("C_in",)), ("h", window_forms("H_in")), ("w", window_forms("W_in"))),
)
KINDS = (MAXPOOL, AVGPOOL)
