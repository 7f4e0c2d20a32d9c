"""What the PyTorch bridge shares: importing torch on demand, one-line errors."""

from __future__ import annotations

from ..errors import SymcnnError


def torch_module():
    try:
        import torch
        import torch.fx
        import torch.nn.functional
    except ImportError:
        raise SymcnnError("this needs PyTorch: pip install 'symcnn[torch]' (torch==2.13.0)") from None
    return torch




def first_line(exc) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__
