"""Dropout: no parameters; at inference it is the identity.

>>> from symcnn.convention import Convention
>>> KIND.derive({"p": 0.5}, Shape(4096, 1, 1), Convention()).output
Shape(c=4096, h=1, w=1)
"""

from __future__ import annotations

from typing import Any

from .base import Args, Derivation, LayerKind, Param, Shape, TorchHooks
from .common.window import elementwise


def derive(a: Args, x: Shape, convention: Any) -> Derivation:
    return elementwise(x, inplace=True)


KIND = LayerKind(name="dropout", doc="dropout (identity at inference; no parameters)",
                 params=(Param("p", "drop probability (does not change any count)", default=None,
                               positional=True),),
                 derive=derive,
                 torch=TorchHooks(
                     modules=("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
                              "FeatureAlphaDropout"),
                     from_module=lambda m, shape_in=None, shape_out=None: {},
                     calls=("F.dropout", "F.dropout1d", "F.dropout2d", "F.dropout3d", "F.alpha_dropout",
                            "F.feature_alpha_dropout", "torch.dropout"),
                     from_call=lambda node, shape_in, shape_out: {},
                     to_module=lambda a, row, nn: nn.Dropout(),
                 ),
                 order=90,
    family="dropout", label_words=(r"dropout",), label_order=44,
)
