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


_SCHEMAS = ("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
            "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
_LIBRARY: list = []  # the fragment that declares them, kept alive


def import_torchvision() -> None:
    """Import torchvision, also where its compiled ops do not load beside the CPU torch
    (a CUDA wheel: "operator torchvision::nms does not exist").  The classification models
    never call those ops; their two schemas are declared so that the import completes."""
    import sys

    torch = torch_module()
    try:
        import torchvision
        return
    except RuntimeError as exc:
        if "torchvision::" not in str(exc):
            raise
    for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
        del sys.modules[name]
    if not _LIBRARY:
        lib = torch.library.Library("torchvision", "FRAGMENT")
        for schema in _SCHEMAS:
            lib.define(schema)
        _LIBRARY.append(lib)
    import torchvision  # noqa: F401


def first_line(exc) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def flop_counter():
    """torch's FlopCounterMode, also counting the attention kernel PyTorch runs on a CPU
    (``aten._scaled_dot_product_flash_attention_for_cpu``, which its registry leaves out: a ViT's scores and weighted
    sums would count as nothing), with torch's own formula for its other scaled-dot-product kernels."""
    torch = torch_module()
    from torch.utils import flop_counter as fc

    def cpu_attention(query_shape, key_shape, value_shape, *args, out_shape=None, **kwargs) -> int:
        return int(fc.sdpa_flop_count(query_shape, key_shape, value_shape))

    cpu = getattr(torch.ops.aten, "_scaled_dot_product_flash_attention_for_cpu", None)
    custom = {cpu: cpu_attention} if cpu is not None and cpu not in fc.flop_registry else {}
    return fc.FlopCounterMode(display=False, custom_mapping=custom)
