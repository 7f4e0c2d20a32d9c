"""Stochastic depth (drop path): in training a residual branch is dropped at random;
at inference it is the identity.  No parameters.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({"p": None}, Shape(64, 8, 8), Convention()).weights
0
"""

from __future__ import annotations

from .base import Param
from .common.families import activation

KIND = activation(
    "stochasticdepth", "stochastic depth (drop path): the identity at inference", ops=0, inplace=True,
    torch_module=None, calls=("torchvision.ops.stochastic_depth.stochastic_depth",),
    aliases=("droppath", "drop_path"),
    params=(Param("p", "drop probability (does not change any count)", default=None, positional=True),),
    order=91,
    # at inference it is the identity: that is what an exported (eval-mode) network runs
    to_module=lambda a, row, nn: nn.Identity(),
)
