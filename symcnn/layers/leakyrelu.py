"""Leaky ReLU: x for x > 0, a x otherwise; no parameters.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive(KIND.complete(), Shape(8, 4, 4), Convention()).weights
0
"""

from __future__ import annotations

from .base import Param
from .common.families import activation

KIND = activation("leakyrelu", "leaky ReLU", ops=1, inplace=True, torch_module="LeakyReLU",
                  calls=("F.leaky_relu",), aliases=("leaky_relu",),
                  params=(Param("slope", "negative slope (does not change any count)", default=None,
                                aliases=("negative_slope",), positional=True),),
                  order=81)
