"""Flatten C x H x W into C*H*W features (a view: no parameters, no copy).

For the receptive field, the flattened vector stands for the whole map: its
field is the union of all positions' fields, as if an H x W window with
stride H x W had collapsed the map (exactly what a global pooling does).
The linear layers after it keep that field.

From PyTorch, a ``flatten``, ``view`` or ``reshape`` is read by what it does
to the shape: (N, C, H, W) to (N, C*H*W) is a flatten, an unchanged shape a
no-op; anything else is left to the other kinds that read reshapes (tokens,
shuffle) and refused by name when none does.

>>> from symcnn.convention import Convention
>>> KIND.derive({}, Shape(256, 6, 6), Convention()).output
Shape(c=9216, h=1, w=1)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .base import NOT_MINE, Args, Derivation, LayerKind, Shape, TorchArgs, TorchHooks, Window

ONE = sp.Integer(1)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return Derivation(output=Shape(x.elements, ONE, ONE), inplace=True,
                      window=Window(x.h, x.w, x.h, x.w, sp.Integer(0), sp.Integer(0)))


def by_shape(what: str, shape_in: Any, shape_out: Any, *, last: bool = True) -> TorchArgs:
    """A reshape read by its shapes: a flatten ({}), a no-op (None), or refused (``NOT_MINE``
    when other kinds may still read it)."""
    if shape_in is None or shape_out is None:
        raise SymcnnError(f"{what} of a value whose shape is unknown")
    if shape_out == shape_in:
        return None
    n = 1
    for v in shape_in[1:]:
        n *= v
    if len(shape_in) >= 2 and shape_out == (shape_in[0], n):
        return {}
    if not last:
        return NOT_MINE
    raise SymcnnError(f"{what} from {list(shape_in)} to {list(shape_out)} is not a flatten (symcnn reads "
                      "(N, C, H, W) -> (N, C*H*W) only)")


KIND = LayerKind(
    name="flatten", doc="reshape C x H x W to C*H*W (a view)", params=(), derive=derive,
    textbook=(("c", ("C_in*H_in*W_in",)),),
    torch=TorchHooks(
        modules=("Flatten",),
        from_module=lambda m, shape_in, shape_out: by_shape("nn.Flatten", shape_in, shape_out),
        calls=("torch.flatten", "torch.reshape", "Tensor.flatten", "Tensor.view", "Tensor.reshape"),
        from_call=lambda node, shape_in, shape_out: by_shape(f"graph node {node.name!r}: {node.target}",
                                                         shape_in, shape_out, last=False),
        to_module=lambda a, row, nn: nn.Flatten(),
    ),
    order=50,
    family="flatten", label_words=(r"flatten",), label_order=46,
)
