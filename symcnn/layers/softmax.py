"""Softmax over channels: no parameters; allocates its output (an exp, a sum
and a divide per element).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(1000, 1, 1), Convention()).inplace
False
"""

from __future__ import annotations

from typing import Any

from ..errors import SymcnnError
from .base import Args
from .common.families import activation
from .common.torch_values import call_arg


def _channels(dim: Any, ndim: int) -> Args:
    if dim not in (1, -3) and not (ndim == 2 and dim == -1):
        raise SymcnnError(f"softmax over dim {dim} is not supported (channels: dim=1)")
    return {}


def from_module(m: Any, shape_in: Any = None, shape_out: Any = None) -> Args:
    return _channels(m.dim, len(shape_in) if shape_in else 4)


def from_call(node: Any, shape_in: Any, shape_out: Any) -> Args:
    return _channels(call_arg(node, 1, "dim"), len(shape_in) if shape_in else 4)


KIND = activation(
    "softmax", "softmax over channels (allocates its output)", ops=3, inplace=False,
    torch_module="Softmax", calls=("F.softmax", "torch.softmax", "Tensor.softmax"), order=84,
    from_module=from_module, from_call=from_call, to_module=lambda a, row, nn: nn.Softmax(dim=1), family="softmax",
)
