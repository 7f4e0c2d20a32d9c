"""The logistic sigmoid: no parameters.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(8, 4, 4), Convention()).output
Shape(c=8, h=4, w=4)
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("sigmoid", "logistic sigmoid", ops=1, inplace=True, torch_module="Sigmoid",
                  calls=("torch.sigmoid", "F.sigmoid", "Tensor.sigmoid"), order=82)
