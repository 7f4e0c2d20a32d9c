"""PyTorch in and out: read a ``torch.nn.Module`` into a symcnn network
(traced with torch.fx), and build a module, or standalone source, from any
symcnn network.

Needs the optional extra ``symcnn[torch]`` (``pip install torch==2.13.0``).
Every module or function symcnn has no layer kind for is an error that
names it; nothing is ever counted as zero.
"""

from .export import check_generated_source, to_torch, torch_source
from .load import load_module
from .trace import from_torch

__all__ = ["check_generated_source", "from_torch", "load_module", "to_torch", "torch_source"]
