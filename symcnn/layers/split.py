"""One part of a channel split (ShuffleNet-v2's ``x.chunk(2, dim=1)``): part i of n
equal parts, C/n channels.  A view: no parameters, nothing computed.

From PyTorch the ``chunk`` (or ``split`` into equal sizes) is a no-op, and each
``getitem`` of its result is read as a part: the parts are the branches of the
concatenation that follows.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"part": 2, "of": 2}, Shape(116, 28, 28), Convention()).output
Shape(c=58, h=28, w=28)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import DerivationError, SymcnnError
from .base import IDENTITY, NOT_MINE, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks
from .common.torch_values import call_arg, call_name, traced_shape
from .common.window import check_divides, check_positive

PARAMS = (
    Param("part", "which part, from 1", positional=True),
    Param("of", "number of equal parts", default=2, aliases=("parts", "n")),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_positive("of", a["of"])
    check_positive("part", a["part"])
    if (sp.sympify(a["part"]) - a["of"]).is_positive:
        raise DerivationError(f"part {a['part']} of {a['of']}: there is no such part")
    check_divides("channels / parts", x.c, a["of"])
    return Derivation(output=Shape(x.c / a["of"], x.h, x.w, x.layout), inplace=True, window=IDENTITY)


def _parts(source: Any) -> int | None:
    """How many equal channel parts a traced chunk or split makes (refused otherwise)."""
    shape = traced_shape(source.args[0])
    name = call_name(source)
    dim = call_arg(source, 2, "dim", 0)
    if shape is None or dim % len(shape) != 1:
        raise SymcnnError(f"graph node {source.name!r}: only a {name} along the channels (dim=1) is read")
    channels = shape[1]
    if name == "chunk":
        n = call_arg(source, 1, "chunks")
        if channels % n:
            raise SymcnnError(f"graph node {source.name!r}: {channels} channels do not chunk into {n} equal parts")
        return int(n)
    size = call_arg(source, 1, "split_size_or_sections", call_arg(source, 1, "split_size"))
    if isinstance(size, int) and channels % size == 0:
        return channels // size
    if isinstance(size, (list, tuple)) and len(set(size)) == 1 and sum(size) == channels:
        return len(size)  # a list of equal sizes
    if isinstance(size, (list, tuple)):
        return None  # unequal parts: channel ranges (the channelslice kind reads them)
    raise SymcnnError(f"graph node {source.name!r}: a split into {size!r} is not into equal parts")


def from_call(node: Any, shape_in: Any, shape_out: Any) -> TorchArgs:
    name = call_name(node)
    if name in ("chunk", "split"):
        # refuses what it cannot read; the parts are read at each getitem (unequal parts by channelslice)
        return None if _parts(node) is not None else NOT_MINE
    source = node.args[0]
    if getattr(source, "op", None) in ("call_method", "call_function") and call_name(source) in ("chunk", "split") \
            and isinstance(node.args[1], int):
        n = _parts(source)
        if n is None:
            return NOT_MINE
        return {"part": sp.Integer(node.args[1] % n + 1), "of": sp.Integer(n)}
    return NOT_MINE


KIND = LayerKind(name="split", doc="part i of n equal channel parts (a view)", params=PARAMS, derive=derive,
                 aliases=("chunk",), channels=(),
                 torch=TorchHooks(
                     calls=("Tensor.chunk", "torch.chunk", "Tensor.split", "torch.split", "operator.getitem"),
                     from_call=from_call,
                 ),
                 order=54)
