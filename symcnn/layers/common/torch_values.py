"""Values read from PyTorch modules and traced calls, and written back for export."""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..base import Expr


def torch_pair(v: Any) -> tuple[Expr, Expr]:
    """A PyTorch size argument (an int or a pair) as (height, width)."""
    from ...errors import SymcnnError

    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise SymcnnError(f"expected one value or two (height, width), got {v!r}")
        return (sp.Integer(v[0]), sp.Integer(v[1]))
    return (sp.Integer(v), sp.Integer(v))


def to_int(v: Any) -> int:
    """A number for PyTorch (export needs every value)."""
    from ...errors import SymcnnError

    v = sp.sympify(v)
    if not v.is_Integer:
        raise SymcnnError(f"export needs numbers, got {v} (give the symbols values with --set)")
    return int(v)


def to_ints(p: Any) -> tuple[int, int]:
    return (to_int(p[0]), to_int(p[1]))





def traced_shape(node: Any) -> tuple[int, ...] | None:
    """The shape torch.fx's ShapeProp recorded for a traced value (None: not one tensor)."""
    meta = getattr(node, "meta", {}).get("tensor_meta")
    shape = getattr(meta, "shape", None)
    return None if shape is None else tuple(int(v) for v in shape)


def call_name(node: Any) -> str:
    """A traced call's name: the method's, or the function's (``getitem``, ``cat``, ``add``)."""
    target = node.target
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def call_arg(node: Any, index: int, name: str, default: Any = None) -> Any:
    """Argument ``index`` (counting the tensor as 0) or keyword ``name`` of a traced call; a size the model read
    off a tensor (``F.avg_pool2d(x, x.size(2))``) is that size, as this input has it."""
    value = node.args[index] if len(node.args) > index else node.kwargs.get(name, default)
    return _known_size(value)


def _known_size(value: Any) -> Any:
    """``x.size(d)``, ``x.shape[d]`` (and a tuple of them) as the numbers the traced pass recorded; anything else
    as it is."""
    if isinstance(value, (tuple, list)):
        return type(value)(_known_size(v) for v in value)
    if not hasattr(value, "op"):
        return value
    source, dim = None, None
    if value.op == "call_method" and value.target == "size" and len(value.args) == 2:
        source, dim = value.args
    elif value.op == "call_function" and getattr(value.target, "__name__", "") == "getitem" and \
            len(value.args) == 2 and hasattr(value.args[0], "op") and isinstance(value.args[1], int):
        inner = value.args[0]
        if (inner.op == "call_method" and inner.target == "size" and len(inner.args) == 1) or \
                (inner.op == "call_function" and getattr(inner.target, "__name__", "") == "getattr" and
                 inner.args[1:] == ("shape",)):
            source, dim = inner.args[0], value.args[1]
    shape = getattr(getattr(source, "meta", {}).get("tensor_meta"), "shape", None) if source is not None else None
    if shape is None or not isinstance(dim, int) or not -len(shape) <= dim < len(shape):
        return value
    return int(shape[dim])


def second_axis_range(index: Any, length: int) -> tuple[int, int] | None:
    """``x[:, a:b]`` (and trailing full slices or an Ellipsis): the range a to b of the second axis (a map's
    channels, a sequence's tokens) of the given length; None for any other index.

    >>> second_axis_range((slice(None), slice(1, None)), 197), second_axis_range((slice(None), 3), 197)
    ((1, 197), None)
    """
    if not isinstance(index, tuple) or len(index) < 2:
        return None
    full = slice(None, None, None)
    first, part, rest = index[0], index[1], index[2:]
    if first != full or not isinstance(part, slice) or part.step not in (None, 1):
        return None
    if any(r != full and r is not Ellipsis for r in rest):
        return None
    # a bound the model read off a tensor ('x[:, :cls_tokens.shape[1]]', PiT): that size, as this input has it
    lo, hi = _known_size(part.start), _known_size(part.stop)
    if not all(v is None or isinstance(v, int) for v in (lo, hi)):
        return None
    start, stop, _ = slice(lo, hi).indices(length)
    return (start, stop) if stop > start else None
