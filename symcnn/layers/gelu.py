"""GELU, x * Phi(x) (transformers, ConvNeXt, MaxViT): no parameters; counted as 2
operations per element (the Gaussian CDF and a multiply).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(64, 8, 8), Convention()).other_ops
8192
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("gelu", "Gaussian error linear unit: x * Phi(x)", ops=2, inplace=False, torch_module="GELU",
                  calls=("F.gelu",), order=89)
