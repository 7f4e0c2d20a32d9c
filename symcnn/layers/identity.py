"""Identity: passes its input through (an empty branch or shortcut).  From
PyTorch, nn.Identity and the calls that only copy, re-layout or pass a value on
are no-ops, nothing to count: ``contiguous``, ``clone``, ``detach``, a
concatenation of one tensor, and the first element of a module's tuple output
(``nn.MultiheadAttention`` returns the output and, unused, its weights), and a literal 0 added to a tensor.

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
        items = index if isinstance(index, tuple) else (index,)
        if shape_in is not None and shape_in == shape_out and \
                all(i is Ellipsis or (isinstance(i, slice) and i.step in (None, 1)) for i in items):
            return None  # x[:, :] or x[..., :n] keeping every element: a view of the whole tensor
        return NOT_MINE
    if name == "cat":
        items = call_arg(node, 0, "tensors", ())
        return None if len(items) == 1 else NOT_MINE
    if name in ("add", "iadd", "sub", "isub"):
        # a sum started at 0 (``out = 0; out = out + branch(x)``): adding or subtracting a literal 0 changes nothing
        tensors = [a for a in node.args if hasattr(a, "op")]
        zeros = [a for a in node.args if not hasattr(a, "op") and not isinstance(a, bool) and a == 0]
        subtracted = name in ("sub", "isub") and node.args and not hasattr(node.args[0], "op")  # 0 - x is -x
        return None if len(tensors) == 1 and len(zeros) == 1 and not node.kwargs and not subtracted else NOT_MINE
    if name in ("float", "type_as", "to"):
        return None if shape_in is not None and shape_in == shape_out else NOT_MINE
    return None


KIND = activation(
    "identity", "passes its input through (an empty branch or shortcut)", ops=0, inplace=True,
    torch_module="Identity",
    # a dtype cast (x.float(), x.type_as(y), x.to(dtype)) changes no shape and counts nothing
    calls=("Tensor.contiguous", "Tensor.clone", "Tensor.detach", "operator.getitem", "torch.cat", "operator.add",
           "operator.iadd", "operator.sub", "operator.isub", "Tensor.float", "Tensor.type_as", "Tensor.to"),
    order=85,
    from_module=lambda m, shape_in=None, shape_out=None: None,  # a pass-through: nothing to count
    from_call=from_call,
)
