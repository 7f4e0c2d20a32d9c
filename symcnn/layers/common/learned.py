"""Helpers for the kinds whose parameters PyTorch holds as bare tensors that the
forward pass reads (``self.class_token``, ``self.pos_embedding``, ``self.layer_scale``):
the traced graph reads them by ``get_attr``, possibly through an ``expand``."""

from __future__ import annotations

from typing import Any

from .torch_values import traced_shape

#: calls that pass a learned tensor on unchanged in value (a broadcast, a copy, or a view of another shape: ConvNeXt's
#: ``self.gamma.reshape(1, -1, 1, 1)``); the operand's own traced shape is what the kinds read
PASS_ON = ("expand", "expand_as", "repeat", "to", "type_as", "contiguous", "reshape", "view", "unsqueeze")


def _passes_on(value: Any) -> bool:
    """A method in PASS_ON, or the torch function of that name (einops writes ``torch.unsqueeze(x, 0)``)."""
    op = getattr(value, "op", None)
    if op == "call_method":
        return value.target in PASS_ON
    return op == "call_function" and getattr(value.target, "__name__", None) in (*PASS_ON, "broadcast_to") and \
        getattr(value.target, "__module__", None) in ("torch", None) and bool(value.args)


def learned_tensor(value: Any) -> Any | None:
    """The ``get_attr`` node behind a traced value, or None when it is not a bare learned tensor."""
    while _passes_on(value):
        value = value.args[0]
    return value if getattr(value, "op", None) == "get_attr" else None


def learned_operand(node: Any) -> tuple[Any, tuple[int, ...]] | None:
    """For a binary call (add, mul) with one learned-tensor operand: (that operand, its shape)."""
    operands = [a for a in node.args if hasattr(a, "op")]
    if len(operands) != 2 or node.kwargs:
        return None
    learned = [a for a in operands if learned_tensor(a) is not None]
    if len(learned) != 1:
        return None
    shape = traced_shape(learned[0])
    return None if shape is None else (learned[0], shape)
