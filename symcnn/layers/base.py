"""What every layer kind provides, and the shared window arithmetic.

A layer kind is a :class:`LayerKind`: a name, a parameter schema and a
``derive(args, x, convention)`` function that returns a :class:`Derivation`
of sympy expressions: output shape, weights, biases, multiply-adds, other
operations and the receptive-field window.  The same function serves numbers
and symbols alike; there is no second, integer-only code path.

>>> import sympy as sp
>>> H = sp.Symbol("H", integer=True, positive=True)
>>> window_out(H, 3, 2, 1, 1, False, "floor")[0]
floor(H/2 - 1/2) + 1
>>> window_out(224, 11, 4, 0, 1, False, "floor")
(54, ('height: (224 - 11 + 2*0)/4 + 1 = 54.25 is not an integer; floored to 54 ...',))
>>> floor_div(sp.floor(H/2) + 1 - 1, 2)  # nested floors collapse
floor(H/4)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from ..errors import DerivationError
from ..prose import Math, Note, Prose

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
    for height and width), ``bool``, ``choice`` (one of the words ``choices``).  ``role`` picks the assumptions of
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
        if value is None or isinstance(value, bool) or value == "same" or self.kind == "choice":
            return value
        if self.kind == "pair":
            if isinstance(value, tuple):
                return tuple(sp.sympify(v) for v in value)
            v = sp.sympify(value)
            return (v, v)
        if self.kind == "expr" and isinstance(value, int):
            return sp.Integer(value)
        return value


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
    torch_modules, from_module
        the torch.nn classes this kind reads, and ``from_module(module, shape_in,
        shape_out) -> args`` (``None``: a no-op, nothing to count).
    torch_calls, from_call
        the functions and tensor methods it reads ("torch.relu", "F.relu",
        "Tensor.relu"), and ``from_call(node, shape_in, shape_out) -> args``
        (``None``: a no-op, nothing to count; ``NOT_MINE``: another kind reads it).
    to_module
        ``to_module(args, row, nn) -> torch.nn.Module`` builds it in PyTorch.
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
    torch_modules: tuple[str, ...] = ()
    from_module: Callable[..., Args | None] | None = None
    torch_calls: tuple[str, ...] = ()
    from_call: Callable[..., Args | None] | None = None
    to_module: Callable[..., Any] | None = None
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


# --- shared arithmetic -------------------------------------------------------


def _round(fn: Any, x: Any) -> Expr:
    """floor or ceiling of x; when sympy's evaluation cannot decide the
    integer part of a nested expression (PrecisionExhausted), keep it unevaluated."""
    try:
        return fn(x)
    except (PrecisionExhausted, TypeError, ValueError, RecursionError):
        return fn(x, evaluate=False)


def floor_div(num: Expr, s: Expr) -> Expr:
    """floor(num / s), collapsing nested floors.

    For a positive integer s and integer b, floor((floor(a) + b)/s) is
    floor((a + b)/s): so floor(floor(H/2)/2) is floor(H/4), and a deep
    network's output size stays one floor deep instead of one per layer.
    """
    num = sp.sympify(num)
    s = sp.sympify(s)
    if s.is_integer and s.is_positive:
        terms = sp.Add.make_args(num)
        floors = [t for t in terms if isinstance(t, sp.floor)]
        if len(floors) == 1:
            rest = num - floors[0]
            if rest.is_integer:
                return _round(sp.floor, (floors[0].args[0] + rest) / s)
    return _round(sp.floor, num / s)


def _decimal(q: Any) -> str:
    """217/4 as '54.25'; a fraction with no terminating decimal as '110/3'."""
    q = sp.Rational(q)
    den = q.q
    for f in (2, 5):
        while den % f == 0:
            den //= f
    return str(Decimal(q.p) / Decimal(q.q)) if den == 1 else str(q)


def _quotient_text(n: Any, k: Any, s: Any, p: Any, d: Any) -> str:
    """The quotient as plain text, the course form (W - F + 2P)/S + 1 when there is no dilation."""
    return f"({n} - {k} + 2*{p})/{s} + 1" if d == 1 else f"({n} + 2*{p} - {d}*({k} - 1) - 1)/{s} + 1"


def _quotient_display(n: Any, k: Any, s: Any, p: Any, d: Any) -> Any:
    """(n - k + 2p)/s + 1 with the numbers as written, unevaluated (the course form when d = 1)."""
    u = {"evaluate": False}
    if d == 1:
        top = sp.Add(n, sp.Mul(-1, k, **u), sp.Mul(2, p, **u), **u)
    else:
        top = sp.Add(n, sp.Mul(2, p, **u), sp.Mul(-1, d, sp.Add(k, -1, **u), **u), -1, **u)
    return sp.Add(sp.Mul(top, sp.Pow(s, -1, **u), **u), 1, **u)


def _tiling_note(axis: str, window: tuple[Any, ...], q: Any, out: Any, verb: str, uncovered: Any = None) -> Note:
    """The note on a window that does not tile the input: plain words for the text outputs and the same
    sentence with the quotient typeset for the documents."""
    n, k, s, p, d = window
    shown = _quotient_text(n, k, s, p, d)
    value = _decimal(q + 1)
    plain = f"{axis}: {shown} = {value} is not an integer; {verb} {out}"
    shown_value = sp.Float(value) if "." in value else sp.Rational(q + 1)
    parts: list[Any] = [f"{axis}: ", Math(_quotient_display(n, k, s, p, d), (("=", shown_value),)),
                        f" is not an integer; {verb} ", Math(sp.sympify(out))]
    if uncovered is not None:
        line = "row" if axis == "height" else "column"
        if uncovered.is_positive:
            what = (f"the last input {line} is never covered" if uncovered == 1
                    else f"the last {uncovered} input {line}s are never covered")
        else:
            what = f"only padding is left over: every input {line} is covered"
        plain += f" ({what})"
        parts.append(f" ({what})")
    return Note(plain, Prose(tuple(parts)))


def _ceil_out(n: Any, k: Any, s: Any, p: Any, d: Any, q: Any) -> Expr:
    """PyTorch's ceil mode: ceil(q) + 1 windows, except that the last window must start
    inside the input or the left padding.  Since ceil(span/s)*s < span + s, a last window
    can start past n + p only when s + p exceeds the effective kernel."""
    out = _round(sp.ceiling, q) + 1
    keff = d * (k - 1) + 1
    if (s + p - keff).is_positive is not False:
        excess = (out - 1) * s - (n + p)
        if excess.is_number:
            if excess >= 0:
                out = out - 1
        else:
            # windows start at i*s with i*s < n + p: at most ceil((n + p)/s) of them
            limit = _round(sp.ceiling, (n + p) / s)
            try:
                out = sp.Min(out, limit)
            except (PrecisionExhausted, TypeError, ValueError, RecursionError):
                out = sp.Min(out, limit, evaluate=False)
    return out


def window_out(n: Any, k: Any, s: Any, p: Any, d: Any, ceil_mode: bool, division: str,
               axis: str = "height") -> tuple[Expr, tuple[str, ...]]:
    """Output length of a sliding window along one axis.

    floor((n + 2p - d(k-1) - 1)/s) + 1  (or ceil with ``ceil_mode``, with
    PyTorch's rule that the last window must start inside the input or the
    left padding); under ``exact`` division the quotient must be an integer.
    Returns (length, notes).
    """
    n, k, s, p, d = (sp.sympify(v) for v in (n, k, s, p, d))
    span = n + 2 * p - d * (k - 1) - 1
    q = span / s
    notes: list[str] = []
    if q.is_number:
        # ceil mode still gives one window when the window overhangs the padded input by less
        # than a stride (PyTorch: a 2 x 2 input, 3 x 3 window, stride 2 gives 1 x 1)
        if span < 0 and not (ceil_mode and _ceil_out(n, k, s, p, d, q) >= 1):
            raise DerivationError(
                f"the {axis} window (effective kernel {d * (k - 1) + 1}) is larger than the padded input "
                f"({n} + 2*{p} = {n + 2 * p})"
            )
        integral = q.is_integer
    else:
        integral = None
    if division == "exact" and not ceil_mode:
        if integral is False:
            raise DerivationError(
                f"{axis}: {_quotient_text(n, k, s, p, d)} = {_decimal(q + 1)} is not an integer: the window does not "
                "tile the input "
                "(exact division; use floor division to round down as frameworks do)"
            )
        return q + 1, ()
    if division == "ceil" and not ceil_mode:
        # not a framework behaviour: a slip (rounding up) that `symcnn check` tests answers against
        return _round(sp.ceiling, q) + 1, ()
    if ceil_mode:
        out = _ceil_out(n, k, s, p, d, q)
        if integral is False:
            notes.append(_tiling_note(axis, (n, k, s, p, d), q, out, "ceil mode gives"))
        return out, tuple(notes)
    out = floor_div(span, s) + 1
    if integral is False:
        # the padded positions after the last window, of which the last p are padding
        lost = span - (out - 1) * s
        notes.append(_tiling_note(axis, (n, k, s, p, d), q, out, "floored to", lost - p))
    return out, tuple(notes)


def same(a: Any, b: Any) -> bool | None:
    """Are two expressions equal? True, False, or None when sympy cannot tell."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a == b:
        return True
    try:
        return _same(a - b)
    except (PrecisionExhausted, TypeError, ValueError, RecursionError):
        return None


