"""Identity: passes its input through (an empty branch or shortcut).  From
PyTorch, nn.Identity and the tensor methods that only copy or re-layout
(contiguous, clone, detach) are no-ops: nothing to count.

>>> from symcnn.convention import Convention
>>> from symcnn.layers.base import Shape
>>> KIND.derive({}, Shape(8, 4, 4), Convention()).other_ops
0
"""

from __future__ import annotations

from dataclasses import replace

from .base import activation

KIND = replace(
    activation("identity", "passes its input through (an empty branch or shortcut)", ops=0, inplace=True,
               torch_module="Identity", calls=("Tensor.contiguous", "Tensor.clone", "Tensor.detach"), order=85),
    from_module=lambda m, shape_in=None, shape_out=None: None,  # a pass-through: nothing to count
    from_call=lambda node, shape_in, shape_out: None,
)
