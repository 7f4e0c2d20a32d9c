"""Local response normalisation (AlexNet): no parameters.

>>> from symcnn.convention import Convention
>>> KIND.derive({"size": 5}, Shape(96, 55, 55), Convention()).weights
0
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.torch_values import to_int
from .common.window import check_positive

PARAMS = (
    Param("size", "channels summed over", default=5, aliases=("n",), positional=True),
    Param("alpha", "scale (does not change any count)", default=None),
    Param("beta", "exponent (does not change any count)", default=None),
    Param("k", "offset (does not change any count)", default=None),
)


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    check_positive("size", a["size"])
    # per element: `size` squares summed, then one scale, power and divide
    return Derivation(output=x, other_ops=(a["size"] + 3) * x.elements)


KIND = LayerKind(name="lrn", doc="local response normalisation across channels (no parameters)",
                 params=PARAMS, derive=derive, aliases=("localresponsenorm",),
                 torch=TorchHooks(
                     modules=("LocalResponseNorm",),
                     from_module=lambda m, shape_in=None, shape_out=None: dict(size=sp.Integer(m.size), alpha=None,
                                                                            beta=None, k=None),
                     to_module=lambda a, row, nn: nn.LocalResponseNorm(to_int(a["size"])),
                 ),
                 order=70,
    family="norm", label_words=(r"norm", r"^lrn"), label_order=30,
)
