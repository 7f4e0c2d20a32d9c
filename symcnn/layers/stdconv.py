"""A convolution with scaled weight standardisation (NF-ResNets, NFNets: timm's ``ScaledStdConv2d``):
before each use the weights of every filter are standardised and scaled by a learned gain, one
per output channel.  The convolution itself is an ordinary one (its output, multiply-adds and
window are a conv's); the gains are C_out more weights.  The standardisation (a mean and a
variance over each filter's K^2 C_in weights) is done once per forward pass, on the weights,
not per position: not counted in the multiply-adds, as torch's dispatcher does not count it.

>>> from symcnn.convention import Convention
>>> d = KIND.derive(KIND.complete(out=64, k=3, p=1), Shape(32, 56, 56), Convention())
>>> d.weights == 3 * 3 * 32 * 64 + 64, d.biases, d.macs == 56 * 56 * 64 * 3 * 3 * 32
(True, 64, True)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import SymcnnError
from . import conv2d
from .base import Args, Derivation, LayerKind, Shape, TorchHooks


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    d = conv2d.derive(a, x, convention)
    return replace(d, weights=d.weights + a["out"])


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    if getattr(m, "same_pad", False):
        raise SymcnnError(f"{type(m).__name__} with padding computed from the input's size (TF 'same'): not read")
    if getattr(m, "gain", None) is None or tuple(m.gain.shape) != (m.out_channels, 1, 1, 1):
        raise SymcnnError(f"{type(m).__name__} without one gain per output channel: not read")
    held = {n for n, _ in m.named_parameters(recurse=False)}
    if held - {"weight", "bias", "gain"}:
        raise SymcnnError(f"{type(m).__name__} with parameters a scaled standardised conv does not have: "
                          f"{', '.join(sorted(held - {'weight', 'bias', 'gain'}))}")
    return conv2d.from_module(m)


KIND = LayerKind(
    name="stdconv",
    doc="a convolution with scaled weight standardisation: a conv's weights plus one learned gain per filter",
    params=conv2d.PARAMS, derive=derive, aliases=("scaledstdconv", "ws_conv"),
    textbook=(("weights", ("{kh}*{kw}*C_in*C_out + C_out", "{kh}*{kw}*(C_in/G)*C_out + C_out")),
              ("biases", ("C_out",)),
              ("macs", ("H_out*W_out*C_out*{kh}*{kw}*C_in", "H_out*W_out*C_out*{kh}*{kw}*(C_in/G)"))),
    channels=("out",), scale=conv2d.scale,
    torch=TorchHooks(modules=("timm.layers.std_conv.ScaledStdConv2d", "timm.layers.std_conv.ScaledStdConv2dSame"),
                     from_module=from_module),
    order=12, family="conv", label_words=(r"std\s*conv", r"ws\s*conv"), label_order=62,
)

