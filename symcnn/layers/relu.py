"""ReLU, max(0, x): no parameters, runs in place (allocates nothing).

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> d = KIND.derive({}, Shape(64, 224, 224), Convention())
>>> d.weights, d.inplace, d.other_ops == 64 * 224 * 224
(0, True, True)
"""

from __future__ import annotations

from .common.families import activation

KIND = activation("relu", "rectified linear unit max(0, x)", ops=1, inplace=True, torch_module="ReLU",
                  calls=("F.relu", "torch.relu", "torch.relu_", "Tensor.relu", "Tensor.relu_"), order=80,
                  label_words=(r"^(?:activation|nonlin)",))
