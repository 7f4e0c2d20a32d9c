"""x times a fixed number (Inception-ResNet's residual scaling ``x * 0.17``, a division by a constant): no
parameters, one multiply per element, counted in FLOPs only with --other-ops.  A new tensor (its activations are
counted) unless it is done in place (``x *= 0.17``).

From PyTorch: ``x * c``, ``c * x``, ``x / c``, ``x.mul(c)``, ``x.div(c)``, ``torch.mul(x, c)`` with ``c`` a Python
number, and ``x + x`` (twice the tensor); a learned or computed operand is another kind's (a layer scale, a gate) or
refused by name.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({"factor": 0.17, "inplace": False}, Shape(320, 35, 35), Convention())
>>> d.weights, d.inplace, d.other_ops == 320 * 35 * 35
(0, False, True)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_name
from .common.window import elementwise

PARAMS = (
    Param("factor", "the number the input is multiplied by", positional=True, symbol="a"),
    Param("inplace", "done in place (no new tensor)", default=False, kind="bool"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return elementwise(x, ops_per_element=sp.Integer(1), inplace=bool(a["inplace"]))


_DIVIDE = {"truediv", "itruediv", "div", "div_"}
_IN_PLACE = {"imul", "itruediv", "mul_", "div_", "iadd", "add_"}
_ADD = {"add", "iadd", "add_"}


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    if name in _ADD:  # x + x (EfficientNet's shortcut where it has none: 'out + out'): the tensor doubled
        same = len(node.args) == 2 and hasattr(node.args[0], "op") and node.args[0] is node.args[1]
        return {"factor": sp.Integer(2), "inplace": name in _IN_PLACE} if same and not node.kwargs else NOT_MINE
    tensors = [a for a in node.args if hasattr(a, "op")]
    numbers = [a for a in node.args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    if len(tensors) != 1 or len(numbers) != 1 or len(node.args) != 2 or node.kwargs:
        return NOT_MINE
    if name in _DIVIDE and node.args[0] is not tensors[0]:
        return NOT_MINE  # c / x: a reciprocal, not a scaling
    value = sp.Rational(repr(float(numbers[0]))) if isinstance(numbers[0], float) else sp.Integer(numbers[0])
    if name in _DIVIDE:
        if value == 0:
            return NOT_MINE
        value = 1 / value
    return {"factor": value, "inplace": name in _IN_PLACE}


KIND = LayerKind(
    name="multiply", doc="x times a fixed number (a residual scaling): no parameters", params=PARAMS,
    derive=derive, aliases=("constscale", "scale_by"),
    torch=TorchHooks(
        calls=("operator.mul", "operator.imul", "operator.truediv", "operator.itruediv", "torch.mul", "torch.div",
               "Tensor.mul", "Tensor.mul_", "Tensor.div", "Tensor.div_", "operator.add", "operator.iadd", "torch.add",
               "Tensor.add", "Tensor.add_"),
        from_call=from_call,
    ),
    order=87,
)