def _same(diff: Any) -> bool | None:
    if diff.is_zero is not None:
        return bool(diff.is_zero)
    if diff.is_number:
        return bool(diff == 0)
    diff = sp.simplify(diff)
    if diff == 0:
        return True
    if diff.is_zero is False:
        return False
    return None


def decide(verdict: bool | None, what: str) -> bool:
    """symcnn's one policy when sympy cannot decide: a condition that selects a formula or
    a structure (is the input flat? do two paths agree? does a declared field match?) is
    decided or refused with one line, never guessed.  (Conditions that only bound where a
    symbolic network exists, such as a channel count being positive, are assumed.)

    >>> import sympy as sp
    >>> H = sp.Symbol("H", integer=True, positive=True)
    >>> decide(same(H, 1), "whether H is 1")
    Traceback (most recent call last):
    ...
    symcnn.errors.DerivationError: sympy cannot decide whether H is 1 (give the symbols values with --set)
    """
    if verdict is None:
        raise DerivationError(f"sympy cannot decide {what} (give the symbols values with --set)")
    return bool(verdict)


def check_divides(what: str, total: Any, parts: Any) -> None:
    """Raise unless ``parts`` divides ``total`` (when sympy can decide)."""
    quotient = sp.sympify(total) / parts
    if quotient.is_integer is False:
        raise DerivationError(f"{what}: {total} is not divisible by {parts}")


