"""Families of layer kinds built the same way: pooling windows (max and average), adaptive pooling, and the
elementwise activations (one file each, each a call of :func:`activation`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from ...errors import DerivationError
from ..base import ZERO, Args, Derivation, LayerKind, Param, Shape, TorchArgs, TorchHooks, Window
from .torch_values import call_arg, torch_pair
from .window import check_nonnegative, check_positive, elementwise, window_out

# --- pooling windows (max and average pooling share them) -----------------------------------------------------

POOL_PARAMS = (
    Param("k", "window size: k or kh,kw", kind="pair", aliases=("kernel", "kernel_size"), positional=True,
          symbol="K"),
    Param("s", "stride (default: the window size)", default=None, kind="pair", aliases=("stride",),
          symbol="S"),
    Param("p", "padding", default=0, kind="pair", aliases=("pad", "padding"), role="padding", symbol="P"),
    Param("d", "dilation (max pooling only)", default=1, kind="pair", aliases=("dilation",), symbol="D", quiet=1),
    Param("ceil", "ceil mode: round the output size up (PyTorch ceil_mode)", default=False, kind="bool",
          aliases=("ceil_mode",)),
)


def pool_derive(a: Args, x: Shape, convention: Any, *, dilation_allowed: bool) -> Derivation:
    kh, kw = a["k"]
    sh, sw = a["s"] if a["s"] is not None else (kh, kw)
    ph, pw = a["p"]
    dh, dw = a["d"] if dilation_allowed else (sp.Integer(1), sp.Integer(1))
    for what, v in (("kernel", kh), ("kernel", kw), ("stride", sh), ("stride", sw), ("dilation", dh),
                    ("dilation", dw)):
        check_positive(what, v)
    for v, k, d in ((ph, kh, dh), (pw, kw, dw)):
        check_nonnegative("padding", v)
        if (2 * v - (d * (k - 1) + 1)).is_positive:
            raise DerivationError(f"padding {v} is more than half the window {d * (k - 1) + 1}")
    h, notes_h = window_out(x.h, kh, sh, ph, dh, a["ceil"], convention.division, "height")
    w, notes_w = window_out(x.w, kw, sw, pw, dw, a["ceil"], convention.division, "width")
    out = Shape(x.c, h, w)
    return Derivation(
        output=out,
        other_ops=out.elements * kh * kw,  # one compare or add per window element
        window=Window(dh * (kh - 1) + 1, dw * (kw - 1) + 1, sh, sw, ph, pw),
        notes=notes_h + notes_w,
    )


def pool_from_call(node: Any, dilation: bool) -> Args:
    """The fields of F.max_pool2d / F.avg_pool2d(x, kernel_size, stride, padding, ...)."""
    k = call_arg(node, 1, "kernel_size")
    s = call_arg(node, 2, "stride")
    s = s if s not in (None, []) else k
    out = dict(k=torch_pair(k), s=torch_pair(s), p=torch_pair(call_arg(node, 3, "padding", 0) or 0),
               ceil=bool(node.kwargs.get("ceil_mode", False)))
    if dilation:
        out["d"] = torch_pair(node.kwargs.get("dilation", 1))
    return out


# --- adaptive pooling (average and max share it) ----------------------------------------------------------------

ADAPTIVE_PARAMS = (
    Param("out", "output size: n or h,w", kind="pair", aliases=("output_size", "size"), positional=True,
          symbol="O"),
)


def adaptive_derive(a: Args, x: Shape, convention: Any) -> Derivation:
    """When the input size is a multiple of the output size the windows are uniform
    (kernel = stride = input/output) and the receptive field follows; otherwise
    PyTorch uses windows of varying size and the receptive field is left unknown."""
    oh, ow = a["out"]
    check_positive("output size", oh)
    check_positive("output size", ow)
    kh, kw = x.h / oh, x.w / ow
    notes: tuple[str, ...] = ()
    if kh.is_integer and kw.is_integer:
        window = Window(kh, kw, kh, kw, ZERO, ZERO)
    else:
        window = None
        notes = (f"adaptive pooling from {x.h}x{x.w} to {oh}x{ow} uses windows of varying size; "
                 "the receptive field is not a single window and is left unknown",)
    out = Shape(x.c, oh, ow)
    return Derivation(output=out, other_ops=x.elements, window=window, notes=notes)


def adaptive_from_module(name: str, m: Any) -> Args:
    from ...errors import SymcnnError

    size = m.output_size
    if size is None or (isinstance(size, (tuple, list)) and None in size):
        raise SymcnnError(f"module {name!r}: adaptive pooling with a None output size is not supported")
    return dict(out=torch_pair(size))


# --- elementwise activations (one file each, built the same way) -------------------------------------------------

def activation(name: str, doc: str, *, ops: int, inplace: bool, torch_module: str | None,
               calls: tuple[str, ...] = (), aliases: tuple[str, ...] = (), params: tuple[Param, ...] = (),
               order: float = 100.0, from_module: Callable[..., TorchArgs] | None = None,
               from_call: Callable[..., TorchArgs] | None = None, to_module: Callable[..., Any] | None = None,
               family: str = "activation", label_words: tuple[str, ...] = ()) -> LayerKind:
    """A kind that keeps its input's shape, has no parameters and costs ``ops``
    operations per element (counted in FLOPs only with --other-ops).  Sheets name it by its
    name (``label_words`` adds other words); ``from_module``, ``from_call`` and ``to_module`` replace the
    plain readers (the layer's fields are none) and builder (``torch_module()``)."""

    def derive(a: Args, x: Shape, convention: Any) -> Derivation:
        return elementwise(x, ops_per_element=sp.Integer(ops), inplace=inplace)

    def build(a: Args, row: Any, nn: Any) -> Any:
        return getattr(nn, torch_module or "")()

    return LayerKind(
        name=name, doc=doc, params=params, derive=derive, aliases=aliases,
        torch=TorchHooks(
            modules=(torch_module,) if torch_module else (),
            from_module=from_module or (lambda m, shape_in=None, shape_out=None: {}),
            calls=calls,
            from_call=from_call or ((lambda node, shape_in, shape_out: {}) if calls else None),
            to_module=to_module or (build if torch_module else None),
        ),
        order=order, family=family, label_words=(rf"^{name}(?![a-z])", *label_words), label_order=40,
    )
