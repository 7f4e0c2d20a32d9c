"""PyTorch in and out: read a ``torch.nn.Module`` into a symcnn network
(traced with torch.fx; modules it cannot follow through torch.export), with its
input's height and width as symbols where its layers allow, and build a module,
or standalone source, from any symcnn network.

Needs the optional extra ``symcnn[torch]`` (``pip install torch==2.13.0``).
Every module or function symcnn has no layer kind for is an error that
names it; nothing is ever counted as zero.
"""

from .export import check_generated_source, to_torch, torch_source
from .load import load_module
from .symbolic import from_torch_symbolic
from .trace import from_torch

__all__ = ["check_generated_source", "from_torch", "from_torch_symbolic", "load_module", "to_torch", "torch_source"]
