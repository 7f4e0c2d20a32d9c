"""SiLU (swish), x * sigmoid(x) (EfficientNet): no parameters; a sigmoid and a
multiply per element (2 operations).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(32, 112, 112), Convention())
>>> d.weights, d.other_ops == 2 * 32 * 112 * 112
(0, True)
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("silu", "SiLU (swish): x * sigmoid(x)", ops=2, inplace=True, torch_module="SiLU",
                  calls=("F.silu",), aliases=("swish",), order=88)
