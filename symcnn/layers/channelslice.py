"""Channels ``start`` to ``stop`` of a map (``x[:, 16:32]``, one part of an unequal ``split``): a view, no
parameters, nothing computed.  GhostNet keeps the first channels of its two halves, MixNet splits its channels
into unequal groups for kernels of different sizes, DPN splits its paths.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"start": 16, "stop": 40}, Shape(64, 28, 28), Convention()).output
Shape(c=24, h=28, w=28)
>>> KIND.derive({"start": 16, "stop": 80}, Shape(64, 28, 28), Convention())
Traceback (most recent call last):
...
symcnn.errors.DerivationError: channels 16 to 80 of 64: not a range of the input's channels
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError
from .base import IDENTITY, NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_arg, call_name, second_axis_range, traced_shape

PARAMS = (
    Param("start", "the first channel kept, from 0", positional=True),
    Param("stop", "one past the last channel kept", positional=True),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    start, stop = sp.sympify(a["start"]), sp.sympify(a["stop"])
    inside = [(start >= 0), (stop > start), (stop <= x.c)]
    if any(v is sp.false or v is False for v in inside):
        raise DerivationError(f"channels {start} to {stop} of {x.c}: not a range of the input's channels")
    return Derivation(output=Shape(stop - start, x.h, x.w, x.layout), inplace=True, window=IDENTITY)


def _sections(source: Any) -> list[int] | None:
    """The channel counts of a traced split into a list of sizes along the channels (None: not one)."""
    if getattr(source, "op", None) not in ("call_method", "call_function") or call_name(source) != "split":
        return None
    shape = traced_shape(source.args[0])
    sizes = call_arg(source, 1, "split_size_or_sections", call_arg(source, 1, "split_size"))
    dim = call_arg(source, 2, "dim", 0)
    if shape is None or len(shape) != 4 or dim % 4 != 1 or not isinstance(sizes, (list, tuple)):
        return None
    if sum(sizes) != shape[1] or not all(isinstance(s, int) and s > 0 for s in sizes):
        return None
    return [int(s) for s in sizes]


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    if name == "split":
        # the split itself is a no-op here when it makes unequal parts (the split kind reads equal ones)
        return None if _sections(node) is not None else NOT_MINE
    if name != "getitem":
        return NOT_MINE
    source, index = node.args[0], node.args[1]
    sizes = _sections(source)
    if sizes is not None and isinstance(index, int):
        k = index % len(sizes)
        start = sum(sizes[:k])
        return {"start": sp.Integer(start), "stop": sp.Integer(start + sizes[k])}
    shape = traced_shape(source)
    if shape is not None and len(shape) == 4:
        got = second_axis_range(index, shape[1])
        if got is not None:
            if got == (0, shape[1]):
                return None  # x[:, :] keeps every channel: nothing to read
            return {"start": sp.Integer(got[0]), "stop": sp.Integer(got[1])}
    return NOT_MINE


KIND = LayerKind(name="channelslice", doc="channels start to stop of a map (a view)", params=PARAMS, derive=derive,
                 aliases=("slice",), channels=(),
                 torch=TorchHooks(calls=("Tensor.split", "torch.split", "operator.getitem"), from_call=from_call),
                 order=55)
