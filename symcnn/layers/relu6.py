"""ReLU6, min(max(0, x), 6) (MobileNet-v2): no parameters, one clamp per element.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(32, 112, 112), Convention())
>>> d.weights, d.inplace, d.other_ops == 32 * 112 * 112
(0, True, True)
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("relu6", "ReLU capped at 6: min(max(0, x), 6)", ops=1, inplace=True, torch_module="ReLU6",
                  calls=("F.relu6",), order=86)
