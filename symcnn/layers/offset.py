"""x plus a fixed number (an input shifted before it is scaled, ``(x - 0.5) / 0.5``; ``x + 3`` inside a hard
swish): no parameters, one add per element, counted in FLOPs only with --other-ops.  A new tensor (its activations
are counted) unless it is done in place (``x -= 0.5``).

From PyTorch: ``x + c``, ``c + x``, ``x - c``, ``x.add(c)``, ``x.sub(c)``, ``torch.add(x, c)`` with ``c`` a Python
number; ``c - x`` (a negation as well) and a learned or computed operand are another kind's or refused by name.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"value": -0.5, "inplace": False}, Shape(3, 32, 32), Convention())
>>> d.weights, d.inplace, d.output, d.other_ops == 3 * 32 * 32
(0, False, Shape(c=3, h=32, w=32), True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_name
from .common.window import elementwise

PARAMS = (
    Param("value", "the number added to every element (negative: subtracted)", positional=True, symbol="b"),
    Param("inplace", "done in place (no new tensor)", default=False, kind="bool"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return elementwise(x, ops_per_element=sp.Integer(1), inplace=bool(a["inplace"]))


_SUBTRACT = {"sub", "isub", "sub_"}
_IN_PLACE = {"iadd", "add_", "isub", "sub_"}


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    tensors = [a for a in node.args if hasattr(a, "op")]
    numbers = [a for a in node.args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    if len(tensors) != 1 or len(numbers) != 1 or len(node.args) != 2 or node.kwargs:
        return NOT_MINE
    if name in _SUBTRACT and node.args[0] is not tensors[0]:
        return NOT_MINE  # c - x: the tensor negated, not shifted
    value = sp.Rational(repr(float(numbers[0]))) if isinstance(numbers[0], float) else sp.Integer(numbers[0])
    return {"value": -value if name in _SUBTRACT else value, "inplace": name in _IN_PLACE}


KIND = LayerKind(
    name="offset", doc="x plus a fixed number (an input shifted): no parameters", params=PARAMS,
    derive=derive, aliases=("addconst", "shift_by"),
    torch=TorchHooks(
        calls=("operator.add", "operator.iadd", "operator.sub", "operator.isub", "torch.add", "torch.sub",
               "Tensor.add", "Tensor.add_", "Tensor.sub", "Tensor.sub_"),
        from_call=from_call,
    ),
    order=88,
)