def check_positive(what: str, value: Any) -> None:
    value = sp.sympify(value)
    if value.is_positive is False or (value.is_number and value.is_integer is False):
        raise DerivationError(f"{what} must be a positive integer, got {value}")


def check_nonnegative(what: str, value: Any) -> None:
    value = sp.sympify(value)
    if value.is_nonnegative is False or (value.is_number and value.is_integer is False):
        raise DerivationError(f"{what} must be a non-negative integer, got {value}")


def check_match(what: str, declared: Any, actual: Any) -> None:
    """A field the user declared (``in=``, ``c=``) must match what flows in."""
    if declared is None:
        return
    verdict = same(declared, actual)
    if verdict is False:
        raise DerivationError(f"{what} is declared as {declared} but the input has {actual}")
    if verdict is None:
        raise DerivationError(f"sympy cannot decide whether {what} {declared} equals the input's {actual} "
                              "(give the symbols values with --set)")


def padding_for_same(k: Any, d: Any, axis: str) -> Expr:
    """Padding that keeps the size at stride 1: d*(k-1)/2, which must be an integer."""
    pad = sp.sympify(d) * (sp.sympify(k) - 1) / 2
    if pad.is_integer is False:
        raise DerivationError(f"padding 'same' along {axis} needs an odd effective kernel, got {d}*({k} - 1) + 1")
    return pad


