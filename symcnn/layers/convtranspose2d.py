"""Transposed 2-D convolution (a "deconvolution": decoders, segmentation heads, GAN
generators).  Each input position scatters a K_h x K_w x C_out/G patch, so

    H_out = (H_in - 1) S - 2P + D (K - 1) + P_out + 1

(P_out, the output padding, adds rows at the bottom), the weights are
C_in x C_out/G x K_h x K_w, and the multiply-adds are one per weight per input
position: H_in W_in C_in (C_out/G) K_h K_w.

For the receptive field it is the convolution it transposes run on the input spread
out S apart: the jump divides by S (a fraction of an input pixel for S > 1) and the
field grows by D (K - 1) of those fractional steps.

>>> import sympy as sp
>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive(KIND.complete(out=64, k=4, s=2, p=1), Shape(128, 14, 14), Convention())
>>> d.output, d.weights, d.macs == 14 * 14 * 128 * 64 * 16
(Shape(c=64, h=28, w=28), 131072, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import ONE, ZERO, Args, Derivation, LayerKind, Param, Shape, TorchHooks, Window
from .common.torch_values import to_int, to_ints, torch_pair
from .common.window import check_divides, check_match, check_nonnegative, check_positive

PARAMS = (
    Param("out", "output channels", aliases=("channels", "filters", "out_channels"), positional=True,
          symbol="C_out"),
    Param("k", "kernel size: k or kh,kw", kind="pair", aliases=("kernel", "kernel_size"), positional=True,
          symbol="K"),
    Param("s", "stride (the upsampling factor): s or sh,sw", default=1, kind="pair", aliases=("stride",),
          symbol="S"),
    Param("p", "padding taken off each side: p or ph,pw", default=0, kind="pair", aliases=("pad", "padding"),
          role="padding", symbol="P"),
    Param("op", "output padding added at the bottom and right", default=0, kind="pair",
          aliases=("output_padding",), role="padding", symbol="P_out", quiet=0),
    Param("d", "dilation: d or dh,dw", default=1, kind="pair", aliases=("dilation",), symbol="D", quiet=1),
    Param("g", "groups", default=1, aliases=("groups",), symbol="G", quiet=1),
    Param("bias", "learned bias per output channel", default=True, kind="bool"),
    Param("in", "input channels, checked against the input", default=None, aliases=("in_channels",),
          symbol="C_in", declared=True),
)


def _out(n: Any, k: Any, s: Any, p: Any, op: Any, d: Any, axis: str) -> sp.Expr:
    check_nonnegative("output padding", op)
    if (sp.sympify(op) - s).is_nonnegative and (sp.sympify(op) - d).is_nonnegative:
        raise DerivationError(f"{axis}: output padding {op} must be smaller than the stride {s} or the dilation {d}")
    out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if out.is_number and out < 1:
        raise DerivationError(f"{axis}: the output would be {out} (the padding {p} takes off more than there is)")
    return out


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    cout, g, cin = a["out"], a["g"], x.c
    (kh, kw), (sh, sw), (ph, pw), (oh, ow), (dh, dw) = a["k"], a["s"], a["p"], a["op"], a["d"]
    check_match("in_channels", a.get("in"), cin)
    for what, v in (("out", cout), ("kernel", kh), ("kernel", kw), ("stride", sh), ("stride", sw),
                    ("dilation", dh), ("dilation", dw), ("groups", g)):
        check_positive(what, v)
    check_nonnegative("padding", ph)
    check_nonnegative("padding", pw)
    check_divides("input channels / groups", cin, g)
    check_divides("output channels / groups", cout, g)
    h = _out(x.h, kh, sh, ph, oh, dh, "height")
    w = _out(x.w, kw, sw, pw, ow, dw, "width")
    per_input = kh * kw * cout / g
    keh, kew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    return Derivation(
        output=Shape(cout, h, w),
        weights=cin * per_input,
        biases=cout if a["bias"] else ZERO,
        macs=x.h * x.w * cin * per_input,
        bias_adds=h * w * cout if a["bias"] else ZERO,
        window=Window(keh, kew, ONE, ONE, keh - 1 - ph, kew - 1 - pw, sh, sw),
    )


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    from ..errors import SymcnnError

    if isinstance(m.padding, str):
        raise SymcnnError(f"transposed convolution with padding={m.padding!r} is not read")
    return dict(out=sp.Integer(m.out_channels), k=torch_pair(m.kernel_size), s=torch_pair(m.stride),
                p=torch_pair(m.padding), op=torch_pair(m.output_padding), d=torch_pair(m.dilation),
                g=sp.Integer(m.groups), bias=m.bias is not None, **{"in": sp.Integer(m.in_channels)})


def to_module(a: Args, row: Any, nn: Any) -> Any:
    return nn.ConvTranspose2d(to_int(row.input.c), to_int(a["out"]), to_ints(a["k"]), stride=to_ints(a["s"]),
                              padding=to_ints(a["p"]), output_padding=to_ints(a["op"]), groups=to_int(a["g"]),
                              bias=bool(a["bias"]), dilation=to_ints(a["d"]))


def scale(a: Args, alpha: Any) -> Args:
    """Depthwise (one group per channel): the groups scale with the channels."""
    if a.get("g", 1) != 1 and a.get("g") == a["out"]:
        return dict(a, g=alpha * a["g"])
    return a


KIND = LayerKind(
    name="convtranspose", doc="transposed 2-D convolution: C_in x C_out/G x K_h x K_w weights, output (H-1)S - 2P + "
    "D(K-1) + P_out + 1", params=PARAMS, derive=derive, aliases=("convtranspose2d", "deconv", "conv_transpose"),
    textbook=(
        ("c", ("C_out",)),
        ("weights", ("{kh}*{kw}*C_in*C_out", "{kh}*{kw}*C_in*(C_out/G)")),
        ("biases", ("C_out",)),
        ("macs", ("H_in*W_in*C_in*C_out*{kh}*{kw}", "H_in*W_in*C_in*(C_out/G)*{kh}*{kw}")),
    ),
    channels=("out",), scale=scale,
    torch=TorchHooks(modules=("ConvTranspose2d",), from_module=from_module, to_module=to_module),
    layouts=("chw",), order=11,
    family="conv", label_words=(r"deconv|transpose",), label_order=60,
)
