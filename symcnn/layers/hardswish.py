"""Hard swish, x * relu6(x + 3) / 6 (MobileNet-v3): no parameters; an add, a
clamp, a multiply and a divide per element (4 operations).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(16, 112, 112), Convention())
>>> d.weights, d.other_ops == 4 * 16 * 112 * 112
(0, True)
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("hardswish", "hard swish: x * relu6(x + 3) / 6", ops=4, inplace=True,
                  torch_module="Hardswish", calls=("F.hardswish",), aliases=("hard_swish", "hswish"), order=87)
