"""A module read operation by operation: what its own Python computes (attention whose heads are reshapes in the
model's code, windows partitioned inside a block's forward, any tensor code), counted as the sum of its operations.

The PyTorch reader makes one when a module's forward holds operations no single layer kind reads: it sums the
formula of each operation (:mod:`symcnn.pytorch.ops`: a linear map over the last axis, a convolution, a batched
matrix product, scaled dot-product attention, a learned tensor read directly, and the operations that compute
nothing: views, permutes, elementwise arithmetic) on the tensors' recorded shapes, and lists them in ``work``.  The
fields are those sums, so a spec can state such a layer too:

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive(KIND.complete(weights=110592, biases=768, macs=21676032), Shape(192, 197, 1, "seq"),
...                 Convention())
>>> d.output, d.weights + d.biases, d.macs
(Shape(c=192, h=197, w=1, layout='seq'), 111360, 21676032)

An output other than the input's is stated by its sizes in the order its layout stores them (tokens made a map):

>>> KIND.derive(KIND.complete(out=192, out2=14, out3=14, layout="chw"), Shape(192, 196, 1, "seq"),
...             Convention()).output
Shape(c=192, h=14, w=14)
"""

from __future__ import annotations

from typing import Any

from ..errors import DerivationError
from .base import LAYOUTS, ZERO, Args, Derivation, LayerKind, Param, Shape

PARAMS = (
    Param("weights", "the learned weights its operations read", default=0, symbol="W"),
    Param("biases", "the learned biases its operations read", default=0, symbol="B"),
    Param("macs", "the multiply-adds of its operations", default=0, symbol="M"),
    Param("other", "its other operations (one per output element of each elementwise operation)", default=0),
    Param("out", "the output's first size in the order its layout stores them (C of C x H x W, H of H x W x C, "
                 "L of L x C; default: the input's shape)", default=None),
    Param("out2", "the output's second size in that order", default=None),
    Param("out3", "the output's third size in that order (none for a sequence)", default=None),
    Param("layout", "the output's layout (default: the input's)", default=None, kind="choice", choices=LAYOUTS),
    Param("work", "the operations, one by one, with their counts", default="", kind="text"),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    for f in ("weights", "biases", "macs", "other"):
        v = a.get(f, ZERO)
        if getattr(v, "is_negative", False):
            raise DerivationError(f"composite: {f} must not be negative, got {v}")
    layout = a.get("layout") or x.layout
    sizes = [a.get(f) for f in ("out", "out2", "out3")]
    if sizes[0] is None:
        if layout != x.layout:
            raise DerivationError(f"composite: an output laid out as {layout} needs its sizes (out, out2, out3)")
        out = x
    else:
        wanted = 2 if layout == "seq" else 3
        given = [v for v in sizes if v is not None]
        if len(given) != wanted or sizes[wanted - 1] is None:
            raise DerivationError(f"composite: an output laid out as {layout} has {wanted} sizes, got {len(given)}")
        for v in given:
            if getattr(v, "is_positive", None) is False:
                raise DerivationError(f"composite: the output's sizes must be positive, got {v}")
        if layout == "seq":
            out = Shape(given[1], given[0], 1, "seq")
        elif layout == "chw":
            out = Shape(given[0], given[1], given[2], "chw")
        else:
            out = Shape(given[2], given[0], given[1], layout)
    work = tuple(w.strip() for w in (a.get("work") or "").split(";") if w.strip())
    return Derivation(output=out, weights=a.get("weights", ZERO), biases=a.get("biases", ZERO),
                      macs=a.get("macs", ZERO), other_ops=a.get("other", ZERO), window=None, notes=work)


KIND = LayerKind(
    name="composite", doc="a module read operation by operation (its own tensor code): the sums of its operations' "
                          "weights, biases and multiply-adds",
    params=PARAMS, derive=derive, aliases=("module", "program"), order=99,
)
