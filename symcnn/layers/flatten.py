"""Flatten C x H x W into C*H*W features (a view: no parameters, no copy).

For the receptive field, the flattened vector stands for the whole map: its
field is the union of all positions' fields, as if an H x W window with
stride H x W had collapsed the map (exactly what a global pooling does).
The linear layers after it keep that field.

>>> from symcnn.convention import Convention
>>> KIND.derive({}, Shape(256, 6, 6), Convention()).output
Shape(c=9216, h=1, w=1)
"""

from __future__ import annotations

import sympy as sp

from .base import Derivation, LayerKind, Shape, Window

ONE = sp.Integer(1)


def derive(a, x: Shape, convention) -> Derivation:
    return Derivation(output=Shape(x.elements, ONE, ONE), inplace=True,
                      window=Window(x.h, x.w, x.h, x.w, sp.Integer(0), sp.Integer(0)))


KIND = LayerKind(name="flatten", doc="reshape C x H x W to C*H*W (a view)", params=(), derive=derive,
                 torch="Flatten", textbook=(("c", ("C_in*H_in*W_in",)),))
