"""Elementwise activations and softmax: no parameters, shape unchanged.

ReLU-like activations can run in place (they allocate nothing); softmax
allocates its output.

>>> from symcnn.convention import Convention
>>> d = RELU.derive({}, Shape(64, 224, 224), Convention())
>>> d.weights, d.inplace, d.other_ops == 64 * 224 * 224
(0, True, True)
"""

from __future__ import annotations

import sympy as sp

from .base import LayerKind, Param, Shape, elementwise


def _kind(name, doc, torch, *, inplace, ops, aliases=(), params=()):
    def derive(a, x: Shape, convention):
        return elementwise(x, ops_per_element=sp.Integer(ops), inplace=inplace)

    return LayerKind(name=name, doc=doc, params=params, derive=derive, aliases=aliases, torch=torch)


RELU = _kind("relu", "rectified linear unit max(0, x)", "ReLU", inplace=True, ops=1)
LEAKYRELU = _kind("leakyrelu", "leaky ReLU", "LeakyReLU", inplace=True, ops=1, aliases=("leaky_relu",),
                  params=(Param("slope", "negative slope (does not change any count)", default=None,
                                aliases=("negative_slope",), positional=True),))
SIGMOID = _kind("sigmoid", "logistic sigmoid", "Sigmoid", inplace=True, ops=1)
TANH = _kind("tanh", "hyperbolic tangent", "Tanh", inplace=True, ops=1)
SOFTMAX = _kind("softmax", "softmax over channels (allocates its output)", "Softmax", inplace=False, ops=3)
IDENTITY_KIND = _kind("identity", "passes its input through (an empty branch or shortcut)", "Identity",
                      inplace=True, ops=0)
KINDS = (RELU, LEAKYRELU, SIGMOID, TANH, SOFTMAX, IDENTITY_KIND)
