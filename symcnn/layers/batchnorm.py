"""Batch normalisation: a scale (gamma) and a shift (beta) per channel.

The running mean and variance are buffers, not parameters: 2C parameters.

>>> from symcnn.convention import Convention
>>> d = KIND.derive({"affine": True, "c": None}, Shape(64, 112, 112), Convention())
>>> d.weights, d.biases
(64, 64)
"""

from __future__ import annotations

from .base import Derivation, LayerKind, Param, Shape, ZERO, check_match

PARAMS = (
    Param("affine", "learned scale and shift", default=True, kind="bool"),
    Param("c", "channels, checked against the input", default=None, aliases=("channels", "num_features"),
          symbol="C"),
)


def derive(a, x: Shape, convention) -> Derivation:
    check_match("channels", a.get("c"), x.c)
    learned = x.c if a["affine"] else ZERO
    # inference: one multiply and one add per element
    return Derivation(output=x, weights=learned, biases=learned, other_ops=2 * x.elements)


KIND = LayerKind(
    name="batchnorm",
    doc="batch normalisation: gamma and beta per channel (2C parameters)",
    params=PARAMS,
    derive=derive,
    aliases=("bn", "batchnorm2d"),
    torch="BatchNorm2d",
    textbook=(("weights", ("C_in",)), ("biases", ("C_in",))),
)
