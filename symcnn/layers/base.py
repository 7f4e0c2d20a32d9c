"""What every layer kind provides: the types (shapes, windows, derivations, parameters, the kind itself).

A layer kind is a :class:`LayerKind`: a name, a parameter schema and a
``derive(args, x, convention)`` function that returns a :class:`Derivation`
of sympy expressions: output shape, weights, biases, multiply-adds, other
operations and the receptive-field window.  The same function serves numbers
and symbols alike; there is no second, integer-only code path.

The shared window arithmetic is :mod:`symcnn.layers.common.window`, the PyTorch adapters
:mod:`symcnn.layers.common.torch_values`, and the families of kinds built the same way (pooling windows,
adaptive pooling, activations) :mod:`symcnn.layers.common.families`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import sympy as sp

Expr: TypeAlias = sp.Expr
Args: TypeAlias = dict[str, Any]
ZERO = sp.Integer(0)
ONE = sp.Integer(1)


#: how an activation is laid out: a channels-first map (C x H x W), a channels-last map (H x W x C,
#: after a permute), a sequence of H tokens of width C (w = 1), or H groups of W tokens each
#: (windows of a partitioned map, MaxViT)
LAYOUTS = ("chw", "hwc", "seq", "win")


@dataclass(frozen=True, repr=False)
class Shape:
    """An activation shape: channels, height, width (each a sympy expression), and its layout."""

    c: Expr
    h: Expr
    w: Expr
    layout: str = "chw"

    def __post_init__(self) -> None:
        for f in ("c", "h", "w"):
            v = getattr(self, f)
            if not isinstance(v, sp.Basic):
                object.__setattr__(self, f, sp.sympify(v))
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout {self.layout!r} is not one of {LAYOUTS}")

    def __repr__(self) -> str:
        extra = "" if self.layout == "chw" else f", layout={self.layout!r}"
        return f"Shape(c={self.c}, h={self.h}, w={self.w}{extra})"

    @property
    def elements(self) -> Expr:
        return self.c * self.h * self.w

    def as_tuple(self) -> tuple[Expr, Expr, Expr]:
        return (self.c, self.h, self.w)

    def subs(self, values: Any) -> Shape:
        c, h, w = (sp.sympify(v).subs(values) for v in self.as_tuple())
        return Shape(c, h, w, self.layout)

    def shown(self) -> tuple[Expr, ...]:
        """The sizes in the order the layout stores them: C, H, W; H, W, C; L, C for a sequence; G, N, C
        for groups of tokens."""
        if self.layout in ("hwc", "win"):
            return (self.h, self.w, self.c)
        if self.layout == "seq":
            return (self.h, self.c)
        return (self.c, self.h, self.w)

    def __str__(self) -> str:
        return "x".join(str(v) for v in self.shown())


@dataclass(frozen=True)
class Window:
    """The receptive-field step of a layer along (height, width):
    effective kernel d*(k-1)+1, stride and padding; and an upsampling factor
    ``uh``, ``uw`` applied first (a transposed convolution or an upsample: the
    jump is divided by it, so it can become a fraction of an input pixel)."""

    kh: Expr
    kw: Expr
    sh: Expr
    sw: Expr
    ph: Expr
    pw: Expr
    uh: Expr = ONE
    uw: Expr = ONE


#: elementwise layers: receptive field unchanged
IDENTITY = Window(ONE, ONE, ONE, ONE, ZERO, ZERO)


@dataclass(frozen=True)
class Derivation:
    """Everything one layer contributes, as sympy expressions."""

    output: Shape
    weights: Expr = ZERO
    biases: Expr = ZERO
    macs: Expr = ZERO
    bias_adds: Expr = ZERO
    other_ops: Expr = ZERO
    window: Any = IDENTITY  # a Window, or None when no single window describes it
    inplace: bool = False
    notes: tuple[str, ...] = ()
    parts: tuple[Expr, ...] = ()  # a concat's branch channel counts


REQUIRED = object()

#: the output-size forms shared by sliding windows (conv and pooling); X is H_in or W_in
WINDOW_FORMS = (
    "floor((X - {k} + 2*{p})/{s}) + 1",
    "(X - {k} + 2*{p})/{s} + 1",
    "ceil((X - {k} + 2*{p})/{s}) + 1",
    "floor((X + 2*{p} - {d}*({k} - 1) - 1)/{s}) + 1",
    "(X + 2*{p} - {d}*({k} - 1) - 1)/{s} + 1",
)


def window_forms(axis_input: str) -> tuple[str, ...]:
    return tuple(f.replace("X", axis_input) for f in WINDOW_FORMS)


@dataclass(frozen=True)
class Param:
    """One field of a layer kind.

    kind: ``expr`` (a sympy expression), ``pair`` (one or two expressions,
    for height and width), ``bool``, ``choice`` (one of the words ``choices``), ``text`` (words kept as written:
    a composite layer's list of operations).  ``role`` picks the assumptions of
    symbols first met in this field (``size`` or ``padding``).
    ``symbol`` is the letter the textbook uses for it.  ``declared``: the
    field only restates what flows in (``in=``, ``c=``) and is checked, never
    used in a formula.  ``quiet``: at this value the field stays out of the
    worked formulas (a dilation or group count of 1), as in textbooks.
    """

    name: str
    doc: str
    default: Any = REQUIRED
    kind: str = "expr"
    aliases: tuple[str, ...] = ()
    role: str = "size"
    positional: bool = False
    symbol: str = ""
    allow_same: bool = False
    declared: bool = False
    quiet: Any = None
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def complete(self, value: Any) -> Any:
        """A value as derive() expects it: pairs as (height, width), numbers as sympy numbers."""
        if value is None or isinstance(value, bool) or value == "same" or self.kind in ("choice", "text"):
            return value
        if self.kind == "pair":
            if isinstance(value, tuple):
                return tuple(sp.sympify(v) for v in value)
            v = sp.sympify(value)
            return (v, v)
        if self.kind == "expr" and isinstance(value, int):
            return sp.Integer(value)
        return value


class NotMine(enum.Enum):
    """What a kind's ``from_call`` (or ``from_module``) answers for a call it is listed for but another kind
    reads (``operator.getitem`` on a tuple is a split's, on a channel range a slice's): pass it on."""

    NOT_MINE = "not mine"

    def __repr__(self) -> str:
        return "NOT_MINE"


NOT_MINE = NotMine.NOT_MINE

#: what a torch reader hook answers: the kind's fields, None (a no-op: nothing to count), or NOT_MINE
TorchArgs: TypeAlias = Args | NotMine | None


@dataclass(frozen=True)
class TorchHooks:
    """How one kind of layer meets PyTorch.

    modules, from_module
        the torch.nn classes the kind reads, and ``from_module(module, shape_in, shape_out)``: the kind's
        fields for that module (None: a no-op, nothing to count; NOT_MINE: another kind reads it).
    calls, from_call
        the functions and tensor methods it reads ("torch.relu", "F.relu", "Tensor.relu", "operator.add"), and
        ``from_call(node, shape_in, shape_out)`` for a torch.fx node, answering as ``from_module`` does.
    to_module
        ``to_module(args, row, nn)``: the layer built in PyTorch (symcnn's export).

    >>> TorchHooks(modules=("ReLU",), from_module=lambda m, shape_in, shape_out: {}).reads_modules
    True
    >>> TorchHooks(modules=("ReLU",)).reads_modules  # a class named, no reader: nothing is read
    False
    """

    # (the readers' signatures are not spelled out: kinds declare them as lambdas with defaults, which mypy cannot
    # match against a parameter list)
    modules: tuple[str, ...] = ()
    from_module: Callable[..., TorchArgs] | None = None
    calls: tuple[str, ...] = ()
    from_call: Callable[..., TorchArgs] | None = None
    to_module: Callable[..., Any] | None = None

    @property
    def reads_modules(self) -> bool:
        return bool(self.modules) and self.from_module is not None

    @property
    def reads_calls(self) -> bool:
        return bool(self.calls) and self.from_call is not None


@dataclass(frozen=True)
class LayerKind:
    """Everything symcnn knows about one kind of layer, declared in its own module.

    name, doc, params, derive
        the kind's name, a line of documentation, its fields, and its formulas:
        ``derive(args, input_shape, convention) -> Derivation``.
    textbook, inputs
        display forms for the answer keys (used only where sympy confirms them)
        and the names of the input's channels, height and width in those forms.
    channels
        the fields that are channel counts: a width multiplier scales them
        (``symcnn whatif --width``); ``scale(args, alpha)`` adjusts others
        that must follow them (depthwise groups).
    flat_input
        the layer reads a flattened vector (its worked formulas use N_in).
    torch
        how the kind meets PyTorch (:class:`TorchHooks`: the modules and calls it reads, and how it is
        built in PyTorch).
    slips
        the slips ``symcnn check`` tests for a layer of this kind.
    family, label_words, label_order
        how answer sheets name a layer of this kind: its family (conv, pool, fc, norm, ...: kinds of
        one family are told apart by their fields, not by the words people use), regular expressions
        of the words a label uses for it (``symcnn check`` reads labels with them), and where the
        family's words are tried (lower first: "Pool(Conv 1)" is a pooling layer).
    layouts
        the input layouts the kind reads (channels first, channels last, tokens, windows).
    order
        where the kind appears in listings (symcnn list --kinds, the README).
    """

    name: str
    doc: str
    params: tuple[Param, ...]
    derive: Callable[..., Derivation]
    aliases: tuple[str, ...] = ()
    #: textbook display forms per quantity ("c", "h", "w", "weights", "biases", "macs"), tried in order;
    #: {k} {s} {p} {d} stand for the axis' symbols, {kh} {kw} for the kernel's.  A form is used only
    #: after sympy confirms it equals ``derive`` at placeholder symbols (see symcnn.worked).
    textbook: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: names of the input's channels, height and width in those forms
    inputs: tuple[str, str, str] = ("C_in", "H_in", "W_in")
    channels: tuple[str, ...] = ()
    scale: Callable[[Args, Any], Args] | None = None
    flat_input: bool = False
    torch: TorchHooks = TorchHooks()
    slips: tuple[str, ...] = ()
    order: float = 100.0
    family: str = ""
    label_words: tuple[str, ...] = ()
    label_order: float = 100.0
    layouts: tuple[str, ...] = LAYOUTS

    def __post_init__(self) -> None:
        if not self.family:
            object.__setattr__(self, "family", self.name)

    def forms(self, quantity: str) -> tuple[str, ...]:
        return dict(self.textbook).get(quantity, ())

    def param(self, key: str) -> Param | None:
        for p in self.params:
            if key == p.name or key in p.aliases:
                return p
        return None

    def complete(self, values: Args | None = None, **more: Any) -> Args:
        """Every field, with the defaults filled in and values normalised (pairs as
        (height, width), integers as sympy numbers): what ``derive`` expects.

        >>> from symcnn.layers import kind
        >>> kind("conv").complete(out=64, k=3)["s"]
        (1, 1)
        """
        given = dict(values or {}, **more)
        unknown = [k for k in given if self.param(k) is None]
        if unknown:
            raise KeyError(f"{self.name} has no field {unknown[0]!r}")
        out: Args = {}
        for k, v in given.items():  # the fields given, in the order given, then the defaults
            p = self.param(k)
            assert p is not None
            out[p.name] = p.complete(v)
        for p in self.params:
            if p.name in out:
                continue
            if p.required:
                raise KeyError(f"{self.name}: missing field {p.name!r}")
            out[p.name] = p.complete(p.default)
        return out