def elementwise(x: Shape, *, ops_per_element: Expr = ZERO, inplace: bool) -> Derivation:
    """A layer that keeps its input's shape and has no parameters."""
    return Derivation(output=x, other_ops=ops_per_element * x.elements, inplace=inplace)


# --- PyTorch values -------------------------------------------------------------------------------------------

def torch_pair(v: Any) -> tuple[Expr, Expr]:
    """A PyTorch size argument (an int or a pair) as (height, width)."""
    from ..errors import SymcnnError

    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise SymcnnError(f"expected one value or two (height, width), got {v!r}")
        return (sp.Integer(v[0]), sp.Integer(v[1]))
    return (sp.Integer(v), sp.Integer(v))


def to_int(v: Any) -> int:
    """A number for PyTorch (export needs every value)."""
    from ..errors import SymcnnError

    v = sp.sympify(v)
    if not v.is_Integer:
        raise SymcnnError(f"export needs numbers, got {v} (give the symbols values with --set)")
    return int(v)


def to_ints(p: Any) -> tuple[int, int]:
    return (to_int(p[0]), to_int(p[1]))


class _NotMine(dict[str, Any]):
    """What ``from_call`` answers for a call another kind reads (``operator.getitem`` on a tuple):
    an empty mapping, told apart from ``{}`` by identity (``args is NOT_MINE``)."""

    def __repr__(self) -> str:
        return "NOT_MINE"


NOT_MINE: Args = _NotMine()


def traced_shape(node: Any) -> tuple[int, ...] | None:
    """The shape torch.fx's ShapeProp recorded for a traced value (None: not one tensor)."""
    meta = getattr(node, "meta", {}).get("tensor_meta")
    shape = getattr(meta, "shape", None)
    return None if shape is None else tuple(int(v) for v in shape)


def call_name(node: Any) -> str:
    """A traced call's name: the method's, or the function's (``getitem``, ``cat``, ``add``)."""
    target = node.target
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def call_arg(node: Any, index: int, name: str, default: Any = None) -> Any:
    """Argument ``index`` (counting the tensor as 0) or keyword ``name`` of a traced call."""
    if len(node.args) > index:
        return node.args[index]
    return node.kwargs.get(name, default)


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
    from ..errors import SymcnnError

    size = m.output_size
    if size is None or (isinstance(size, (tuple, list)) and None in size):
        raise SymcnnError(f"module {name!r}: adaptive pooling with a None output size is not supported")
    return dict(out=torch_pair(size))


# --- elementwise activations (one file each, built the same way) -------------------------------------------------

def activation(name: str, doc: str, *, ops: int, inplace: bool, torch_module: str | None,
               calls: tuple[str, ...] = (), aliases: tuple[str, ...] = (), params: tuple[Param, ...] = (),
               order: float = 100.0, from_module: Callable[..., Args | None] | None = None,
               family: str = "activation", label_words: tuple[str, ...] = ()) -> LayerKind:
    """A kind that keeps its input's shape, has no parameters and costs ``ops``
    operations per element (counted in FLOPs only with --other-ops).  Sheets name it by its
    name (``label_words`` adds other words)."""

    def derive(a: Args, x: Shape, convention: Any) -> Derivation:
        return elementwise(x, ops_per_element=sp.Integer(ops), inplace=inplace)

    def to_module(a: Args, row: Any, nn: Any) -> Any:
        return getattr(nn, torch_module or "")()

    return LayerKind(
        name=name, doc=doc, params=params, derive=derive, aliases=aliases,
        torch_modules=(torch_module,) if torch_module else (),
        from_module=from_module or (lambda m, shape_in=None, shape_out=None: {}),
        torch_calls=calls, from_call=(lambda node, shape_in, shape_out: {}) if calls else None,
        to_module=to_module if torch_module else None,
        order=order, family=family, label_words=(rf"^{name}(?![a-z])", *label_words), label_order=40,
    )
