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
(54, ('height: (224 - 11 + 2*0)/4 + 1 = 54.25 is not an integer; floored to 54 (the last 1 input row(s) are never covered)',))
>>> floor_div(sp.floor(H/2) + 1 - 1, 2)  # nested floors collapse
floor(H/4)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from ..errors import DerivationError

Expr = sp.Expr
ZERO = sp.Integer(0)
ONE = sp.Integer(1)


@dataclass(frozen=True)
class Shape:
    """An activation shape: channels, height, width (each a sympy expression)."""

    c: Expr
    h: Expr
    w: Expr

    def __post_init__(self):
        for f in ("c", "h", "w"):
            v = getattr(self, f)
            if not isinstance(v, sp.Basic):
                object.__setattr__(self, f, sp.sympify(v))

    @property
    def elements(self) -> Expr:
        return self.c * self.h * self.w

    def as_tuple(self) -> tuple[Expr, Expr, Expr]:
        return (self.c, self.h, self.w)

    def subs(self, values) -> "Shape":
        return Shape(*(sp.sympify(v).subs(values) for v in self.as_tuple()))

    def __str__(self) -> str:
        return "x".join(str(v) for v in self.as_tuple())


@dataclass(frozen=True)
class Window:
    """The receptive-field step of a layer along (height, width):
    effective kernel d*(k-1)+1, stride and padding."""

    kh: Expr
    kw: Expr
    sh: Expr
    sw: Expr
    ph: Expr
    pw: Expr


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
    parts: tuple = ()  # a concat's branch channel counts


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
    for height and width), ``bool``.  ``role`` picks the assumptions of
    symbols first met in this field (``size`` or ``padding``).
    ``symbol`` is the letter the textbook uses for it.
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

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class LayerKind:
    name: str
    doc: str
    params: tuple[Param, ...]
    derive: Callable[..., Derivation]
    aliases: tuple[str, ...] = ()
    torch: str = ""  # the torch.nn class it corresponds to
    #: textbook display forms per quantity ("c", "h", "w", "weights", "biases", "macs"), tried in order;
    #: {k} {s} {p} {d} stand for the axis' symbols, {kh} {kw} for the kernel's.  A form is used only
    #: after sympy confirms it equals ``derive`` at placeholder symbols (see symcnn.worked).
    textbook: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: names of the input's channels, height and width in those forms
    inputs: tuple[str, str, str] = ("C_in", "H_in", "W_in")

    def forms(self, quantity: str) -> tuple[str, ...]:
        return dict(self.textbook).get(quantity, ())

    def param(self, key: str) -> Param | None:
        for p in self.params:
            if key == p.name or key in p.aliases:
                return p
        return None


# --- shared arithmetic -------------------------------------------------------


def _round(fn, x):
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


def _decimal(q) -> str:
    """217/4 as '54.25'; a fraction with no terminating decimal as '110/3'."""
    q = sp.Rational(q)
    den = q.q
    for f in (2, 5):
        while den % f == 0:
            den //= f
    return str(Decimal(q.p) / Decimal(q.q)) if den == 1 else str(q)


def window_out(n, k, s, p, d, ceil_mode: bool, division: str, axis: str = "height"):
    """Output length of a sliding window along one axis.

    floor((n + 2p - d(k-1) - 1)/s) + 1  (or ceil with ``ceil_mode``, with
    PyTorch's rule that the last window must start inside the input or the
    left padding); under ``exact`` division the quotient must be an integer.
    Returns (length, notes).
    """
    n, k, s, p, d = (sp.sympify(v) for v in (n, k, s, p, d))
    span = n + 2 * p - d * (k - 1) - 1
    q = span / s
    if d == 1:  # the course form (W - F + 2P)/S + 1
        shown = f"({n} - {k} + 2*{p})/{s} + 1"
    else:
        shown = f"({n} + 2*{p} - {d}*({k} - 1) - 1)/{s} + 1"
    notes: list[str] = []
    if q.is_number:
        if span < 0:
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
                f"{axis}: {shown} = {_decimal(q + 1)} is not an integer: the window does not tile the input "
                "(exact division; use floor division to round down as frameworks do)"
            )
        return q + 1, ()
    if division == "ceil" and not ceil_mode:
        # not a framework behaviour: a slip (rounding up) that `symcnn check` tests answers against
        return _round(sp.ceiling, q) + 1, ()
    if ceil_mode:
        out = _round(sp.ceiling, q) + 1
        # PyTorch: the last window must start inside the input or the left
        # padding.  Since ceil(span/s)*s < span + s, a last window can start
        # past n + p only when s + p exceeds the effective kernel.
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
        if integral is False:
            notes.append(f"{axis}: {shown} = {_decimal(q + 1)} is not an integer; ceil mode gives {out}")
        return out, tuple(notes)
    out = floor_div(span, s) + 1
    if integral is False:
        lost = span - (out - 1) * s
        notes.append(
            f"{axis}: {shown} = {_decimal(q + 1)} is not an integer; floored to {out} "
            f"(the last {lost} input {'row' if axis == 'height' else 'column'}(s) are never covered)"
        )
    return out, tuple(notes)


def same(a, b) -> bool | None:
    """Are two expressions equal? True, False, or None when sympy cannot tell."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a == b:
        return True
    try:
        return _same(a - b)
    except (PrecisionExhausted, TypeError, ValueError, RecursionError):
        return None


def _same(diff) -> bool | None:
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


def check_divides(what: str, total, parts) -> None:
    """Raise unless ``parts`` divides ``total`` (when sympy can decide)."""
    quotient = sp.sympify(total) / parts
    if quotient.is_integer is False:
        raise DerivationError(f"{what}: {total} is not divisible by {parts}")


def check_positive(what: str, value) -> None:
    value = sp.sympify(value)
    if value.is_positive is False or (value.is_number and value.is_integer is False):
        raise DerivationError(f"{what} must be a positive integer, got {value}")


def check_nonnegative(what: str, value) -> None:
    value = sp.sympify(value)
    if value.is_nonnegative is False or (value.is_number and value.is_integer is False):
        raise DerivationError(f"{what} must be a non-negative integer, got {value}")


def check_match(what: str, declared, actual) -> None:
    """A field the user declared (``in=``, ``c=``) must match what flows in."""
    if declared is None:
        return
    if same(declared, actual) is False:
        raise DerivationError(f"{what} is declared as {declared} but the input has {actual}")


def pair(value) -> tuple[Expr, Expr]:
    if isinstance(value, tuple):
        return value
    return (value, value)


def padding_for_same(k, d, axis: str) -> Expr:
    """Padding that keeps the size at stride 1: d*(k-1)/2, which must be an integer."""
    pad = sp.sympify(d) * (sp.sympify(k) - 1) / 2
    if pad.is_integer is False:
        raise DerivationError(f"padding 'same' along {axis} needs an odd effective kernel, got {d}*({k} - 1) + 1")
    return pad


def elementwise(x: Shape, *, ops_per_element=ZERO, inplace: bool) -> Derivation:
    """A layer that keeps its input's shape and has no parameters."""
    return Derivation(output=x, other_ops=ops_per_element * x.elements, inplace=inplace)
