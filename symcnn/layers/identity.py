"""Identity: passes its input through (an empty branch or shortcut).  From
PyTorch, nn.Identity and the calls that only copy, re-layout or pass a value on
are no-ops, nothing to count: ``contiguous``, ``clone``, ``detach``, a
concatenation of one tensor, and the first element of a module's tuple output
(``nn.MultiheadAttention`` returns the output and, unused, its weights).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(8, 4, 4), Convention()).other_ops
0
"""

from __future__ import annotations

from typing import Any

from .base import NOT_MINE, TorchArgs
from .common.families import activation
from .common.torch_values import call_arg, call_name, traced_shape


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    if name == "getitem":
        source, index = node.args[0], node.args[1]
        if getattr(source, "op", None) == "call_module" and traced_shape(source) is None and index == 0:
            return None
        return NOT_MINE
    if name == "cat":
        items = call_arg(node, 0, "tensors", ())
        return None if len(items) == 1 else NOT_MINE
    return None


KIND = activation(
    "identity", "passes its input through (an empty branch or shortcut)", ops=0, inplace=True,
    torch_module="Identity",
    calls=("Tensor.contiguous", "Tensor.clone", "Tensor.detach", "operator.getitem", "torch.cat"),
    order=85,
    from_module=lambda m, shape_in=None, shape_out=None: None,  # a pass-through: nothing to count
    from_call=from_call,
)
