"""2-D convolution (grouped and depthwise ones follow from ``groups``).

>>> import sympy as sp
>>> from symcnn.convention import Convention
>>> d = KIND.derive(KIND.complete(out=96, k=11, s=4), Shape(3, 227, 227), Convention())
>>> d.output, d.weights, d.biases
(Shape(c=96, h=55, w=55), 34848, 96)
>>> d.macs == 55 * 55 * 96 * 11 * 11 * 3
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks, Window, window_forms
from .common.torch_values import to_int, to_ints, torch_pair
from .common.window import check_divides, check_match, check_nonnegative, check_positive, padding_for_same, window_out

PARAMS = (
    Param("out", "output channels (number of filters)", aliases=("channels", "filters", "out_channels"),
          positional=True, symbol="C_out"),
    Param("k", "kernel size: k or kh,kw", kind="pair", aliases=("kernel", "kernel_size"), positional=True,
          symbol="K"),
    Param("s", "stride: s or sh,sw", default=1, kind="pair", aliases=("stride",), symbol="S"),
    Param("p", "padding: p, ph,pw or 'same'", default=0, kind="pair", aliases=("pad", "padding"),
          role="padding", symbol="P", allow_same=True),
    Param("d", "dilation: d or dh,dw", default=1, kind="pair", aliases=("dilation",), symbol="D", quiet=1),
    Param("g", "groups (depthwise: g = input channels)", default=1, aliases=("groups",), symbol="G", quiet=1),
    Param("bias", "learned bias per output channel", default=True, kind="bool"),
    Param("in", "input channels, checked against the input", default=None, aliases=("in_channels",),
          symbol="C_in", declared=True),
)


def args(**kw: Any) -> Args:
    """Fill in defaults (for doctests and the Python API)."""
    return KIND.complete(kw)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    cout = a["out"]
    kh, kw = a["k"]
    sh, sw = a["s"]
    dh, dw = a["d"]
    g = a["g"]
    cin = x.c
    check_match("in_channels", a.get("in"), cin)
    for what, v in (("out", cout), ("kernel", kh), ("kernel", kw), ("stride", sh), ("stride", sw),
                    ("dilation", dh), ("dilation", dw), ("groups", g)):
        check_positive(what, v)
    check_divides("input channels / groups", cin, g)
    check_divides("output channels / groups", cout, g)
    if a["p"] == "same":
        ph, pw = padding_for_same(kh, dh, "height"), padding_for_same(kw, dw, "width")
    else:
        ph, pw = a["p"]
    check_nonnegative("padding", ph)
    check_nonnegative("padding", pw)
    h, notes_h = window_out(x.h, kh, sh, ph, dh, False, convention.division, "height")
    w, notes_w = window_out(x.w, kw, sw, pw, dw, False, convention.division, "width")
    per_filter = kh * kw * cin / g
    weights = cout * per_filter
    biases = cout if a["bias"] else ZERO
    positions = h * w * cout
    return Derivation(
        output=Shape(cout, h, w),
        weights=weights,
        biases=biases,
        macs=positions * per_filter,
        bias_adds=positions if a["bias"] else ZERO,
        window=Window(dh * (kh - 1) + 1, dw * (kw - 1) + 1, sh, sw, ph, pw),
        notes=notes_h + notes_w,
    )


def scale(a: Args, alpha: Any) -> Args:
    """Depthwise (one group per channel): the groups scale with the channels."""
    if a.get("g", 1) != 1 and a.get("g") == a["out"]:
        return dict(a, g=alpha * a["g"])
    return a


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if isinstance(m.padding, str):
        pad = (sp.Integer(0), sp.Integer(0)) if m.padding == "valid" else "same"
    else:
        pad = torch_pair(m.padding)
    return dict(out=sp.Integer(m.out_channels), k=torch_pair(m.kernel_size), s=torch_pair(m.stride), p=pad,
                d=torch_pair(m.dilation), g=sp.Integer(m.groups), bias=m.bias is not None,
                **{"in": sp.Integer(m.in_channels)})


def to_module(a: Args, row: Any, nn: Any) -> Any:
    w = row.derivation.window
    return nn.Conv2d(to_int(row.input.c), to_int(a["out"]), to_ints(a["k"]), stride=to_ints(a["s"]),
                     padding=(to_int(w.ph), to_int(w.pw)), dilation=to_ints(a["d"]), groups=to_int(a["g"]),
                     bias=bool(a["bias"]))


KIND = LayerKind(
    name="conv",
    doc="2-D convolution: C_out filters of K_h x K_w x C_in/G",
    params=PARAMS,
    derive=derive,
    aliases=("conv2d",),
    textbook=(
        ("c", ("C_out",)),
        ("h", window_forms("H_in")),
        ("w", window_forms("W_in")),
        ("weights", ("{kh}*{kw}*C_in*C_out", "{kh}*{kw}*(C_in/G)*C_out")),
        ("biases", ("C_out",)),
        ("macs", ("H_out*W_out*C_out*{kh}*{kw}*C_in", "H_out*W_out*C_out*{kh}*{kw}*(C_in/G)")),
    ),
    channels=("out",),
    scale=scale,
    torch=TorchHooks(modules=("Conv2d",), from_module=from_module, to_module=to_module),
    slips=("wrong-kernel", "padding-forgotten", "kernel-as-output"),
    order=10,
    family="conv", label_words=(r"conv", r"^c\d+\b", r"^\d+\s*x\s*\d+\b", r"^layer\s*\d"), label_order=60,
)
