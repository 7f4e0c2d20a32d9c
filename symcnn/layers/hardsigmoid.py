"""Hard sigmoid, relu6(x + 3) / 6 (MobileNet-v3's squeeze-excite gate): no parameters;
an add, a clamp and a divide per element (3 operations).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(16, 1, 1), Convention()).other_ops
48
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("hardsigmoid", "hard sigmoid: relu6(x + 3) / 6", ops=3, inplace=True, torch_module="Hardsigmoid",
                  calls=("F.hardsigmoid",), aliases=("hard_sigmoid", "hsigmoid"), order=88.5)
