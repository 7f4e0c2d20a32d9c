"""Softmax over channels: no parameters; allocates its output (an exp, a sum
and a divide per element).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(1000, 1, 1), Convention()).inplace
False
"""

from __future__ import annotations

from ..errors import SymcnnError
from .base import activation


def from_module(m, shape_in=None, shape_out=None) -> dict:
    if m.dim not in (1, -3):
        raise SymcnnError(f"softmax over dim {m.dim} is not supported (channels: dim=1)")
    return {}


KIND = activation("softmax", "softmax over channels (allocates its output)", ops=3, inplace=False,
                  torch_module="Softmax", order=84, from_module=from_module)
