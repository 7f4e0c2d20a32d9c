"""The shared window arithmetic: output sizes of sliding windows (floor or ceiling, with a note when a window
does not tile), exact division, and the checks the kinds' derive functions make.

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

from decimal import Decimal
from typing import Any

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from ...errors import DerivationError
from ...prose import Math, Note, Prose
from ..base import ZERO, Derivation, Expr, Shape


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
    benign = False
    if uncovered is not None:
        line = "row" if axis == "height" else "column"
        benign = not uncovered.is_positive
        if uncovered.is_positive:
            what = (f"the last input {line} is never covered" if uncovered == 1
                    else f"the last {uncovered} input {line}s are never covered")
        else:
            what = f"only padding is left over: every input {line} is covered"
        plain += f" ({what})"
        parts.append(f" ({what})")
    return Note(plain, Prose(tuple(parts)), benign)


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
